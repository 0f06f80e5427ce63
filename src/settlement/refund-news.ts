import { describeGateCode } from "../rails/ecommpay"
import { fromMinorUnits, roundHalfUpToMinorUnits } from "../money"
import type { AttentionBoard, Ledger, LedgerRefund, LedgerSale } from "./ports"
import { medusaRefundsOf, medusaRefundState } from "./refund-ledger"

export type MedusaPaymentRef = { paymentId: string; orderId?: string }

export type RefundNewsDeps = {
  ledger: Ledger
  attention: AttentionBoard
  /** The live Medusa payment of a session (and its order), if Medusa holds one. */
  paymentOfSession(sessionId: string): Promise<MedusaPaymentRef | undefined>
  /**
   * Records a refund made outside Medusa into Medusa (Medusa's own refund workflow), marked so that the provider
   * recognises it and does not send it to Gate again. Returns Medusa's refusal when it will not take it.
   */
  recordInMedusa(input: { paymentId: string; amount: string; ledgerRowId: string; note: string }): Promise<{ ok: true } | { ok: false; message: string }>
  /**
   * Medusa refunds of the payment the ledger has no row for, with their exact amounts and the outside-refund marker
   * when they carry one. Medusa commits a refund before it calls the provider, so an app that died in between, or a
   * version of the plugin that wrote no row, leaves one, whose Gate refund then looks made outside Medusa. (One the
   * provider is about to reserve also qualifies for a moment: an outside refund of the same amount is then taken to
   * be it, and the provider finds it known and sends nothing; the shopper is refunded once, not twice.)
   */
  unledgeredMedusaRefunds(paymentId: string): Promise<Array<{ id: string; amount: string; marker?: string }>>
  log: { warn(message: string): void; error(message: string): void }
}

export type RefundNewsOutcome =
  | { outcome: "none" }
  /** A Medusa refund Gate declined after accepting it: the admin was told (once). */
  | { outcome: "declined_after_acceptance"; medusaRefundId: string }
  /** A retry succeeded: Medusa and Gate agree again; the admin's item is closed. */
  | { outcome: "retry_settled"; medusaRefundId: string }
  /** A refund made outside Medusa, now recorded in Medusa as a refund (or already was). */
  | { outcome: "recorded_in_medusa" }
  /** A refund made outside Medusa that Medusa holds no payment for (an orphan payment): kept in the ledger only. */
  | { outcome: "ledger_only"; reason: string }
  /** Medusa refused to record an outside refund: the admin was told. */
  | { outcome: "attention"; reason: string }

/**
 * What a refund's new status means beyond the ledger row, once Gate's news (callback or status answer) has been
 * recorded on it:
 * - a Medusa refund declined after Gate accepted it: Medusa already shows it, the shopper got nothing → the admin is
 *   told at once (feed notification and needs-attention item) and offered Retry at Gate or Mark as not refunded;
 * - a Retry at Gate that succeeded → that item is closed;
 * - a successful refund made outside Medusa → recorded into Medusa as a refund, exactly once.
 */
export async function onRefundNews(deps: RefundNewsDeps, row: LedgerRefund, sale: LedgerSale | undefined): Promise<RefundNewsOutcome> {
  if (row.medusaRefundId && (row.origin === "medusa" || row.origin === "retry")) {
    const attempts = medusaRefundsOf(await deps.ledger.refundsOf(row.gatePaymentId)).get(row.medusaRefundId) ?? [row]
    const state = medusaRefundState(attempts)
    if (state === "declined" && row.status === "decline") {
      const where = sale?.sessionId ? await deps.paymentOfSession(sale.sessionId) : undefined
      const reason = row.message ?? describeGateCode(row.code ?? undefined) ?? "declined"
      await deps.attention.raise({
        kind: "refund_declined",
        gatePaymentId: row.gatePaymentId,
        sessionId: sale?.sessionId ?? null,
        orderId: where?.orderId ?? null,
        amount: row.amount,
        currency: row.currency,
        code: row.code,
        subject: row.medusaRefundId,
        refundKey: row.merchantKey,
        message:
          `Medusa shows refund ${row.medusaRefundId} of ${fromMinorUnits(row.amount, row.currency)} ${row.currency}, but Gate ` +
          `declined it after accepting it: ${reason}${row.code ? ` (code ${row.code})` : ""}. The shopper has not been refunded. ` +
          "Retry at Gate, or mark it as not refunded.",
      })
      deps.log.error(`flutterwave: refund ${row.medusaRefundId} of payment ${row.gatePaymentId} declined by Gate after it was accepted: ${reason}`)
      return { outcome: "declined_after_acceptance", medusaRefundId: row.medusaRefundId }
    }
    if (state === "success" && row.status === "success" && row.origin === "retry") {
      await deps.attention.resolve(
        "refund_declined",
        row.gatePaymentId,
        `Gate refunded it on retry (${row.merchantKey}); Medusa and Gate agree again`,
        undefined,
        row.medusaRefundId
      )
      return { outcome: "retry_settled", medusaRefundId: row.medusaRefundId }
    }
    return { outcome: "none" }
  }
  if (row.origin === "outside" && row.medusaRefundId) return { outcome: "recorded_in_medusa" }
  // Paid by Gate, and no Medusa refund stands for it: made outside Medusa, or ours but Medusa dropped its refund.
  if (!row.medusaRefundId && row.origin !== "orphan" && row.status === "success") return recordOutsideRefund(deps, row, sale)
  return { outcome: "none" }
}

/**
 * A refund made outside Medusa (ECommPay's dashboard) that succeeded: recorded into Medusa as a refund, marked as
 * made outside Medusa, without calling Gate again. Exactly once: the ledger row is claimed first (a repeated callback
 * or reconciliation finding it meanwhile gets nothing to do), and the provider ties Medusa's new refund to the row.
 */
export async function recordOutsideRefund(deps: RefundNewsDeps, row: LedgerRefund, sale: LedgerSale | undefined): Promise<RefundNewsOutcome> {
  if (row.medusaRefundId) return { outcome: "recorded_in_medusa" }
  const payment = sale?.sessionId ? await deps.paymentOfSession(sale.sessionId) : undefined
  if (!payment) return { outcome: "ledger_only", reason: "no Medusa payment holds this sale (an orphan payment); recorded in the ledger" }
  if (!(await deps.ledger.claimOutsideRefund(row.id))) return { outcome: "recorded_in_medusa" }
  const unledgered = await deps.unledgeredMedusaRefunds(payment.paymentId)
  // An earlier attempt recorded it and died before tying it to the row: tie that one, record nothing new.
  const recordedBefore = unledgered.find((refund) => refund.marker === row.id)
  if (recordedBefore && (await deps.ledger.attachOutsideRefund(row.id, recordedBefore.id, recordedBefore.amount, "outside"))) {
    return { outcome: "recorded_in_medusa" }
  }
  // A Medusa refund of this amount the ledger never heard of is what this Gate refund carries out: tie them, record
  // nothing new (else Medusa would count it twice).
  const unledgeredOfAmount = unledgered.find((refund) => !refund.marker && roundHalfUpToMinorUnits(refund.amount, row.currency) === row.amount)
  if (unledgeredOfAmount && (await deps.ledger.attachOutsideRefund(row.id, unledgeredOfAmount.id, unledgeredOfAmount.amount, "medusa"))) {
    return { outcome: "recorded_in_medusa" }
  }
  const amount = fromMinorUnits(row.amount, row.currency)
  const recorded = await deps
    .recordInMedusa({
      paymentId: payment.paymentId,
      amount,
      ledgerRowId: row.id,
      note: `Refunded outside Medusa (ECommPay dashboard): Gate operation ${row.gateOperationId ?? "unknown"}`,
    })
    .catch((error: Error) => ({ ok: false as const, message: error.message }))
  if (recorded.ok) {
    await deps.attention.resolve("outside_refund_unrecorded", row.gatePaymentId, "recorded in Medusa", undefined, row.id)
    return { outcome: "recorded_in_medusa" }
  }
  await deps.ledger.releaseOutsideRefund(row.id)
  await deps.attention.raise({
    kind: "outside_refund_unrecorded",
    gatePaymentId: row.gatePaymentId,
    sessionId: sale?.sessionId ?? null,
    orderId: payment.orderId ?? null,
    amount: row.amount,
    currency: row.currency,
    subject: row.id,
    message:
      `A refund of ${amount} ${row.currency} was made outside Medusa (Gate operation ${row.gateOperationId ?? "unknown"}), ` +
      `but Medusa refused to record it: ${recorded.message}. Medusa's refunded total is short by that amount. ` +
      "Record it in Medusa again, or mark it reviewed.",
  })
  deps.log.error(`flutterwave: refund made outside Medusa on ${row.gatePaymentId} could not be recorded in Medusa: ${recorded.message}`)
  return { outcome: "attention", reason: recorded.message }
}
