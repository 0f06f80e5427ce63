import { buildSigningString, formatSignedScalar, hmacSha512Base64, signaturesMatch } from "./signature"

/**
 * ECommPay's Payment Page: the hosted checkout opened from a signed URL (or by merchant.js's EPayWidget with the same
 * signed parameters). It needs no PCI DSS certificate, unlike a Gate sale for Flutterwave (shared/docs/payment-page.md
 * §5). Its outcome reaches us as ordinary Gate callbacks (§4), so callback.ts handles it unchanged.
 *
 * The signature is Gate's (signature.ts) applied to flat query parameters: `key:value` for every parameter but
 * `signature` and `frame_mode`, sorted by key in byte order, joined with `;`, then base64(HMAC-SHA512). The
 * documented keys are lowercase letters and `_`, on which byte order, the PHP SDK's natural order (ksort
 * SORT_NATURAL) and the JS SDK's UTF-16 order agree; they part only on digit runs and non-ASCII keys.
 */

/** Production Payment Page host; the sandbox serves the same `/payment` path on its own base URL. */
export const PAYMENT_PAGE_URL = "https://paymentpage.ecommpay.com"

/** A Payment Page parameter value. `undefined` means "not given": it is neither signed nor sent. */
export type PaymentPageValue = string | number | boolean | null | undefined

/** Any flat Payment Page parameter set, as signed and verified (also the SDKs' and docs' examples). */
export type PaymentPageParamSet = { [key: string]: PaymentPageValue }

/**
 * The parameters of a Flutterwave purchase on the Payment Page (payment-page.md §2; ECommPay's names, snake_case).
 * Any other documented parameter may be added through the index signature.
 */
export type PaymentPageParams = {
  project_id: number
  /** Unique per project; the payment's id at Gate once the shopper has opened the page. */
  payment_id: string
  /** In minor units of the currency (kobo for NGN). */
  payment_amount: number
  /** ISO 4217 alpha-3. */
  payment_currency: string
  customer_id: string
  payment_description: string
  customer_email: string
  /** Opens the page on the Flutterwave method instead of the method list. */
  force_payment_method: "flutterwave"
  /** ISO 639-1. */
  language_code?: string
  /** Where the page's "back to the shop" link leads after a successful / failed payment. */
  merchant_success_url?: string
  merchant_fail_url?: string
  /** Where the page sends the shopper by itself after a successful / failed payment. */
  redirect_success_url?: string
  redirect_fail_url?: string
  /** e.g. "parent_page" to redirect the page that embeds the widget rather than the iframe. */
  redirect_success_mode?: string
  redirect_fail_mode?: string
  /** Overrides the project's callback URL for this payment. */
  merchant_callback_url?: string
  customer_first_name?: string
  customer_last_name?: string
  /** 4–24 digits. */
  customer_phone?: string
  /** ISO 8601: until when the page accepts the URL. */
  best_before?: string
  [key: string]: PaymentPageValue
}

export type PaymentPageUrlOptions = {
  /** Payment Page host without a trailing path; default PAYMENT_PAGE_URL. */
  baseUrl?: string
  secretKey: string
}

export type PaymentPageUrl = {
  /** `${baseUrl}/payment?<params>&signature=<signature>`, ready for a redirect or a new tab. */
  url: string
  /**
   * The same signed parameters plus `signature`, as EPayWidget.run / bind take them. The storefront may add
   * `frame_mode` (never signed); changing anything else breaks the signature.
   */
  widgetParams: Record<string, string | number | boolean>
}

/** The `key:value;…` string that is signed, for tests and for comparing with ECommPay's pre-flight check. */
export function paymentPageStringToSign(params: PaymentPageParamSet): string {
  assertFlat(params)
  // Gate's flattening, applied to a flat object, is exactly the Payment Page recipe (same exclusions, same scalar
  // formatting, byte order, undefined left out); one implementation keeps the two from drifting apart.
  return buildSigningString(params)
}

export function signPaymentPageParams(params: PaymentPageParamSet, secretKey: string): string {
  if (!secretKey) throw new TypeError("signPaymentPageParams: the project secret key is empty")
  return hmacSha512Base64(paymentPageStringToSign(params), secretKey)
}

/**
 * Signs the parameters and builds the Payment Page URL. Each value is sent as it was signed (booleans as 1/0, null
 * as an empty value, numbers in plain decimal), so the page recomputes the same string from the query.
 */
export function buildPaymentPageUrl(options: PaymentPageUrlOptions, params: PaymentPageParams): PaymentPageUrl {
  requirePositiveInteger(params, "project_id")
  // A major-unit amount (1000.50) would be a 100× mistake on the shopper's bill; refuse it before it is signed.
  requirePositiveInteger(params, "payment_amount")
  const signature = signPaymentPageParams(params, options.secretKey)
  const query: string[] = []
  const widgetParams: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(params)) {
    // A signature already in the set is stale: it is replaced by the one just computed.
    if (value === undefined || key === "signature") continue
    query.push(`${encodeURIComponent(key)}=${encodeURIComponent(formatSignedScalar(value))}`)
    widgetParams[key] = value === null ? "" : value
  }
  widgetParams.signature = signature
  const baseUrl = (options.baseUrl ?? PAYMENT_PAGE_URL).replace(/\/+$/, "")
  return { url: `${baseUrl}/payment?${query.join("&")}&signature=${encodeURIComponent(signature)}`, widgetParams }
}

/**
 * Whether a Payment Page query carries a valid signature for `secretKey` (constant-time). The values must already be
 * URL-decoded, as URLSearchParams gives them, so `+` and `%20` for a space verify alike. A parameter given twice
 * is refused: which of its values was signed cannot be known.
 */
export function verifyPaymentPageQuery(query: URLSearchParams | Record<string, string>, secretKey: string): boolean {
  if (!secretKey) return false
  const params = query instanceof URLSearchParams ? paymentPageQueryParams(query) : { ...query }
  if (!params) return false
  const given = params.signature
  if (typeof given !== "string" || given === "") return false
  return signaturesMatch(given, signPaymentPageParams(params, secretKey))
}

/**
 * The query as a record, or undefined when a parameter repeats: which of its values was signed cannot be known, so
 * such a URL is refused rather than read one way here and another at ECommPay.
 */
export function paymentPageQueryParams(query: URLSearchParams): Record<string, string> | undefined {
  // No prototype, so a `__proto__` parameter is an ordinary (signed) key rather than silently dropped.
  const params = Object.create(null) as Record<string, string>
  for (const [key, value] of query) {
    if (Object.hasOwn(params, key)) return undefined
    params[key] = value
  }
  return params
}

/** Query parameters are flat: a nested value would be flattened into `a:b:value`, which no page would recompute. */
function assertFlat(params: object): void {
  for (const [key, value] of Object.entries(params)) {
    const kind = typeof value
    if (value === null || value === undefined || kind === "string" || kind === "number" || kind === "boolean") continue
    throw new TypeError(`Payment Page parameter "${key}" must be a string, number, boolean or null, not ${kind}`)
  }
}

function requirePositiveInteger(params: PaymentPageParams, key: "project_id" | "payment_amount"): void {
  const value = params[key]
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`Payment Page parameter "${key}" must be a positive integer, not ${String(value)}`)
  }
}
