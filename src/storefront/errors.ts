/**
 * Why a storefront call gave up. Each code is something a checkout can act on:
 * - `not_flutterwave`: the provider id or payment session is not this plugin's (ids start with `pp_flutterwave_`).
 * - `no_cart`: Medusa has no such cart. `cart_completed`: the cart is already an order; show it instead of paying.
 * - `no_session`: no such Flutterwave payment session (unknown id, or not on this cart).
 * - `already_paid`: the cart's Flutterwave payment is already paid; call `finishFlutterwavePayment` to get the order.
 * - `declined`: Flutterwave refused the payment before the shopper could pay (`declineCode` holds Gate's code).
 * - `cart_not_completed`: the payment succeeded but Medusa did not place the order (its reason is the message).
 * - `timeout`: no final answer within `timeoutMs`. `aborted`: the caller's `AbortSignal` fired.
 * - `request_failed`: Medusa refused a request (an HTTP 4xx other than 404). `unexpected_answer`: the store route
 *   answered something this kit does not know (plugin and kit versions differ?).
 * - `invalid_redirect`: the redirect is not an http(s) GET or POST. `no_window`: a browser-only helper ran without a
 *   `window`. `widget_not_loaded`: ECommPay's merchant.js is not on the page. `invalid_widget_params`: the signed
 *   widget parameters are missing or would not match their signature.
 */
export type FlutterwaveErrorCode =
  | "not_flutterwave"
  | "no_cart"
  | "cart_completed"
  | "no_session"
  | "already_paid"
  | "declined"
  | "cart_not_completed"
  | "timeout"
  | "aborted"
  | "request_failed"
  | "unexpected_answer"
  | "invalid_redirect"
  | "no_window"
  | "widget_not_loaded"
  | "invalid_widget_params"

/**
 * The one error type the storefront kit throws. Switch on `code` to decide what the shopper sees; `message` is
 * already readable (Gate's decline reason, Medusa's refusal, or what to fix in the page).
 */
export class FlutterwavePaymentError extends Error {
  override readonly name = "FlutterwavePaymentError"
  readonly code: FlutterwaveErrorCode
  /** The Flutterwave payment session concerned, when one is known (e.g. to call `finishFlutterwavePayment`). */
  readonly sessionId?: string
  /** Gate's decline code, for `declined`. */
  readonly declineCode?: string

  constructor(
    code: FlutterwaveErrorCode,
    message: string,
    details: { sessionId?: string; declineCode?: string; cause?: unknown } = {}
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    if (details.sessionId !== undefined) this.sessionId = details.sessionId
    if (details.declineCode !== undefined) this.declineCode = details.declineCode
  }
}

/** Whether `error` is a FlutterwavePaymentError, optionally with one of `codes`. */
export function isFlutterwavePaymentError(error: unknown, ...codes: FlutterwaveErrorCode[]): error is FlutterwavePaymentError {
  return error instanceof FlutterwavePaymentError && (codes.length === 0 || codes.includes(error.code))
}
