import type Medusa from "@medusajs/js-sdk"
import type { ClientHeaders } from "@medusajs/js-sdk"

/**
 * The parts of Medusa's JS SDK the kit calls. Pass your `new Medusa({ baseUrl, publishableKey })` instance; any
 * object with these methods works too.
 */
export type FlutterwaveSdk = {
  client: Pick<Medusa["client"], "fetch">
  store: {
    cart: Pick<Medusa["store"]["cart"], "retrieve" | "complete">
    payment: Pick<Medusa["store"]["payment"], "initiatePaymentSession">
  }
}

/** Extra headers for each Medusa request (e.g. a customer's `authorization` when the kit runs on your server). */
export type FlutterwaveHeaders = ClientHeaders

/**
 * Where to send the shopper: Flutterwave's page (Gate mode) or ECommPay's signed Payment Page. `body` holds the
 * form fields to POST (or query fields for a GET); it is empty for a plain link.
 */
export type FlutterwaveRedirect = {
  method: "GET" | "POST"
  url: string
  body: Readonly<Record<string, string>>
}

/**
 * The signed Payment Page parameters (with `signature`) for ECommPay's `EPayWidget.run`, present when the store runs
 * in Payment Page mode. Pass them unchanged: only `frame_mode` may be added, every other change breaks the signature.
 */
export type FlutterwaveWidgetParams = Readonly<Record<string, string | number | boolean>>

/** What `GET /store/flutterwave/payment-sessions/:id` answers, as the kit reads it. */
export type FlutterwaveSessionAnswer =
  /** Not final yet: send the shopper here (or, on the return page, keep waiting). */
  | { status: "redirect"; redirect: FlutterwaveRedirect }
  /** Not final yet, and nothing to show: ask again after `retry_after_ms`. */
  | { status: "pending"; retry_after_ms: number }
  | { status: "succeeded" }
  | { status: "declined"; message: string; code?: string }

/** Where the shopper came back from Flutterwave, as the plugin writes it on the `returnUrl`. */
export type FlutterwaveReturnResult = "success" | "decline" | "return"
