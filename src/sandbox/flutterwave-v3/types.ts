/**
 * The records and scripts of the local Flutterwave v3 sandbox (docs/flutterwave-v3-wire.md is the contract).
 *
 * Every amount here is an integer in the currency's minor unit (150050 for 1500.50 NGN, as `src/money` defines it);
 * only the JSON on the wire carries Flutterwave's major-unit numbers, converted at the HTTP edge.
 */

export type FlutterwaveV3SandboxOptions = {
  /** The only Bearer key the API accepts (FLWSECK_TEST-…). */
  secretKey: string
  /** Sent verbatim as the `verif-hash` header on every webhook (the hash typed in the dashboard). */
  secretHash: string
  /** Where webhooks go; none = not sent (still recorded in `undelivered`). */
  webhookUrl?: string
  /** Pauses between webhook attempts after a non-200 answer. Default [1_800_000, 1_800_000, 1_800_000]. */
  webhookRetryDelaysMs?: number[]
  /** An attempt with no answer after this long counts as failed. Default 60_000. */
  webhookTimeoutMs?: number
  /** Also send `flutterwave-signature: base64(HMAC-SHA256(secretHash, rawBody))`. Default false. */
  signWebhooks?: boolean
  /** Whether the account may refund (Flutterwave enables refunds per account). Default true. */
  refundsEnabled?: boolean
  /** A refund is created "pending" and settles this long after. Default 50. */
  refundSettleMs?: number
  /** A transfer is created "NEW" and settles (SUCCESSFUL or FAILED, then its webhook) this long after. Default 50. */
  transferSettleMs?: number
  /** Every API answer is held back this long, as a distant API's round trip (not pages or control routes). */
  latencyMs?: number
  /**
   * The merchant's balance per currency in minor units, for transfers ("Insufficient balance"). Unlisted currencies
   * have plenty. Successful charges add to a listed balance; transfers take from it (given back when one fails).
   */
  balances?: Record<string, number>
  /** 0 picks a free port. */
  port?: number
  /** Loopback unless told otherwise: the sandbox is for this machine only. */
  host?: string
  /** Largest request body accepted (413 beyond it). Default 1 MiB. */
  maxBodyBytes?: number
}

/**
 * A webhook body as the sandbox builds it: `event` (charge.completed, transfer.completed, test_assess) and `data`;
 * typed this far so a mutate script can write `body.data.amount = 1` without casts.
 */
export type SandboxV3WebhookBody = { event: string; data: Record<string, unknown>; [field: string]: unknown }

/** How one operation's webhook(s) are delivered. */
export type FlutterwaveV3WebhookScript = {
  /** Never send (the API still tells the truth). */
  drop?: boolean
  /** Send each webhook this many extra times (separate, byte-identical deliveries, each with its own retries). */
  duplicates?: number
  /** Wait this long before the first attempt. */
  delayMs?: number
  /** The body lies (e.g. data.amount changed); `verif-hash` (and the HMAC, computed over what is sent) still right. */
  mutate?: (body: SandboxV3WebhookBody) => void
}

export type FlutterwaveV3Operation =
  | "payments"
  | "verify"
  | "refund"
  | "refund_status"
  | "transfer"
  | "transfer_status"
  | "banks"

/**
 * A scripted behaviour for the next matching API request(s). Unscripted requests behave like a healthy Flutterwave.
 */
export type FlutterwaveV3Script = {
  operation: FlutterwaveV3Operation
  /**
   * Only requests about this: the tx_ref for payments, verify (by reference or by id), refund and refund_status
   * (the refunded transaction's tx_ref); the transfer reference for transfer and transfer_status; the country for
   * banks. Omitted: any request of `operation`.
   */
  reference?: string
  /** How many matching requests the script serves before it is used up. Default 1. */
  times?: number
  /** Answer with this HTTP status instead (5xx: a server fault; 4xx: a refusal, never processed). */
  httpStatus?: number
  /** Hold the answer back this long (longer than the client's timeout rehearses a hang). */
  hangMs?: number
  /**
   * With httpStatus ≥ 500 or hangMs: whether the work behind the failed answer still happens. Default true, the
   * harder case: it happened, but nobody was told.
   */
  process?: boolean
  /**
   * How a refund this request creates settles: "pending" (the default: pending, then completed after
   * refundSettleMs), "completed" (answered completed at once), "failed" (pending, then failed after refundSettleMs),
   * "stall" (pending until settleRefund).
   */
  refund?: "pending" | "completed" | "failed" | "stall"
  /** How a transfer this request creates settles; default by its reference's test suffix, else success. */
  transfer?: "success" | "fail" | "stall"
  /** Delivery of the webhooks of what this request creates (a payments script: the link's charge webhooks). */
  webhook?: FlutterwaveV3WebhookScript
}

/** A Standard hosted link (`POST /v3/payments`). Several links may share a tx_ref: they are one payment. */
export type SandboxV3Link = {
  id: number
  /** The URL the API answered: `<base>/v3/hosted/pay/flwlnk-<id>`. */
  link: string
  txRef: string
  /** Minor units. */
  amount: number
  currency: string
  redirectUrl: string
  email: string
  name: string
  phoneNumber?: string
  title?: string
  description?: string
  meta: Record<string, unknown>
  /** Whether the request carried a payload_hash (it was right, or the link would not exist). */
  payloadHashChecked: boolean
  createdAt: string
  /** Delivery of this link's charge webhooks (from a payments script). */
  webhook?: FlutterwaveV3WebhookScript
}

/** A charge attempt on a hosted page; what verify answers. */
export type SandboxV3Transaction = {
  id: number
  txRef: string
  flwRef: string
  /** Minor units charged. */
  amount: number
  currency: string
  status: "successful" | "failed" | "pending"
  /** Minor units refunded or being refunded (refunds not failed): what is no longer refundable. */
  refunded: number
  /** Flutterwave's fee, minor units (1.4 %, the merchant bears it). */
  appFee: number
  processorResponse: string
  paymentType: "card"
  createdAt: string
  customer: { id: number; email: string; name: string; phoneNumber: string | null }
  meta: Record<string, unknown>
  /** The hosted link it was paid on. */
  linkId: number
}

export type SandboxV3Refund = {
  id: number
  /** The refunded transaction's id and tx_ref. */
  txId: number
  txRef: string
  /** URF_… */
  flwRef: string
  /** Minor units. */
  amount: number
  currency: string
  status: "pending" | "completed" | "failed"
  comments: string
  createdAt: string
}

export type SandboxV3Transfer = {
  id: number
  reference: string
  bankCode: string
  bankName: string
  accountNumber: string
  fullName: string
  /** Minor units. */
  amount: number
  /** Flutterwave's fee, minor units. */
  fee: number
  currency: string
  debitCurrency: string
  narration: string
  status: "NEW" | "PENDING" | "SUCCESSFUL" | "FAILED"
  completeMessage: string
  /** Where its webhook goes when the request named one (else the account's webhook URL). */
  callbackUrl?: string
  meta: Record<string, unknown> | null
  createdAt: string
}

/** One webhook attempt: the raw body and headers sent, the merchant's HTTP status (0: no answer). */
export type SandboxV3Delivery = {
  body: string
  headers: Record<string, string>
  status: number
  /** Date.now() when the attempt ended. */
  at: number
  url: string
  /** 1 for the first attempt, 2… for retries. */
  attempt: number
  /** The body's `event` (charge.completed, transfer.completed, test_assess). */
  event: string
}

/** A webhook that was never attempted: no webhook URL set, or a script dropped it. */
export type SandboxV3Undelivered = {
  body: string
  headers: Record<string, string>
  reason: "no webhook url" | "dropped"
  at: number
  event: string
}

/** One API request as the sandbox answered it. */
export type SandboxV3Request = {
  at: string
  method: string
  path: string
  operation: FlutterwaveV3Operation | "unknown"
  reference?: string
  httpStatus: number
  /** Whether the request did its work (false for refusals, 401s and unprocessed faults). */
  processed: boolean
}

/** Flutterwave's JSON envelope. */
export type FlutterwaveEnvelope = { status: "success" | "error"; message: string; data: unknown; meta?: unknown }

/** What the engine answers an API request with; the server adds latency and writes it. */
export type SandboxV3Answer = { httpStatus: number; body: FlutterwaveEnvelope; hangMs?: number }
