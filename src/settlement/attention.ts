import { fromMinorUnits } from "../money"
import type { AttentionBoard, AttentionKind, Ledger, LedgerRefund, LedgerSale } from "./ports"
import type { OrphanRefund } from "./refund-orphan-payment"
import { medusaRefundState } from "./refund-ledger"
import type { Completion } from "./settle-paid-sale"

export type AttentionAction =
  /** Refund a paid sale no order took, in full, at Gate. */
  | "refund"
  /** Try placing the order again. */
  | "retry"
  /** Send a Medusa refund Gate declined to Gate again, under a derived key. */
  | "retry_refund"
  /** Record that a Medusa refund Gate declined will not be paid back through Flutterwave. */
  | "mark_not_refunded"
  /** Try recording a refund made outside Medusa into Medusa again. */
  | "record_in_medusa"
  | "mark_reviewed"

/** A needs-attention row as stored (fw_attention). */
export type AttentionRow = {
  id: string
  kind: AttentionKind
  state: "open" | "resolved"
  gate_payment_id: string
  session_id: string | null
  cart_id: string | null
  order_id: string | null
  amount: number | string
  currency_code: string
  code: string | null
  message: string
  refund_key: string | null
  subject: string
  resolution: string | null
  created_at: Date | string
  updated_at: Date | string
}

export type RefundSummary = { status: "none" | "pending" | "success" | "decline"; merchant_key: string | null; amount: string | null; message: string | null }

/** One title per kind: the admin list and the notification bell say the same thing. */
export const ATTENTION_TITLES: Record<AttentionKind, string> = {
  held_callback: "Payment held: amount or currency mismatch",
  orphan_payment: "Paid, but no order took the payment",
  completion_failed: "Paid, but the order could not be placed",
  refund_failed: "Refund refused by Gate",
  payout_held: "Payout held: amount or currency mismatch",
  refund_declined: "Refund declined by Flutterwave after Medusa recorded it",
  outside_refund_unrecorded: "Refund made outside Medusa could not be recorded in Medusa",
}

/** What Gate holds in refunds for the payment, from the ledger: the admin sees whether the shopper got the money back. */
export function summariseRefunds(refunds: LedgerRefund[], charged: number, currency: string): RefundSummary {
  const live = refunds.filter((r) => r.status !== "decline")
  const last = refunds[refunds.length - 1]
  const amount = live.reduce((sum, r) => sum + r.amount, 0)
  const keyOf = (r?: LedgerRefund) => r?.merchantKey ?? null
  if (live.some((r) => r.status === "pending")) {
    return { status: "pending", merchant_key: keyOf(live.find((r) => r.status === "pending")), amount: fromMinorUnits(amount, currency), message: null }
  }
  // Our orphan refund always sends everything Gate still held, so once it succeeded nothing is left, whatever the
  // item's own figure (a held callback's is what Gate *reported*, which may differ from what it charged).
  if (live.length > 0 && (amount >= charged || live.some((r) => r.merchantKey?.startsWith("orphan-")))) {
    return { status: "success", merchant_key: keyOf(live[live.length - 1]), amount: fromMinorUnits(amount, currency), message: null }
  }
  if (last?.status === "decline") {
    return { status: "decline", merchant_key: keyOf(last), amount: fromMinorUnits(last.amount, currency), message: last.message }
  }
  return { status: "none", merchant_key: null, amount: live.length ? fromMinorUnits(amount, currency) : null, message: null }
}

/** Which actions an item offers now: never one that could move money twice (a refund already under way). */
export function availableActions(row: Pick<AttentionRow, "kind" | "state" | "subject">, refund: RefundSummary, refunds: LedgerRefund[] = []): AttentionAction[] {
  if (row.state !== "open") return []
  if (row.kind === "refund_declined") {
    const attempts = refunds.filter((r) => r.medusaRefundId === row.subject)
    return attempts.length > 0 && medusaRefundState(attempts) === "declined" ? ["retry_refund", "mark_not_refunded"] : []
  }
  if (row.kind === "outside_refund_unrecorded") return ["record_in_medusa", "mark_reviewed"]
  const canRefund = row.kind !== "payout_held" && (refund.status === "none" || refund.status === "decline")
  return [...(row.kind === "completion_failed" && canRefund ? (["retry"] as const) : []), ...(canRefund ? (["refund"] as const) : []), "mark_reviewed"]
}

/** The refunds an item is about: a declined Medusa refund's own attempts, else every refund of the payment. */
function refundsOfItem(row: Pick<AttentionRow, "kind" | "subject">, refunds: LedgerRefund[]): LedgerRefund[] {
  if (row.kind === "refund_declined") return refunds.filter((r) => r.medusaRefundId === row.subject)
  if (row.kind === "outside_refund_unrecorded") return refunds.filter((r) => r.id === row.subject)
  return refunds
}

export function presentAttention(row: AttentionRow, paymentRefunds: LedgerRefund[]) {
  const amount = Number(row.amount)
  const refunds = refundsOfItem(row, paymentRefunds)
  const refund = summariseRefunds(refunds, amount, row.currency_code)
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    title: ATTENTION_TITLES[row.kind],
    gate_payment_id: row.gate_payment_id,
    amount: fromMinorUnits(amount, row.currency_code),
    currency_code: row.currency_code,
    code: row.code,
    message: row.message,
    refund,
    cart_id: row.cart_id,
    order_id: row.order_id,
    session_id: row.session_id,
    subject: row.subject || null,
    actions: availableActions(row, refund, refunds),
    resolution: row.resolution,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  }
}

export type AttentionActionDeps = {
  ledger: Ledger
  attention: AttentionBoard
  refundOrphan(sale: LedgerSale): Promise<OrphanRefund>
  completeOrder(sessionId: string, amount: number, currency: string): Promise<Completion>
  /** Retry at Gate; a readable refusal when Gate refuses it at once. */
  retryRefund(gatePaymentId: string, medusaRefundId: string): Promise<{ ok: true; merchantKey: string } | { ok: false; message: string }>
  /** Mark as not refunded: the ledger's decision, and the order marked in Medusa. */
  markNotRefunded(gatePaymentId: string, medusaRefundId: string, note: string, orderId: string | null): Promise<void>
  /** Records a refund made outside Medusa into Medusa again; a readable refusal when Medusa refuses it. */
  recordOutsideRefund(gatePaymentId: string, ledgerRowId: string): Promise<{ ok: true } | { ok: false; message: string }>
}

export class AttentionActionError extends Error {}

/**
 * Carries out an admin's action on a needs-attention item. Idempotent: a refund is the payment's deterministic
 * orphan refund (a repeat finds it under way), a retry of an order already placed finds the order, and resolving a
 * resolved item changes nothing.
 */
export async function actOnAttention(
  deps: AttentionActionDeps,
  row: AttentionRow,
  action: AttentionAction,
  by: string | undefined,
  note?: string
): Promise<void> {
  const refunds = refundsOfItem(row, await deps.ledger.refundsOf(row.gate_payment_id))
  const available = availableActions(row, summariseRefunds(refunds, Number(row.amount), row.currency_code), refunds)
  if (!available.includes(action)) {
    if (row.state === "resolved") return // repeated click after it was done: nothing more to do
    // A second Retry at Gate while the first is under way (or already settled): the same retry, nothing new sent.
    if (action === "retry_refund" && refunds.length > 0 && ["pending", "success"].includes(medusaRefundState(refunds))) return
    throw new AttentionActionError(`"${action}" is not available for this item now (available: ${available.join(", ") || "none"})`)
  }
  const resolve = (resolution: string) => deps.attention.resolve(row.kind, row.gate_payment_id, resolution, by, row.subject)
  if (action === "mark_reviewed") {
    await resolve(`reviewed${note ? `: ${note}` : ""}`)
    return
  }
  if (action === "retry_refund") {
    const retried = await deps.retryRefund(row.gate_payment_id, row.subject)
    if (!retried.ok) throw new AttentionActionError(retried.message)
    // The item stays open until Gate settles the retry: its callback closes it, or a decline keeps it open.
    return
  }
  if (action === "mark_not_refunded") {
    await deps.markNotRefunded(row.gate_payment_id, row.subject, note ?? "", row.order_id)
    const amount = `${fromMinorUnits(Number(row.amount), row.currency_code)} ${row.currency_code}`
    await resolve(`marked as not refunded: Medusa keeps showing ${amount} refunded that Flutterwave did not pay back${note ? ` (${note})` : ""}`)
    return
  }
  if (action === "record_in_medusa") {
    const recorded = await deps.recordOutsideRefund(row.gate_payment_id, row.subject)
    if (!recorded.ok) throw new AttentionActionError(`Medusa refused it again: ${recorded.message}`)
    await resolve("recorded in Medusa")
    return
  }
  const sale = await deps.ledger.findSale(row.gate_payment_id)
  if (!sale) throw new AttentionActionError(`the ledger has no sale ${row.gate_payment_id}`)
  if (action === "retry") {
    if (!sale.sessionId) throw new AttentionActionError("the sale has no Medusa payment session to complete")
    const completion = await deps.completeOrder(sale.sessionId, sale.amount, sale.currency)
    if (!completion.ok) throw new AttentionActionError(`placing the order failed again: ${completion.message}`)
    await resolve(`order ${completion.orderId ?? ""} placed on retry`.replace("  ", " "))
    return
  }
  const refund = await deps.refundOrphan(sale)
  if (refund.status === "decline") {
    throw new AttentionActionError(`Gate refused the refund: ${refund.message}${refund.code ? ` (code ${refund.code})` : ""}`)
  }
  const what =
    refund.status === "nothing_left"
      ? "nothing left to refund at Gate"
      : refund.status === "not_paid"
        ? `Gate does not report the sale paid (${refund.gateStatus}); nothing refunded`
        : `refund ${refund.merchantKey} of ${fromMinorUnits(refund.amount, sale.currency)} ${sale.currency} sent to Gate`
  await resolve(what)
}
