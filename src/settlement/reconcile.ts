import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { GateRejectedError, LIMIT_TIME_MS, isGateNotFound, toMinorUnits, type GateStatusResult } from "../gate"
import { isStillMoving } from "../gate/status"
import { isFlutterwaveProvider } from "../providers/flutterwave/provider-id"
import { mapWithConcurrency } from "./concurrency"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import type FlutterwaveModuleService from "../modules/flutterwave/service"
import { applyGateFacts } from "./apply-facts"
import { recordOperation } from "./record-operation"

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
export const SALE_LOOKBACK_MS = LIMIT_TIME_MS + 50 * 60 * 1000
/** Refunds and payouts settle in days (Flutterwave quotes 3–15 working days for refunds). */
export const OPERATION_LOOKBACK_MS = 30 * 24 * 3600 * 1000

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
  const cutoff = new Date(now.getTime() - flutterwave.options.reconcileAfterMs)

  const targets = await collectTargets(container, flutterwave, cutoff, now)

  const items: ReconcileItem[] = []
  let failed = 0
  for (const item of await recoverLostRefunds(container, cutoff, now)) {
    items.push(item)
    if (item.after === "unknown") failed++
  }
  // Gate's latency is the cost of a run: ask about several payments at once, capped (reconcileConcurrency).
  const asked = await mapWithConcurrency([...targets], flutterwave.options.reconcileConcurrency, async ([gatePaymentId, target]) =>
    reconcileOne(container, logger, flutterwave, gatePaymentId, target)
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
  const pendingPayouts = await flutterwave.listPayouts({ status: "pending", created_at: { $lt: cutoff, $gt: operationSince } } as never)
  for (const payout of pendingPayouts) targets.set(payout.gate_payment_id, { kind: "payout", before: "pending" })
  return targets
}

async function reconcileOne(
  container: MedusaContainer,
  logger: Logger,
  flutterwave: FlutterwaveModuleService,
  gatePaymentId: string,
  target: Target
): Promise<{ item: ReconcileItem; failed: number }> {
  let status: GateStatusResult
  try {
    status = await flutterwave.gate.status(gatePaymentId)
  } catch (error) {
    if (isGateNotFound(error)) {
      return { item: { gate_payment_id: gatePaymentId, kind: target.kind, before: target.before, after: "not at Gate" }, failed: 0 }
    }
    return {
      item: { gate_payment_id: gatePaymentId, kind: target.kind, before: target.before, after: "unknown", note: (error as Error).message },
      failed: 1,
    }
  }
  const notes: string[] = []
  let failed = 0
  // The sale (or payout) first, then each refund in Gate's order: a refund is never applied before its sale.
  const ordered = [...status.operations].sort((a, b) => rank(a.type) - rank(b.type))
  for (const operation of ordered) {
    try {
      const applied = await applyGateFacts(container, {
        payment: status.payment,
        operation,
        errors: status.errors,
        redirectData: status.redirectData,
        source: "status",
      })
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
      after: status.payment.status,
      ...(notes.length ? { note: notes.join("; ") } : {}),
    },
    failed,
  }
}

/**
 * Medusa commits a refund row before it calls the provider. If the app dies in between (or before the provider's
 * answer is stored), Medusa shows a refund that our log has never seen. Find each such refund a Gate refund: an
 * unclaimed one of the same amount (Gate got it, the answer was lost), or send it now with the refund id as
 * merchant_refund_id, which Gate refuses (3230) if the first attempt did arrive. Never a second refund.
 */
async function recoverLostRefunds(container: MedusaContainer, cutoff: Date, now: Date): Promise<ReconcileItem[]> {
  const payments = container.resolve(Modules.PAYMENT)
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const refunds = await payments.listRefunds(
    { created_at: { $lt: cutoff, $gt: new Date(now.getTime() - OPERATION_LOOKBACK_MS) } } as never,
    { relations: ["payment"] }
  )
  const items: ReconcileItem[] = []
  for (const refund of refunds) {
    const payment = refund.payment as { provider_id?: string; data?: Record<string, unknown> | null } | undefined
    if (!payment || !isFlutterwaveProvider(payment.provider_id)) continue
    const data = payment.data ?? {}
    const gatePaymentId = typeof data.gate_payment_id === "string" ? data.gate_payment_id : undefined
    const currency = typeof data.currency === "string" ? data.currency : undefined
    if (!gatePaymentId || !currency) continue
    const [claimed] = await flutterwave.listGateOperations({ kind: "refund", merchant_key: refund.id })
    const ledger = Array.isArray(data.refunds) ? (data.refunds as Array<{ refund_id?: string }>) : []
    if (claimed || ledger.some((entry) => entry.refund_id === refund.id)) continue

    const amountMinor = minorOf(refund.raw_amount ?? refund.amount, currency)
    const item: ReconcileItem = { gate_payment_id: gatePaymentId, kind: "refund", before: "not in our log", after: "pending" }
    const ours = await flutterwave.listGateOperations({ kind: "refund", gate_payment_id: gatePaymentId })
    const unclaimed = ours.find((op) => !op.merchant_key && op.status !== "decline" && Number(op.amount) === amountMinor)
    if (unclaimed) {
      await flutterwave.mergeOperationIdentity(unclaimed.id, { merchant_key: refund.id })
      items.push({ ...item, after: unclaimed.status, note: `Medusa refund ${refund.id} matched to the Gate refund we recorded` })
      continue
    }
    let status: GateStatusResult | undefined
    try {
      status = await flutterwave.gate.status(gatePaymentId)
    } catch (error) {
      items.push({ ...item, after: "unknown", note: (error as Error).message })
      continue
    }
    const claimedIds = new Set(ours.filter((op) => op.merchant_key).map((op) => op.gate_operation_id))
    const atGate = status.operations.find(
      (op) => op.type === "refund" && op.status !== "decline" && op.sumInitial?.amount === amountMinor && !claimedIds.has(op.id)
    )
    if (atGate) {
      await recordOperation(container, {
        kind: "refund",
        gate_payment_id: gatePaymentId,
        gate_operation_id: atGate.id,
        request_id: atGate.requestId,
        merchant_key: refund.id,
        amount: amountMinor,
        currency_code: currency,
        status: atGate.status === "success" ? "success" : "pending",
        code: atGate.code,
        message: atGate.message,
        source: "status",
      })
      items.push({ ...item, after: atGate.status, note: `Medusa refund ${refund.id} matched to Gate refund ${atGate.id}` })
      continue
    }
    try {
      const accepted = await flutterwave.gate.refund({
        paymentId: gatePaymentId,
        amount: amountMinor,
        currency,
        description: `Refund ${refund.id}`,
        merchantRefundId: refund.id,
        callbackUrl: flutterwave.options.callbackUrl,
      })
      await recordOperation(container, {
        kind: "refund",
        gate_payment_id: gatePaymentId,
        merchant_key: refund.id,
        request_id: accepted.requestId,
        amount: amountMinor,
        currency_code: currency,
        status: "pending",
        source: "request",
      })
      items.push({ ...item, note: `Medusa refund ${refund.id} had not reached Gate; sent now with its own key` })
    } catch (error) {
      const known = error instanceof GateRejectedError && error.code === "3230"
      items.push({
        ...item,
        after: known ? "pending" : "unknown",
        note: known ? `Medusa refund ${refund.id} is at Gate already; matched on a later run` : (error as Error).message,
      })
    }
  }
  return items
}

function minorOf(amount: unknown, currency: string): number {
  return toMinorUnits(amount as Parameters<typeof toMinorUnits>[0], currency)
}

function rank(type: string): number {
  return type === "sale" || type === "payout" ? 0 : 1
}
