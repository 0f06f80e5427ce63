/**
 * Storefront kit for medusa-payment-flutterwave: framework-free helpers for a browser (or a storefront's server) that
 * take a Medusa cart to Flutterwave's page and back to an order. It talks to Medusa only through your JS SDK instance
 * and imports no server code.
 *
 *   import { startFlutterwavePayment, goToFlutterwave } from "medusa-payment-flutterwave/storefront"
 */
export { FlutterwavePaymentError, isFlutterwavePaymentError, type FlutterwaveErrorCode } from "./errors"
export { FLUTTERWAVE_PROVIDER_ID, FLUTTERWAVE_PROVIDER_PREFIX, isFlutterwave } from "./provider"
export type {
  FlutterwaveHeaders,
  FlutterwaveRedirect,
  FlutterwaveReturnResult,
  FlutterwaveSdk,
  FlutterwaveSessionAnswer,
  FlutterwaveWidgetParams,
} from "./types"
export { fetchFlutterwaveSession, type FetchFlutterwaveSessionOptions } from "./session"
export { startFlutterwavePayment, type FlutterwavePaymentStart, type StartFlutterwavePaymentOptions } from "./start"
export { finishFlutterwavePayment, type FinishFlutterwavePaymentOptions, type FlutterwavePaymentOutcome } from "./finish"
export { readFlutterwaveReturn, type FlutterwaveReturn } from "./return-url"
export {
  ECOMMPAY_MERCHANT_CSS_URL,
  ECOMMPAY_MERCHANT_JS_URL,
  goToFlutterwave,
  openFlutterwaveWidget,
  type EPayWidgetCallbacks,
  type EPayWidgetLike,
  type FlutterwaveFormLike,
  type FlutterwaveFrameMode,
  type FlutterwaveInputLike,
  type FlutterwaveWindowLike,
  type OpenFlutterwaveWidgetOptions,
} from "./browser"
