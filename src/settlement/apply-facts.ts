import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { fromMinorUnits } from "../money"
import type { Money, RailOperation, RailPayment } from "../rails/rail"
import { isFlutterwaveProvider } from "../providers/flutterwave/provider-id"
import type { LedgerSale } from "./ports"
import { settlePaidSale, type Placement } from "./settle-paid-sale"
import { onRefundNews } from "./refund-news"
import { attentionBoardOf, ledgerOf, paidSaleIntakeOf, refundNewsDeps, settlePaidSaleDeps } from "./wiring"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import type FlutterwaveModuleService from "../modules/flutterwave/service"
import { sameSum } from "./sale-verdict"
import { recordOperation } from "./record-operation"

/**
 * News from a rail about one payment and (at most) one of its operations: from a verified notification, or from a
 * lookup during reconciliation. Neutral types: minor units, outcomes; the rail converted at its edge.
 */
export type RailFacts = {
  payment: RailPayment
  operation?: RailOperation
  source: "callback" | "status"
}

export type Applied = {
  outcome: "applied" | "held" | "unmatched" | "ignored" | "orphan" | "attention" | "retry"
  reason?: string
}

/**
 * Applies what Gate says about one payment and one of its operations. Callbacks and reconciliation (status answers)
 * both come through here, so the two can never apply the same news differently.
 */
export async function applyRailFacts(container: MedusaContainer, facts: RailFacts): Promise<Applied> {
  if (facts.payment.kind === "payout" || facts.operation?.type === "payout") return applyPayout(container, facts)
  if (facts.operation?.type === "refund") return applyRefund(container, facts)
  if (!facts.operation || facts.operation.type === "sale") return applySale(container, facts)
  return { outcome: "ignored", reason: `operation type ${facts.operation.type} is not used by Flutterwave` }
}

type SessionFacts = { sessionId: string; amountMinor: number; currency: string }

/**
 * A sale sent before the ledger recorded every sale (an older version of the plugin) is found through its session.
 * "transient": the session exists but Medusa has not saved its Flutterwave data yet (the callback beat Medusa's write).
 */
async function sessionFor(container: MedusaContainer, gatePaymentId: string): Promise<SessionFacts | "transient" | string> {
  const payments = container.resolve(Modules.PAYMENT)
  const [session] = await payments.listPaymentSessions({ id: gatePaymentId })
  if (!session) return `no payment session ${gatePaymentId} in this store`
  if (!isFlutterwaveProvider(session.provider_id)) return `payment session ${gatePaymentId} is not a Flutterwave session`
  const data = session.data ?? {}
  if (typeof data.amount_minor !== "number" || typeof data.currency !== "string") return "transient"
  return { sessionId: session.id, amountMinor: data.amount_minor, currency: data.currency }
}

/** The ledger's sale for a Gate payment: written before the sale was sent, so it is there even if Medusa's session is gone. */
async function saleFor(container: MedusaContainer, gatePaymentId: string): Promise<LedgerSale | "transient" | string> {
  const ledger = ledgerOf(container)
  const sale = await ledger.findSale(gatePaymentId)
  if (sale) return sale
  const session = await sessionFor(container, gatePaymentId)
  if (typeof session === "string") return session
  await ledger.recordSaleSent({ gatePaymentId, sessionId: session.sessionId, amount: session.amountMinor, currency: session.currency })
  return (await ledger.findSale(gatePaymentId))!
}

async function applySale(container: MedusaContainer, facts: RailFacts): Promise<Applied> {
  if (facts.operation?.outcome === "success") {
    // The path every paid order takes: the ledger records the sale paid and says where its order can go, in one
    // statement, when the news matches the sale exactly. Anything else (a mismatch, a sale we declined ourselves, one
    // the ledger lacks) takes the general path below, which has an answer for each.
    const reported = facts.operation.amount ?? facts.payment.amount
    const recorded = await paidSaleIntakeOf(container).recordSalePaid({
      gatePaymentId: facts.payment.paymentRef,
      amount: reported.amount,
      currency: reported.currency,
      gateOperationId: facts.operation.id,
      requestId: facts.operation.requestId,
      code: facts.operation.code,
      message: facts.operation.message,
    })
    if (recorded) return settle(container, recorded.sale, recorded.placement)
  }

  const sale = await saleFor(container, facts.payment.paymentRef)
  if (sale === "transient") {
    return { outcome: "retry", reason: `payment session ${facts.payment.paymentRef} has no Flutterwave data yet; deliver again` }
  }
  if (typeof sale === "string") return { outcome: "unmatched", reason: sale }

  const operation = facts.operation
  const reported = operation?.amount ?? facts.payment.amount
  const expected = { amount: sale.amount, currency: sale.currency }
  if (!sameSum(reported, expected)) {
    const reason = mismatchReason(reported, expected)
    if (operation && operation.outcome === "success") {
      await attentionBoardOf(container).raise({
        kind: "held_callback",
        gatePaymentId: sale.gatePaymentId,
        sessionId: sale.sessionId,
        amount: reported.amount,
        currency: reported.currency,
        code: operation.code ?? null,
        message: `Held: Gate reports a paid sale of ${fromMinorUnits(reported.amount, reported.currency)} ${reported.currency}, but the store asked for ${fromMinorUnits(expected.amount, expected.currency)} ${expected.currency}. No order was placed. Refund it at Gate, or mark it reviewed.`,
      })
    }
    return { outcome: "held", reason }
  }

  const status = operation ? operation.outcome : "pending"
  const record = await recordOperation(container, {
    kind: "sale",
    gate_payment_id: facts.payment.paymentRef,
    gate_operation_id: operation?.id,
    request_id: operation?.requestId,
    amount: reported.amount,
    currency_code: reported.currency,
    status,
    code: operation?.code,
    message: operation?.message,
    source: facts.source,
    session_id: sale.sessionId ?? undefined,
    redirect_data: status === "pending" && facts.payment.redirect ? facts.payment.redirect : undefined,
  })
  if (status === "success" && record.stale && record.status === "decline" && (await ledgerOf(container).reopenDeclinedSale(sale.gatePaymentId))) {
    // Declined before (we declined a page that looked never paid, or the shopper's first attempt failed and they paid
    // on a second one under the same reference), and now paid after all: the money is real, so it goes on to
    // settlement (an order if the cart can still take it, else a full refund and the admin).
    record.status = "success"
  }
  // News of success always goes on to settlement, even when the sale was already recorded as paid: an earlier
  // attempt may have recorded it and then died before the order was placed. Every step there is idempotent.
  if (status !== "success" || record.status !== "success") {
    return record.stale ? { outcome: "ignored", reason: `stale: the sale is already ${record.status}` } : { outcome: "applied" }
  }
  return settle(container, sale)
}

/** A sale the ledger holds as paid goes on to an order or a full refund (see settlePaidSale). */
async function settle(container: MedusaContainer, sale: LedgerSale, placement?: Placement): Promise<Applied> {
  const deps = await settlePaidSaleDeps(container)
  // Known already when the ledger's own statement said where the order can go.
  if (placement) deps.placement = async () => placement
  const settled = await settlePaidSale(deps, { ...sale, status: "success" })
  switch (settled.outcome) {
    case "order":
      return { outcome: "applied" }
    case "orphan":
      return { outcome: "orphan", reason: settled.reason }
    case "attention":
      return { outcome: "attention", reason: settled.reason }
    case "retry":
      // Answered 500: the sender delivers it again; the attempt was counted in the ledger.
      throw new Error(`completing the order for ${sale.gatePaymentId} failed: ${settled.reason}`)
  }
}

async function applyRefund(container: MedusaContainer, facts: RailFacts): Promise<Applied> {
  const operation = facts.operation!
  const ledger = ledgerOf(container)
  const sale = await ledger.findSale(facts.payment.paymentRef)
  const sum = operation.amount ?? facts.payment.amount
  if (sale && sum.currency.toUpperCase() !== sale.currency.toUpperCase()) {
    return { outcome: "held", reason: `refund currency ${sum.currency} differs from the payment's ${sale.currency}` }
  }
  // Matched through the ledger: by Gate's operation id, then request id, within the payment; a row of ours whose
  // answer was lost is matched by amount. No match: a refund made outside Medusa (ECommPay's dashboard).
  const record = await recordOperation(container, {
    kind: "refund",
    gate_payment_id: facts.payment.paymentRef,
    gate_operation_id: operation.id,
    request_id: operation.requestId,
    amount: sum.amount,
    currency_code: sum.currency,
    status: operation.outcome,
    code: operation.code,
    message: operation.message,
    source: facts.source,
    session_id: sale?.sessionId ?? undefined,
  })
  const row = (await ledger.refundsOf(facts.payment.paymentRef)).find((r) => r.id === record.id)
  if (!row) return { outcome: "applied" }
  if (record.stale && !(row.status === "success" && !row.merchantKey && !row.medusaRefundId)) {
    // Nothing new, unless it is an outside refund not yet recorded in Medusa (an earlier attempt may have failed).
    return { outcome: "ignored", reason: `stale: the refund is already ${record.status}` }
  }
  if (row.status === "decline" && row.origin === "orphan" && sale) {
    // Our refund of an orphan payment failed after Gate accepted it: the shopper still has not got the money back.
    await attentionBoardOf(container).raise({
      kind: "refund_failed",
      gatePaymentId: facts.payment.paymentRef,
      sessionId: sale.sessionId,
      amount: sum.amount,
      currency: sum.currency,
      code: operation.code ?? null,
      message: `Gate declined the refund ${row.merchantKey} of a payment no order took: ${operation.message ?? "declined"}. Refund at Gate again, or mark it reviewed.`,
      refundKey: row.merchantKey,
    })
    return { outcome: "attention", reason: "refund of an orphan payment declined" }
  }
  const news = await onRefundNews(refundNewsDeps(container), row, sale)
  switch (news.outcome) {
    case "declined_after_acceptance":
      return { outcome: "attention", reason: `refund ${news.medusaRefundId} declined by Gate after it was accepted` }
    case "attention":
      return { outcome: "attention", reason: `refund made outside Medusa not recorded in Medusa: ${news.reason}` }
    case "recorded_in_medusa":
      return { outcome: "applied", reason: "refund made outside Medusa; recorded in Medusa" }
    case "ledger_only":
      return { outcome: "applied", reason: news.reason }
    default:
      return { outcome: "applied" }
  }
}

async function applyPayout(container: MedusaContainer, facts: RailFacts): Promise<Applied> {
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const [payout] = await flutterwave.listPayouts({ gate_payment_id: facts.payment.paymentRef })
  if (!payout) return { outcome: "unmatched", reason: `no payout ${facts.payment.paymentRef} in this store` }
  const operation = facts.operation
  const reported = operation?.amount ?? facts.payment.amount
  const expected = { amount: Number(payout.amount), currency: payout.currency_code }
  if (!sameSum(reported, expected)) {
    const reason = mismatchReason(reported, expected)
    await attentionBoardOf(container).raise({
      kind: "payout_held",
      gatePaymentId: facts.payment.paymentRef,
      amount: reported.amount,
      currency: reported.currency,
      code: operation?.code ?? null,
      message: `Held: Gate reports a payout of ${reported.amount} ${reported.currency} (minor units), but we sent ${expected.amount} ${expected.currency}. Check it in ECommPay's dashboard, then mark it reviewed.`,
    })
    return { outcome: "held", reason }
  }
  const status = operation ? operation.outcome : "pending"
  // The rail carries a decline's reason onto the operation (ECommPay may give it only in errors[]).
  const code = operation?.code ?? facts.payment.code
  const message = operation?.message ?? facts.payment.message
  const record = await recordOperation(container, {
    kind: "payout",
    gate_payment_id: facts.payment.paymentRef,
    gate_operation_id: operation?.id,
    request_id: operation?.requestId,
    merchant_key: payout.id,
    amount: reported.amount,
    currency_code: reported.currency,
    status,
    code,
    message,
    source: facts.source,
  })
  if (record.stale) return { outcome: "ignored", reason: `stale: the payout is already ${record.status}` }
  if (status !== "pending") await flutterwave.settlePayout(payout.id, { status, code, message })
  return { outcome: "applied" }
}

function mismatchReason(reported: Money, expected: Money): string {
  return `amount or currency mismatch: Gate reports ${reported.amount} ${reported.currency}, we sent ${expected.amount} ${expected.currency} (minor units)`
}
