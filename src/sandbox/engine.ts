import { randomBytes } from "node:crypto"
import { describeGateCode, GATE_CODES, NGN_LIMITS, findBank, LIMIT_TIME_MS } from "../rails/ecommpay/flutterwave"
import { isSupportedCurrency } from "../money"
import { isObject } from "../rails/ecommpay/messages"
import { paymentPageQueryParams, verifyPaymentPageQuery } from "../rails/ecommpay/payment-page"
import { extractSignature, signParams, verifySignature } from "../rails/ecommpay/signature"
import { CallbackDelivery } from "./delivery"
import type {
  SandboxCallbackScript,
  SandboxDashboardRefundOptions,
  SandboxDeliveryRecord,
  SandboxOperation,
  SandboxOperationName,
  SandboxPageOpeningRecord,
  SandboxPayment,
  SandboxRequestRecord,
  SandboxScript,
} from "./types"

export type SandboxEngineOptions = {
  projectId: number
  secretKey: string
  /** The project's callback URL (a request's general.merchant_callback_url overrides it). */
  callbackUrl?: string
  /** Public base URL of the sandbox, for redirect_data. */
  publicUrl: () => string
  callbackRetryDelaysMs?: number[]
  callbackTimeoutMs?: number
  /** Gate declines a payment still unfinished after this long. */
  limitTimeMs?: number
  /** Reject payout bank ids that are not in the method's table (off by default, as the guide's own example uses 308). */
  strictBanks?: boolean
  /** Merchant balance per currency in minor units, for payouts. Unlisted currencies have plenty. */
  balances?: Record<string, number>
}

export type SyncAnswer = { httpStatus: number; body: Record<string, unknown>; hangMs?: number }

/** What opening the Payment Page gives the shopper: the page for a payment, or an error page. */
export type PaymentPageOpening =
  | { ok: true; payment: SandboxPayment; created: boolean }
  | { ok: false; httpStatus: number; code: string; message: string }

/** Parameters ECommPay requires of a Flutterwave purchase on the Payment Page (payment-page.md §2). */
const REQUIRED_PAGE_PARAMS = [
  "project_id",
  "payment_id",
  "payment_amount",
  "payment_currency",
  "customer_id",
  "payment_description",
] as const

/** One place for the HTTP status of a rejected request: Gate's exact codes are undocumented. */
export const REJECTION_HTTP_STATUS = 400

/** A request Gate refuses with one of its codes; exported so control routes can answer the way Gate would. */
export class Rejection extends Error {
  constructor(
    readonly code: string,
    message?: string,
    readonly httpStatus = REJECTION_HTTP_STATUS
  ) {
    super(message ?? describeGateCode(code) ?? "Error")
  }
}

/** A control call naming a payment or operation the sandbox does not have (the control API answers 404). */
export class SandboxNotFoundError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "SandboxNotFoundError"
  }
}

/** The result asked of a refund or payout: by its script, by a test settling it late, or by a dashboard refund. */
type RequestedOutcome = { outcome: "success" | "decline"; code?: string; message?: string }

/**
 * A source of Gate operation ids, unique across sandbox restarts. A fixed start repeated ids after a restart over a
 * kept database; these follow the clock instead: the current time in ms × 1000 plus a random 0–999, and never below
 * the previous id + 1 from the same source (monotonic within a process). An id issued at millisecond t is at most
 * t × 1000 + 999 plus the ids issued in the same burst, so a sandbox restarted even a few milliseconds later (a
 * restart takes far longer) starts above every id its previous run issued, unless that run issued close to 1000 ids
 * per millisecond or the clock went back. Ids keep Gate's 16 digits and stay below Number.MAX_SAFE_INTEGER until
 * the year 2255.
 */
export function operationIdSource(clock: () => number = Date.now, random: () => number = Math.random): () => number {
  let last = 0
  return () => {
    const fromClock = Math.floor(clock()) * 1000 + Math.floor(random() * 1000)
    const id = Math.max(last + 1, fromClock)
    if (!Number.isSafeInteger(id)) {
      throw new RangeError(`sandbox operation id ${id} is beyond Number.MAX_SAFE_INTEGER; check the system clock`)
    }
    last = id
    return id
  }
}

/** One source per process, shared by every engine in it, so two engines never hand out the same id either. */
const nextOperationId = operationIdSource()

/**
 * The in-memory Gate: validates and signs like Gate, keeps payments and operations, and produces callbacks.
 * HTTP lives in server.ts; this class is what tests and the control API inspect and script.
 */
export class SandboxEngine {
  readonly payments = new Map<string, SandboxPayment>()
  readonly requests: SandboxRequestRecord[] = []
  readonly deliveries: SandboxDeliveryRecord[] = []
  /** Every request for the Payment Page, in order, valid or not. */
  readonly pageOpenings: SandboxPageOpeningRecord[] = []
  private scripts: SandboxScript[] = []
  private readonly opScripts = new Map<number, SandboxScript>()
  private readonly timers = new Set<NodeJS.Timeout>()
  /** Work scheduled to run at once (results, callbacks); limit-time timers are not counted. */
  private readonly immediate = new Set<Promise<void>>()
  private readonly callbacksSent = new Map<number, number>()
  private readonly delivery: CallbackDelivery
  private balances: Record<string, number>

  constructor(private readonly options: SandboxEngineOptions) {
    this.balances = { ...(options.balances ?? {}) }
    this.delivery = new CallbackDelivery({
      secretKey: options.secretKey,
      retryDelaysMs: options.callbackRetryDelaysMs ?? [1000, 1000, 1000, 1000, 1000, 1000],
      timeoutMs: options.callbackTimeoutMs ?? 10_000,
      log: (record) => this.deliveries.push(record),
    })
  }

  get projectId(): number {
    return this.options.projectId
  }

  setCallbackUrl(url: string | undefined): void {
    this.options.callbackUrl = url
  }

  /**
   * A new project secret, as a merchant gets by regenerating it in ECommPay's dashboard: requests signed with the
   * old one are refused from now on, and callbacks are signed with the new one.
   */
  rotateSecretKey(secretKey: string): void {
    this.options.secretKey = secretKey
    this.delivery.setSecretKey(secretKey)
  }

  script(script: SandboxScript): void {
    this.scripts.push({ times: 1, ...script })
  }

  clearScripts(): void {
    this.scripts = []
  }

  reset(): void {
    this.payments.clear()
    this.requests.length = 0
    this.deliveries.length = 0
    this.pageOpenings.length = 0
    this.scripts = []
    this.opScripts.clear()
    this.callbacksSent.clear()
    this.balances = { ...(this.options.balances ?? {}) }
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.immediate.clear()
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.immediate.clear()
    this.delivery.close()
  }

  /** Resolves once scheduled results have been produced and their callbacks delivered (or given up). */
  async idle(): Promise<void> {
    do {
      while (this.immediate.size > 0) await Promise.allSettled([...this.immediate])
      await this.delivery.idle()
    } while (this.immediate.size > 0)
  }

  /** Entry point for a Gate request body at one of the four paths. */
  handle(operation: SandboxOperationName, rawBody: unknown): SyncAnswer {
    const body = isObject(rawBody) ? rawBody : {}
    const general = isObject(body.general) ? body.general : {}
    const paymentId = typeof general.payment_id === "string" ? general.payment_id : undefined
    const script = this.takeScript(operation, paymentId)
    let processed = false
    let answer: SyncAnswer
    try {
      if (script?.rejectCode) throw new Rejection(script.rejectCode, script.rejectMessage)
      this.authenticate(body, general)
      const failing = script && ((script.httpStatus ?? 0) >= 500 || script.hangMs)
      if (failing && script.process === false) {
        answer = { httpStatus: script.httpStatus ?? 504, body: { status: "error", message: "Gateway Timeout" } }
      } else {
        answer = this.dispatch(operation, body, general, paymentId!, script)
        processed = operation !== "status"
      }
      if (script?.httpStatus && script.httpStatus >= 500) {
        answer = { httpStatus: script.httpStatus, body: { status: "error", message: "Internal Server Error" } }
      }
      if (script?.hangMs) answer = { ...answer, hangMs: script.hangMs }
    } catch (error) {
      if (!(error instanceof Rejection)) throw error
      answer = {
        httpStatus: error.httpStatus,
        body: { status: "error", code: error.code, message: error.message, ...(paymentId ? { payment_id: paymentId } : {}) },
      }
    }
    this.requests.push({
      at: new Date().toISOString(),
      operation,
      paymentId,
      httpStatus: answer.httpStatus,
      code: typeof answer.body.code === "string" ? answer.body.code : undefined,
      processed,
      body: redactSignature(body),
    })
    return answer
  }

  /**
   * The shopper opens the Payment Page with a signed URL. The payment exists at Gate from this moment only (before
   * it, status answers 3061); the same URL opened again shows the same payment. Scripts for operation "sale" apply
   * as to a Gate sale (rejectCode, outcome, code, message, stall, callback); answer faults (httpStatus, hangMs) do
   * not, as the shopper's browser, not the merchant, would see them.
   */
  openPaymentPage(query: URLSearchParams): PaymentPageOpening {
    const params = redactPageSignature(query)
    let opening: PaymentPageOpening
    try {
      opening = { ok: true, ...this.paymentForPage(query, params) }
    } catch (error) {
      if (!(error instanceof Rejection)) throw error
      opening = { ok: false, httpStatus: error.httpStatus, code: error.code, message: error.message }
    }
    this.pageOpenings.push({
      at: new Date().toISOString(),
      paymentId: params.payment_id || undefined,
      httpStatus: opening.ok ? 200 : opening.httpStatus,
      ...(opening.ok ? {} : { code: opening.code, message: opening.message }),
      created: opening.ok && opening.created,
      params,
    })
    return opening
  }

  /**
   * The shopper paid on Flutterwave's page (or a test says so). `callback` scripts the delivery of this result's
   * callback alone, over the sale's own script (e.g. `drop`: the result is lost on its way, status still tells it).
   */
  completeSale(
    paymentId: string,
    outcome: "success" | "decline",
    code?: string,
    message?: string,
    callback?: SandboxCallbackScript
  ): SandboxPayment {
    const payment = this.requirePayment(paymentId)
    const sale = payment.operations.find((op) => op.type === "sale")
    if (!sale || payment.type !== "purchase") throw new Rejection(GATE_CODES.STATUS_FORBIDS_ACTION)
    if (sale.status !== "processing") return payment // already final: Gate ignores a second click
    if (outcome === "success") {
      this.finishOperation(payment, sale, "success", GATE_CODES.SUCCESS)
      payment.status = "success"
      this.credit(payment.sum.currency, payment.sum.amount)
    } else {
      const declineCode = code ?? GATE_CODES.CUSTOMER_CANCELLED
      this.finishOperation(payment, sale, "decline", declineCode, message)
      payment.status = "decline"
      payment.errors = [{ code: declineCode, message: sale.message ?? "Decline" }]
    }
    payment.redirectData = undefined
    this.notify(payment, sale, callback)
    return payment
  }

  /**
   * Settles an operation a `stall` script left processing: Flutterwave refunds settle days after Gate accepted them,
   * and can still be declined then. Does what the unstalled path does, callback and its script included; a sale is
   * settled by the shopper's result (completeSale). An operation already final is returned unchanged, as Gate
   * ignores a second result.
   */
  settleOperation(
    paymentId: string,
    operationId: number | string,
    outcome: "success" | "decline",
    code?: string,
    message?: string
  ): SandboxOperation {
    const payment = this.findPayment(paymentId)
    // Our Gate client reports operation ids as digit strings; the sandbox keeps numbers.
    const operation = payment.operations.find((op) => String(op.id) === String(operationId))
    if (!operation) throw new SandboxNotFoundError(`sandbox: payment "${paymentId}" has no operation ${operationId}`)
    if (operation.type === "sale") this.completeSale(paymentId, outcome, code, message)
    else this.settle(payment, operation, { outcome, code, message })
    return operation
  }

  /**
   * A refund made in ECommPay's dashboard, outside the merchant's API: no merchant_refund_id, and no request (it is
   * not in `requests`), so the merchant learns of it only from its callback, or from a status query if that is lost.
   * Gate settles it as it settles an API refund: an amount above what the payment still holds is declined (3283).
   */
  dashboardRefund(paymentId: string, amount: number, options: SandboxDashboardRefundOptions = {}): SandboxOperation {
    const payment = this.findPayment(paymentId)
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw new RangeError(`sandbox: a dashboard refund's amount must be a positive integer in minor units, not ${amount}`)
    }
    requireRefundable(payment)
    const { outcome = "success", code, message, callback } = options
    const refund = this.newOperation(payment, "refund", amount, payment.sum.currency, { operation: "refund", callback })
    if (outcome !== "stall") this.settle(payment, refund, { outcome, code, message })
    return refund
  }

  /** Gate's status answer body for a payment, signed, or the 3061 rejection. */
  statusBody(paymentId: string): Record<string, unknown> {
    const payment = this.requirePayment(paymentId)
    const body: Record<string, unknown> = {
      project_id: this.options.projectId,
      payment: this.paymentBlock(payment),
      operations: payment.operations.map((op) => this.operationBlock(op)),
      errors: payment.errors,
    }
    // Whether Gate repeats redirect_data in status answers is undocumented; we do, as Monetix (a white label) does.
    if (payment.redirectData) body.redirect_data = payment.redirectData
    return { ...body, signature: signParams(body, this.options.secretKey) }
  }

  private authenticate(body: Record<string, unknown>, general: Record<string, unknown>): void {
    if (extractSignature(body) === undefined) throw new Rejection(GATE_CODES.EMPTY_SIGNATURE)
    if (!verifySignature(body, this.options.secretKey)) throw new Rejection(GATE_CODES.INVALID_SIGNATURE)
    if (general.project_id !== this.options.projectId) throw new Rejection(GATE_CODES.PROJECT_NOT_FOUND)
    if (typeof general.payment_id !== "string" || general.payment_id === "") {
      throw new Rejection(GATE_CODES.REQUIRED_FIELD_MISSING, "Required field not provided: general.payment_id")
    }
  }

  private dispatch(
    operation: SandboxOperationName,
    body: Record<string, unknown>,
    general: Record<string, unknown>,
    paymentId: string,
    script: SandboxScript | undefined
  ): SyncAnswer {
    const callbackUrl = typeof general.merchant_callback_url === "string" ? general.merchant_callback_url : undefined
    switch (operation) {
      case "status":
        return { httpStatus: 200, body: this.statusBody(paymentId) }
      case "sale":
        return this.sale(body, paymentId, callbackUrl, script)
      case "refund":
        return this.refund(body, paymentId, callbackUrl, script)
      case "payout":
        return this.payout(body, paymentId, callbackUrl, script)
    }
  }

  private sale(
    body: Record<string, unknown>,
    paymentId: string,
    callbackUrl: string | undefined,
    script: SandboxScript | undefined
  ): SyncAnswer {
    const { amount, currency } = readMoney(body.payment)
    const customer = readCustomer(body)
    if (currency === "NGN") checkLimit(amount, NGN_LIMITS.sale)
    if (this.payments.has(paymentId)) throw new Rejection(GATE_CODES.PAYMENT_ID_EXISTS)

    const returnUrl = isObject(body.return_url) ? (body.return_url as SandboxPayment["returnUrl"]) : undefined
    const payment = this.newPayment("purchase", "gate", paymentId, amount, currency, readDescription(body), callbackUrl)
    payment.customer = customer
    payment.returnUrl = returnUrl
    const sale = this.newOperation(payment, "sale", amount, currency, script)

    // Flutterwave hands Gate the page to send the shopper to; Gate passes it on in a prescriptive callback.
    this.later(() => {
      if (sale.status !== "processing") return
      payment.status = "awaiting redirect result"
      payment.redirectData = {
        method: "GET",
        url: `${this.options.publicUrl()}/pay/${encodeURIComponent(paymentId)}`,
        body: {},
      }
      this.notify(payment, sale)
      const outcome = script?.outcome ?? "manual"
      if (outcome !== "manual" && !script?.stall) {
        this.later(() => this.completeSale(paymentId, outcome, script?.code, script?.message))
      }
    })
    this.expireAtLimit(payment, sale)
    return this.acceptedAnswer(paymentId, sale)
  }

  private refund(
    body: Record<string, unknown>,
    paymentId: string,
    callbackUrl: string | undefined,
    script: SandboxScript | undefined
  ): SyncAnswer {
    const payment = this.requirePayment(paymentId)
    const paymentBlock = isObject(body.payment) ? body.payment : {}
    requireRefundable(payment)
    const hasAmount = paymentBlock.amount !== undefined
    const hasCurrency = paymentBlock.currency !== undefined
    if (hasAmount && !hasCurrency) throw new Rejection("3287", "Currency is required when amount is given")
    if (hasCurrency && !hasAmount) throw new Rejection("3286", "Amount is required when currency is given")
    let amount = payment.sum.amount
    const currency = payment.sum.currency
    if (hasAmount) {
      const money = readMoney(paymentBlock)
      if (money.currency !== currency) throw new Rejection(GATE_CODES.REFUND_CURRENCY_MISMATCH)
      amount = money.amount
    }
    const merchantRefundId =
      typeof paymentBlock.merchant_refund_id === "string" ? paymentBlock.merchant_refund_id : undefined
    if (merchantRefundId && payment.operations.some((op) => op.merchantRefundId === merchantRefundId)) {
      throw new Rejection(GATE_CODES.MERCHANT_REFUND_ID_EXISTS)
    }
    if (callbackUrl) payment.callbackUrl = callbackUrl

    const refund = this.newOperation(payment, "refund", amount, currency, script)
    refund.merchantRefundId = merchantRefundId
    this.later(() => {
      if (!script?.stall) this.settle(payment, refund, requestedBy(script))
    })
    return this.acceptedAnswer(paymentId, refund)
  }

  private payout(
    body: Record<string, unknown>,
    paymentId: string,
    callbackUrl: string | undefined,
    script: SandboxScript | undefined
  ): SyncAnswer {
    const { amount, currency } = readMoney(body.payment)
    const account = isObject(body.account) ? body.account : undefined
    if (!account || typeof account.number !== "string" || account.number === "") {
      throw new Rejection("3242", "Account must be defined")
    }
    if (account.bank_id === undefined || account.bank_id === "") throw new Rejection("3244", "Bank id must be defined")
    const bankId = String(account.bank_id)
    if (this.options.strictBanks && !findBank(bankId)) throw new Rejection(GATE_CODES.BANK_NOT_FOUND)
    const customer = readCustomer(body)
    if (currency === "NGN") checkLimit(amount, NGN_LIMITS.payout)
    if (this.payments.has(paymentId)) throw new Rejection(GATE_CODES.PAYMENT_ID_EXISTS)

    const payment = this.newPayment("payout", "gate", paymentId, amount, currency, readDescription(body), callbackUrl)
    payment.account = { number: account.number, bank_id: bankId }
    payment.customer = { id: customer.id, ip_address: customer.ip_address }
    const payout = this.newOperation(payment, "payout", amount, currency, script)
    this.later(() => {
      if (!script?.stall) this.settle(payment, payout, requestedBy(script))
    })
    this.expireAtLimit(payment, payout)
    return this.acceptedAnswer(paymentId, payout)
  }

  /**
   * Validates a Payment Page query in ECommPay's order (the project first, as its secret key checks the signature,
   * then the signature, then the parameters) and returns its payment, created on the first opening.
   */
  private paymentForPage(
    query: URLSearchParams,
    redacted: Record<string, string>
  ): { payment: SandboxPayment; created: boolean } {
    const params = paymentPageQueryParams(query)
    if (!params) throw new Rejection(GATE_CODES.MALFORMED_REQUEST, "A parameter is given more than once")
    if (!params.project_id) throw new Rejection(GATE_CODES.REQUIRED_FIELD_MISSING, "Required field not provided: project_id")
    if (!/^[0-9]+$/.test(params.project_id) || Number(params.project_id) !== this.options.projectId) {
      throw new Rejection(GATE_CODES.PROJECT_NOT_FOUND)
    }
    if (!params.signature) throw new Rejection(GATE_CODES.EMPTY_SIGNATURE)
    if (!verifyPaymentPageQuery(params, this.options.secretKey)) throw new Rejection(GATE_CODES.INVALID_SIGNATURE)

    const missing = REQUIRED_PAGE_PARAMS.filter((key) => !params[key])
    if (missing.length > 0) {
      throw new Rejection(GATE_CODES.REQUIRED_FIELD_MISSING, `Required field not provided: ${missing.join(", ")}`)
    }
    const { payment_id: paymentId, payment_currency: currency } = params
    const amount = /^[1-9][0-9]*$/.test(params.payment_amount) ? Number(params.payment_amount) : NaN
    if (!Number.isSafeInteger(amount)) {
      throw new Rejection("502", "Validation error: payment_amount must be a positive integer in minor units")
    }
    if (!isSupportedCurrency(currency) || currency !== currency.toUpperCase()) {
      throw new Rejection(GATE_CODES.INVALID_CURRENCY)
    }
    if (params.force_payment_method && params.force_payment_method !== "flutterwave") {
      throw new Rejection("502", "Validation error: the sandbox offers force_payment_method=flutterwave only")
    }
    if (currency === "NGN") checkLimit(amount, NGN_LIMITS.sale)
    // best_before: the page may no longer be opened once it passed (ECommPay's documentation leaves open whether it
    // is checked at opening or at payment; the sandbox checks at opening, the stricter reading for the plugin).
    if (params.best_before) {
      const deadline = Date.parse(params.best_before)
      if (Number.isNaN(deadline)) throw new Rejection("502", "Validation error: best_before must be an ISO 8601 date")
      if (deadline < Date.now()) throw new Rejection("502", "This payment page has expired (best_before passed)")
    }

    const existing = this.payments.get(paymentId)
    if (existing) {
      // Reopening the same URL (a reload, the back button) shows the payment it created rather than a second one.
      const sameSale =
        existing.channel === "payment_page" &&
        existing.initialSum.amount === amount &&
        existing.initialSum.currency === currency
      if (sameSale) return { payment: existing, created: false }
      throw new Rejection(GATE_CODES.PAYMENT_ID_EXISTS)
    }

    // Taken only now, so neither an invalid URL nor a reload uses up a script meant for the sale.
    const script = this.takeScript("sale", paymentId)
    if (script?.rejectCode) throw new Rejection(script.rejectCode, script.rejectMessage)
    const callbackUrl = params.merchant_callback_url || undefined
    const payment = this.newPayment(
      "purchase",
      "payment_page",
      paymentId,
      amount,
      currency,
      params.payment_description,
      callbackUrl
    )
    payment.customer = { id: params.customer_id, ...(params.customer_email ? { email: params.customer_email } : {}) }
    payment.returnUrl = pageReturnUrls(params)
    payment.pageParams = { ...redacted }
    const sale = this.newOperation(payment, "sale", amount, currency, script)
    // No "awaiting redirect result" callback: the shopper is already on the page. A scripted outcome is the
    // shopper's choice made at once.
    const outcome = script?.outcome ?? "manual"
    if (outcome !== "manual" && !script?.stall) {
      this.later(() => this.completeSale(paymentId, outcome, script?.code, script?.message))
    }
    this.expireAtLimit(payment, sale)
    return { payment, created: true }
  }

  private newPayment(
    type: SandboxPayment["type"],
    channel: SandboxPayment["channel"],
    id: string,
    amount: number,
    currency: string,
    description: string,
    callbackUrl: string | undefined
  ): SandboxPayment {
    const payment: SandboxPayment = {
      id,
      type,
      channel,
      status: "processing",
      date: gateDate(),
      description,
      sum: { amount, currency },
      initialSum: { amount, currency },
      customer: { id: "" },
      callbackUrl,
      operations: [],
      errors: [],
    }
    this.payments.set(id, payment)
    return payment
  }

  private newOperation(
    payment: SandboxPayment,
    type: SandboxOperation["type"],
    amount: number,
    currency: string,
    script: SandboxScript | undefined
  ): SandboxOperation {
    const now = gateDate()
    const operation: SandboxOperation = {
      id: nextOperationId(),
      type,
      status: "processing",
      requestId: randomBytes(20).toString("hex"),
      createdDate: now,
      date: now,
      sumInitial: { amount, currency },
      providerPaymentId: "",
    }
    payment.operations.push(operation)
    if (script) this.opScripts.set(operation.id, script)
    return operation
  }

  /**
   * Finishes a processing refund or payout and sends its callback: the one path for an operation settled right after
   * its request, settled late (settleOperation) or made in the dashboard. Gate's own checks run now, at settlement,
   * so a requested success can still be declined: a refund above what the payment holds after the refunds settled
   * meanwhile (3283), a payout above the merchant balance (3028).
   */
  private settle(payment: SandboxPayment, operation: SandboxOperation, requested: RequestedOutcome): void {
    if (operation.status !== "processing") return
    const { amount, currency } = operation.sumInitial
    if (operation.type === "refund") {
      const declineCode = declineFor(
        requested,
        GATE_CODES.REFUND_UNAVAILABLE,
        amount > payment.sum.amount && GATE_CODES.REFUND_MORE_THAN_INIT
      )
      if (declineCode) {
        // A declined refund leaves the payment as it was; Gate reports it in the operation alone.
        this.finishOperation(payment, operation, "decline", declineCode, requested.message)
      } else {
        this.finishOperation(payment, operation, "success", GATE_CODES.SUCCESS)
        payment.sum = { amount: payment.sum.amount - amount, currency }
        payment.status = payment.sum.amount === 0 ? "refunded" : "partially refunded"
        this.credit(currency, -amount)
      }
    } else if (operation.type === "payout") {
      const balance = this.balances[currency]
      const declineCode = declineFor(
        requested,
        GATE_CODES.INSUFFICIENT_MERCHANT_BALANCE,
        balance !== undefined && balance < amount && GATE_CODES.INSUFFICIENT_MERCHANT_BALANCE
      )
      if (declineCode) {
        this.finishOperation(payment, operation, "decline", declineCode, requested.message)
        payment.status = "decline"
        payment.errors = [
          {
            code: declineCode,
            message: operation.message ?? "Decline",
            ...(declineCode === GATE_CODES.INSUFFICIENT_MERCHANT_BALANCE
              ? { description: "public: BALANCE_INSUFFICIENT_FUNDS" }
              : {}),
          },
        ]
      } else {
        this.finishOperation(payment, operation, "success", GATE_CODES.SUCCESS)
        payment.status = "success"
        this.credit(currency, -amount)
      }
    } else {
      throw new Error("sandbox: a sale is settled by the shopper's result (completeSale), not settle()")
    }
    this.notify(payment, operation)
  }

  private finishOperation(
    payment: SandboxPayment,
    operation: SandboxOperation,
    status: "success" | "decline",
    code: string,
    message?: string
  ): void {
    operation.status = status
    operation.code = code
    operation.message = message ?? describeGateCode(code) ?? (status === "success" ? "Success" : "Decline")
    operation.date = gateDate()
    payment.date = operation.date
    if (status === "success") operation.providerPaymentId = `FLW${operation.id % 1_000_000_000}`
  }

  /**
   * The callback Gate sends about one of a payment's operations as things stand, before signing: what a lost
   * callback would have said, for a test (or a benchmark) that delivers it itself.
   */
  callbackBody(paymentId: string, operationId: number | string): Record<string, unknown> {
    const payment = this.findPayment(paymentId)
    const operation = payment.operations.find((op) => String(op.id) === String(operationId))
    if (!operation) throw new SandboxNotFoundError(`sandbox: payment "${paymentId}" has no operation ${operationId}`)
    return this.buildCallback(payment, operation)
  }

  private buildCallback(payment: SandboxPayment, operation: SandboxOperation): Record<string, unknown> {
    const body: Record<string, unknown> = {
      project_id: this.options.projectId,
      payment: this.paymentBlock(payment),
      ...(payment.account ? { account: { number: payment.account.number } } : {}),
      customer: { id: payment.customer.id },
      operation: this.operationBlock(operation),
    }
    if (payment.errors.length > 0 && operation.status === "decline" && operation.type !== "refund") {
      body.errors = payment.errors
    }
    if (payment.status === "awaiting redirect result" && payment.redirectData) body.redirect_data = payment.redirectData
    return body
  }

  /** Sends the operation's callback; `override` replaces the operation's scripted delivery for this one. */
  private notify(payment: SandboxPayment, operation: SandboxOperation, override?: SandboxCallbackScript): void {
    const body = this.buildCallback(payment, operation)
    const sent = this.callbacksSent.get(operation.id) ?? 0
    this.callbacksSent.set(operation.id, sent + 1)
    const scripted: SandboxCallbackScript = override ?? this.opScripts.get(operation.id)?.callback ?? {}
    // Reordering holds back an operation's first callback only, until the payment's next one has gone out.
    const script = sent === 0 ? scripted : { ...scripted, reorder: false }
    this.delivery.send(
      payment.callbackUrl ?? this.options.callbackUrl,
      body,
      { paymentId: payment.id, operationId: operation.id, operationType: operation.type, paymentStatus: payment.status },
      script
    )
  }

  private paymentBlock(payment: SandboxPayment): Record<string, unknown> {
    return {
      id: payment.id,
      type: payment.type,
      status: payment.status,
      date: payment.date,
      method: "flutterwave",
      sum: { ...payment.sum },
      description: payment.description,
    }
  }

  private operationBlock(operation: SandboxOperation): Record<string, unknown> {
    return {
      id: operation.id,
      type: operation.type,
      status: operation.status,
      date: operation.date,
      created_date: operation.createdDate,
      request_id: operation.requestId,
      sum_initial: { ...operation.sumInitial },
      sum_converted: { ...operation.sumInitial },
      provider: { id: 1149, payment_id: operation.providerPaymentId, auth_code: "" },
      ...(operation.code !== undefined ? { code: operation.code, message: operation.message } : {}),
    }
  }

  /** The operation's request_id is the one the synchronous answer gives, as at Gate. */
  private acceptedAnswer(paymentId: string, operation: SandboxOperation): SyncAnswer {
    return {
      httpStatus: 200,
      body: {
        status: "success",
        request_id: operation.requestId,
        project_id: this.options.projectId,
        payment_id: paymentId,
      },
    }
  }

  private requirePayment(paymentId: string): SandboxPayment {
    const payment = this.payments.get(paymentId)
    if (!payment) throw new Rejection(GATE_CODES.TRANSACTION_NOT_FOUND)
    return payment
  }

  /** For control calls, which are not Gate requests: an unknown payment is the caller's mistake, not a 3061. */
  private findPayment(paymentId: string): SandboxPayment {
    const payment = this.payments.get(paymentId)
    if (!payment) throw new SandboxNotFoundError(`sandbox: no payment "${paymentId}"`)
    return payment
  }

  private takeScript(operation: SandboxOperationName, paymentId: string | undefined): SandboxScript | undefined {
    const index = this.scripts.findIndex(
      (s) => (!s.operation || s.operation === operation) && (!s.paymentId || s.paymentId === paymentId)
    )
    if (index === -1) return undefined
    const script = this.scripts[index]
    script.times = (script.times ?? 1) - 1
    if (script.times <= 0) this.scripts.splice(index, 1)
    return script
  }

  private credit(currency: string, amount: number): void {
    if (this.balances[currency] !== undefined) this.balances[currency] += amount
  }

  /** Gate's limit time: an operation still processing then is declined automatically. */
  private expireAtLimit(payment: SandboxPayment, operation: SandboxOperation): void {
    this.later(() => {
      if (operation.status !== "processing") return
      this.finishOperation(payment, operation, "decline", GATE_CODES.PROVIDER_TIMEOUT)
      payment.status = "decline"
      payment.redirectData = undefined
      payment.errors = [{ code: GATE_CODES.PROVIDER_TIMEOUT, message: operation.message ?? "Time-out" }]
      this.notify(payment, operation)
    }, this.options.limitTimeMs ?? LIMIT_TIME_MS)
  }

  private later(fn: () => void, ms = 0): void {
    let done: () => void = () => undefined
    if (ms === 0) {
      const pending = new Promise<void>((resolve) => (done = resolve))
      this.immediate.add(pending)
      void pending.then(() => this.immediate.delete(pending))
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      try {
        fn()
      } finally {
        done()
      }
    }, ms)
    timer.unref()
    this.timers.add(timer)
  }
}

function readDescription(body: Record<string, unknown>): string {
  const payment = isObject(body.payment) ? body.payment : {}
  return typeof payment.description === "string" ? payment.description : ""
}

/**
 * Where the shopper goes after the page: the automatic redirect_* URL when given, else the merchant_* URL the
 * page's "back to the shop" link leads to.
 */
function pageReturnUrls(params: Record<string, string>): SandboxPayment["returnUrl"] {
  const success = params.redirect_success_url || params.merchant_success_url || undefined
  const decline = params.redirect_fail_url || params.merchant_fail_url || undefined
  return success || decline ? { success, decline } : undefined
}

/** The query for the records: the last value of a repeated parameter, the signature hidden. */
function redactPageSignature(query: URLSearchParams): Record<string, string> {
  const params: Record<string, string> = {}
  for (const [key, value] of query) {
    // defineProperty, so a `__proto__` parameter is recorded as the key it is.
    Object.defineProperty(params, key, { value, enumerable: true, writable: true, configurable: true })
  }
  if (Object.hasOwn(params, "signature")) params.signature = "[signature]"
  return params
}

function readMoney(value: unknown): { amount: number; currency: string } {
  const payment = isObject(value) ? value : {}
  if (payment.amount === undefined || payment.currency === undefined) {
    throw new Rejection(GATE_CODES.REQUIRED_FIELD_MISSING, "Required field not provided: payment.amount, payment.currency")
  }
  const amount = payment.amount
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new Rejection("502", "Validation error: payment.amount must be a positive integer in minor units")
  }
  const currency = String(payment.currency)
  if (!isSupportedCurrency(currency) || currency !== currency.toUpperCase()) {
    throw new Rejection(GATE_CODES.INVALID_CURRENCY)
  }
  return { amount, currency }
}

/** What a script asks of a refund or payout: anything but a scripted decline asks for success. */
function requestedBy(script: SandboxScript | undefined): RequestedOutcome {
  return { outcome: script?.outcome === "decline" ? "decline" : "success", code: script?.code, message: script?.message }
}

/** A requested decline (its code, or the operation's usual one), else the decline Gate itself would give, if any. */
function declineFor(requested: RequestedOutcome, requestedDefault: string, natural: string | false): string | undefined {
  if (requested.outcome === "decline") return requested.code ?? requestedDefault
  return natural || undefined
}

/** Gate refunds a purchase once it is paid, until it is fully refunded. */
function requireRefundable(payment: SandboxPayment): void {
  if (payment.type !== "purchase" || !["success", "partially refunded"].includes(payment.status)) {
    throw new Rejection(GATE_CODES.STATUS_FORBIDS_ACTION)
  }
}

function readCustomer(body: Record<string, unknown>): { id: string; ip_address: string; email?: string } {
  const customer = isObject(body.customer) ? body.customer : undefined
  if (!customer || !customer.id || !customer.ip_address) {
    throw new Rejection(GATE_CODES.REQUIRED_FIELD_MISSING, "Required field not provided: customer.id, customer.ip_address")
  }
  return {
    id: String(customer.id),
    ip_address: String(customer.ip_address),
    email: typeof customer.email === "string" ? customer.email : undefined,
  }
}

function checkLimit(amount: number, limit: { min: number; max: number }): void {
  if (amount < limit.min) throw new Rejection(GATE_CODES.AMOUNT_BELOW_LIMIT)
  if (amount > limit.max) throw new Rejection(GATE_CODES.AMOUNT_ABOVE_LIMIT)
}

/** Gate's date format: 2019-02-14T13:39:53+0000. */
function gateDate(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "+0000")
}

function redactSignature(body: Record<string, unknown>): Record<string, unknown> {
  const general = isObject(body.general) ? { ...body.general } : undefined
  if (general && "signature" in general) general.signature = "[signature]"
  return general ? { ...body, general } : { ...body }
}
