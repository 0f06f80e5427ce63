import { createHash, randomBytes } from "node:crypto"
import { fromMinorUnits, isSupportedCurrency, MoneyError, normalizeCurrency, toMinorUnits } from "../../money"
import { findSandboxV3Bank, isSandboxV3Country, SANDBOX_V3_BANKS } from "./banks"
import type {
  FlutterwaveEnvelope,
  FlutterwaveV3Operation,
  FlutterwaveV3SandboxOptions,
  FlutterwaveV3Script,
  FlutterwaveV3WebhookScript,
  SandboxV3Answer,
  SandboxV3Delivery,
  SandboxV3Link,
  SandboxV3Refund,
  SandboxV3Request,
  SandboxV3Transaction,
  SandboxV3Transfer,
  SandboxV3Undelivered,
  SandboxV3WebhookBody,
} from "./types"
import {
  FLUTTERWAVE_V3_RETRY_DELAYS_MS,
  FLUTTERWAVE_V3_WEBHOOK_TIMEOUT_MS,
  PendingWork,
  WebhookDelivery,
} from "./webhooks"

export type FlutterwaveV3EngineOptions = FlutterwaveV3SandboxOptions & {
  /** The sandbox's base URL, for the hosted links it hands out. */
  publicUrl: () => string
}

/** The messages Flutterwave answers with; the rail reads several of them (docs/flutterwave-v3-wire.md). */
export const FLUTTERWAVE_V3_MESSAGES = Object.freeze({
  unauthorized: "Invalid authorization key",
  payloadHash: "Invalid payload hash",
  emailRequired: "customer.email is required",
  transactionNotFound: "No transaction was found for this id",
  refundTransactionNotFound: "Transaction not found",
  refundsDisabled: "Refunds are not enabled for this account. Contact support to enable refunds",
  refundExceeds: "Amount requested for refund is greater than refundable amount",
  notRefundable: "Only successful transactions can be refunded",
  refundNotFound: "Refund not found",
  transferExists: "Transfer with this reference already exists",
  invalidBank: "Invalid bank code",
  insufficientBalance: "Insufficient balance",
  transferNotFound: "Transfer not found",
  alreadyPaid: "This payment has already been made",
})

/** A control call (or an in-process call) naming something the sandbox does not have. */
export class SandboxV3NotFoundError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "SandboxV3NotFoundError"
  }
}

/** The shopper tried to pay a tx_ref that already has a successful transaction (the page answers 409). */
export class SandboxV3AlreadyPaidError extends Error {
  constructor(readonly txRef: string) {
    super(`sandbox: ${FLUTTERWAVE_V3_MESSAGES.alreadyPaid} (tx_ref "${txRef}")`)
    this.name = "SandboxV3AlreadyPaidError"
  }
}

/** A script (in-process or POSTed to the control route) that does not make sense. */
export class SandboxV3ScriptError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "SandboxV3ScriptError"
  }
}

/** The account every record belongs to (Flutterwave answers carry it). */
const ACCOUNT_ID = 2_093_711
const WALLET_ID = 2_194_305

const OPERATIONS: readonly FlutterwaveV3Operation[] = Object.freeze([
  "payments",
  "verify",
  "refund",
  "refund_status",
  "transfer",
  "transfer_status",
  "banks",
])

/**
 * Ids for links, transactions, refunds and transfers: one source per process, following the clock (ms), so a
 * sandbox restarted over a store's kept database does not hand out an id it gave before (unless the previous run
 * issued ids faster than one per millisecond for longer than the restart took), and two sandboxes in one process
 * never share an id.
 */
let lastId = 0
function nextId(): number {
  lastId = Math.max(lastId + 1, Date.now())
  return lastId
}

/** A parsed API request the engine answers (the server reads the HTTP parts). */
export type SandboxV3ApiRequest = {
  method: string
  path: string
  query: URLSearchParams
  authorization?: string
  /** The parsed JSON body; undefined for none. */
  body?: unknown
  /** Set when the body was not JSON. */
  bodyError?: string
}

type Route = {
  operation: FlutterwaveV3Operation
  reference?: string
  run: (script: FlutterwaveV3Script | undefined) => SandboxV3Answer
}

/**
 * The in-memory Flutterwave v3 account: hosted links, charges, refunds, transfers, scripts and webhooks. HTTP lives
 * in server.ts; this class is what the server, the in-process API and the control routes share.
 */
export class FlutterwaveV3Engine {
  readonly links = new Map<number, SandboxV3Link>()
  readonly transactions = new Map<number, SandboxV3Transaction>()
  readonly refunds = new Map<number, SandboxV3Refund>()
  readonly transfers = new Map<number, SandboxV3Transfer>()
  readonly deliveries: SandboxV3Delivery[] = []
  readonly undelivered: SandboxV3Undelivered[] = []
  readonly requests: SandboxV3Request[] = []
  readonly work = new PendingWork()
  private scripts: FlutterwaveV3Script[] = []
  /** The webhook script of the request that created a transfer, for its transfer.completed. */
  private readonly transferWebhooks = new Map<number, FlutterwaveV3WebhookScript>()
  /** Flutterwave keeps one customer per email; verify answers its id. */
  private readonly customerIds = new Map<string, number>()
  private readonly delivery: WebhookDelivery
  private webhookUrl: string | undefined
  private refundsEnabled: boolean
  private balances: Record<string, number>

  constructor(private readonly options: FlutterwaveV3EngineOptions) {
    this.webhookUrl = options.webhookUrl
    this.refundsEnabled = options.refundsEnabled ?? true
    this.balances = { ...(options.balances ?? {}) }
    this.delivery = new WebhookDelivery({
      work: this.work,
      secretHash: options.secretHash,
      sign: options.signWebhooks ?? false,
      retryDelaysMs: options.webhookRetryDelaysMs ?? FLUTTERWAVE_V3_RETRY_DELAYS_MS,
      timeoutMs: options.webhookTimeoutMs ?? FLUTTERWAVE_V3_WEBHOOK_TIMEOUT_MS,
      onAttempt: (delivery) => this.deliveries.push(delivery),
      onUndelivered: (record) => this.undelivered.push(record),
    })
  }

  // ── settings and scripts ──────────────────────────────────────────────────────────────────────────────────────

  setWebhookUrl(url: string | undefined): void {
    // Refused here, before anything is sent to it.
    if (url !== undefined && !isHttpUrl(url)) throw new TypeError(`sandbox: the webhook URL must be an http(s) URL, not "${url}"`)
    this.webhookUrl = url
  }

  get currentWebhookUrl(): string | undefined {
    return this.webhookUrl
  }

  setRefundsEnabled(enabled: boolean): void {
    this.refundsEnabled = enabled
  }

  script(script: FlutterwaveV3Script): void {
    this.scripts.push({ ...validateScript(script), times: script.times ?? 1 })
  }

  clearScripts(): void {
    this.scripts = []
  }

  /** Forgets everything (records, scripts, scheduled work); settings go back to the constructor's. */
  reset(): void {
    this.work.cancelAll()
    this.links.clear()
    this.transactions.clear()
    this.refunds.clear()
    this.transfers.clear()
    this.deliveries.length = 0
    this.undelivered.length = 0
    this.requests.length = 0
    this.scripts = []
    this.transferWebhooks.clear()
    this.customerIds.clear()
    this.webhookUrl = this.options.webhookUrl
    this.refundsEnabled = this.options.refundsEnabled ?? true
    this.balances = { ...(this.options.balances ?? {}) }
  }

  close(): void {
    this.delivery.close()
    this.work.cancelAll()
  }

  /** Resolves once every scheduled settle and webhook delivery (retries included) has happened. */
  async idle(): Promise<void> {
    await this.work.idle()
  }

  // ── the API ───────────────────────────────────────────────────────────────────────────────────────────────────

  /** Answers one `/v3/…` request (hosted pages aside). */
  handleApi(request: SandboxV3ApiRequest): SandboxV3Answer {
    const route = this.route(request)
    if (!route) {
      const answer = errorAnswer(404, "Not found")
      this.record(request, "unknown", undefined, answer, false)
      return answer
    }
    if (request.authorization !== `Bearer ${this.options.secretKey}`) {
      const answer = errorAnswer(401, FLUTTERWAVE_V3_MESSAGES.unauthorized)
      this.record(request, route.operation, route.reference, answer, false)
      return answer
    }
    if (request.bodyError) {
      const answer = errorAnswer(400, request.bodyError)
      this.record(request, route.operation, route.reference, answer, false)
      return answer
    }
    const script = this.takeScript(route.operation, route.reference)
    const scriptedStatus = script?.httpStatus
    let answer: SandboxV3Answer
    let processed = false
    if (scriptedStatus !== undefined && scriptedStatus < 500) {
      // A scripted refusal: Flutterwave said no, so nothing happened.
      answer = errorAnswer(scriptedStatus, "Request refused (sandbox script)")
    } else {
      const faulty = script !== undefined && (scriptedStatus !== undefined || (script.hangMs ?? 0) > 0)
      if (faulty && script.process === false) {
        answer = serverErrorAnswer(scriptedStatus ?? 504)
      } else {
        answer = route.run(script)
        processed = answer.httpStatus === 200
      }
      if (scriptedStatus !== undefined) answer = serverErrorAnswer(scriptedStatus)
    }
    if (script?.hangMs) answer = { ...answer, hangMs: script.hangMs }
    this.record(request, route.operation, route.reference, answer, processed)
    return answer
  }

  private route(request: SandboxV3ApiRequest): Route | undefined {
    const { method, path, query } = request
    const body = isRecord(request.body) ? request.body : {}
    if (path === "/v3/payments" && method === "POST") {
      return { operation: "payments", reference: text(body.tx_ref), run: (script) => this.createPayment(body, script) }
    }
    if (path === "/v3/transactions/verify_by_reference" && method === "GET") {
      const txRef = query.get("tx_ref") ?? ""
      return { operation: "verify", reference: txRef, run: () => this.verifyByReference(txRef) }
    }
    const verify = /^\/v3\/transactions\/([^/]+)\/verify$/.exec(path)
    if (verify && method === "GET") {
      const transaction = this.transactionByIdText(verify[1])
      return { operation: "verify", reference: transaction?.txRef, run: () => this.verifyById(transaction) }
    }
    const refund = /^\/v3\/transactions\/([^/]+)\/refund$/.exec(path)
    if (refund && method === "POST") {
      const transaction = this.transactionByIdText(refund[1])
      return { operation: "refund", reference: transaction?.txRef, run: (script) => this.createRefund(transaction, body, script) }
    }
    const oneRefund = /^\/v3\/refunds\/([^/]+)$/.exec(path)
    if (oneRefund && method === "GET") {
      const found = this.refunds.get(Number(oneRefund[1]))
      return fetchOneRoute("refund_status", found, found?.txRef, "Refund fetched", refundData, FLUTTERWAVE_V3_MESSAGES.refundNotFound)
    }
    if (path === "/v3/refunds" && method === "GET") {
      const txIdText = query.get("tx_id")
      const transaction = txIdText === null ? undefined : this.transactionByIdText(txIdText)
      return { operation: "refund_status", reference: transaction?.txRef, run: () => this.listRefunds(txIdText) }
    }
    if (path === "/v3/transfers" && method === "POST") {
      return { operation: "transfer", reference: text(body.reference), run: (script) => this.createTransfer(body, script) }
    }
    const oneTransfer = /^\/v3\/transfers\/([^/]+)$/.exec(path)
    if (oneTransfer && method === "GET") {
      const found = this.transfers.get(Number(oneTransfer[1]))
      return fetchOneRoute("transfer_status", found, found?.reference, "Transfer fetched", transferData, FLUTTERWAVE_V3_MESSAGES.transferNotFound)
    }
    if (path === "/v3/transfers" && method === "GET") {
      const reference = query.get("reference") ?? undefined
      return { operation: "transfer_status", reference, run: () => this.listTransfers(reference) }
    }
    const banks = /^\/v3\/banks\/([^/]+)$/.exec(path)
    if (banks && method === "GET") {
      const country = decodeURIComponent(banks[1]).toUpperCase()
      return { operation: "banks", reference: country, run: () => this.banks(country) }
    }
    return undefined
  }

  private createPayment(body: Record<string, unknown>, script: FlutterwaveV3Script | undefined): SandboxV3Answer {
    const txRef = text(body.tx_ref)
    if (!txRef) return errorAnswer(400, "tx_ref is required")
    const currencyText = text(body.currency)
    if (!currencyText || !isSupportedCurrency(currencyText)) return errorAnswer(400, "Invalid currency")
    const currency = normalizeCurrency(currencyText)
    const amount = minorOf(body.amount, currency)
    if (amount === undefined || amount <= 0) return errorAnswer(400, "Invalid amount")
    const redirectUrl = text(body.redirect_url)
    if (!redirectUrl || !isHttpUrl(redirectUrl)) return errorAnswer(400, "redirect_url is required")
    const customer = isRecord(body.customer) ? body.customer : {}
    const email = text(customer.email)
    if (!email) return errorAnswer(400, FLUTTERWAVE_V3_MESSAGES.emailRequired)
    // Flutterwave treats payload_hash as optional; when given it must match (the rail always sends it).
    const payloadHash = body.payload_hash
    if (payloadHash !== undefined) {
      const expected = payloadHashOf(String(body.amount), currencyText, email, txRef, this.options.secretKey)
      if (payloadHash !== expected) return errorAnswer(400, FLUTTERWAVE_V3_MESSAGES.payloadHash)
    }
    const customizations = isRecord(body.customizations) ? body.customizations : {}
    const id = nextId()
    const link: SandboxV3Link = {
      id,
      link: `${this.options.publicUrl()}/v3/hosted/pay/flwlnk-${id}`,
      txRef,
      amount,
      currency,
      redirectUrl,
      email,
      name: text(customer.name) ?? "",
      ...(text(customer.phonenumber) ? { phoneNumber: text(customer.phonenumber) } : {}),
      ...(text(customizations.title) ? { title: text(customizations.title) } : {}),
      ...(text(customizations.description) ? { description: text(customizations.description) } : {}),
      meta: isRecord(body.meta) ? structuredClone(body.meta) : {},
      payloadHashChecked: payloadHash !== undefined,
      createdAt: new Date().toISOString(),
      ...(script?.webhook ? { webhook: script.webhook } : {}),
    }
    this.links.set(id, link)
    return ok("Hosted Link", { link: link.link })
  }

  private verifyByReference(txRef: string): SandboxV3Answer {
    return this.verifyById(this.transactionOf(txRef))
  }

  private verifyById(transaction: SandboxV3Transaction | undefined): SandboxV3Answer {
    return transaction
      ? ok("Transaction fetched successfully", transactionData(transaction))
      : errorAnswer(400, FLUTTERWAVE_V3_MESSAGES.transactionNotFound)
  }

  private createRefund(
    transaction: SandboxV3Transaction | undefined,
    body: Record<string, unknown>,
    script: FlutterwaveV3Script | undefined
  ): SandboxV3Answer {
    if (!this.refundsEnabled) return errorAnswer(400, FLUTTERWAVE_V3_MESSAGES.refundsDisabled)
    if (!transaction) return errorAnswer(404, FLUTTERWAVE_V3_MESSAGES.refundTransactionNotFound)
    if (transaction.status !== "successful") return errorAnswer(400, FLUTTERWAVE_V3_MESSAGES.notRefundable)
    const refundable = transaction.amount - transaction.refunded
    // No amount: the whole of what is left, as Flutterwave's full refund.
    let amount = refundable
    if (body.amount !== undefined && body.amount !== null) {
      const asked = minorOf(body.amount, transaction.currency)
      if (asked === undefined || asked <= 0) return errorAnswer(400, "Invalid amount")
      amount = asked
    }
    // Nothing left (a full refund asked again) is "greater than refundable" too.
    if (amount <= 0 || amount > refundable) return errorAnswer(400, FLUTTERWAVE_V3_MESSAGES.refundExceeds)
    const refund: SandboxV3Refund = {
      id: nextId(),
      txId: transaction.id,
      txRef: transaction.txRef,
      flwRef: `URF_${Date.now()}_${randomBytes(3).toString("hex").toUpperCase()}`,
      amount,
      currency: transaction.currency,
      status: "pending",
      comments: text(body.comments) ?? "",
      createdAt: new Date().toISOString(),
    }
    this.refunds.set(refund.id, refund)
    // Reserved at once: what is being refunded can no longer be refunded again; a failed refund gives it back.
    transaction.refunded += amount
    const outcome = script?.refund ?? "pending"
    if (outcome === "completed") this.finishRefund(refund, "completed")
    else if (outcome !== "stall") {
      const settled = outcome === "failed" ? "failed" : "completed"
      this.work.later(this.options.refundSettleMs ?? 50, () => this.finishRefund(refund, settled))
    }
    return ok("Refund initiated", refundData(refund))
  }

  private listRefunds(txIdText: string | null): SandboxV3Answer {
    const all = [...this.refunds.values()]
    const chosen = txIdText === null ? all : all.filter((refund) => String(refund.txId) === txIdText)
    // Oldest first (pinned in the wire doc), so a caller walking them sees them in the order they were made.
    const data = chosen.sort((a, b) => a.id - b.id).map(refundData)
    return ok("Refunds fetched", data, pageInfo(data.length))
  }

  private createTransfer(body: Record<string, unknown>, script: FlutterwaveV3Script | undefined): SandboxV3Answer {
    const bankCode = text(body.account_bank)
    if (!bankCode) return errorAnswer(400, "account_bank is required")
    const accountNumber = text(body.account_number)
    if (!accountNumber) return errorAnswer(400, "account_number is required")
    const currencyText = text(body.currency)
    if (!currencyText || !isSupportedCurrency(currencyText)) return errorAnswer(400, "Invalid currency")
    const currency = normalizeCurrency(currencyText)
    const debitText = text(body.debit_currency) ?? currency
    if (!isSupportedCurrency(debitText)) return errorAnswer(400, "Invalid debit currency")
    const amount = minorOf(body.amount, currency)
    if (amount === undefined || amount <= 0) return errorAnswer(400, "Invalid amount")
    // Flutterwave makes up a reference when none is given; ours always sends one.
    const reference = text(body.reference) ?? `sandbox_${randomBytes(6).toString("hex")}`
    if ([...this.transfers.values()].some((transfer) => transfer.reference === reference)) {
      return errorAnswer(400, FLUTTERWAVE_V3_MESSAGES.transferExists)
    }
    const bank = findSandboxV3Bank(bankCode, currency)
    if (!bank) return errorAnswer(400, FLUTTERWAVE_V3_MESSAGES.invalidBank)
    const fee = transferFee(currency, amount)
    const balance = this.balances[currency]
    if (balance !== undefined && balance < amount + fee) return errorAnswer(400, FLUTTERWAVE_V3_MESSAGES.insufficientBalance)
    if (balance !== undefined) this.balances[currency] = balance - amount - fee

    const callbackUrl = text(body.callback_url)
    const transfer: SandboxV3Transfer = {
      id: nextId(),
      reference,
      bankCode,
      bankName: bank.name,
      accountNumber,
      fullName: text(body.beneficiary_name) ?? "SANDBOX ACCOUNT HOLDER",
      amount,
      fee,
      currency,
      debitCurrency: normalizeCurrency(debitText),
      narration: text(body.narration) ?? "",
      status: "NEW",
      completeMessage: "",
      ...(callbackUrl && isHttpUrl(callbackUrl) ? { callbackUrl } : {}),
      meta: isRecord(body.meta) ? structuredClone(body.meta) : null,
      createdAt: new Date().toISOString(),
    }
    this.transfers.set(transfer.id, transfer)
    if (script?.webhook) this.transferWebhooks.set(transfer.id, script.webhook)

    const planned = script?.transfer ?? outcomeBySuffix(reference)
    if (planned !== "stall") {
      const delayMs = testDelayMs(reference) ?? this.options.transferSettleMs ?? 50
      this.work.later(delayMs, () =>
        planned === "fail"
          ? this.finishTransfer(transfer, "FAILED", "DISBURSE FAILED: Account resolve failed (sandbox)")
          : this.finishTransfer(transfer, "SUCCESSFUL")
      )
    }
    return ok("Transfer Queued Successfully", transferData(transfer))
  }

  private listTransfers(reference: string | undefined): SandboxV3Answer {
    const all = [...this.transfers.values()]
    const chosen = reference === undefined ? all : all.filter((transfer) => transfer.reference === reference)
    // Newest first, as Flutterwave lists transfers.
    const data = chosen.sort((a, b) => b.id - a.id).map(transferData)
    return ok("Transfers fetched", data, pageInfo(data.length))
  }

  private banks(country: string): SandboxV3Answer {
    if (!isSandboxV3Country(country)) return errorAnswer(400, `Banks are not available for country ${country}`)
    return ok("Banks fetched successfully", SANDBOX_V3_BANKS[country].map((bank) => ({ ...bank })))
  }

  // ── the shopper and the test's hand ───────────────────────────────────────────────────────────────────────────

  latestLink(txRef: string): SandboxV3Link | undefined {
    let latest: SandboxV3Link | undefined
    for (const link of this.links.values()) if (link.txRef === txRef) latest = link
    return latest
  }

  /** What verify_by_reference answers: the successful attempt if any, else the latest. */
  transactionOf(txRef: string): SandboxV3Transaction | undefined {
    let latest: SandboxV3Transaction | undefined
    for (const transaction of this.transactions.values()) {
      if (transaction.txRef !== txRef) continue
      if (transaction.status === "successful") return transaction
      latest = transaction
    }
    return latest
  }

  /**
   * The shopper pays or fails on `link`'s page: a new transaction, and its charge.completed webhook at once.
   * `webhook` overrides the link's own webhook script for this charge. Throws SandboxV3AlreadyPaidError when the
   * tx_ref already has a successful transaction (one success per tx_ref).
   */
  charge(link: SandboxV3Link, outcome: "successful" | "failed", webhook?: FlutterwaveV3WebhookScript): SandboxV3Transaction {
    if (this.transactionOf(link.txRef)?.status === "successful") throw new SandboxV3AlreadyPaidError(link.txRef)
    const transaction: SandboxV3Transaction = {
      id: nextId(),
      txRef: link.txRef,
      flwRef: `FLW-MOCK-${randomBytes(16).toString("hex")}`,
      amount: link.amount,
      currency: link.currency,
      status: outcome,
      refunded: 0,
      appFee: Number((BigInt(link.amount) * 14n + 500n) / 1000n), // 1.4 %, rounded half up, in minor units
      processorResponse: outcome === "successful" ? "Approved by Financial Institution" : "Declined by issuer (sandbox)",
      paymentType: "card",
      createdAt: new Date().toISOString(),
      customer: { id: this.customerId(link.email), email: link.email, name: link.name, phoneNumber: link.phoneNumber ?? null },
      meta: structuredClone(link.meta),
      linkId: link.id,
    }
    this.transactions.set(transaction.id, transaction)
    if (outcome === "successful" && this.balances[transaction.currency] !== undefined) {
      this.balances[transaction.currency] += transaction.amount - transaction.appFee
    }
    this.delivery.send(this.webhookUrl, chargeWebhookBody(transaction), webhook ?? link.webhook)
    return transaction
  }

  /** Settles a pending refund (a stalled one, or ahead of its timer); a refund already final is returned unchanged. */
  settleRefund(refundId: number, status: "completed" | "failed"): SandboxV3Refund {
    const refund = this.refunds.get(refundId)
    if (!refund) throw new SandboxV3NotFoundError(`sandbox: no refund ${refundId}`)
    this.finishRefund(refund, status)
    return refund
  }

  /** Settles a transfer still NEW or PENDING, and sends its webhook; one already final is returned unchanged. */
  settleTransfer(transferId: number, status: "SUCCESSFUL" | "FAILED", message?: string): SandboxV3Transfer {
    const transfer = this.transfers.get(transferId)
    if (!transfer) throw new SandboxV3NotFoundError(`sandbox: no transfer ${transferId}`)
    this.finishTransfer(transfer, status, message)
    return transfer
  }

  /** The dashboard's "send test webhook". */
  sendTestWebhook(): void {
    this.delivery.send(this.webhookUrl, {
      event: "test_assess",
      data: {
        id: nextId(),
        message: "This is a test webhook from your Flutterwave dashboard (sandbox)",
        created_at: new Date().toISOString(),
      },
    })
  }

  /** The charge.completed a transaction's webhook carries (as things stand now), as sent. */
  chargeWebhook(transactionId: number): { body: string; headers: Record<string, string> } {
    const transaction = this.transactions.get(transactionId)
    if (!transaction) throw new SandboxV3NotFoundError(`sandbox: no transaction ${transactionId}`)
    return this.delivery.render(chargeWebhookBody(transaction))
  }

  private finishRefund(refund: SandboxV3Refund, status: "completed" | "failed"): void {
    if (refund.status !== "pending") return
    refund.status = status
    if (status === "failed") {
      const transaction = this.transactions.get(refund.txId)
      if (transaction) transaction.refunded -= refund.amount
    }
  }

  private finishTransfer(transfer: SandboxV3Transfer, status: "SUCCESSFUL" | "FAILED", message?: string): void {
    if (transfer.status !== "NEW" && transfer.status !== "PENDING") return
    transfer.status = status
    transfer.completeMessage = message ?? (status === "SUCCESSFUL" ? "Successful" : "DISBURSE FAILED: Transfer failed (sandbox)")
    if (status === "FAILED" && this.balances[transfer.currency] !== undefined) {
      this.balances[transfer.currency] += transfer.amount + transfer.fee
    }
    const webhook = this.transferWebhooks.get(transfer.id)
    this.delivery.send(transfer.callbackUrl ?? this.webhookUrl, transferWebhookBody(transfer), webhook)
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────────────────────────

  private transactionByIdText(idText: string): SandboxV3Transaction | undefined {
    return /^\d+$/.test(idText) ? this.transactions.get(Number(idText)) : undefined
  }

  private customerId(email: string): number {
    const key = email.toLowerCase()
    let id = this.customerIds.get(key)
    if (id === undefined) {
      id = nextId()
      this.customerIds.set(key, id)
    }
    return id
  }

  private takeScript(operation: FlutterwaveV3Operation, reference: string | undefined): FlutterwaveV3Script | undefined {
    const index = this.scripts.findIndex(
      (script) => script.operation === operation && (script.reference === undefined || script.reference === reference)
    )
    if (index === -1) return undefined
    const script = this.scripts[index]
    script.times = (script.times ?? 1) - 1
    if (script.times <= 0) this.scripts.splice(index, 1)
    return script
  }

  private record(
    request: SandboxV3ApiRequest,
    operation: SandboxV3Request["operation"],
    reference: string | undefined,
    answer: SandboxV3Answer,
    processed: boolean
  ): void {
    this.requests.push({
      at: new Date().toISOString(),
      method: request.method,
      path: request.path,
      operation,
      ...(reference !== undefined ? { reference } : {}),
      httpStatus: answer.httpStatus,
      processed,
    })
  }
}

// ── wire shapes ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Minor units → Flutterwave's JSON number, through src/money's exact decimal text. */
function major(minor: number, currency: string): number {
  return Number(fromMinorUnits(minor, currency))
}

export function transactionData(transaction: SandboxV3Transaction): Record<string, unknown> {
  return { ...chargeData(transaction), meta: structuredClone(transaction.meta) }
}

function chargeData(transaction: SandboxV3Transaction): Record<string, unknown> {
  const { currency } = transaction
  return {
    id: transaction.id,
    tx_ref: transaction.txRef,
    flw_ref: transaction.flwRef,
    device_fingerprint: "N/A",
    amount: major(transaction.amount, currency),
    currency,
    charged_amount: major(transaction.amount, currency),
    app_fee: major(transaction.appFee, currency),
    merchant_fee: 0,
    processor_response: transaction.processorResponse,
    auth_model: "PIN",
    ip: "127.0.0.1",
    narration: "CARD Transaction ",
    status: transaction.status,
    payment_type: transaction.paymentType,
    created_at: transaction.createdAt,
    account_id: ACCOUNT_ID,
    amount_settled: transaction.status === "successful" ? major(transaction.amount - transaction.appFee, currency) : 0,
    card: { first_6digits: "553188", last_4digits: "2950", issuer: "MASTERCARD  CREDIT", country: "NG", type: "MASTERCARD", expiry: "09/32" },
    customer: {
      id: transaction.customer.id,
      name: transaction.customer.name,
      phone_number: transaction.customer.phoneNumber,
      email: transaction.customer.email,
      created_at: transaction.createdAt,
    },
  }
}

export function chargeWebhookBody(transaction: SandboxV3Transaction): SandboxV3WebhookBody {
  return { event: "charge.completed", data: chargeData(transaction), "event.type": "CARD_TRANSACTION" }
}

export function refundData(refund: SandboxV3Refund): Record<string, unknown> {
  return {
    id: refund.id,
    account_id: ACCOUNT_ID,
    tx_id: refund.txId,
    flw_ref: refund.flwRef,
    wallet_id: WALLET_ID,
    amount_refunded: major(refund.amount, refund.currency),
    status: refund.status,
    destination: "payment_source",
    comments: refund.comments,
    meta: { source: "availablebalance" },
    created_at: refund.createdAt,
  }
}

export function transferData(transfer: SandboxV3Transfer): Record<string, unknown> {
  return {
    id: transfer.id,
    account_number: transfer.accountNumber,
    bank_code: transfer.bankCode,
    full_name: transfer.fullName,
    created_at: transfer.createdAt,
    currency: transfer.currency,
    debit_currency: transfer.debitCurrency,
    amount: major(transfer.amount, transfer.currency),
    fee: major(transfer.fee, transfer.currency),
    status: transfer.status,
    reference: transfer.reference,
    meta: transfer.meta === null ? null : structuredClone(transfer.meta),
    narration: transfer.narration,
    complete_message: transfer.completeMessage,
    requires_approval: 0,
    is_approved: 1,
    bank_name: transfer.bankName,
  }
}

export function transferWebhookBody(transfer: SandboxV3Transfer): SandboxV3WebhookBody {
  return {
    event: "transfer.completed",
    "event.type": "Transfer",
    data: {
      id: transfer.id,
      account_number: transfer.accountNumber,
      bank_name: transfer.bankName,
      bank_code: transfer.bankCode,
      fullname: transfer.fullName,
      created_at: transfer.createdAt,
      currency: transfer.currency,
      debit_currency: transfer.debitCurrency,
      amount: major(transfer.amount, transfer.currency),
      fee: major(transfer.fee, transfer.currency),
      status: transfer.status,
      reference: transfer.reference,
      meta: transfer.meta === null ? null : structuredClone(transfer.meta),
      narration: transfer.narration,
      approver: null,
      complete_message: transfer.completeMessage,
      requires_approval: 0,
      is_approved: 1,
    },
  }
}

/** sha256 hex of amount + currency + customer.email + tx_ref + sha256hex(secret key), as the wire doc pins. */
export function payloadHashOf(amountText: string, currency: string, email: string, txRef: string, secretKey: string): string {
  const keyHash = createHash("sha256").update(secretKey, "utf8").digest("hex")
  return createHash("sha256").update(`${amountText}${currency}${email}${txRef}${keyHash}`, "utf8").digest("hex")
}

function ok(message: string, data: unknown, meta?: unknown): SandboxV3Answer {
  const body: FlutterwaveEnvelope = { status: "success", message, data }
  if (meta !== undefined) body.meta = meta
  return { httpStatus: 200, body }
}

function errorAnswer(httpStatus: number, message: string): SandboxV3Answer {
  return { httpStatus, body: { status: "error", message, data: null } }
}

/** `GET /v3/refunds/<id>` or `/v3/transfers/<id>`: what was found, under Flutterwave's "… fetched", or its 404. */
function fetchOneRoute<T>(
  operation: FlutterwaveV3Operation,
  found: T | undefined,
  reference: string | undefined,
  fetched: string,
  data: (found: T) => Record<string, unknown>,
  notFound: string
): Route {
  return { operation, reference, run: () => (found ? ok(fetched, data(found)) : errorAnswer(404, notFound)) }
}

const SERVER_ERROR_MESSAGES: Record<number, string> = {
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service temporarily unavailable",
  504: "Gateway timeout",
}

function serverErrorAnswer(httpStatus: number): SandboxV3Answer {
  return errorAnswer(httpStatus, SERVER_ERROR_MESSAGES[httpStatus] ?? "Server error")
}

function pageInfo(total: number): Record<string, unknown> {
  return { page_info: { total, current_page: 1, total_pages: 1 } }
}

/**
 * A JSON amount (major units: a number, or numeric text as Flutterwave also takes) in minor units, through
 * src/money; undefined when it is not an amount of `currency` (a fraction below its minor unit included).
 */
function minorOf(value: unknown, currency: string): number | undefined {
  if (typeof value !== "number" && typeof value !== "string") return undefined
  if (typeof value === "number" && !Number.isFinite(value)) return undefined
  try {
    return toMinorUnits(String(value), currency)
  } catch (error) {
    if (error instanceof MoneyError) return undefined
    throw error
  }
}

/**
 * Flutterwave's transfer fee, in minor units. NGN is tiered (10.75 up to 5,000; 26.88 up to 50,000; 53.75 above);
 * other currencies are charged no fee in the sandbox.
 */
function transferFee(currency: string, amount: number): number {
  if (currency !== "NGN") return 0
  if (amount <= 500_000) return 1075
  if (amount <= 5_000_000) return 2688
  return 5375
}

/** Flutterwave's test-mode suffixes: `_PMCK_ST_F` fails, `_PMCK` (and anything else here) succeeds. */
function outcomeBySuffix(reference: string): "success" | "fail" {
  return /_PMCK_ST_F$/.test(reference) ? "fail" : "success"
}

/** `DU_<minutes>` in a test reference delays the transfer's result by that many minutes. */
function testDelayMs(reference: string): number | undefined {
  const match = /DU_(\d+)/.exec(reference)
  return match ? Number(match[1]) * 60_000 : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

/** An http(s) URL (what a webhook, redirect or callback URL must be). */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === "http:" || url.protocol === "https:"
  } catch {
    return false
  }
}

/** Checks a script's fields (scripts also arrive as JSON over the control route). */
export function validateScript(raw: unknown): FlutterwaveV3Script {
  if (!isRecord(raw)) throw new SandboxV3ScriptError("a script must be an object")
  const { operation, reference, times, httpStatus, hangMs, process, refund, transfer, webhook } = raw
  if (typeof operation !== "string" || !(OPERATIONS as readonly string[]).includes(operation)) {
    throw new SandboxV3ScriptError(`operation must be one of ${OPERATIONS.join(", ")}`)
  }
  if (reference !== undefined && typeof reference !== "string") throw new SandboxV3ScriptError("reference must be a string")
  if (times !== undefined && !isWhole(times, 1)) throw new SandboxV3ScriptError("times must be a whole number ≥ 1")
  if (httpStatus !== undefined && (!isWhole(httpStatus, 400) || httpStatus > 599)) {
    throw new SandboxV3ScriptError("httpStatus must be an HTTP error status (400-599)")
  }
  if (hangMs !== undefined && !isWhole(hangMs, 0)) throw new SandboxV3ScriptError("hangMs must be a whole number of ms")
  if (process !== undefined && typeof process !== "boolean") throw new SandboxV3ScriptError("process must be a boolean")
  if (refund !== undefined && !["pending", "completed", "failed", "stall"].includes(String(refund))) {
    throw new SandboxV3ScriptError('refund must be "pending", "completed", "failed" or "stall"')
  }
  if (transfer !== undefined && !["success", "fail", "stall"].includes(String(transfer))) {
    throw new SandboxV3ScriptError('transfer must be "success", "fail" or "stall"')
  }
  if (webhook !== undefined) validateWebhookScript(webhook)
  return raw as FlutterwaveV3Script
}

export function validateWebhookScript(raw: unknown): FlutterwaveV3WebhookScript {
  if (!isRecord(raw)) throw new SandboxV3ScriptError("webhook must be an object")
  const { drop, duplicates, delayMs, mutate } = raw
  if (drop !== undefined && typeof drop !== "boolean") throw new SandboxV3ScriptError("webhook.drop must be a boolean")
  if (duplicates !== undefined && !isWhole(duplicates, 0)) throw new SandboxV3ScriptError("webhook.duplicates must be a whole number ≥ 0")
  if (delayMs !== undefined && !isWhole(delayMs, 0)) throw new SandboxV3ScriptError("webhook.delayMs must be a whole number of ms")
  if (mutate !== undefined && typeof mutate !== "function") throw new SandboxV3ScriptError("webhook.mutate must be a function")
  return raw as FlutterwaveV3WebhookScript
}

function isWhole(value: unknown, min: number): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min
}
