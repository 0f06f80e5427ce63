import { GateRejectedError, GateUnknownOutcomeError, GateUnreachableError, type StatusBudget } from "../rails/ecommpay"
import { operationOutcome } from "../rails/ecommpay/status"
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
 * How a refund whose first answer was lost may be concluded.
 * - `"in_doubt"` (the admin's request, which must answer quickly): only Gate's acceptance or a refund Gate shows
 *   concludes it; anything else leaves it in doubt, never refused, because Medusa deletes a refund the provider
 *   reports failed and the admin's retry would carry a new id (medusajs/medusa#16681).
 * - `"final"` (reconciliation, minutes later, when Gate's status is settled): a resend Gate refuses is declined.
 * - `"status_only"`: never resend (Medusa no longer holds the refund): Gate's status decides, or it is declined.
 */
export type InDoubtPolicy = "in_doubt" | "final" | "status_only"

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
    return resolveInDoubtRefund(deps, row, description, error.reason, { statusBudget, policy: "in_doubt" })
  }
}

/**
 * A refund whose answer was lost. Gate is asked first: the refund operation of this amount that no other row claims
 * is this one (its ids and status are recorded); if Gate unambiguously holds none, the same key is sent again.
 * Reconciliation calls this for rows left in doubt. Never throws: a failure of our own bookkeeping leaves it in doubt.
 */
export async function resolveInDoubtRefund(
  deps: SendRefundDeps,
  row: LedgerRefund,
  description: string,
  reason: string,
  options: { statusBudget?: StatusBudget; policy: InDoubtPolicy }
): Promise<SendOutcome> {
  const inDoubt = (why: string): SendOutcome => ({ status: "in_doubt", refund: row, reason: `${reason}; ${why}` })
  try {
    let status
    try {
      status = await deps.gate.status(row.gatePaymentId, options.statusBudget)
    } catch (error) {
      return inDoubt(`Gate's status could not be read (${(error as Error).message})`)
    }
    const match = unclaimedGateRefund(status, row, await deps.ledger.refundsOf(row.gatePaymentId))
    if (match.state === "found") {
      await deps.ledger.settleRefund(row.merchantKey!, {
        status: operationOutcome(match.operation.status),
        requestId: match.operation.requestId,
        gateOperationId: match.operation.id,
        code: match.operation.code,
        message: match.operation.message,
      })
      return { status: "accepted", refund: await reread(deps.ledger, row) }
    }
    if (options.policy === "status_only") {
      if (match.state === "ambiguous") return inDoubt("Gate holds more than one refund that could be it")
      await deps.ledger.settleRefund(row.merchantKey!, {
        status: "decline",
        code: "not_sent",
        message: "Gate never received it and Medusa no longer holds the refund; not sent",
      })
      return { status: "refused", code: "not_sent", message: "Gate never received it" }
    }
    let sent: SendOutcome
    try {
      sent = await sendOnce(deps, row, description, { resend: true, conclusive: options.policy === "final" && match.state === "none" })
    } catch (error) {
      if (error instanceof GateUnknownOutcomeError) return inDoubt(`the resend's outcome is unknown too (${error.reason})`)
      throw error
    }
    return sent
  } catch (error) {
    return inDoubt(`recording Gate's answer failed (${(error as Error).message})`)
  }
}

/**
 * Gate refuses a refund repeated too soon with 3285 ("timeout block for repeat refund"), possibly before it checks
 * the merchant key: to a resend of a refund that may have arrived, that refusal says nothing about the first one.
 */
const REPEAT_TOO_SOON = "3285"

/**
 * One refund request; Gate's answer recorded on the row. Throws only GateUnknownOutcomeError (maybe sent), or a
 * database error before Gate was called. A resend's refusal is taken as final only when `conclusive` (Gate's status
 * showed no such refund, and it is reconciliation asking); otherwise the first send may still have arrived.
 */
async function sendOnce(
  deps: SendRefundDeps,
  row: LedgerRefund,
  description: string,
  options: { resend?: boolean; conclusive?: boolean } = {}
): Promise<SendOutcome> {
  const merchantKey = row.merchantKey!
  const undecided = options.resend && !options.conclusive
  let requestId: string | undefined
  try {
    requestId = (
      await deps.gate.refund({
        paymentId: row.gatePaymentId,
        amount: row.amount,
        currency: row.currency,
        description,
        merchantRefundId: merchantKey,
        callbackUrl: deps.callbackUrl,
      })
    ).requestId
  } catch (error) {
    if (error instanceof GateRejectedError && error.code === "3230") {
      // Our key is at Gate already: an earlier attempt arrived. Its callback (or reconciliation) settles the row.
      return { status: "accepted", refund: row }
    }
    if ((error instanceof GateRejectedError || error instanceof GateUnreachableError) && (undecided || (options.resend && error instanceof GateRejectedError && error.code === REPEAT_TOO_SOON))) {
      return { status: "in_doubt", refund: row, reason: `the resend was answered "${error.message}"; the first may still have arrived` }
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
  // Gate has it. Whatever happens to our bookkeeping now, the caller must not report a failure.
  try {
    await deps.ledger.settleRefund(merchantKey, { status: "pending", requestId })
    return { status: "accepted", refund: await reread(deps.ledger, row) }
  } catch {
    return { status: "accepted", refund: row }
  }
}

async function reread(ledger: Ledger, row: LedgerRefund): Promise<LedgerRefund> {
  return (await ledger.refundsOf(row.gatePaymentId)).find((r) => r.id === row.id) ?? row
}
