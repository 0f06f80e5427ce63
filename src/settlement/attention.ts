import { fromMinorUnits } from "../gate"
import type { AttentionBoard, AttentionKind, Ledger, LedgerRefund, LedgerSale } from "./ports"
import type { OrphanRefund } from "./refund-orphan-payment"
import type { Completion } from "./settle-paid-sale"

export type AttentionAction = "refund" | "retry" | "mark_reviewed"

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
export function availableActions(row: Pick<AttentionRow, "kind" | "state">, refund: RefundSummary): AttentionAction[] {
  if (row.state !== "open") return []
  const canRefund = row.kind !== "payout_held" && (refund.status === "none" || refund.status === "decline")
  return [...(row.kind === "completion_failed" && canRefund ? (["retry"] as const) : []), ...(canRefund ? (["refund"] as const) : []), "mark_reviewed"]
}

export function presentAttention(row: AttentionRow, refunds: LedgerRefund[]) {
  const amount = Number(row.amount)
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
    actions: availableActions(row, refund),
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
  const refunds = await deps.ledger.refundsOf(row.gate_payment_id)
  const available = availableActions(row, summariseRefunds(refunds, Number(row.amount), row.currency_code))
  if (!available.includes(action)) {
    if (row.state === "resolved") return // repeated click after it was done: nothing more to do
    throw new AttentionActionError(`"${action}" is not available for this item now (available: ${available.join(", ") || "none"})`)
  }
  if (action === "mark_reviewed") {
    await deps.attention.resolve(row.kind, row.gate_payment_id, `reviewed${note ? `: ${note}` : ""}`, by)
    return
  }
  const sale = await deps.ledger.findSale(row.gate_payment_id)
  if (!sale) throw new AttentionActionError(`the ledger has no sale ${row.gate_payment_id}`)
  if (action === "retry") {
    if (!sale.sessionId) throw new AttentionActionError("the sale has no Medusa payment session to complete")
    const completion = await deps.completeOrder(sale.sessionId, sale.amount, sale.currency)
    if (!completion.ok) throw new AttentionActionError(`placing the order failed again: ${completion.message}`)
    await deps.attention.resolve(row.kind, row.gate_payment_id, `order ${completion.orderId ?? ""} placed on retry`.replace("  ", " "), by)
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
  await deps.attention.resolve(row.kind, row.gate_payment_id, what, by)
}
