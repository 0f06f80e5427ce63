import { GateRejectedError, GateUnknownOutcomeError, GateUnreachableError, type GateAccepted, type GateOperation, type GateStatusResult, type RefundRequest } from "../../rails/ecommpay"
import type { Outcome } from "../../rails/ecommpay/status"
import type { AttentionBoard, AttentionKind, Ledger, LedgerRefund, LedgerSale, NewAttention, NewRefund, RefundResult } from "../ports"
import { EcommpayRail, type GateTransport } from "../../rails/ecommpay/ecommpay-rail"
import type { RefundRail } from "../ports"

/** The ledger's contract, in memory: the unique keys and conditional transitions of the SQL ledger, nothing more. */
export class InMemoryLedger implements Ledger {
  sales = new Map<string, LedgerSale & { lastStatusAt?: number }>()
  refunds: LedgerRefund[] = []
  now = () => Date.now()

  async recordSaleSent(sale: { gatePaymentId: string; sessionId: string; amount: number; currency: string }) {
    if (!this.sales.has(sale.gatePaymentId)) this.sales.set(sale.gatePaymentId, { ...sale, status: "pending", completionAttempts: 0 })
  }
  async findSale(id: string) {
    const sale = this.sales.get(id)
    return sale ? { ...sale } : undefined
  }
  async refundsOf(id: string) {
    return this.refunds.filter((r) => r.gatePaymentId === id).map((r) => ({ ...r }))
  }
  async refundsOfPayments(ids: string[]) {
    return new Map(await Promise.all(ids.map(async (id) => [id, await this.refundsOf(id)] as const)))
  }
  /** The payment's refund lock: callers queue behind each other, as PostgreSQL's advisory lock makes them. */
  private locks = new Map<string, Promise<unknown>>()
  async withRefundLock<T>(id: string, work: (ledger: Ledger) => Promise<T>): Promise<T> {
    const before = this.locks.get(id) ?? Promise.resolve()
    const mine = before.catch(() => undefined).then(() => work(this))
    this.locks.set(id, mine.catch(() => undefined))
    return mine
  }
  private seq = 1
  async reserveRefund(refund: NewRefund) {
    const existing = this.refunds.find((r) => r.merchantKey === refund.merchantKey)
    if (existing) return { created: false, refund: { ...existing } }
    const row: LedgerRefund = {
      id: `fwop_${this.seq++}`,
      gatePaymentId: refund.gatePaymentId,
      merchantKey: refund.merchantKey,
      amount: refund.amount,
      currency: refund.currency,
      origin: refund.origin,
      medusaRefundId: refund.medusaRefundId ?? null,
      medusaAmount: refund.medusaAmount ?? null,
      gateOperationId: null,
      requestId: null,
      status: "pending",
      code: null,
      message: null,
      resolution: null,
      createdAt: new Date().toISOString(),
    }
    this.refunds.push(row)
    return { created: true, refund: { ...row } }
  }
  /** A refund first heard of from Gate (made outside Medusa), as recordOperation writes it. */
  recordOutside(gatePaymentId: string, gateOperationId: string, amount: number, currency: string, status: Outcome): LedgerRefund {
    const row: LedgerRefund = {
      id: `fwop_${this.seq++}`,
      gatePaymentId,
      merchantKey: null,
      amount,
      currency,
      origin: "outside",
      medusaRefundId: null,
      medusaAmount: null,
      gateOperationId,
      requestId: null,
      status,
      code: null,
      message: null,
      resolution: null,
      createdAt: new Date().toISOString(),
    }
    this.refunds.push(row)
    return { ...row }
  }
  async settleRefund(key: string, result: RefundResult) {
    const row = this.refunds.find((r) => r.merchantKey === key)
    if (!row) return
    row.requestId ??= result.requestId ?? null
    row.gateOperationId ??= result.gateOperationId ?? null
    if (result.status !== "pending" && row.status === "pending") Object.assign(row, { status: result.status, code: result.code ?? null, message: result.message ?? null })
  }
  async detachMedusaRefund(key: string) {
    const row = this.refunds.find((r) => r.merchantKey === key)
    if (row) row.medusaRefundId = null
  }
  async resolveMedusaRefund(medusaRefundId: string, resolution: string) {
    for (const row of this.refunds) if (row.medusaRefundId === medusaRefundId) row.resolution = resolution
  }
  claims = new Set<string>()
  async claimOutsideRefund(rowId: string) {
    const row = this.refunds.find((r) => r.id === rowId)
    if (!row || row.medusaRefundId || row.origin === "orphan" || this.claims.has(rowId)) return false
    this.claims.add(rowId)
    return true
  }
  async attachOutsideRefund(rowId: string, medusaRefundId: string, medusaAmount: string, origin: "outside" | "medusa" = "outside") {
    const row = this.refunds.find((r) => r.id === rowId)
    if (!row || row.medusaRefundId) return false
    Object.assign(row, { medusaRefundId, medusaAmount, origin })
    return true
  }
  async releaseOutsideRefund(rowId: string) {
    const row = this.refunds.find((r) => r.id === rowId)
    if (row && !row.medusaRefundId) this.claims.delete(rowId)
  }
  async reopenDeclinedSale(id: string) {
    const sale = this.sales.get(id)
    if (!sale || sale.status !== "decline") return false
    sale.status = "success"
    return true
  }
  async countCompletionAttempt(id: string) {
    const sale = this.sales.get(id)!
    sale.completionAttempts++
    return sale.completionAttempts
  }
  async claimStatusCheck(id: string, intervalMs: number) {
    const sale = this.sales.get(id)
    if (!sale) return false
    if (sale.lastStatusAt !== undefined && this.now() - sale.lastStatusAt < intervalMs) return false
    sale.lastStatusAt = this.now()
    return true
  }
}

export class InMemoryAttention implements AttentionBoard {
  items: Array<NewAttention & { state: "open" | "resolved"; resolution?: string }> = []
  notified: NewAttention[] = []
  async raise(item: NewAttention) {
    const existing = this.items.find((i) => i.kind === item.kind && i.gatePaymentId === item.gatePaymentId && (i.subject ?? "") === (item.subject ?? ""))
    if (existing) {
      Object.assign(existing, { message: item.message, refundKey: item.refundKey ?? existing.refundKey })
      return { created: false }
    }
    this.items.push({ ...item, state: "open" })
    this.notified.push(item)
    return { created: true }
  }
  async resolve(kind: AttentionKind, id: string, resolution: string, _by?: string, subject?: string) {
    const item = this.items.find((i) => i.kind === kind && i.gatePaymentId === id && i.state === "open" && (i.subject ?? "") === (subject ?? ""))
    if (item) Object.assign(item, { state: "resolved", resolution })
  }
}

/** How FakeGate answers the next refund request (then it goes back to "accept"). */
export type FakeRefundMode =
  /** Accepted, and at once a successful refund operation at Gate. */
  | "accept"
  /** Accepted; the operation stays "processing" until the test settles it (settleAtGate). */
  | "processing"
  /** Gate made the refund, but its answer was lost (timeout). */
  | "unknown-but-processed"
  /** The request was lost before Gate made anything of it (timeout). */
  | "unknown-not-processed"
  /** Gate could not be reached: nothing was sent. */
  | "unreachable"
  /** Gate refuses it at once. */
  | { refuse: string; message: string }

/**
 * A fake Gate with the behaviour settlement relies on: a paid sale, refunds that count against it, 3230 for a reused
 * merchant_refund_id, and scripted failures (unknown outcome, refusal, unreachable, a status request that fails).
 */
export class FakeGate implements GateTransport {
  operations = new Map<string, GateOperation[]>()
  refundRequests: RefundRequest[] = []
  statusRequests = 0
  nextRefund: FakeRefundMode = "accept"
  /** How many of the next status requests fail (Gate could not be reached). */
  failStatus = 0
  /** Called as each refund request arrives, before Gate does anything with it. */
  onRefund?: (request: RefundRequest) => void
  /** While set, Gate makes each refund at once but holds back its answer until the promise settles. */
  holdAnswers?: Promise<void>
  private seq = 1

  paid(paymentId: string, amount: number, currency: string) {
    this.operations.set(paymentId, [{ id: String(this.seq++), type: "sale", status: "success", sumInitial: { amount, currency }, code: "0" }])
  }

  async status(paymentId: string): Promise<GateStatusResult> {
    this.statusRequests++
    if (this.failStatus > 0) {
      this.failStatus--
      throw new GateUnreachableError({ operation: "status", paymentId })
    }
    const ops = this.operations.get(paymentId) ?? []
    const sale = ops.find((op) => op.type === "sale")
    return {
      projectId: 1,
      payment: { id: paymentId, type: "purchase", status: sale?.status ?? "processing", sum: sale?.sumInitial ?? { amount: 0, currency: "NGN" } } as never,
      operations: ops.map((op) => ({ ...op })),
      errors: [],
      raw: {},
    }
  }

  async sale(): Promise<GateAccepted> {
    throw new Error("FakeGate: settlement never starts a sale")
  }

  async payout(): Promise<GateAccepted> {
    throw new Error("FakeGate: settlement never sends a payout")
  }

  /** The real ECommPay rail over this fake Gate: settlement is tested through the same transformer as production. */
  asRail(): RefundRail {
    return new EcommpayRail(this, "gate", { projectId: 1, secretKey: "unit-test-secret" })
  }

  async refund(request: RefundRequest): Promise<GateAccepted> {
    this.refundRequests.push(request)
    this.onRefund?.(request)
    const ops = this.operations.get(request.paymentId) ?? []
    const mode = this.nextRefund
    this.nextRefund = "accept"
    if (mode === "unreachable") throw new GateUnreachableError({ operation: "refund", paymentId: request.paymentId })
    if (typeof mode === "object") throw new GateRejectedError({ code: mode.refuse, gateMessage: mode.message, httpStatus: 400, operation: "refund", paymentId: request.paymentId })
    if (ops.some((op) => (op as GateOperation & { key?: string }).key === request.merchantRefundId)) {
      throw new GateRejectedError({ code: "3230", gateMessage: "merchant_refund_id already exists", httpStatus: 400, operation: "refund", paymentId: request.paymentId })
    }
    const requestId = `req-${this.seq++}`
    if (mode !== "unknown-not-processed") {
      ops.push({
        id: String(this.seq++),
        type: "refund",
        status: mode === "processing" ? "processing" : "success",
        requestId,
        sumInitial: { amount: request.amount!, currency: request.currency! },
        key: request.merchantRefundId,
      } as GateOperation)
    }
    if (this.holdAnswers) await this.holdAnswers
    if (mode === "unknown-but-processed" || mode === "unknown-not-processed") {
      throw new GateUnknownOutcomeError({ reason: "timeout", operation: "refund", paymentId: request.paymentId, detail: "scripted" })
    }
    return { status: "success", requestId, projectId: 1, paymentId: request.paymentId }
  }

  /** The refund operation Gate made under our merchant key. */
  refundOperation(paymentId: string, merchantRefundId: string): GateOperation | undefined {
    return (this.operations.get(paymentId) ?? []).find((op) => (op as GateOperation & { key?: string }).key === merchantRefundId)
  }

  /** Gate's final verdict on a refund it accepted ("processing" until now). */
  settleAtGate(paymentId: string, merchantRefundId: string, status: "success" | "decline", code = status === "success" ? "0" : "20000", message?: string): GateOperation {
    const op = this.refundOperation(paymentId, merchantRefundId)
    if (!op) throw new Error(`FakeGate holds no refund ${merchantRefundId} of ${paymentId}`)
    Object.assign(op, { status, code, message })
    return { ...op }
  }

  /** Refund operations at Gate, any status. */
  refundOperations(paymentId: string): GateOperation[] {
    return (this.operations.get(paymentId) ?? []).filter((op) => op.type === "refund")
  }

  refundedAt(paymentId: string): number {
    return (this.operations.get(paymentId) ?? []).filter((op) => op.type === "refund" && op.status === "success").reduce((s, op) => s + (op.sumInitial?.amount ?? 0), 0)
  }
}
