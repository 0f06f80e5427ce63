import type { FlutterwaveReturnResult } from "./types"

/** What the return URL says: the payment session to finish, and how the shopper left Flutterwave's page. */
export type FlutterwaveReturn = {
  sessionId: string
  /** `success`, `decline` or `return` (left the page); undefined if absent or unknown. Only a hint: the store decides. */
  result?: FlutterwaveReturnResult
}

const RESULTS: readonly FlutterwaveReturnResult[] = ["success", "decline", "return"]

/**
 * Flutterwave's own hosted page (a merchant's own Flutterwave account) sends the shopper back to one URL and adds
 * `status`: successful, failed or cancelled. Read as the same hint as ours, and never as the outcome: the store route
 * asks Flutterwave's API before anything is believed.
 */
const FLUTTERWAVE_STATUS_HINTS: Readonly<Record<string, FlutterwaveReturnResult>> = {
  successful: "success",
  completed: "success",
  failed: "decline",
  cancelled: "return",
}
const SESSION_ID = /^[A-Za-z0-9_-]{1,100}$/

/**
 * Reads the plugin's return parameters (`payment_session_id`, `flutterwave_result`) on your return page, from a full
 * or relative URL, or its query string. Answers null when the page was not reached back from Flutterwave (no
 * well-formed `payment_session_id`). Pass the answer to `finishFlutterwavePayment`.
 */
export function readFlutterwaveReturn(url: string | URL | URLSearchParams): FlutterwaveReturn | null {
  let query: URLSearchParams
  try {
    query = url instanceof URLSearchParams ? url : new URL(url, "http://return.invalid").searchParams
  } catch {
    return null
  }
  const sessionId = query.get("payment_session_id")
  if (!sessionId || !SESSION_ID.test(sessionId)) return null
  const status = query.get("status")
  const result = (query.has("tx_ref") && status ? FLUTTERWAVE_STATUS_HINTS[status] : undefined) ?? query.get("flutterwave_result")
  const known = RESULTS.find((r) => r === result)
  return known ? { sessionId, result: known } : { sessionId }
}
