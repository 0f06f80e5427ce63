import { GateRejectedError, GateUnknownOutcomeError, type GateAccepted, type GateOperation, type GateStatusResult, type RefundRequest } from "../../gate"
import type { Outcome } from "../../gate/status"
import type { AttentionBoard, AttentionKind, GatePort, Ledger, LedgerRefund, LedgerSale, NewAttention } from "../ports"

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
  async reserveRefund(refund: { gatePaymentId: string; merchantKey: string; amount: number; currency: string }) {
    const existing = this.refunds.find((r) => r.merchantKey === refund.merchantKey)
    if (existing) return { created: false, refund: { ...existing } }
    const row: LedgerRefund = { ...refund, gateOperationId: null, requestId: null, status: "pending", code: null, message: null }
    this.refunds.push(row)
    return { created: true, refund: { ...row } }
  }
  async settleRefund(key: string, result: { status: Outcome; requestId?: string; code?: string; message?: string }) {
    const row = this.refunds.find((r) => r.merchantKey === key)
    if (!row) return
    row.requestId ??= result.requestId ?? null
    if (result.status !== "pending" && row.status === "pending") Object.assign(row, { status: result.status, code: result.code ?? null, message: result.message ?? null })
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
    const existing = this.items.find((i) => i.kind === item.kind && i.gatePaymentId === item.gatePaymentId)
    if (existing) {
      Object.assign(existing, { message: item.message, refundKey: item.refundKey ?? existing.refundKey })
      return { created: false }
    }
    this.items.push({ ...item, state: "open" })
    this.notified.push(item)
    return { created: true }
  }
  async resolve(kind: AttentionKind, id: string, resolution: string) {
    const item = this.items.find((i) => i.kind === kind && i.gatePaymentId === id && i.state === "open")
    if (item) Object.assign(item, { state: "resolved", resolution })
  }
}

/**
 * A fake Gate with the behaviour settlement relies on: a paid sale, refunds that count against it, 3230 for a reused
 * merchant_refund_id, and scripted failures (unknown outcome, refusal).
 */
export class FakeGate implements GatePort {
  operations = new Map<string, GateOperation[]>()
  refundRequests: RefundRequest[] = []
  statusRequests = 0
  nextRefund: "accept" | "unknown-but-processed" | "unknown-not-processed" | { refuse: string; message: string } = "accept"
  private seq = 1

  paid(paymentId: string, amount: number, currency: string) {
    this.operations.set(paymentId, [{ id: String(this.seq++), type: "sale", status: "success", sumInitial: { amount, currency }, code: "0" }])
  }

  async status(paymentId: string): Promise<GateStatusResult> {
    this.statusRequests++
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

  async refund(request: RefundRequest): Promise<GateAccepted> {
    this.refundRequests.push(request)
    const ops = this.operations.get(request.paymentId) ?? []
    const mode = this.nextRefund
    this.nextRefund = "accept"
    if (typeof mode === "object") throw new GateRejectedError({ code: mode.refuse, gateMessage: mode.message, httpStatus: 400, operation: "refund", paymentId: request.paymentId })
    if (ops.some((op) => (op as GateOperation & { key?: string }).key === request.merchantRefundId)) {
      throw new GateRejectedError({ code: "3230", gateMessage: "merchant_refund_id already exists", httpStatus: 400, operation: "refund", paymentId: request.paymentId })
    }
    if (mode !== "unknown-not-processed") {
      ops.push({ id: String(this.seq++), type: "refund", status: "success", sumInitial: { amount: request.amount!, currency: request.currency! }, key: request.merchantRefundId } as GateOperation)
    }
    if (mode !== "accept") throw new GateUnknownOutcomeError({ reason: "timeout", operation: "refund", paymentId: request.paymentId, detail: "scripted" })
    return { status: "success", requestId: `req-${this.seq}`, projectId: 1, paymentId: request.paymentId }
  }

  refundedAt(paymentId: string): number {
    return (this.operations.get(paymentId) ?? []).filter((op) => op.type === "refund" && op.status === "success").reduce((s, op) => s + (op.sumInitial?.amount ?? 0), 0)
  }
}
