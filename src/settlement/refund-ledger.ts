import { fromMinorUnits, sumExactDecimals } from "../money"
import type { RailOperation, RailPayment } from "../rails/rail"
import type { LedgerRefund } from "./ports"

/**
 * What the ledger's refund rows of one payment add up to. Pure functions over the rows: the refund use-cases call them
 * while holding the payment's refund lock, so the totals they compute are the ones the next row is checked against.
 */

/** Each Medusa refund the ledger holds for the payment, with its rows (the first attempt, then any Retry at Gate). */
export function medusaRefundsOf(rows: LedgerRefund[]): Map<string, LedgerRefund[]> {
  const byRefund = new Map<string, LedgerRefund[]>()
  for (const row of rows) {
    if (!row.medusaRefundId) continue
    byRefund.set(row.medusaRefundId, [...(byRefund.get(row.medusaRefundId) ?? []), row])
  }
  return byRefund
}

/** Medusa's exact refunded total for the payment, as the ledger knows it (decimal text). */
export function medusaRefundedTotal(rows: LedgerRefund[]): string {
  return sumExactDecimals([...medusaRefundsOf(rows).values()].map((attempts) => medusaAmountOf(attempts[0])))
}

/**
 * Minor units of the payment already spoken for: every Medusa refund once (sent, settling, or declined and awaiting
 * the admin's Retry at Gate; Medusa counts it either way), plus refunds Medusa does not hold that Gate took or may
 * take (an orphan payment's refund, an outside refund not recorded in Medusa yet). A new refund fits when this plus
 * its own amount stays within what Gate charged.
 */
export function committedRefundMinor(rows: LedgerRefund[]): number {
  let committed = 0
  for (const attempts of medusaRefundsOf(rows).values()) committed += attempts[attempts.length - 1].amount
  for (const row of rows) if (!row.medusaRefundId && row.status !== "decline") committed += row.amount
  return committed
}

/** The Medusa amount of a row: exact when recorded, else the minor amount Gate was sent (older rows). */
export function medusaAmountOf(row: LedgerRefund): string {
  return row.medusaAmount ?? fromMinorUnits(row.amount, row.currency)
}

/** Where a Medusa refund stands at Gate, from its rows (the latest attempt decides). */
export type MedusaRefundState = "pending" | "success" | "declined" | "not_refunded"

export function medusaRefundState(attempts: LedgerRefund[]): MedusaRefundState {
  const live = attempts.find((row) => row.status !== "decline")
  if (live) return live.status === "success" ? "success" : "pending"
  return attempts.some((row) => row.resolution?.startsWith("not_refunded")) ? "not_refunded" : "declined"
}

/** A row we sent that Gate never confirmed receiving (the answer was lost): asked about before anything is resent. */
export function isInDoubt(row: LedgerRefund): boolean {
  return row.status === "pending" && !!row.merchantKey && !row.requestId && !row.gateOperationId
}

export type RailRefundMatch =
  | { state: "found"; operation: RailOperation }
  /** Gate holds no refund that could be it: it never arrived. */
  | { state: "none" }
  /** More than one could be it (another row of ours of the same amount is in doubt too, or Gate holds two). */
  | { state: "ambiguous" }

/**
 * The refund operation at Gate that a row of ours whose answer was lost became: the one of the same amount that no
 * other row of the payment claims (ECommPay does not echo merchant_refund_id). Only when that is unambiguous: if another
 * row of ours of the same amount is also waiting for Gate's ids, or Gate holds two such operations, either could be
 * this one, and the caller resends under the row's own key instead (Gate's 3230 says whether it arrived).
 */
export function unclaimedRailRefund(payment: RailPayment, row: LedgerRefund, rows: LedgerRefund[]): RailRefundMatch {
  const others = rows.filter((r) => r.id !== row.id)
  const claimed = new Set(others.flatMap((r) => [r.gateOperationId, r.requestId]).filter(Boolean))
  const candidates = payment.operations.filter(
    (op) => op.type === "refund" && op.amount?.amount === row.amount && !claimed.has(op.id) && !claimed.has(op.requestId ?? null)
  )
  const twin = others.some((r) => r.amount === row.amount && r.status === "pending" && !r.gateOperationId && !r.requestId)
  if (candidates.length === 0) return { state: "none" }
  if (candidates.length === 1 && !twin) return { state: "found", operation: candidates[0] }
  return { state: "ambiguous" }
}
