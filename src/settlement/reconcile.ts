import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { LIMIT_TIME_MS } from "../rails/ecommpay"
import { recordOperation } from "./record-operation"
import { roundHalfUpToMinorUnits, toExactDecimal, type AmountInput } from "../money"
import { isStillMoving } from "../rails/ecommpay/status"
import type { PaymentRail } from "../rails"
import type { RailOutcome, RailPayment } from "../rails/rail"
import { isFlutterwaveProvider } from "../providers/flutterwave/provider-id"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import type FlutterwaveModuleService from "../modules/flutterwave/service"
import { NEVER_PAID_CODE, SqlLedger, SqlReconcileSchedule, type ScheduledOperation } from "../modules/flutterwave/ledger"
import { applyRailFacts } from "./apply-facts"
import { OUTSIDE_REFUND_MARKER } from "./outside-refund-marker"
import { isInDoubt } from "./refund-ledger"
import { refundMedusaPayment } from "./refund-medusa-payment"
import { onRefundNews } from "./refund-news"
import { resolveInDoubtRefund } from "./send-refund"
import { ledgerOf, refundNewsDeps, sendRefundDeps } from "./wiring"
import {
  NEVER_PAID_MARGIN_MS,
  OPERATION_LOOKBACK_MS,
  SALE_DECISIVE_AFTER_MS,
  SALE_LOOKBACK_MS,
  nextCheckAt,
  workWhileAllowed,
} from "./reconcile-schedule"

export { OPERATION_LOOKBACK_MS, SALE_LOOKBACK_MS } from "./reconcile-schedule"

export type ReconcileItem = {
  gate_payment_id: string
  kind: "sale" | "refund" | "payout"
  before: string
  /** The backend's own word for where the payment stands now (Gate's status, Flutterwave's), for the admin. */
  after: string
  /**
   * Where what was asked about stands, in the rail's neutral terms (each rail has its own status words, so the run's
   * counts go by this): pending while on its way. Absent on items that are not a lookup (`after` then says it).
   */
  outcome?: RailOutcome
  note?: string
}

type Target = {
  gatePaymentId: string
  kind: ReconcileItem["kind"]
  before: string
  /** The ledger rows this lookup answers for, whose next check it schedules. None: asked on every run. */
  scheduled: ScheduledOperation[]
  /** A paid sale claimed for the outside-refund recheck: handed back if the run stops before asking. */
  recheck?: boolean
}

export type ReconcileReport = {
  id: string
  checked: number
  changed: number
  still_pending: number
  failed: number
  /** Items due that the run did not reach (its time budget was spent): the next run takes them first. */
  left_for_next_run: number
  items: ReconcileItem[]
}

/** A manual run's own limits instead of the options' (reconcileRunBudgetMs, reconcileConcurrency). */
export type ReconcileLimits = { runBudgetMs?: number; concurrency?: number }

/**
 * The lock's lease in seconds. Medusa's Redis provider renews it under a running job every third of it, so it only
 * bounds how long a process killed mid-run (SIGKILL, OOM) keeps "flutterwave:reconcile" taken; PostgreSQL's advisory
 * lock goes with the dead connection at once. A run waits a little longer than a lease for the lock, so the first
 * run after a crash always goes through.
 */
const RECONCILE_LOCK_LEASE_S = 15
const RECONCILE_LOCK_WAIT_S = RECONCILE_LOCK_LEASE_S + 5

/** Paid sales asked about per run for refunds made outside Medusa; the rest wait for the next run. */
const PAID_SALE_RECHECK_BATCH = 500

/**
 * Asks Gate about everything pending past the base time whose next check is due (sales, refunds, payouts; see
 * reconcile-schedule.ts) and applies each answer through the same code as callbacks. Refunds Gate reports that Medusa
 * never asked for (made in ECommPay's dashboard) are recorded too. Runs under Medusa's lock, so two instances never
 * reconcile at once, and within a time budget, so a run never overlaps the next: what it did not reach is left due.
 * `now` places the run in time (what is due, the windows); the budget is measured on the wall clock.
 */
export async function reconcile(
  container: MedusaContainer,
  trigger: "job" | "manual",
  now: Date = new Date(),
  limits: ReconcileLimits = {}
): Promise<ReconcileReport> {
  const locking = container.resolve(Modules.LOCKING)
  return locking.execute("flutterwave:reconcile", (lockLost) => reconcileUnlocked(container, trigger, now, limits, lockLost), {
    timeout: RECONCILE_LOCK_WAIT_S,
    expire: RECONCILE_LOCK_LEASE_S,
  })
}

async function reconcileUnlocked(
  container: MedusaContainer,
  trigger: "job" | "manual",
  now: Date,
  limits: ReconcileLimits,
  lockLost?: AbortSignal
): Promise<ReconcileReport> {
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
    return { id: "", checked: 0, changed: 0, still_pending: 0, failed: 0, left_for_next_run: 0, items: [] }
  }
  const { options, rail } = await flutterwave.connected()
  const cutoff = new Date(now.getTime() - options.reconcileAfterMs)
  const budgetMs = limits.runBudgetMs ?? options.reconcileRunBudgetMs
  const deadline = startedAt.getTime() + budgetMs
  // No new lookup once the budget is spent (the next run must not find this one still going), nor once the lock is
  // lost (another instance may be reconciling by now). Lookups already started finish and are recorded.
  const mayStart = () => Date.now() < deadline && !lockLost?.aborted
  const schedule = new SqlReconcileSchedule(() => container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION))

  const targets = await collectTargets(container, flutterwave, schedule, options.paidSaleRecheckMs, cutoff, now)

  const items: ReconcileItem[] = []
  let failed = 0
  const refunds = await reconcileRefunds(container, cutoff, now, mayStart)
  for (const item of refunds.items) {
    items.push(item)
    if (item.after === "unknown") failed++
  }
  // Gate's latency is the cost of a run: ask about several payments at once, capped (reconcileConcurrency).
  const asked = await workWhileAllowed(targets, limits.concurrency ?? options.reconcileConcurrency, mayStart, (target) =>
    reconcileOne(container, logger, flutterwave, schedule, rail, target, now)
  )
  for (const result of asked.results) {
    if (!result) continue
    items.push(result.item)
    failed += result.failed
  }
  const left = refunds.left + asked.notStarted
  // Unreached paid sales keep their place: first in line for the recheck at the next run, not in paidSaleRecheckMs.
  await schedule.releasePaidSaleRechecks(targets.filter((target, i) => target.recheck && !asked.results[i]).map((target) => target.gatePaymentId))

  const moving = (item: ReconcileItem) => (item.outcome ? item.outcome === "pending" : isStillMoving(item.after))
  const stillPending = items.filter(moving).length
  const changed = items.filter((item) =>
    item.outcome ? item.outcome !== "pending" && item.outcome !== item.before : item.after !== item.before && !moving(item) && item.after !== "unknown"
  ).length
  const run = await flutterwave.createReconciliationRuns({
    trigger,
    checked: items.length,
    changed,
    still_pending: stillPending,
    failed,
    // A JSON column: an object wrapping the list, as the model's json type expects.
    items: { items, left_for_next_run: left },
    started_at: startedAt,
    finished_at: new Date(),
  })
  const summary = `flutterwave: reconciliation checked ${items.length}, changed ${changed}, still pending ${stillPending}, failed ${failed}`
  if (left > 0) {
    const budget = budgetMs >= 1000 ? `${Math.round(budgetMs / 1000)} s` : `${budgetMs} ms`
    const why = lockLost?.aborted ? "its lock was lost" : `its ${budget} budget was spent`
    logger.warn(`${summary}; ${left} due items left for the next run: ${why}`)
  } else if (items.length > 0) {
    logger.info(summary)
  }
  return { id: run.id, checked: items.length, changed, still_pending: stillPending, failed, left_for_next_run: left, items }
}

/**
 * What to ask Gate about, most urgent first, and what we believed before asking: only what can still change and is due
 * (sales within the limit time plus a margin and not final in the ledger; refunds and payouts within their settlement
 * window). A run short of time asks about sales first (a shopper may be waiting for an order), then payouts, refunds,
 * and last the paid sales rechecked for refunds made outside Medusa; within each, the longest due first.
 */
async function collectTargets(
  container: MedusaContainer,
  flutterwave: FlutterwaveModuleService,
  schedule: SqlReconcileSchedule,
  paidSaleRecheckMs: number,
  cutoff: Date,
  now: Date
): Promise<Target[]> {
  const targets = new Map<string, Target>()
  const add = (gatePaymentId: string, target: Omit<Target, "gatePaymentId">) => {
    const known = targets.get(gatePaymentId)
    if (known) known.scheduled.push(...target.scheduled)
    else targets.set(gatePaymentId, { gatePaymentId, ...target })
  }
  const saleSince = new Date(now.getTime() - SALE_LOOKBACK_MS)
  // Every sale we sent that Gate has not settled: the ledger has them even when Medusa deleted the session (a
  // replaced page the shopper may still pay: an orphan payment in the making).
  // Within 30 days, not only the sale's first window: one Gate still reports in progress is followed until final.
  const operationSince = new Date(now.getTime() - OPERATION_LOOKBACK_MS)
  const pendingSales = await schedule.dueOperations({ kinds: ["sale"], createdAfter: operationSince, createdBefore: cutoff, now })
  for (const sale of pendingSales) add(sale.gatePaymentId, { kind: "sale", before: "pending", scheduled: [sale] })
  // Sessions Medusa still has pending whose sale the ledger does not show final: paid but never placed (an attempt
  // that died), or sent by a version of the plugin that did not record sales. A sale the ledger has pending keeps to
  // its schedule here too: asked when due.
  const payments = container.resolve(Modules.PAYMENT)
  const sessions = await payments.listPaymentSessions(
    { status: ["pending", "requires_more"], created_at: { $lt: cutoff, $gt: saleSince } } as never,
    { select: ["id", "provider_id"] }
  )
  const flutterwaveSessions = sessions.filter((session) => isFlutterwaveProvider(session.provider_id))
  const salesOfSessions = new Map(
    (await schedule.operationsOf("sale", flutterwaveSessions.map((session) => session.id))).map((sale) => [sale.gatePaymentId, sale])
  )
  for (const session of flutterwaveSessions) {
    if (targets.has(session.id)) continue
    const sale = salesOfSessions.get(session.id)
    if (sale?.status === "decline") continue
    if (sale?.status === "pending") {
      if (sale.nextCheckAt && sale.nextCheckAt.getTime() > now.getTime()) continue
      add(session.id, { kind: "sale", before: "pending", scheduled: [sale] })
    } else {
      add(session.id, { kind: "sale", before: "pending", scheduled: [] })
    }
  }
  const pendingPayouts = await schedule.dueOperations({ kinds: ["payout"], createdAfter: operationSince, createdBefore: cutoff, now })
  for (const payout of pendingPayouts) add(payout.gatePaymentId, { kind: "payout", before: "pending", scheduled: [payout] })
  // Payouts pending in their own table with no pending ledger row to schedule them (the app died between Gate's
  // answer and the ledger write, or the ledger shows them final and the payout row was not settled): every run.
  const payoutRows = await flutterwave.listPayouts({ status: "pending", created_at: { $lt: cutoff, $gt: operationSince } } as never)
  const scheduledPayouts = new Set(
    (await schedule.operationsOf("payout", payoutRows.map((payout) => payout.gate_payment_id)))
      .filter((row) => row.status === "pending")
      .map((row) => row.gatePaymentId)
  )
  for (const payout of payoutRows) {
    if (!scheduledPayouts.has(payout.gate_payment_id)) add(payout.gate_payment_id, { kind: "payout", before: "pending", scheduled: [] })
  }
  // Several refunds of one payment due at once: one lookup answers for all of them.
  const pendingRefunds = await schedule.dueOperations({ kinds: ["refund"], createdAfter: operationSince, createdBefore: cutoff, now })
  for (const refund of pendingRefunds) add(refund.gatePaymentId, { kind: "refund", before: "pending", scheduled: [refund] })
  // Paid sales, now and then: a refund made in ECommPay's dashboard whose callback never came shows up only here.
  const paid = await new SqlLedger(() => container.resolve(ContainerRegistrationKeys.PG_CONNECTION)).claimPaidSalesForRecheck(
    operationSince,
    paidSaleRecheckMs,
    PAID_SALE_RECHECK_BATCH
  )
  for (const gatePaymentId of paid) {
    if (!targets.has(gatePaymentId)) add(gatePaymentId, { kind: "sale", before: "success", scheduled: [], recheck: true })
  }
  return [...targets.values()]
}

/**
 * Asks Gate about one payment, applies what it says, and schedules the next check of the ledger rows it answered
 * for (one statement). A failure here is this item's, counted and logged; the run goes on.
 */
async function reconcileOne(
  container: MedusaContainer,
  logger: Logger,
  flutterwave: FlutterwaveModuleService,
  schedule: SqlReconcileSchedule,
  rail: PaymentRail,
  target: Target,
  now: Date
): Promise<{ item: ReconcileItem; failed: number }> {
  let result: { item: ReconcileItem; failed: number }
  try {
    result = await askAndApply(container, logger, flutterwave, rail, target, now)
  } catch (error) {
    logger.error(`flutterwave: reconciling ${target.gatePaymentId} failed: ${(error as Error).message}`)
    result = {
      item: { gate_payment_id: target.gatePaymentId, kind: target.kind, before: target.before, after: "unknown", note: (error as Error).message },
      failed: 1,
    }
  }
  // Rows the answer made final are left alone by the statement; the rest wait for their next turn.
  try {
    await schedule.scheduleNextChecks(target.scheduled.map((row) => ({ id: row.id, at: nextCheckAt(row, now) })))
  } catch (error) {
    // The rows stay due and the next run asks again; this run goes on (its other lookups must not outlive it).
    logger.error(`flutterwave: scheduling the next check of ${target.gatePaymentId} failed: ${(error as Error).message}`)
  }
  return result
}

async function askAndApply(
  container: MedusaContainer,
  logger: Logger,
  flutterwave: FlutterwaveModuleService,
  rail: PaymentRail,
  target: Target,
  now: Date
): Promise<{ item: ReconcileItem; failed: number }> {
  const gatePaymentId = target.gatePaymentId
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
      outcome: outcomeOf(payment, target.kind),
      ...(notes.length ? { note: notes.join("; ") } : {}),
    },
    failed,
  }
}

/**
 * Where a looked-up payment stands for what was asked: a refund target is pending while any of its refunds is
 * (Flutterwave's complete days after the sale they refund) and settled once none is; anything else is the payment.
 */
function outcomeOf(payment: RailPayment, kind: ReconcileItem["kind"]): RailOutcome {
  if (kind !== "refund") return payment.outcome
  return payment.operations.some((operation) => operation.type === "refund" && operation.outcome === "pending") ? "pending" : "success"
}

/**
 * Refunds the callbacks alone cannot settle:
 * - a Medusa refund the ledger has no row for: Medusa commits its refund before it calls the provider, so an app that
 *   died in between left a refund Gate never heard of. It goes through the same use-case as the admin's (reserved,
 *   then sent under its own id). One carrying the outside-refund marker is the record of an outside refund: tied to
 *   its row, never sent;
 * - a row of ours whose answer was lost (in doubt): Gate is asked, and the same key resent only if Gate has none;
 * - a successful refund made outside Medusa that is not recorded in Medusa yet (an earlier attempt failed or died).
 * What would call Gate starts only while `mayStart()` holds; the rest is counted as left for the next run.
 */
async function reconcileRefunds(
  container: MedusaContainer,
  cutoff: Date,
  now: Date,
  mayStart: () => boolean
): Promise<{ items: ReconcileItem[]; left: number }> {
  const payments = container.resolve(Modules.PAYMENT)
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const ledger = ledgerOf(container)
  const send = sendRefundDeps(container)
  const news = refundNewsDeps(container)
  const since = new Date(now.getTime() - OPERATION_LOOKBACK_MS)
  const items: ReconcileItem[] = []
  let left = 0

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
    if (!mayStart()) {
      left++
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

  // In doubt and due: a row asked about recently (its lookup below scheduled it) waits for its turn like any refund.
  const stuck = await flutterwave.listGateOperations({
    kind: "refund",
    status: "pending",
    gate_operation_id: null,
    request_id: null,
    merchant_key: { $ne: null },
    created_at: { $lt: cutoff, $gt: since },
    $or: [{ next_check_at: null }, { next_check_at: { $lte: now } }],
  } as never)
  for (const stuckRow of stuck) {
    const row = (await ledger.refundsOf(stuckRow.gate_payment_id)).find((r) => r.id === stuckRow.id)
    if (!row || !isInDoubt(row)) continue
    if (!mayStart()) {
      left++
      continue
    }
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
  return { items, left }
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
  // The same moment as the schedule's decisive check (reconcile-schedule.ts), so the two cannot drift apart.
  if (!sale || now.getTime() - new Date(sale.created_at).getTime() < SALE_DECISIVE_AFTER_MS) return false
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
