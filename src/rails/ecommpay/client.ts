import axios, { type AxiosInstance } from "axios"
import type { Agent as HttpAgent } from "node:http"
import type { Agent as HttpsAgent } from "node:https"
import { GateRejectedError, GateUnknownOutcomeError, GateUnreachableError } from "./errors"
import { GATE_PATHS, PRODUCTION_GATE_URL } from "./flutterwave"
import { JsonSyntaxError, parseJsonLossless, stringifyJson } from "./json"
import { isObject, MalformedMessageError, readErrors, readOperation, readPayment, readRedirectData } from "./messages"
import { signParams, verifySignature } from "./signature"
import type {
  GateAccepted,
  GateStatusResult,
  PayoutRequest,
  RefundRequest,
  SaleRequest,
} from "./types"

export type GateLogger = {
  debug?: (message: string) => void
  info?: (message: string) => void
  warn?: (message: string) => void
}

export type GateClientOptions = {
  projectId: number
  secretKey: string
  /** Default: ECommPay's production Gate. The local sandbox in development and tests. */
  baseUrl?: string
  /** Per request. Gate gives no figure; ECommPay's own plugins use 3–5 s. */
  timeoutMs?: number
  /** Extra attempts when the connection is refused (nothing was sent, so any request may be repeated). */
  connectRetries?: number
  /** Extra attempts for status requests after a timeout or 5xx (a status request changes nothing). */
  statusRetries?: number
  /** Base of the exponential back-off between attempts. */
  retryDelayMs?: number
  httpAgent?: HttpAgent
  httpsAgent?: HttpsAgent
  logger?: GateLogger
}

type OperationName = "sale" | "refund" | "payout" | "status"

type RawAnswer = { httpStatus: number; body: unknown }

const DEFAULTS = { timeoutMs: 15_000, connectRetries: 2, statusRetries: 2, retryDelayMs: 250 }

/** Connection errors that prove the request never left this machine. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])
const TIMEOUT_CODES = new Set(["ECONNABORTED", "ETIMEDOUT"])

/**
 * A typed client for ECommPay's Gate, Flutterwave method. Every request is signed; every answer is classified as
 * accepted, rejected (GateRejectedError), or unknown (GateUnknownOutcomeError). Nothing here knows about Medusa.
 */
export class GateClient {
  readonly projectId: number
  readonly baseUrl: string
  private readonly secretKey: string
  private readonly http: AxiosInstance
  private readonly options: typeof DEFAULTS
  private readonly logger: GateLogger

  constructor(options: GateClientOptions) {
    if (!Number.isSafeInteger(options.projectId) || options.projectId <= 0) {
      throw new TypeError("GateClient: projectId must be a positive integer")
    }
    if (typeof options.secretKey !== "string" || options.secretKey.length === 0) {
      throw new TypeError("GateClient: secretKey is required")
    }
    this.projectId = options.projectId
    this.secretKey = options.secretKey
    this.baseUrl = (options.baseUrl ?? PRODUCTION_GATE_URL).replace(/\/+$/, "")
    this.options = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      connectRetries: options.connectRetries ?? DEFAULTS.connectRetries,
      statusRetries: options.statusRetries ?? DEFAULTS.statusRetries,
      retryDelayMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
    }
    this.logger = options.logger ?? {}
    this.http = axios.create({
      baseURL: this.baseUrl,
      timeout: this.options.timeoutMs,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      // We classify every status ourselves and parse bodies losslessly.
      validateStatus: () => true,
      responseType: "text",
      transformResponse: [(data: unknown) => data],
      transitional: { clarifyTimeoutError: true },
      maxRedirects: 0,
      httpAgent: options.httpAgent,
      httpsAgent: options.httpsAgent,
    })
  }

  /** Start a Flutterwave payment. payment_id is the idempotency key: Gate rejects a reuse with 3041. */
  async sale(request: SaleRequest): Promise<GateAccepted> {
    const body = {
      general: this.general(request.paymentId, request.callbackUrl),
      payment: compact({ amount: request.amount, currency: request.currency, description: request.description }),
      customer: compact({
        id: request.customer.id,
        ip_address: request.customer.ipAddress,
        email: request.customer.email,
        first_name: request.customer.firstName,
        last_name: request.customer.lastName,
        phone: request.customer.phone,
      }),
      return_url: request.returnUrl && compact({ ...request.returnUrl }),
    }
    return this.accepted("sale", request.paymentId, await this.send("sale", request.paymentId, body))
  }

  /** Full (no amount) or partial refund of a sale, named by the sale's payment_id. */
  async refund(request: RefundRequest): Promise<GateAccepted> {
    if ((request.amount === undefined) !== (request.currency === undefined)) {
      throw new TypeError("GateClient.refund: amount and currency go together (Gate codes 3286/3287)")
    }
    const body = {
      general: this.general(request.paymentId, request.callbackUrl),
      payment: compact({
        description: request.description,
        amount: request.amount,
        currency: request.currency,
        merchant_refund_id: request.merchantRefundId,
      }),
    }
    return this.accepted("refund", request.paymentId, await this.send("refund", request.paymentId, body))
  }

  /** Send money from the merchant's balance to a bank account. */
  async payout(request: PayoutRequest): Promise<GateAccepted> {
    const body = {
      general: this.general(request.paymentId, request.callbackUrl),
      customer: { id: request.customer.id, ip_address: request.customer.ipAddress },
      account: { number: request.account.number, bank_id: request.account.bankId },
      payment: compact({ amount: request.amount, currency: request.currency, description: request.description }),
    }
    return this.accepted("payout", request.paymentId, await this.send("payout", request.paymentId, body))
  }

  /**
   * The payment and all its operations as Gate knows them. An unknown payment_id is a GateRejectedError with code
   * 3061 (see isGateNotFound): that is how "never reached Gate" is told apart from "in progress".
   */
  async status(paymentId: string, budget: StatusBudget = {}): Promise<GateStatusResult> {
    const answer = await this.send("status", paymentId, { general: this.general(paymentId) }, budget)
    if (answer.httpStatus !== 200 || !isObject(answer.body) || answer.body.status === "error") {
      throw this.rejection("status", paymentId, answer)
    }
    const body = answer.body
    // Gate signs answers that carry payment data; an answer whose signature fails is not to be trusted.
    if ("signature" in body && !verifySignature(body, this.secretKey)) {
      throw new GateUnknownOutcomeError({
        reason: "invalid_response",
        operation: "status",
        paymentId,
        httpStatus: answer.httpStatus,
        detail: "the status answer's signature does not verify",
      })
    }
    try {
      return {
        projectId: Number(body.project_id ?? this.projectId),
        payment: readPayment(body.payment),
        operations: Array.isArray(body.operations)
          ? body.operations.map((operation, i) => readOperation(operation, `operations[${i}]`))
          : [],
        errors: readErrors(body.errors),
        redirectData: readRedirectData(body.redirect_data),
        raw: body,
      }
    } catch (error) {
      if (error instanceof MalformedMessageError) {
        throw new GateUnknownOutcomeError({
          reason: "invalid_response",
          operation: "status",
          paymentId,
          httpStatus: answer.httpStatus,
          detail: error.message,
        })
      }
      throw error
    }
  }

  private general(paymentId: string, callbackUrl?: string): Record<string, unknown> {
    if (typeof paymentId !== "string" || paymentId.length === 0) {
      throw new TypeError("GateClient: paymentId is required")
    }
    return compact({ project_id: this.projectId, payment_id: paymentId, merchant_callback_url: callbackUrl })
  }

  private accepted(operation: OperationName, paymentId: string, answer: RawAnswer): GateAccepted {
    const body = answer.body
    if (answer.httpStatus === 200 && isObject(body) && body.status === "success") {
      return {
        status: "success",
        requestId: String(body.request_id ?? ""),
        projectId: Number(body.project_id ?? this.projectId),
        paymentId: String(body.payment_id ?? paymentId),
      }
    }
    throw this.rejection(operation, paymentId, answer)
  }

  /** A non-accepted answer that reached us (4xx, or 200 with an error status). 5xx never gets here. */
  private rejection(operation: OperationName, paymentId: string, answer: RawAnswer): GateRejectedError {
    const body = isObject(answer.body) ? answer.body : {}
    const code = body.code === undefined || body.code === null ? undefined : String(body.code)
    const gateMessage =
      typeof body.message === "string" && body.message !== ""
        ? body.message
        : `HTTP ${answer.httpStatus} without an error message`
    return new GateRejectedError({ code, gateMessage, httpStatus: answer.httpStatus, operation, paymentId })
  }

  /** Signs and posts; retries only where a repeat cannot change anything. */
  private async send(
    operation: OperationName,
    paymentId: string,
    unsigned: Record<string, unknown>,
    budget: StatusBudget = {}
  ): Promise<RawAnswer> {
    const body = { ...unsigned, general: { ...(unsigned.general as object) } } as Record<string, unknown>
    ;(body.general as Record<string, unknown>).signature = signParams(body, this.secretKey)
    const payload = stringifyJson(body)
    const path = GATE_PATHS[operation]
    const statusRetries = budget.retries ?? this.options.statusRetries
    const maxAttempts = 1 + Math.max(this.options.connectRetries, operation === "status" ? statusRetries : 0)

    for (let attempt = 1; ; attempt++) {
      const started = Date.now()
      try {
        const answer = await this.post(operation, paymentId, path, payload, budget.timeoutMs)
        this.logger.debug?.(
          `gate ${operation} ${paymentId}: HTTP ${answer.httpStatus} in ${Date.now() - started} ms (attempt ${attempt})`
        )
        return answer
      } catch (error) {
        const retryable =
          attempt < maxAttempts &&
          (error instanceof GateUnreachableError
            ? attempt <= this.options.connectRetries
            : operation === "status" && error instanceof GateUnknownOutcomeError && attempt <= statusRetries)
        this.logger.warn?.(
          `gate ${operation} ${paymentId}: ${(error as Error).message} (attempt ${attempt}${retryable ? ", retrying" : ""})`
        )
        if (!retryable) throw error
        await sleep(this.options.retryDelayMs * 2 ** (attempt - 1))
      }
    }
  }

  private async post(
    operation: OperationName,
    paymentId: string,
    path: string,
    payload: string,
    timeoutMs?: number
  ): Promise<RawAnswer> {
    let response
    try {
      response = await this.http.post<string>(path, payload, timeoutMs ? { timeout: timeoutMs } : undefined)
    } catch (error) {
      const code = (error as { code?: string }).code ?? ""
      if (NOT_SENT_CODES.has(code)) throw new GateUnreachableError({ operation, paymentId, cause: code })
      throw new GateUnknownOutcomeError({
        reason: TIMEOUT_CODES.has(code) ? "timeout" : "connection_lost",
        operation,
        paymentId,
        detail: code || (error as Error).message,
      })
    }
    if (response.status >= 500) {
      throw new GateUnknownOutcomeError({
        reason: "server_error",
        operation,
        paymentId,
        httpStatus: response.status,
        detail: `HTTP ${response.status}`,
      })
    }
    const text = typeof response.data === "string" ? response.data : ""
    let body: unknown
    try {
      body = text === "" ? undefined : parseJsonLossless(text)
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error
      if (response.status === 200) {
        throw new GateUnknownOutcomeError({
          reason: "invalid_response",
          operation,
          paymentId,
          httpStatus: 200,
          detail: "the answer is not JSON",
        })
      }
      body = undefined
    }
    return { httpStatus: response.status, body }
  }
}

/**
 * A tighter limit for one status request, where somebody is waiting (the shopper's status route, cart completion):
 * better to answer "still pending" in 2 s than to hold the shopper for Gate's full timeout and retries.
 */
export type StatusBudget = { timeoutMs?: number; retries?: number }

function compact<T extends Record<string, unknown>>(value: T): T {
  const result: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined && v !== null && v !== "") result[key] = v
  }
  return result as T
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
