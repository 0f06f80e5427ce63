import type { Sent } from "../rails/rail"
import type { Ledger, LedgerRefund, RefundRail } from "./ports"
import { unclaimedRailRefund } from "./refund-ledger"

export type SendRefundDeps = { ledger: Ledger; rail: RefundRail }

export type SendOutcome =
  /** The rail took it (or already had it under our key): it settles by notification or reconciliation, days later. */
  | { status: "accepted"; refund: LedgerRefund }
  /** The rail refused it at once: nothing moved; the row is declined with the reason. */
  | { status: "refused"; code?: string; message: string }
  /** The backend could not be reached: nothing was sent; the row is declined. */
  | { status: "unreachable"; message: string }
  /** Maybe sent: the row stays pending under its key; reconciliation looks it up and resends the same key if need be. */
  | { status: "in_doubt"; refund: LedgerRefund; reason: string }

/**
 * How a refund whose first answer was lost may be concluded.
 * - `"in_doubt"` (the admin's request, which must answer quickly): only the rail's acceptance or a refund the lookup
 *   shows concludes it; anything else leaves it in doubt, never refused, because Medusa deletes a refund the provider
 *   reports failed and the admin's retry would carry a new id (medusajs/medusa#16681).
 * - `"final"` (reconciliation, minutes later, when the backend's records are settled): a resend refused after the
 *   lookup showed no such refund is declined.
 * - `"status_only"`: never resend (Medusa no longer holds the refund): the lookup decides, or it is declined.
 */
export type InDoubtPolicy = "in_doubt" | "final" | "status_only"

export type LookupBudget = { timeoutMs?: number; retries?: number }

/**
 * Sends the refund a reserved ledger row describes, under the row's merchant key, and records the rail's answer on
 * the row. After an unknown outcome (timeout, 5xx) the payment is looked up before anything is resent, and a resend
 * carries the same key, so the rail answers `already_exists` if the first one arrived: one row, at most one refund.
 */
export async function sendRefund(deps: SendRefundDeps, row: LedgerRefund, description: string, lookupBudget?: LookupBudget): Promise<SendOutcome> {
  const sent = await deps.rail.refund(refundInput(row, description))
  if (sent.kind === "unknown") return resolveInDoubtRefund(deps, row, description, sent.reason, { lookupBudget, policy: "in_doubt" })
  return record(deps, row, sent, {})
}

/**
 * A refund whose answer was lost. The payment is looked up first: the refund operation of this amount that no other
 * row claims is this one (its ids and status are recorded); if the backend unambiguously holds none, the same key is
 * sent again. Reconciliation calls this for rows left in doubt. Never throws: a failure of our own bookkeeping leaves
 * it in doubt.
 */
export async function resolveInDoubtRefund(
  deps: SendRefundDeps,
  row: LedgerRefund,
  description: string,
  reason: string,
  options: { lookupBudget?: LookupBudget; policy: InDoubtPolicy }
): Promise<SendOutcome> {
  const inDoubt = (why: string): SendOutcome => ({ status: "in_doubt", refund: row, reason: `${reason}; ${why}` })
  try {
    const lookup = await deps.rail.lookup(row.gatePaymentId, options.lookupBudget)
    if (lookup.kind !== "found") return inDoubt(lookup.kind === "unknown" ? `the payment could not be looked up (${lookup.reason})` : "the backend does not know the payment")
    const match = unclaimedRailRefund(lookup.payment, row, await deps.ledger.refundsOf(row.gatePaymentId))
    if (match.state === "found") {
      await deps.ledger.settleRefund(row.merchantKey!, {
        status: match.operation.outcome,
        requestId: match.operation.requestId,
        gateOperationId: match.operation.id,
        code: match.operation.code,
        message: match.operation.message,
      })
      return { status: "accepted", refund: await reread(deps.ledger, row) }
    }
    if (options.policy === "status_only") {
      if (match.state === "ambiguous") return inDoubt("the backend holds more than one refund that could be it")
      await deps.ledger.settleRefund(row.merchantKey!, {
        status: "decline",
        code: "not_sent",
        message: "The backend never received it and Medusa no longer holds the refund; not sent",
      })
      return { status: "refused", code: "not_sent", message: "The backend never received it" }
    }
    const resent = await deps.rail.refund(refundInput(row, description))
    if (resent.kind === "unknown") return inDoubt(`the resend's outcome is unknown too (${resent.reason})`)
    return record(deps, row, resent, { resend: true, conclusive: options.policy === "final" && match.state === "none" })
  } catch (error) {
    return inDoubt(`recording the answer failed (${(error as Error).message})`)
  }
}

function refundInput(row: LedgerRefund, description: string) {
  return { paymentRef: row.gatePaymentId, merchantKey: row.merchantKey!, amount: { amount: row.amount, currency: row.currency }, description }
}

/**
 * The rail's known answer, recorded on the row. A resend's refusal is taken as final only when `conclusive` (the
 * lookup showed no such refund, and it is reconciliation asking); otherwise the first send may still have arrived.
 * Once the rail accepted, a failure of our bookkeeping never turns into a reported failure.
 */
async function record(
  deps: SendRefundDeps,
  row: LedgerRefund,
  sent: Exclude<Sent, { kind: "unknown" }>,
  options: { resend?: boolean; conclusive?: boolean }
): Promise<SendOutcome> {
  const merchantKey = row.merchantKey!
  if (sent.kind === "already_exists") {
    // Our key is at the backend already: an earlier attempt arrived. Its notification (or reconciliation) settles it.
    return { status: "accepted", refund: row }
  }
  if (sent.kind === "refused") {
    if (options.resend && (!options.conclusive || sent.retryable)) {
      return { status: "in_doubt", refund: row, reason: `the resend was refused (${sent.message}); the first may still have arrived` }
    }
    if (!sent.sent) {
      await deps.ledger.settleRefund(merchantKey, { status: "decline", code: "unreachable", message: "The backend could not be reached; nothing was sent" })
      return { status: "unreachable", message: sent.message }
    }
    await deps.ledger.settleRefund(merchantKey, { status: "decline", code: sent.code, message: sent.message })
    return { status: "refused", code: sent.code, message: sent.message }
  }
  try {
    await deps.ledger.settleRefund(merchantKey, { status: "pending", requestId: sent.requestId })
    return { status: "accepted", refund: await reread(deps.ledger, row) }
  } catch {
    return { status: "accepted", refund: row }
  }
}

async function reread(ledger: Ledger, row: LedgerRefund): Promise<LedgerRefund> {
  return (await ledger.refundsOf(row.gatePaymentId)).find((r) => r.id === row.id) ?? row
}
