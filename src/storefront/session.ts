import { FlutterwavePaymentError } from "./errors"
import type { FlutterwaveHeaders, FlutterwaveRedirect, FlutterwaveSdk, FlutterwaveSessionAnswer, FlutterwaveWidgetParams } from "./types"

/** Medusa's ids, as the store route accepts them. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,100}$/

/** Asks `GET /store/flutterwave/payment-sessions/:id` once; see `fetchFlutterwaveSession`. */
export type FetchFlutterwaveSessionOptions = {
  sdk: FlutterwaveSdk
  sessionId: string
  headers?: FlutterwaveHeaders
  signal?: AbortSignal
}

/**
 * Asks the plugin's store route once where a Flutterwave payment stands: `redirect` (send the shopper there),
 * `pending` (ask again after `retry_after_ms`), `succeeded` or `declined`. `startFlutterwavePayment` and
 * `finishFlutterwavePayment` poll it for you; use this for a custom status display.
 * Throws a `FlutterwavePaymentError`: `no_session` (the plugin knows no such Flutterwave session), `aborted`,
 * `request_failed` (network failure or Medusa's refusal), `unexpected_answer`.
 */
export async function fetchFlutterwaveSession(options: FetchFlutterwaveSessionOptions): Promise<FlutterwaveSessionAnswer> {
  try {
    return await askSession(options)
  } catch (error) {
    if (options.signal?.aborted) {
      throw new FlutterwavePaymentError("aborted", "Stopped asking about the Flutterwave payment: the page aborted it", { sessionId: options.sessionId, cause: error })
    }
    throw refusal(error, options.sessionId)
  }
}

/** fetchFlutterwaveSession without the error mapping: the polling loops tell passing failures from answers. */
export async function askSession(options: FetchFlutterwaveSessionOptions): Promise<FlutterwaveSessionAnswer> {
  const { sdk, sessionId, headers, signal } = options
  requireSessionId(sessionId)
  let raw: unknown
  try {
    raw = await sdk.client.fetch<unknown>(statusUrl(sessionId), { method: "GET", headers, signal })
  } catch (error) {
    if (httpStatusOf(error) === 404) {
      throw new FlutterwavePaymentError("no_session", `There is no Flutterwave payment session ${sessionId}`, { sessionId, cause: error })
    }
    throw error
  }
  return parseSessionAnswer(raw, sessionId)
}

export function statusUrl(sessionId: string): string {
  return `/store/flutterwave/payment-sessions/${encodeURIComponent(sessionId)}`
}

export function requireSessionId(sessionId: unknown): asserts sessionId is string {
  if (typeof sessionId !== "string" || !SESSION_ID.test(sessionId)) {
    throw new FlutterwavePaymentError("no_session", "No Flutterwave payment session id was given (payment_session_id is missing or malformed)")
  }
}

/** Checks the store route's answer; anything else is `unexpected_answer`, never guessed at. */
export function parseSessionAnswer(raw: unknown, sessionId: string): FlutterwaveSessionAnswer {
  const answer = isRecord(raw) ? raw : {}
  switch (answer.status) {
    case "redirect":
      return { status: "redirect", redirect: toRedirect(answer.redirect, sessionId) }
    case "pending": {
      const wait = answer.retry_after_ms
      return { status: "pending", retry_after_ms: typeof wait === "number" && Number.isFinite(wait) && wait >= 0 ? wait : 1000 }
    }
    case "succeeded":
      return { status: "succeeded" }
    case "declined":
      return {
        status: "declined",
        message: typeof answer.message === "string" && answer.message !== "" ? answer.message : "Flutterwave declined the payment",
        ...(typeof answer.code === "string" && answer.code !== "" ? { code: answer.code } : {}),
      }
    default:
      throw new FlutterwavePaymentError(
        "unexpected_answer",
        `The store answered an unknown status for Flutterwave payment ${sessionId}: ${JSON.stringify(answer.status) ?? "none"}`,
        { sessionId }
      )
  }
}

/** The redirect as the store route (or a Payment Page session's `redirect_url`) gives it, checked and normalised. */
export function toRedirect(raw: unknown, sessionId?: string): FlutterwaveRedirect {
  const redirect = isRecord(raw) ? raw : {}
  const method = typeof redirect.method === "string" ? redirect.method.toUpperCase() : "GET"
  const url = typeof redirect.url === "string" ? redirect.url : ""
  if ((method !== "GET" && method !== "POST") || !isWebUrl(url)) {
    throw new FlutterwavePaymentError(
      "invalid_redirect",
      `Flutterwave's redirect is not an http(s) GET or POST (${method} ${url.slice(0, 60) || "no url"})`,
      sessionId === undefined ? {} : { sessionId }
    )
  }
  const body: Record<string, string> = {}
  if (isRecord(redirect.body)) {
    for (const [name, value] of Object.entries(redirect.body)) {
      if (value === undefined) continue
      body[name] = value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value)
    }
  }
  return { method, url, body }
}

/** Payment Page mode: the signed page is in the session data from the start. */
export function pageRedirectOf(data: Record<string, unknown> | undefined): FlutterwaveRedirect | undefined {
  const url = data?.redirect_url
  return typeof url === "string" && isWebUrl(url) ? { method: "GET", url, body: {} } : undefined
}

/** The session's signed EPayWidget parameters, if it carries a usable set. */
export function widgetParamsOf(data: Record<string, unknown> | undefined): FlutterwaveWidgetParams | undefined {
  const params = data?.widget_params
  if (!isRecord(params) || typeof params.signature !== "string" || params.signature === "") return undefined
  const out: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[key] = value
    else return undefined // a nested or null value cannot be what was signed: better no widget than a broken one
  }
  return out
}

export function isWebUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === "https:" || parsed.protocol === "http:"
  } catch {
    return false
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

/** The HTTP status of a Medusa JS SDK `FetchError` (read structurally: the kit imports no Medusa code). */
export function httpStatusOf(error: unknown): number | undefined {
  return isRecord(error) && typeof error.status === "number" ? error.status : undefined
}

/** A failure worth asking again about: a network error, a 5xx, 408 or 429. A 4xx is an answer, not a hiccup. */
export function isPassing(error: unknown): boolean {
  if (error instanceof FlutterwavePaymentError) return false
  const status = httpStatusOf(error)
  if (status === undefined) return error instanceof Error && error.name === "TypeError" // fetch's network failure
  return status >= 500 || status === 408 || status === 429
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Any failure of a Medusa request as the kit's error: Medusa's own message for a refusal (e.g. "add an email to the
 * cart"), or "could not reach the store" for a network failure or a 5xx.
 */
export function refusal(error: unknown, sessionId?: string): FlutterwavePaymentError {
  if (error instanceof FlutterwavePaymentError) return error
  const status = httpStatusOf(error)
  const details = { cause: error, ...(sessionId === undefined ? {} : { sessionId }) }
  if (status !== undefined && status >= 400 && status < 500) {
    const message = error instanceof Error && error.message ? error.message : `The store refused the request (HTTP ${status})`
    return new FlutterwavePaymentError("request_failed", message, details)
  }
  return new FlutterwavePaymentError("request_failed", `The store could not be reached: ${messageOf(error)}; please try again`, details)
}
