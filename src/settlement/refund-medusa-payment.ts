import { fromMinorUnits, refundSliceToMinorUnits } from "../money"
import type { LedgerRefund } from "./ports"
import { committedRefundMinor, isInDoubt, medusaRefundedTotal, medusaRefundsOf, medusaRefundState } from "./refund-ledger"
import { resolveInDoubtRefund, sendRefund, type LookupBudget, type SendOutcome, type SendRefundDeps } from "./send-refund"

export type MedusaRefundRequest = {
  gatePaymentId: string
  currency: string
  /** What Gate charged for the sale, minor units. */
  charged: number
  /** Medusa's refund id: the refund's merchant key at Gate. */
  medusaRefundId: string
  /** Medusa's exact amount (decimal text; may have sub-unit fractions, e.g. a full refund of a taxed total). */
  medusaAmount: string
  /** How long the admin's request may spend looking up a refund whose answer was lost. */
  statusBudget?: LookupBudget
}

export type MedusaRefundAnswer =
  | SendOutcome
  /** Medusa asked again for a refund the ledger already holds (a repeated call): nothing is sent again. */
  | { status: "known"; refund: LedgerRefund }
  /** Refused before Gate was asked: over what Gate charged, or below the currency's smallest unit. */
  | { status: "not_allowed"; message: string }

export class RefundActionError extends Error {}

/**
 * An admin's refund in Medusa, sent to Gate. Under the payment's refund lock, the ledger computes what this refund
 * sends (THE rounding rule on Medusa's running total, see refundSliceToMinorUnits) and what is already committed, and
 * writes the row under Medusa's refund id before Gate hears of it. Two admins refunding at once each get their own
 * row; neither can push the total past what Gate charged. Gate is then called once, outside the lock, and the answer
 * is returned as soon as Gate accepted or refused: a Flutterwave refund settles days later, by callback.
 */
export async function refundMedusaPayment(deps: SendRefundDeps, request: MedusaRefundRequest): Promise<MedusaRefundAnswer> {
  // An earlier refund of the payment whose answer was lost is settled with Gate first, under its own key: when the
  // admin refunds again because the first looked stuck, the card shows what really happened to the first.
  for (const row of await deps.ledger.refundsOf(request.gatePaymentId)) {
    if (!isInDoubt(row) || row.medusaRefundId === request.medusaRefundId) continue
    await resolveInDoubtRefund(deps, row, `Refund ${row.medusaRefundId ?? row.merchantKey}`, "asked before the payment's next refund", {
      lookupBudget: request.statusBudget,
      policy: "in_doubt",
    })
  }
  const plan = await deps.ledger.withRefundLock(request.gatePaymentId, async (ledger) => {
    const rows = await ledger.refundsOf(request.gatePaymentId)
    const known = medusaRefundsOf(rows).get(request.medusaRefundId)
    if (known) return { status: "known" as const, refund: known[known.length - 1] }
    // The same Medusa refund id under its own key, detached: Gate refused it at once and Medusa dropped the refund.
    // Medusa asking again with that id is a replay; it gets the same refusal, nothing is sent.
    const refused = rows.find((row) => row.merchantKey === request.medusaRefundId)
    if (refused) return { status: "refused" as const, code: refused.code ?? undefined, message: refused.message ?? "refused by Gate" }
    const slice = refundSliceToMinorUnits(medusaRefundedTotal(rows), request.medusaAmount, request.currency)
    const fmt = (minor: number) => `${fromMinorUnits(minor, request.currency)} ${request.currency}`
    if (slice <= 0) {
      return { status: "not_allowed" as const, message: `Flutterwave: ${request.medusaAmount} ${request.currency} is below the smallest amount Flutterwave can refund` }
    }
    const committed = committedRefundMinor(rows)
    if (committed + slice > request.charged) {
      return {
        status: "not_allowed" as const,
        message:
          `Flutterwave: cannot refund ${fmt(slice)}: ${fmt(request.charged)} was captured and ` +
          `${fmt(committed)} is already refunded or being refunded`,
      }
    }
    const { refund } = await ledger.reserveRefund({
      gatePaymentId: request.gatePaymentId,
      merchantKey: request.medusaRefundId,
      amount: slice,
      currency: request.currency,
      origin: "medusa",
      medusaRefundId: request.medusaRefundId,
      medusaAmount: request.medusaAmount,
    })
    return { status: "reserved" as const, refund }
  })
  if (plan.status !== "reserved") return plan
  const sent = await sendRefund(deps, plan.refund, `Refund ${request.medusaRefundId}`, request.statusBudget)
  if (sent.status === "accepted" && sent.refund.status === "decline") {
    // Gate's status (asked after a lost answer) shows it already declined: nothing moved, so it is a refusal to report
    // now, while Medusa can still drop its refund, not a decline after acceptance.
    return { status: "refused", code: sent.refund.code ?? undefined, message: sent.refund.message ?? "declined by Gate" }
  }
  return sent
}

/**
 * Retry at Gate: a new Gate refund for a Medusa refund Gate declined after accepting it, under a derived key
 * (`<refund id>-r<n>`), for the same amount. Only when every earlier attempt for it is declined (final at Gate), so
 * two attempts can never both succeed; a second click while the retry is under way finds it and sends nothing.
 */
export async function retryRefundAtGate(deps: SendRefundDeps, gatePaymentId: string, medusaRefundId: string): Promise<SendOutcome | { status: "known"; refund: LedgerRefund }> {
  const plan = await deps.ledger.withRefundLock(gatePaymentId, async (ledger) => {
    const attempts = medusaRefundsOf(await ledger.refundsOf(gatePaymentId)).get(medusaRefundId)
    if (!attempts) throw new RefundActionError(`the ledger holds no refund ${medusaRefundId} for payment ${gatePaymentId}`)
    const state = medusaRefundState(attempts)
    if (state === "pending" || state === "success") return { status: "known" as const, refund: attempts.find((r) => r.status !== "decline")! }
    if (state === "not_refunded") throw new RefundActionError(`refund ${medusaRefundId} was marked as not refunded; it cannot be retried`)
    const last = attempts[attempts.length - 1]
    const { refund } = await ledger.reserveRefund({
      gatePaymentId,
      merchantKey: `${medusaRefundId}-r${attempts.length}`,
      amount: last.amount,
      currency: last.currency,
      origin: "retry",
      medusaRefundId,
      medusaAmount: last.medusaAmount ?? undefined,
    })
    return { status: "reserved" as const, refund }
  })
  if (plan.status === "known") return plan
  return sendRefund(deps, plan.refund, `Refund ${medusaRefundId} (retry)`)
}

/**
 * Mark as not refunded: the admin's decision that a Medusa refund Gate declined will not be paid back through
 * Flutterwave. Medusa 2.21 cannot reverse a recorded refund (README, "Refunds"), so Medusa keeps showing it; the
 * ledger records the decision and the order's Flutterwave card shows the difference for good.
 */
export async function markNotRefunded(deps: Pick<SendRefundDeps, "ledger">, gatePaymentId: string, medusaRefundId: string, note: string): Promise<LedgerRefund[]> {
  return deps.ledger.withRefundLock(gatePaymentId, async (ledger) => {
    const attempts = medusaRefundsOf(await ledger.refundsOf(gatePaymentId)).get(medusaRefundId)
    if (!attempts) throw new RefundActionError(`the ledger holds no refund ${medusaRefundId} for payment ${gatePaymentId}`)
    const state = medusaRefundState(attempts)
    if (state === "not_refunded") return attempts
    if (state !== "declined") throw new RefundActionError(`refund ${medusaRefundId} is ${state} at Gate; only a declined refund can be marked as not refunded`)
    await ledger.resolveMedusaRefund(medusaRefundId, `not_refunded${note ? `: ${note}` : ""}`)
    return medusaRefundsOf(await ledger.refundsOf(gatePaymentId)).get(medusaRefundId)!
  })
}
