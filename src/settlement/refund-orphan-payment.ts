import type { Ledger, LedgerRefund, LedgerSale, RefundRail } from "./ports"
import { sendRefund } from "./send-refund"

/** The backend could not be asked or reached: nothing was sent; the caller tries again later. */
export class OrphanRefundUnavailableError extends Error {}

/**
 * The merchant_refund_id of the full refund that gives back a paid sale no order will take. Derived from the Gate
 * payment id alone, so every path that reaches the same conclusion (the callback, Medusa's cancelPayment, a retry,
 * the admin's button) names the same refund, and Gate's 3230 makes a second send harmless. A refund Gate declined is
 * retried under `<key>-r<n>` (a new refund at Gate; the declined one moved no money).
 */
export function orphanRefundKey(gatePaymentId: string, retry = 0): string {
  return retry === 0 ? `orphan-${gatePaymentId}` : `orphan-${gatePaymentId}-r${retry}`
}

export type OrphanRefund =
  /** Nothing left to give back: Gate already holds refunds (ours or Medusa's rollback) for the whole sale. */
  | { status: "nothing_left"; refunded: number }
  /** The sale is not paid at Gate (yet): nothing to refund. */
  | { status: "not_paid"; gateStatus: string }
  | { status: "pending" | "success"; merchantKey: string; amount: number }
  | { status: "decline"; merchantKey: string; amount: number; code?: string; message: string }

export type RefundOrphanDeps = { ledger: Ledger; rail: RefundRail }

/**
 * Gives back whatever Gate still holds of a paid sale, once. Gate is asked first because it is the authority on what
 * is left: Medusa's own rollback may already have refunded part or all of it through the provider. The refund row is
 * written under its deterministic key before Gate is called. Throws when Gate cannot be asked (the caller retries
 * later: nothing was sent).
 */
export async function refundOrphanPayment(deps: RefundOrphanDeps, sale: LedgerSale): Promise<OrphanRefund> {
  const lookup = await deps.rail.lookup(sale.gatePaymentId)
  if (lookup.kind === "not_found") return { status: "not_paid", gateStatus: "not found" }
  if (lookup.kind === "unknown") throw new OrphanRefundUnavailableError(`the payment could not be looked up: ${lookup.reason}`)
  const payment = lookup.payment
  const saleOperation = payment.operations.find((op) => op.type === "sale")
  if (!saleOperation || saleOperation.outcome !== "success") {
    return { status: "not_paid", gateStatus: saleOperation?.status ?? payment.status }
  }
  const charged = saleOperation.amount?.amount ?? sale.amount
  const committedAtGate = payment.operations
    .filter((op) => op.type === "refund" && op.outcome !== "decline")
    .reduce((sum, op) => sum + (op.amount?.amount ?? 0), 0)

  // Our own earlier attempts: reuse a live one; after declines, the next derived key.
  const ours = (await deps.ledger.refundsOf(sale.gatePaymentId)).filter((r) => r.merchantKey?.startsWith(orphanRefundKey(sale.gatePaymentId)))
  const live = ours.find((r) => r.status !== "decline")
  if (live && (live.status === "success" || live.requestId || live.gateOperationId)) {
    return { status: live.status === "success" ? "success" : "pending", merchantKey: live.merchantKey!, amount: live.amount }
  }
  if (live) {
    // Sent once with an unknown outcome: send the same key and amount again; Gate answers 3230 if it arrived.
    return send(deps, live)
  }
  const remaining = charged - committedAtGate
  if (remaining <= 0) return { status: "nothing_left", refunded: committedAtGate }

  const merchantKey = orphanRefundKey(sale.gatePaymentId, ours.length)
  const reserved = await deps.ledger.reserveRefund({
    gatePaymentId: sale.gatePaymentId,
    merchantKey,
    amount: remaining,
    currency: sale.currency,
    origin: "orphan",
  })
  if (!reserved.created && reserved.refund.status !== "decline") {
    // A concurrent path reserved the same key a moment ago and is sending it.
    return { status: reserved.refund.status === "success" ? "success" : "pending", merchantKey, amount: reserved.refund.amount }
  }
  return send(deps, reserved.refund)
}

async function send(deps: RefundOrphanDeps, row: LedgerRefund): Promise<OrphanRefund> {
  const merchantKey = row.merchantKey!
  const sent = await sendRefund(deps, row, `Refund of payment ${row.gatePaymentId}: no order took it`)
  switch (sent.status) {
    case "accepted":
      return { status: sent.refund.status === "success" ? "success" : "pending", merchantKey, amount: row.amount }
    case "in_doubt":
      // Maybe sent. The row stays pending under its key; a resend carries the same key. Never a second refund.
      return { status: "pending", merchantKey, amount: row.amount }
    case "refused":
      return { status: "decline", merchantKey, amount: row.amount, code: sent.code, message: sent.message }
    case "unreachable":
      // Nothing was sent: the caller retries later, under the next derived key.
      throw new OrphanRefundUnavailableError(`the refund could not be sent: ${sent.message}`)
  }
}
