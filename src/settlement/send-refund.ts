import { GateRejectedError, GateUnknownOutcomeError, GateUnreachableError, type StatusBudget } from "../gate"
import { operationOutcome } from "../gate/status"
import type { GatePort, Ledger, LedgerRefund } from "./ports"
import { unclaimedGateRefund } from "./refund-ledger"

export type SendRefundDeps = { ledger: Ledger; gate: GatePort; callbackUrl?: string }

export type SendOutcome =
  /** Gate took it (or already had it under our key): it settles by callback or reconciliation, days later. */
  | { status: "accepted"; refund: LedgerRefund }
  /** Gate refused it at once: nothing moved; the row is declined with Gate's reason. */
  | { status: "refused"; code?: string; message: string }
  /** Gate could not be reached: nothing was sent; the row is declined. */
  | { status: "unreachable"; message: string }
  /** Maybe sent: the row stays pending under its key; reconciliation asks Gate and resends the same key if need be. */
  | { status: "in_doubt"; refund: LedgerRefund; reason: string }

/**
 * Sends the refund a reserved ledger row describes, under the row's merchant key, and records Gate's answer on the
 * row. After an unknown outcome (timeout, 5xx) Gate is asked before anything is resent, and a resend carries the same
 * key, so Gate answers 3230 if the first one arrived: one row, at most one refund at Gate.
 */
export async function sendRefund(
  deps: SendRefundDeps,
  row: LedgerRefund,
  description: string,
  statusBudget?: StatusBudget
): Promise<SendOutcome> {
  try {
    return await sendOnce(deps, row, description)
  } catch (error) {
    if (!(error instanceof GateUnknownOutcomeError)) throw error
    return resolveInDoubtRefund(deps, row, description, error.reason, statusBudget)
  }
}

/**
 * A refund whose answer was lost. Gate is asked first: a refund operation of this amount that no other row claims is
 * this one (its ids are recorded); if Gate holds none, the same key is sent again. Reconciliation calls this for
 * rows left in doubt.
 */
export async function resolveInDoubtRefund(
  deps: SendRefundDeps,
  row: LedgerRefund,
  description: string,
  reason: string,
  statusBudget?: StatusBudget
): Promise<SendOutcome> {
  let status
  try {
    status = await deps.gate.status(row.gatePaymentId, statusBudget)
  } catch (error) {
    return { status: "in_doubt", refund: row, reason: `${reason}; Gate's status could not be read (${(error as Error).message})` }
  }
  const found = unclaimedGateRefund(status, row, await deps.ledger.refundsOf(row.gatePaymentId))
  if (found) {
    await deps.ledger.settleRefund(row.merchantKey!, {
      status: operationOutcome(found.status),
      requestId: found.requestId,
      gateOperationId: found.id,
      code: found.code,
      message: found.message,
    })
    return { status: "accepted", refund: await reread(deps.ledger, row) }
  }
  try {
    return await sendOnce(deps, row, description, { resend: true })
  } catch (error) {
    if (error instanceof GateUnknownOutcomeError) return { status: "in_doubt", refund: row, reason: `${reason}, then ${error.reason}` }
    throw error
  }
}

/**
 * Gate refuses a refund repeated too soon with 3285 ("timeout block for repeat refund"), possibly before it checks
 * the merchant key: to a resend of a refund that may have arrived, that refusal says nothing about the first one.
 */
const REPEAT_TOO_SOON = "3285"

/** One refund request; Gate's answer recorded on the row. Throws only GateUnknownOutcomeError (maybe sent). */
async function sendOnce(deps: SendRefundDeps, row: LedgerRefund, description: string, options: { resend?: boolean } = {}): Promise<SendOutcome> {
  const merchantKey = row.merchantKey!
  try {
    const accepted = await deps.gate.refund({
      paymentId: row.gatePaymentId,
      amount: row.amount,
      currency: row.currency,
      description,
      merchantRefundId: merchantKey,
      callbackUrl: deps.callbackUrl,
    })
    await deps.ledger.settleRefund(merchantKey, { status: "pending", requestId: accepted.requestId })
    return { status: "accepted", refund: await reread(deps.ledger, row) }
  } catch (error) {
    if (error instanceof GateRejectedError && error.code === "3230") {
      // Our key is at Gate already: an earlier attempt arrived. Its callback (or reconciliation) settles the row.
      return { status: "accepted", refund: row }
    }
    if (error instanceof GateRejectedError && options.resend && error.code === REPEAT_TOO_SOON) {
      return { status: "in_doubt", refund: row, reason: "Gate refused the resend as too soon after the first (3285)" }
    }
    if (error instanceof GateRejectedError) {
      await deps.ledger.settleRefund(merchantKey, { status: "decline", code: error.code, message: error.gateMessage })
      return { status: "refused", code: error.code, message: error.gateMessage }
    }
    if (error instanceof GateUnreachableError) {
      await deps.ledger.settleRefund(merchantKey, { status: "decline", code: "unreachable", message: "Gate could not be reached; nothing was sent" })
      return { status: "unreachable", message: error.message }
    }
    throw error
  }
}

async function reread(ledger: Ledger, row: LedgerRefund): Promise<LedgerRefund> {
  return (await ledger.refundsOf(row.gatePaymentId)).find((r) => r.id === row.id) ?? row
}
