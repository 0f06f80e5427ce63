import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { LIMIT_TIME_MS, PAYMENT_PAGE_VALIDITY_MS } from "../rails/ecommpay"
import { recordOperation } from "./record-operation"
import { roundHalfUpToMinorUnits, toExactDecimal, type AmountInput } from "../money"
import { isStillMoving } from "../rails/ecommpay/status"
import type { PaymentRail } from "../rails"
import { isFlutterwaveProvider } from "../providers/flutterwave/provider-id"
import { mapWithConcurrency } from "./concurrency"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import type FlutterwaveModuleService from "../modules/flutterwave/service"
import { NEVER_PAID_CODE, SqlLedger } from "../modules/flutterwave/ledger"
import { applyRailFacts } from "./apply-facts"
import { OUTSIDE_REFUND_MARKER } from "./outside-refund-marker"
import { isInDoubt } from "./refund-ledger"
import { refundMedusaPayment } from "./refund-medusa-payment"
import { onRefundNews } from "./refund-news"
import { resolveInDoubtRefund } from "./send-refund"
import { ledgerOf, refundNewsDeps, sendRefundDeps } from "./wiring"

export type ReconcileItem = {
  gate_payment_id: string
  kind: "sale" | "refund" | "payout"
  before: string
  after: string
  note?: string
}

type Target = { kind: ReconcileItem["kind"]; before: string }

export type ReconcileReport = {
  id: string
  checked: number
  changed: number
  still_pending: number
  failed: number
  items: ReconcileItem[]
}

/**
 * How far back reconciliation looks for sales. Gate declines an unpaid sale at the method's limit time (10 minutes),
 * so after that a sale can no longer change; the margin covers Gate's own delays and a missed job or two. Sales that
 * are final in the ledger are not asked about at all.
 */
export const SALE_LOOKBACK_MS = Math.max(LIMIT_TIME_MS, PAYMENT_PAGE_VALIDITY_MS) + 50 * 60 * 1000
/** Refunds and payouts settle in days (Flutterwave quotes 3–15 working days for refunds). */
export const OPERATION_LOOKBACK_MS = 30 * 24 * 3600 * 1000
/** How long past a Payment Page's expiry a sale Gate never heard of is still given before it is declined. */
const NEVER_PAID_MARGIN_MS = 20 * 60 * 1000
/** Paid sales asked about per run for refunds made outside Medusa; the rest wait for the next run. */
const PAID_SALE_RECHECK_BATCH = 500

/**
 * Asks Gate about everything still pending past the base time (sales, refunds, payouts) and applies each answer
 * through the same code as callbacks. Refunds Gate reports that Medusa never asked for (made in ECommPay's dashboard)
 * are recorded too. Runs under Medusa's lock, so two instances never reconcile at once.
 */
export async function reconcile(
  container: MedusaContainer,
  trigger: "job" | "manual",
  now: Date = new Date()
): Promise<ReconcileReport> {
  const locking = container.resolve(Modules.LOCKING)
  return locking.execute("flutterwave:reconcile", () => reconcileUnlocked(container, trigger, now), { timeout: 5 })
}

async function reconcileUnlocked(container: MedusaContainer, trigger: "job" | "manual", now: Date): Promise<ReconcileReport> {
  const startedAt = new Date()
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const settings = await flutterwave.settings()
  if (settings.problem !== undefined) {
    // Nothing can be asked without the keys. A store not set up yet has nothing pending: a quiet skip. One whose keys
    // went missing (FLUTTERWAVE_SETTINGS_KEY changed or absent on this instance) may have paid sales waiting: loud.
    const [, pending] = await flutterwave.listAndCountGateOperations({ status: "pending" } as never, { take: 1, select: ["id"] })
    if (pending > 0) {
      logger.error(`flutterwave: reconciliation cannot run while ${pending} operations are pending: ${settings.problem}`)
    } else {
      logger.info(`flutterwave: reconciliation skipped: ${settings.problem}`)
    }
    return { id: "", checked: 0, changed: 0, still_pending: 0, failed: 0, items: [] }
  }
  const { options, rail } = await flutterwave.connected()
  const cutoff = new Date(now.getTime() - options.reconcileAfterMs)

  const targets = await collectTargets(container, flutterwave, options.paidSaleRecheckMs, cutoff, now)

  const items: ReconcileItem[] = []
  let failed = 0
  for (const item of await reconcileRefunds(container, cutoff, now)) {
    items.push(item)
    if (item.after === "unknown") failed++
  }
  // Gate's latency is the cost of a run: ask about several payments at once, capped (reconcileConcurrency).
  const asked = await mapWithConcurrency([...targets], options.reconcileConcurrency, async ([gatePaymentId, target]) =>
    reconcileOne(container, logger, flutterwave, rail, gatePaymentId, target, now)
  )
  for (const result of asked) {
    items.push(result.item)
    failed += result.failed
  }

  const stillPending = items.filter((item) => isStillMoving(item.after)).length
  const changed = items.filter((item) => item.after !== item.before && !isStillMoving(item.after) && item.after !== "unknown").length
  const run = await flutterwave.createReconciliationRuns({
    trigger,
    checked: items.length,
    changed,
    still_pending: stillPending,
    failed,
    // A JSON column: an object wrapping the list, as the model's json type expects.
    items: { items },
    started_at: startedAt,
    finished_at: new Date(),
  })
  if (items.length > 0) {
    logger.info(`flutterwave: reconciliation checked ${items.length}, changed ${changed}, still pending ${stillPending}, failed ${failed}`)
  }
  return { id: run.id, checked: items.length, changed, still_pending: stillPending, failed, items }
}

/**
 * Which Gate payment ids to ask about, and what we believed before asking: only what can still change (sales within
 * the limit time plus a margin and not final in the ledger; refunds and payouts within their settlement window).
 */
async function collectTargets(
  container: MedusaContainer,
  flutterwave: FlutterwaveModuleService,
  paidSaleRecheckMs: number,
  cutoff: Date,
  now: Date
): Promise<Map<string, Target>> {
  const targets = new Map<string, Target>()
  const saleSince = new Date(now.getTime() - SALE_LOOKBACK_MS)
  // Every sale we sent that Gate has not settled: the ledger has them even when Medusa deleted the session (a
  // replaced page the shopper may still pay: an orphan payment in the making).
  const pendingSales = await flutterwave.listGateOperations(
    { kind: "sale", status: "pending", created_at: { $lt: cutoff, $gt: saleSince } } as never,
    { select: ["gate_payment_id"] }
  )
  for (const sale of pendingSales) targets.set(sale.gate_payment_id, { kind: "sale", before: "pending" })
  // Sessions Medusa still has pending whose sale the ledger does not show final: paid but never placed (an attempt
  // that died), or sent by a version of the plugin that did not record sales.
  const payments = container.resolve(Modules.PAYMENT)
  const sessions = await payments.listPaymentSessions(
    { status: ["pending", "requires_more"], created_at: { $lt: cutoff, $gt: saleSince } } as never,
    { select: ["id", "provider_id"] }
  )
  const flutterwaveSessions = sessions.filter((session) => isFlutterwaveProvider(session.provider_id))
  const declined = new Set(
    flutterwaveSessions.length === 0
      ? []
      : (
          await flutterwave.listGateOperations(
            { kind: "sale", status: "decline", gate_payment_id: flutterwaveSessions.map((s) => s.id) } as never,
            { select: ["gate_payment_id"] }
          )
        ).map((sale) => sale.gate_payment_id)
  )
  for (const session of flutterwaveSessions) {
    if (!declined.has(session.id) && !targets.has(session.id)) targets.set(session.id, { kind: "sale", before: "pending" })
  }
  const operationSince = new Date(now.getTime() - OPERATION_LOOKBACK_MS)
  const pendingOperations = await flutterwave.listGateOperations(
    { kind: ["refund", "payout"], status: "pending", created_at: { $lt: cutoff, $gt: operationSince } } as never
  )
  for (const operation of pendingOperations) {
    if (!targets.has(operation.gate_payment_id)) {
      targets.set(operation.gate_payment_id, { kind: operation.kind as ReconcileItem["kind"], before: "pending" })
    }
  }
  // Paid sales, now and then: a refund made in ECommPay's dashboard whose callback never came shows up only here.
  const paid = await new SqlLedger(() => container.resolve(ContainerRegistrationKeys.PG_CONNECTION)).claimPaidSalesForRecheck(
    operationSince,
    paidSaleRecheckMs,
    PAID_SALE_RECHECK_BATCH
  )
  for (const gatePaymentId of paid) if (!targets.has(gatePaymentId)) targets.set(gatePaymentId, { kind: "sale", before: "success" })
  const pendingPayouts = await flutterwave.listPayouts({ status: "pending", created_at: { $lt: cutoff, $gt: operationSince } } as never)
  for (const payout of pendingPayouts) targets.set(payout.gate_payment_id, { kind: "payout", before: "pending" })
  return targets
}

async function reconcileOne(
  container: MedusaContainer,
  logger: Logger,
  flutterwave: FlutterwaveModuleService,
  rail: PaymentRail,
  gatePaymentId: string,
  target: Target,
  now: Date
): Promise<{ item: ReconcileItem; failed: number }> {
  const lookup = await rail.lookup(gatePaymentId)
  if (lookup.kind === "not_found") {
    const expired =
      target.kind === "sale"
        ? await declineSaleNeverPaid(container, flutterwave, gatePaymentId, now)
        : target.kind === "payout"
          ? await declinePayoutNeverReceived(container, flutterwave, gatePaymentId, now)
          : false
    const why = target.kind === "payout" ? "Gate never received the payout; nothing was paid" : "Gate never received a payment: the Payment Page was not paid before it expired"
    return {
      item: {
        gate_payment_id: gatePaymentId,
        kind: target.kind,
        before: target.before,
        after: expired ? "decline" : "not at Gate",
        ...(expired ? { note: why } : {}),
      },
      failed: 0,
    }
  }
  if (lookup.kind === "unknown") {
    return { item: { gate_payment_id: gatePaymentId, kind: target.kind, before: target.before, after: "unknown", note: lookup.reason }, failed: 1 }
  }
  const payment = lookup.payment
  const notes: string[] = []
  let failed = 0
  // The sale (or payout) first, then each refund in Gate's order: a refund is never applied before its sale.
  const ordered = [...payment.operations].sort((a, b) => rank(a.type) - rank(b.type))
  for (const operation of ordered) {
    try {
      const applied = await applyRailFacts(container, { payment, operation, source: "status" })
      if (["held", "unmatched", "orphan", "attention", "retry"].includes(applied.outcome)) {
        notes.push(`${operation.type}: ${applied.outcome}${applied.reason ? `: ${applied.reason}` : ""}`)
      }
    } catch (error) {
      failed++
      notes.push(`${operation.type}: ${(error as Error).message}`)
      logger.error(`flutterwave: reconciling ${gatePaymentId} failed: ${(error as Error).message}`)
    }
  }
  return {
    item: {
      gate_payment_id: gatePaymentId,
      kind: target.kind,
      before: target.before,
      after: payment.status,
      ...(notes.length ? { note: notes.join("; ") } : {}),
    },
    failed,
  }
}

/**
 * Refunds the callbacks alone cannot settle:
 * - a Medusa refund the ledger has no row for: Medusa commits its refund before it calls the provider, so an app that
 *   died in between left a refund Gate never heard of. It goes through the same use-case as the admin's (reserved,
 *   then sent under its own id). One carrying the outside-refund marker is the record of an outside refund: tied to
 *   its row, never sent;
 * - a row of ours whose answer was lost (in doubt): Gate is asked, and the same key resent only if Gate has none;
 * - a successful refund made outside Medusa that is not recorded in Medusa yet (an earlier attempt failed or died).
 */
async function reconcileRefunds(container: MedusaContainer, cutoff: Date, now: Date): Promise<ReconcileItem[]> {
  const payments = container.resolve(Modules.PAYMENT)
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const ledger = ledgerOf(container)
  const send = sendRefundDeps(container)
  const news = refundNewsDeps(container)
  const since = new Date(now.getTime() - OPERATION_LOOKBACK_MS)
  const items: ReconcileItem[] = []

  const refunds = await payments.listRefunds({ created_at: { $lt: cutoff, $gt: since } } as never, { relations: ["payment"] })
  const ours = refunds.filter((refund) => isFlutterwaveProvider((refund.payment as { provider_id?: string } | undefined)?.provider_id))
  const known = new Set(
    ours.length === 0
      ? []
      : (await flutterwave.listGateOperations({ kind: "refund", medusa_refund_id: ours.map((r) => r.id) } as never, { select: ["medusa_refund_id"] })).map(
          (row) => (row as { medusa_refund_id?: string }).medusa_refund_id
        )
  )
  for (const refund of ours) {
    if (known.has(refund.id)) continue
    const data = ((refund.payment as { data?: Record<string, unknown> | null }).data ?? {}) as Record<string, unknown>
    const gatePaymentId = typeof data.gate_payment_id === "string" ? data.gate_payment_id : undefined
    const currency = typeof data.currency === "string" ? data.currency : undefined
    if (!gatePaymentId || !currency) continue
    const item: ReconcileItem = { gate_payment_id: gatePaymentId, kind: "refund", before: "not in the ledger", after: "pending" }
    const exact = toExactDecimal((refund.raw_amount ?? refund.amount) as AmountInput)
    const outsideRow = ((refund as { metadata?: Record<string, unknown> | null }).metadata ?? undefined)?.[OUTSIDE_REFUND_MARKER]
    if (typeof outsideRow === "string") {
      await ledger.attachOutsideRefund(outsideRow, refund.id, exact)
      items.push({ ...item, after: "success", note: `Medusa refund ${refund.id} records the refund made outside Medusa (${outsideRow})` })
      continue
    }
    // Gate may have made it already and told us (its row then looks made outside Medusa): tie them, send nothing.
    const minor = roundHalfUpToMinorUnits(exact, currency)
    const untied = (await ledger.refundsOf(gatePaymentId)).find(
      (row) => !row.merchantKey && !row.medusaRefundId && row.status !== "decline" && row.amount === minor
    )
    if (untied && (await ledger.attachOutsideRefund(untied.id, refund.id, exact, "medusa"))) {
      items.push({ ...item, after: untied.status, note: `Medusa refund ${refund.id} matched to Gate refund ${untied.gateOperationId ?? untied.id}` })
      continue
    }
    const sale = await ledger.findSale(gatePaymentId)
    const answer = await refundMedusaPayment(send, {
      gatePaymentId,
      currency,
      charged: sale?.amount ?? Number(data.amount_minor),
      medusaRefundId: refund.id,
      medusaAmount: exact,
    })
    if (answer.status === "refused" || answer.status === "unreachable") {
      // Medusa holds this refund and Gate did not take it: the admin decides (Retry at Gate, or not refunded).
      const declined = (await ledger.refundsOf(gatePaymentId)).find((row) => row.medusaRefundId === refund.id)
      if (declined) await onRefundNews(news, declined, sale)
    }
    items.push({
      ...item,
      after: answer.status === "accepted" || answer.status === "known" ? answer.refund.status : answer.status === "in_doubt" ? "unknown" : "decline",
      note: `Medusa refund ${refund.id} had not reached Gate: ${answer.status}${"message" in answer ? ` (${answer.message})` : ""}`,
    })
  }

  // Rows whose Medusa refund is gone (Medusa deletes a refund when the provider failed after writing the row): they
  // no longer stand for one. Sent and paid, such a refund is recorded back into Medusa below, as made outside it.
  const standing = await flutterwave.listGateOperations(
    { kind: "refund", status: { $ne: "decline" }, medusa_refund_id: { $ne: null }, created_at: { $gt: since } } as never,
    { select: ["id", "gate_payment_id", "merchant_key", "medusa_refund_id"] }
  )
  if (standing.length) {
    const ids = [...new Set(standing.map((row) => (row as { medusa_refund_id: string }).medusa_refund_id))]
    const present = new Set((await payments.listRefunds({ id: ids } as never, { select: ["id"] })).map((refund) => refund.id))
    for (const row of standing) {
      const medusaRefundId = (row as { medusa_refund_id: string }).medusa_refund_id
      if (present.has(medusaRefundId) || !row.merchant_key) continue
      await ledger.detachMedusaRefund(row.merchant_key)
      items.push({ gate_payment_id: row.gate_payment_id, kind: "refund", before: "pending", after: "pending", note: `Medusa no longer holds refund ${medusaRefundId}` })
    }
  }

  const stuck = await flutterwave.listGateOperations(
    { kind: "refund", status: "pending", gate_operation_id: null, request_id: null, merchant_key: { $ne: null }, created_at: { $lt: cutoff, $gt: since } } as never
  )
  for (const stuckRow of stuck) {
    const row = (await ledger.refundsOf(stuckRow.gate_payment_id)).find((r) => r.id === stuckRow.id)
    if (!row || !isInDoubt(row)) continue
    // A refund Medusa no longer holds is never sent now: only found (and then recorded back into Medusa) or dropped.
    const policy = !row.medusaRefundId && (row.origin === "medusa" || row.origin === "retry") ? "status_only" : "final"
    const resolved = await resolveInDoubtRefund(send, row, `Refund ${row.medusaRefundId ?? row.merchantKey}`, "reconciliation", { policy })
    const after = resolved.status === "accepted" ? resolved.refund.status : resolved.status === "in_doubt" ? "unknown" : "decline"
    if (resolved.status === "refused" || resolved.status === "unreachable" || (resolved.status === "accepted" && resolved.refund.status !== "pending")) {
      const settled = (await ledger.refundsOf(row.gatePaymentId)).find((r) => r.id === row.id)
      if (settled) await onRefundNews(news, settled, await ledger.findSale(row.gatePaymentId))
    }
    items.push({ gate_payment_id: row.gatePaymentId, kind: "refund", before: "unknown outcome", after, note: `refund ${row.merchantKey}: ${resolved.status}` })
  }

  const unrecorded = await flutterwave.listGateOperations(
    { kind: "refund", status: "success", medusa_refund_id: null, origin: { $ne: "orphan" }, created_at: { $gt: since } } as never
  )
  for (const outside of unrecorded) {
    const row = (await ledger.refundsOf(outside.gate_payment_id)).find((r) => r.id === outside.id)
    if (!row) continue
    const recorded = await onRefundNews(news, row, await ledger.findSale(row.gatePaymentId))
    if (recorded.outcome === "recorded_in_medusa" || recorded.outcome === "attention") {
      items.push({ gate_payment_id: row.gatePaymentId, kind: "refund", before: "outside Medusa", after: "success", note: `refund made outside Medusa: ${recorded.outcome}` })
    }
  }
  return items
}

/**
 * A sale Gate still has no record of (3061) once its Payment Page can no longer be paid: the shopper never opened
 * the page, or closed it without paying. Recorded as declined, so nothing asks about it again. Only sales whose page
 * expired (PAYMENT_PAGE_VALIDITY_MS, signed into the page as best_before) plus a margin for clocks and Gate's delays.
 */
async function declineSaleNeverPaid(
  container: MedusaContainer,
  flutterwave: FlutterwaveModuleService,
  gatePaymentId: string,
  now: Date
): Promise<boolean> {
  const [sale] = await flutterwave.listGateOperations({ kind: "sale", gate_payment_id: gatePaymentId, status: "pending" })
  if (!sale || now.getTime() - new Date(sale.created_at).getTime() < PAYMENT_PAGE_VALIDITY_MS + NEVER_PAID_MARGIN_MS) return false
  const recorded = await recordOperation(container, {
    kind: "sale",
    gate_payment_id: gatePaymentId,
    amount: Number(sale.amount),
    currency_code: sale.currency_code,
    status: "decline",
    code: NEVER_PAID_CODE,
    message: "The shopper did not pay on the Flutterwave page before it expired",
    source: "status",
  })
  return !recorded.stale
}

/**
 * A payout Gate still has no record of long after it was sent (every send's answer was lost, and none arrived):
 * declined, so the admin sees it was not paid and may send it again under a new key. Gate's limit time plus the margin
 * first, so a payout Gate is slow to register is never declined while it may still land.
 */
async function declinePayoutNeverReceived(
  container: MedusaContainer,
  flutterwave: FlutterwaveModuleService,
  gatePaymentId: string,
  now: Date
): Promise<boolean> {
  const [payout] = await flutterwave.listPayouts({ gate_payment_id: gatePaymentId, status: "pending" })
  if (!payout || now.getTime() - new Date(payout.created_at).getTime() < LIMIT_TIME_MS + NEVER_PAID_MARGIN_MS) return false
  const message = "Gate never received this payout; nothing was paid. Send it again if it is still due."
  await flutterwave.settlePayout(payout.id, { status: "decline", code: NEVER_PAID_CODE, message })
  await recordOperation(container, {
    kind: "payout",
    gate_payment_id: gatePaymentId,
    merchant_key: payout.id,
    amount: Number(payout.amount),
    currency_code: payout.currency_code,
    status: "decline",
    code: NEVER_PAID_CODE,
    message,
    source: "status",
  })
  return true
}

function rank(type: string): number {
  return type === "sale" || type === "payout" ? 0 : 1
}
