import type { HttpTypes } from "@medusajs/types"
import { FlutterwavePaymentError } from "./errors"
import { FLUTTERWAVE_PROVIDER_ID, FLUTTERWAVE_PROVIDER_PREFIX, isFlutterwave } from "./provider"
import { askSession, httpStatusOf, isPassing, isRecord, pageRedirectOf, refusal, widgetParamsOf } from "./session"
import type { FlutterwaveHeaders, FlutterwaveRedirect, FlutterwaveSdk, FlutterwaveWidgetParams } from "./types"
import { Waiting } from "./waiting"

/** Options of `startFlutterwavePayment`. */
export type StartFlutterwavePaymentOptions = {
  /** Your Medusa JS SDK instance. */
  sdk: FlutterwaveSdk
  cartId: string
  /**
   * Sent with a new payment session only (`initiatePaymentSession`'s `data`), e.g. `{ email, ip_address }` when the
   * storefront knows them better than the cart and the request do.
   */
  data?: Record<string, unknown>
  /** Default `pp_flutterwave_flutterwave`; another `pp_flutterwave_<id>` if you registered the provider under another id. */
  providerId?: string
  /** How long to wait for Flutterwave's page address, in ms. Default 30000. */
  timeoutMs?: number
  /** Stops waiting (e.g. when the shopper leaves the page): the call throws `aborted`. */
  signal?: AbortSignal
  /** Headers for every Medusa request, e.g. a customer's authorization when this runs on your server. */
  headers?: FlutterwaveHeaders
}

/** Where to send the shopper, and the payment session that will hear how it went. */
export type FlutterwavePaymentStart = {
  /** The Medusa payment session id; the return URL carries it back as `payment_session_id`. */
  sessionId: string
  /** Pass to `goToFlutterwave`. */
  redirect: FlutterwaveRedirect
  /** Payment Page mode only: pass to `openFlutterwaveWidget` to embed the page instead of leaving the store. */
  widgetParams?: FlutterwaveWidgetParams
}

/** A session is reused only if its signed page stays valid at least this long (Payment Page mode's `best_before`). */
const PAGE_VALID_MARGIN_MS = 60_000
/** After a network failure or a 5xx, ask again after this long. */
const RETRY_AFTER_PROBLEM_MS = 2_000

/**
 * Call when the shopper clicks "Pay with Flutterwave". Makes sure the cart has a payment collection and a pending
 * Flutterwave payment session, reusing the one it has when its amount still matches the cart total (so a second click
 * or a reload opens the same payment, never a second one), then waits until the plugin knows where to send the
 * shopper. Resolves with the session id and the redirect: pass it to `goToFlutterwave` (or the `widgetParams` to
 * `openFlutterwaveWidget`).
 *
 * Throws a `FlutterwavePaymentError`: `already_paid` (the reused session is paid: call `finishFlutterwavePayment`),
 * `declined`, `cart_completed`, `no_cart`, `not_flutterwave`, `timeout`, `aborted`, or `request_failed` with Medusa's
 * reason (e.g. the cart has no email yet, or the amount is outside Flutterwave's limits).
 */
export async function startFlutterwavePayment(options: StartFlutterwavePaymentOptions): Promise<FlutterwavePaymentStart> {
  const { sdk, cartId, headers, signal } = options
  const providerId = options.providerId ?? FLUTTERWAVE_PROVIDER_ID
  if (!isFlutterwave(providerId)) {
    throw new FlutterwavePaymentError("not_flutterwave", `"${providerId}" is not a Flutterwave provider id (those start with "${FLUTTERWAVE_PROVIDER_PREFIX}")`)
  }
  let session: HttpTypes.StorePaymentSession | undefined
  const waiting = new Waiting(options.timeoutMs ?? 30_000, "Flutterwave's payment page", signal, () => session?.id)

  const cart = await retrieveCart(sdk, cartId, headers, waiting)
  if (cart.completed_at) {
    throw new FlutterwavePaymentError("cart_completed", "This cart has already been ordered; there is nothing left to pay")
  }
  session = reusableSession(cart, providerId)
  let reused = session !== undefined
  if (!session) session = await createSession(sdk, cart, providerId, options.data, headers, waiting)

  for (;;) {
    const current: HttpTypes.StorePaymentSession = session
    let answer
    try {
      answer = await waiting.run((s) => askSession({ sdk, sessionId: current.id, headers, signal: s }))
      waiting.lastProblem = undefined
    } catch (error) {
      if (!isPassing(error)) throw refusal(error, current.id)
      waiting.lastProblem = error
      await waiting.pause(RETRY_AFTER_PROBLEM_MS)
      continue
    }
    switch (answer.status) {
      case "redirect":
        return started(current, answer.redirect)
      case "pending": {
        // Payment Page mode: the signed page is known at once, even from a store route that does not say so.
        const page = pageRedirectOf(current.data)
        if (page) return started(current, page)
        await waiting.pause(answer.retry_after_ms)
        continue
      }
      case "succeeded":
        throw new FlutterwavePaymentError(
          "already_paid",
          "This cart's Flutterwave payment is already paid; finish the order instead of paying again",
          { sessionId: current.id }
        )
      case "declined":
        if (reused) {
          // The kept session's payment ended (declined or expired at Gate): a new session is a new payment.
          reused = false
          session = await createSession(sdk, cart, providerId, options.data, headers, waiting)
          continue
        }
        throw new FlutterwavePaymentError("declined", answer.message, { sessionId: current.id, declineCode: answer.code })
    }
  }
}

function started(session: HttpTypes.StorePaymentSession, redirect: FlutterwaveRedirect): FlutterwavePaymentStart {
  const widgetParams = widgetParamsOf(session.data)
  return { sessionId: session.id, redirect, ...(widgetParams ? { widgetParams } : {}) }
}

async function retrieveCart(sdk: FlutterwaveSdk, cartId: string, headers: FlutterwaveHeaders | undefined, waiting: Waiting): Promise<HttpTypes.StoreCart> {
  if (typeof cartId !== "string" || cartId === "") throw new FlutterwavePaymentError("no_cart", "No cart id was given")
  try {
    return (await waiting.run(() => sdk.store.cart.retrieve(cartId, undefined, headers))).cart
  } catch (error) {
    if (httpStatusOf(error) === 404) throw new FlutterwavePaymentError("no_cart", `There is no cart ${cartId}`, { cause: error })
    throw refusal(error)
  }
}

/** The cart's pending Flutterwave session for exactly the cart's total, if it has one worth reusing. */
function reusableSession(cart: HttpTypes.StoreCart, providerId: string): HttpTypes.StorePaymentSession | undefined {
  return cart.payment_collection?.payment_sessions?.find(
    (session) =>
      session.provider_id === providerId &&
      session.status === "pending" &&
      Number(session.amount) === Number(cart.total) &&
      session.currency_code?.toLowerCase() === cart.currency_code?.toLowerCase() &&
      !pageExpiresSoon(session.data)
  )
}

function pageExpiresSoon(data: Record<string, unknown> | undefined): boolean {
  const widget = data?.widget_params
  const bestBefore = isRecord(widget) ? widget.best_before : undefined
  if (typeof bestBefore !== "string") return false
  const until = Date.parse(bestBefore)
  return Number.isNaN(until) || until - Date.now() < PAGE_VALID_MARGIN_MS
}

async function createSession(
  sdk: FlutterwaveSdk,
  cart: HttpTypes.StoreCart,
  providerId: string,
  data: Record<string, unknown> | undefined,
  headers: FlutterwaveHeaders | undefined,
  waiting: Waiting
): Promise<HttpTypes.StorePaymentSession> {
  let collection
  try {
    // Not retried on a network failure: the session may have been created, and the next click reuses it.
    collection = (
      await waiting.run(() => sdk.store.payment.initiatePaymentSession(cart, { provider_id: providerId, ...(data ? { data } : {}) }, undefined, headers))
    ).payment_collection
  } catch (error) {
    throw refusal(error)
  }
  const session = collection.payment_sessions?.find((s) => s.provider_id === providerId)
  if (!session) {
    throw new FlutterwavePaymentError("no_session", `Medusa created no ${providerId} payment session for cart ${cart.id}; is the provider enabled in the cart's region?`)
  }
  return session
}


