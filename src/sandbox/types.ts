import type { GateSum } from "../rails/ecommpay/types"

export type SandboxOperationName = "sale" | "refund" | "payout" | "status"

/**
 * A scripted behaviour for the next matching request(s). Every field is optional; unscripted requests behave like a
 * healthy Gate (sales wait for the shopper on the redirect page; refunds and payouts succeed).
 */
export type SandboxScript = {
  /** Only requests for this payment_id. Omitted: the next request of `operation`, whatever its payment. */
  paymentId?: string
  /** Only this kind of request. Omitted: any. */
  operation?: SandboxOperationName
  /** How many matching requests the script serves before it is used up. Default 1. */
  times?: number

  /** Answer the synchronous request with this HTTP status (e.g. 500) instead of the normal answer. */
  httpStatus?: number
  /** Keep the synchronous answer back this long (longer than the client's timeout simulates a hang). */
  hangMs?: number
  /**
   * With httpStatus ≥ 500 or hangMs: whether Gate still creates the operation behind the failed answer. Default
   * true, the harder case for the merchant: it happened, but nobody was told.
   */
  process?: boolean
  /** Reject the request synchronously with this Gate code and message (HTTP 400). */
  rejectCode?: string
  rejectMessage?: string

  /** Outcome. Sales default to "manual" (the shopper decides on the redirect page). */
  outcome?: "success" | "decline" | "manual"
  /** Decline code (e.g. "3283", "3028", "3610", "20105") and message; defaults to the code's known meaning. */
  code?: string
  message?: string
  /** Leave the operation in processing: no result until the test settles it (or the limit time passes). */
  stall?: boolean

  /** Callback delivery for this operation's callbacks. */
  callback?: SandboxCallbackScript
}

export type SandboxCallbackScript = {
  /** Wait this long before the first attempt. */
  delayMs?: number
  /** Never send this operation's callbacks (status still reports the truth). */
  drop?: boolean
  /** Send each callback this many extra times. */
  duplicates?: number
  /** Hold this operation's first callback until the payment's next callback has been sent, then send it. */
  reorder?: boolean
  /** Deliver a copy with this change after signing (tampering: the signature no longer matches). */
  tamper?: (body: Record<string, unknown>) => void
  /** Deliver a copy modified *before* signing (valid signature, wrong content: amount, currency, project). */
  mutate?: (body: Record<string, unknown>) => void
}

/** How a refund made in ECommPay's dashboard turns out (see SandboxEngine.dashboardRefund). */
export type SandboxDashboardRefundOptions = {
  /** Default "success"; "stall" leaves it processing until settleOperation settles it. */
  outcome?: "success" | "decline" | "stall"
  /** Decline code and message; default 3610 with the code's known meaning. */
  code?: string
  message?: string
  /** Delivery of its callback, which goes to the payment's callback URL. */
  callback?: SandboxCallbackScript
}

export type SandboxOperation = {
  id: number
  type: "sale" | "refund" | "payout"
  status: string
  requestId: string
  createdDate: string
  date: string
  sumInitial: GateSum
  code?: string
  message?: string
  merchantRefundId?: string
  providerPaymentId: string
}

export type SandboxPayment = {
  id: string
  type: "purchase" | "payout"
  /**
   * How the payment reached Gate: a Gate request, or the shopper opening a signed Payment Page URL (no
   * "awaiting redirect result" step then: the page handles the redirect itself).
   */
  channel: "gate" | "payment_page"
  /** The Payment Page parameters the payment was opened with, signature redacted; Payment Page payments only. */
  pageParams?: Record<string, string>
  status: string
  date: string
  description: string
  /** The current amount: after a partial refund, what remains. */
  sum: GateSum
  initialSum: GateSum
  customer: { id: string; ip_address?: string; email?: string }
  account?: { number: string; bank_id: string }
  returnUrl?: { success?: string; decline?: string; return?: string }
  callbackUrl?: string
  redirectData?: { method: "GET"; url: string; body: Record<string, unknown> }
  operations: SandboxOperation[]
  errors: Array<{ code: string; message: string; description?: string }>
}

export type SandboxRequestRecord = {
  at: string
  operation: SandboxOperationName
  paymentId?: string
  httpStatus: number
  code?: string
  /** Whether the request created an operation (false for rejections and unprocessed faults). */
  processed: boolean
  body: Record<string, unknown>
}

export type SandboxDeliveryRecord = {
  at: string
  paymentId: string
  operationId?: number
  operationType?: string
  paymentStatus: string
  url: string
  attempt: number
  httpStatus?: number
  error?: string
  body: string
}

/** One request for the Payment Page (`/payment`), valid or not. */
export type SandboxPageOpeningRecord = {
  at: string
  paymentId?: string
  /** 200 when the page was shown, else the error page's status. */
  httpStatus: number
  /** The error's Gate-style code; undefined when the page was shown. */
  code?: string
  message?: string
  /** Whether this opening created the payment (false for rejections and for reopening the same URL). */
  created: boolean
  /** The query parameters as received (the last value of a repeated one), signature redacted. */
  params: Record<string, string>
}
