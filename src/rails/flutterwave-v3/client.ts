import { payloadHash } from "./checksum"
import {
  FlutterwaveV3AuthError,
  FlutterwaveV3RejectedError,
  FlutterwaveV3UnknownOutcomeError,
  FlutterwaveV3UnreachableError,
} from "./errors"
import {
  isRecord,
  MalformedAnswerError,
  readBank,
  readHostedLink,
  readList,
  readRefund,
  readTransaction,
  readTransfer,
  type V3Bank,
  type V3HostedLinkRequest,
  type V3Refund,
  type V3RefundRequest,
  type V3Transaction,
  type V3Transfer,
  type V3TransferRequest,
} from "./types"

export const PRODUCTION_API_URL = "https://api.flutterwave.com"

export type FlutterwaveV3Logger = { warn?(message: string): void; debug?(message: string): void }

export type FlutterwaveV3ClientOptions = {
  secretKey: string
  /** Default: Flutterwave's production API; the local sandbox in development and tests. */
  baseUrl?: string
  /** Per attempt. */
  timeoutMs?: number
  /** Extra attempts for a lookup (GET) whose outcome is unknown or that never arrived. Money-moving POSTs get none. */
  lookupRetries?: number
  /** Pause before a lookup's retry. */
  retryDelayMs?: number
  logger?: FlutterwaveV3Logger
}

/**
 * A tighter limit for one lookup, where somebody is waiting (the shopper's status route, cart completion): better to
 * answer "unknown" in 2 s than to hold them for the full timeout and retries. `timeoutMs` is per attempt.
 */
export type LookupBudget = { timeoutMs?: number; retries?: number }

const DEFAULTS = { timeoutMs: 15_000, lookupRetries: 1, retryDelayMs: 200 }

/** Connection errors that prove the request never left this machine. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"])

type Call = { operation: string; subject?: string; method: "GET" | "POST"; path: string; body?: unknown; budget?: LookupBudget }

/**
 * A typed client for Flutterwave's v3 API over the global fetch. Every answer is classified as accepted (its `data`,
 * checked), rejected (FlutterwaveV3RejectedError / FlutterwaveV3AuthError), never sent (FlutterwaveV3UnreachableError)
 * or unknown (FlutterwaveV3UnknownOutcomeError). Amounts here are Flutterwave's major units; the rail converts.
 */
export class FlutterwaveV3Client {
  readonly baseUrl: string
  private readonly secretKey: string
  private readonly options: typeof DEFAULTS
  private readonly logger: FlutterwaveV3Logger

  constructor(options: FlutterwaveV3ClientOptions) {
    if (typeof options.secretKey !== "string" || options.secretKey.trim() === "") {
      throw new TypeError("FlutterwaveV3Client: secretKey is required")
    }
    this.secretKey = options.secretKey
    this.baseUrl = (options.baseUrl ?? PRODUCTION_API_URL).replace(/\/+$/, "")
    this.options = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      lookupRetries: options.lookupRetries ?? DEFAULTS.lookupRetries,
      retryDelayMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
    }
    this.logger = options.logger ?? {}
  }

  /** POST /v3/payments: a Standard hosted link for our tx_ref. The payload_hash is added here (it needs the key). */
  async createHostedLink(request: V3HostedLinkRequest): Promise<{ link: string }> {
    const hash = payloadHash(
      { amount: request.amount, currency: request.currency, email: request.customer.email, txRef: request.tx_ref },
      this.secretKey
    )
    const data = await this.call(
      { operation: "createHostedLink", subject: request.tx_ref, method: "POST", path: "/v3/payments", body: { ...request, payload_hash: hash } },
      readHostedLink
    )
    return { link: data }
  }

  /** GET /v3/transactions/verify_by_reference: the successful attempt under tx_ref if any, else the latest. */
  verifyByReference(txRef: string, budget?: LookupBudget): Promise<V3Transaction> {
    return this.call(
      { operation: "verifyByReference", subject: txRef, method: "GET", path: `/v3/transactions/verify_by_reference?tx_ref=${encodeURIComponent(txRef)}`, budget },
      (data) => readTransaction(data)
    )
  }

  verifyById(transactionId: number, budget?: LookupBudget): Promise<V3Transaction> {
    return this.call(
      { operation: "verifyById", subject: `transaction ${transactionId}`, method: "GET", path: `/v3/transactions/${idPath(transactionId)}/verify`, budget },
      (data) => readTransaction(data)
    )
  }

  /** POST /v3/transactions/:id/refund. v3 takes no idempotency key: the rail carries its key in `comments`. */
  refund(transactionId: number, request: V3RefundRequest): Promise<V3Refund> {
    return this.call(
      { operation: "refund", subject: `transaction ${transactionId}`, method: "POST", path: `/v3/transactions/${idPath(transactionId)}/refund`, body: request },
      (data) => readRefund(data)
    )
  }

  getRefund(refundId: number, budget?: LookupBudget): Promise<V3Refund> {
    return this.call(
      { operation: "getRefund", subject: `refund ${refundId}`, method: "GET", path: `/v3/refunds/${idPath(refundId)}`, budget },
      (data) => readRefund(data)
    )
  }

  /** Every refund of one transaction, oldest first. */
  listRefunds(transactionId: number, budget?: LookupBudget): Promise<V3Refund[]> {
    return this.call(
      { operation: "listRefunds", subject: `transaction ${transactionId}`, method: "GET", path: `/v3/refunds?tx_id=${idPath(transactionId)}`, budget },
      (data) => readList(data, readRefund)
    )
  }

  /** POST /v3/transfers. `reference` is our payout reference: Flutterwave refuses a reused one. */
  createTransfer(request: V3TransferRequest): Promise<V3Transfer> {
    return this.call(
      { operation: "createTransfer", subject: request.reference, method: "POST", path: "/v3/transfers", body: request },
      (data) => readTransfer(data)
    )
  }

  getTransfer(transferId: number, budget?: LookupBudget): Promise<V3Transfer> {
    return this.call(
      { operation: "getTransfer", subject: `transfer ${transferId}`, method: "GET", path: `/v3/transfers/${idPath(transferId)}`, budget },
      (data) => readTransfer(data)
    )
  }

  /** The transfers under our reference: none, or one (a retried transfer may add more). */
  findTransfers(reference: string, budget?: LookupBudget): Promise<V3Transfer[]> {
    return this.call(
      { operation: "findTransfers", subject: reference, method: "GET", path: `/v3/transfers?reference=${encodeURIComponent(reference)}`, budget },
      (data) => readList(data, readTransfer)
    )
  }

  listBanks(country: string, budget?: LookupBudget): Promise<V3Bank[]> {
    return this.call(
      { operation: "listBanks", subject: country, method: "GET", path: `/v3/banks/${encodeURIComponent(country)}`, budget },
      (data) => readList(data, readBank)
    )
  }

  /** One call, its answer's `data` read by `read`; a lookup retries where a repeat cannot change anything. */
  private async call<T>(call: Call, read: (data: unknown) => T): Promise<T> {
    const retries = call.method === "GET" ? Math.max(0, call.budget?.retries ?? this.options.lookupRetries) : 0
    for (let attempt = 1; ; attempt++) {
      const started = Date.now()
      try {
        const result = await this.attempt(call, read)
        this.logger.debug?.(`flutterwave-v3 ${call.operation} ${call.subject ?? ""}: answered in ${Date.now() - started} ms (attempt ${attempt})`)
        return result
      } catch (error) {
        const retrying =
          attempt <= retries && (error instanceof FlutterwaveV3UnknownOutcomeError || error instanceof FlutterwaveV3UnreachableError)
        if (error instanceof FlutterwaveV3UnknownOutcomeError || error instanceof FlutterwaveV3UnreachableError) {
          this.logger.warn?.(`flutterwave-v3: ${error.message} (attempt ${attempt}${retrying ? ", retrying" : ""})`)
        }
        if (!retrying) throw error
        await sleep(this.options.retryDelayMs)
      }
    }
  }

  private async attempt<T>(call: Call, read: (data: unknown) => T): Promise<T> {
    const { operation, subject } = call
    const timeoutMs = call.budget?.timeoutMs ?? this.options.timeoutMs
    let httpStatus: number
    let text: string
    try {
      const response = await fetch(this.baseUrl + call.path, {
        method: call.method,
        headers: {
          Authorization: `Bearer ${this.secretKey}`,
          Accept: "application/json",
          ...(call.body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        // An API does not redirect: a 3xx means a wrong URL, answered as a rejection below, never followed (a
        // followed POST would become a GET elsewhere).
        redirect: "manual",
        // The whole exchange, body included, within the timeout.
        signal: AbortSignal.timeout(timeoutMs),
      })
      httpStatus = response.status
      text = await response.text()
    } catch (error) {
      const code = networkCode(error)
      if (code && NOT_SENT_CODES.has(code)) throw new FlutterwaveV3UnreachableError({ operation, subject, code })
      const timedOut = isTimeout(error)
      throw new FlutterwaveV3UnknownOutcomeError({
        reason: timedOut ? "timeout" : "connection_lost",
        operation,
        subject,
        detail: timedOut ? `no answer within ${timeoutMs} ms` : this.redact(code ?? describeError(error)),
      })
    }

    if (httpStatus >= 500) {
      throw new FlutterwaveV3UnknownOutcomeError({ reason: "server_error", operation, subject, httpStatus, detail: `HTTP ${httpStatus}` })
    }
    const body = parseJson(text)
    if (httpStatus >= 200 && httpStatus < 300) {
      // Only a readable success is a success: a 2xx we cannot read may still have done the thing.
      if (!isRecord(body) || body.status !== "success") {
        throw new FlutterwaveV3UnknownOutcomeError({
          reason: "invalid_response",
          operation,
          subject,
          httpStatus,
          detail: body === undefined ? "the answer is not JSON" : 'the answer is not {"status":"success"}',
        })
      }
      try {
        return read(body.data)
      } catch (error) {
        if (!(error instanceof MalformedAnswerError)) throw error
        throw new FlutterwaveV3UnknownOutcomeError({ reason: "invalid_response", operation, subject, httpStatus, detail: this.redact(error.message) })
      }
    }

    const flutterwaveMessage = this.redact(
      isRecord(body) && typeof body.message === "string" && body.message.trim() !== ""
        ? body.message
        : httpStatus >= 300 && httpStatus < 400
          ? `HTTP ${httpStatus} redirect: check the Flutterwave API URL`
          : `HTTP ${httpStatus} without an error message`
    )
    if (httpStatus === 401) throw new FlutterwaveV3AuthError({ operation, subject, flutterwaveMessage })
    throw new FlutterwaveV3RejectedError({ operation, subject, httpStatus, flutterwaveMessage })
  }

  /** Text that did not come from this file (an answer, a system error) never carries the key out. */
  private redact(text: string): string {
    return text.split(this.secretKey).join("[secret key]")
  }
}

function idPath(id: number): string {
  if (!Number.isSafeInteger(id) || id < 0) throw new TypeError(`FlutterwaveV3Client: ${String(id)} is not a Flutterwave id`)
  return String(id)
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/*
 * fetch's errors come from Node's own realm (undici, DOMException): under a test runner's VM context they fail
 * `instanceof Error`, so they are read by shape, never by class.
 */

/** The system code behind a fetch failure (undici puts it on `cause`, or on each of an AggregateError's errors). */
function networkCode(error: unknown): string | undefined {
  for (const candidate of [field(error, "cause"), error]) {
    const code = field(candidate, "code")
    if (typeof code === "string") return code
    const inner = field(candidate, "errors")
    if (Array.isArray(inner)) {
      const codes = new Set(inner.map((each) => field(each, "code")))
      // Every address refused: still never sent. Mixed answers are not proof of anything.
      const [only] = codes
      if (codes.size === 1 && typeof only === "string") return only
    }
  }
  return undefined
}

/** AbortSignal.timeout fired: a TimeoutError (an AbortError from older runtimes). */
function isTimeout(error: unknown): boolean {
  const name = field(error, "name")
  return name === "TimeoutError" || name === "AbortError"
}

function describeError(error: unknown): string {
  const message = field(error, "message")
  return typeof message === "string" ? message : String(error)
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
