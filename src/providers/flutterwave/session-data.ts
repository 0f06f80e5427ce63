import { MedusaError } from "@medusajs/framework/utils"
import { isSupportedCurrency, type GateCurrency } from "../../rails/ecommpay"

/**
 * What a Flutterwave payment session (and then payment) keeps in Medusa's `data`. The storefront can read it, so it
 * holds public facts only: no secret, no signature, no personal data beyond what the shopper already has.
 */
export type FlutterwaveSessionData = {
  session_id: string
  /** Our payment_id at Gate: the session id, so a webhook maps straight back to the session. */
  gate_payment_id: string
  amount_minor: number
  currency: GateCurrency
  gate_request_id?: string
  /** Last payment status Gate reported. */
  gate_status?: string
  gate_operation_id?: string
  /** Store API route the storefront polls for the Flutterwave redirect (method, url, form fields). */
  redirect_status_url: string
  /**
   * How this payment is paid: a signed Payment Page URL (default), a Gate sale, or a Flutterwave Standard hosted link
   * (the merchant's own Flutterwave account). Absent in older sessions: Gate.
   */
  checkout?: "payment_page" | "gate" | "hosted_link"
  /** Payment Page and hosted-link modes: the page to send the shopper to (GET); holds no secret. */
  redirect_url?: string
  /**
   * Payment Page mode: the same signed parameters for ECommPay's `EPayWidget.run`, for stores that embed the page in
   * an iframe or a popup (`frame_mode` is not signed, so the storefront picks it).
   */
  widget_params?: Record<string, string | number | boolean>
  /**
   * Medusa stores `{...storefront data, ...ours}`: the shopper's email and IP address, which the storefront sends for
   * Flutterwave's risk checks, are blanked here so they are not kept in the session (and shown by the cart API).
   */
  email?: null
  ip_address?: null
  /** After Gate declined the sale: its code and the readable reason (authorizePayment answers Medusa's error status). */
  decline_code?: string | null
  decline_message?: string
  /** When Medusa cancelled the payment after it was paid: the key of the full refund sent for it. */
  cancel_refund_key?: string
}

export function redirectStatusUrl(sessionId: string): string {
  return `/store/flutterwave/payment-sessions/${encodeURIComponent(sessionId)}`
}

/** Reads our fields back from Medusa's `data`, refusing data that was not made by this provider. */
export function readSessionData(data: Record<string, unknown> | undefined): FlutterwaveSessionData {
  const d = data ?? {}
  const gatePaymentId = d.gate_payment_id
  const amount = d.amount_minor
  const currency = d.currency
  if (
    typeof gatePaymentId !== "string" ||
    typeof amount !== "number" ||
    !Number.isSafeInteger(amount) ||
    typeof currency !== "string" ||
    !isSupportedCurrency(currency)
  ) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "Flutterwave: this payment has no Flutterwave data (gate_payment_id, amount_minor, currency); it was not created by this provider"
    )
  }
  return d as unknown as FlutterwaveSessionData
}
