import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { isGateNotFound, type GateStatusResult } from "../gate"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import type FlutterwaveModuleService from "../modules/flutterwave/service"
import { applyGateFacts } from "./apply-gate-facts"

export type ReconcileItem = {
  gate_payment_id: string
  kind: "sale" | "refund" | "payout"
  before: string
  after: string
  note?: string
}

export type ReconcileReport = {
  id: string
  checked: number
  changed: number
  still_pending: number
  failed: number
  items: ReconcileItem[]
}

/** How far back reconciliation looks for sessions that never heard from Gate (Gate declines after 10 minutes). */
const LOOKBACK_MS = 7 * 24 * 3600 * 1000

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
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const cutoff = new Date(now.getTime() - flutterwave.options.reconcileAfterMs)

  // Which Gate payment ids to ask about, and what we believed before asking.
  const targets = new Map<string, { kind: ReconcileItem["kind"]; before: string }>()
  const payments = container.resolve(Modules.PAYMENT)
  const sessions = await payments.listPaymentSessions({
    status: ["pending", "requires_more"],
    created_at: { $lt: cutoff, $gt: new Date(now.getTime() - LOOKBACK_MS) },
  } as never)
  for (const session of sessions) {
    if (!session.provider_id.startsWith("pp_flutterwave")) continue
    targets.set(session.id, { kind: "sale", before: "pending" })
  }
  const pendingOperations = await flutterwave.listGateOperations({ status: "pending", created_at: { $lt: cutoff } } as never)
  for (const operation of pendingOperations) {
    if (!targets.has(operation.gate_payment_id)) {
      targets.set(operation.gate_payment_id, { kind: operation.kind as ReconcileItem["kind"], before: "pending" })
    }
  }
  const pendingPayouts = await flutterwave.listPayouts({ status: "pending", created_at: { $lt: cutoff } } as never)
  for (const payout of pendingPayouts) targets.set(payout.gate_payment_id, { kind: "payout", before: "pending" })

  const items: ReconcileItem[] = []
  let failed = 0
  for (const [gatePaymentId, target] of targets) {
    let status: GateStatusResult
    try {
      status = await flutterwave.gate.status(gatePaymentId)
    } catch (error) {
      if (isGateNotFound(error)) {
        items.push({ gate_payment_id: gatePaymentId, kind: target.kind, before: target.before, after: "not at Gate" })
      } else {
        failed++
        items.push({ gate_payment_id: gatePaymentId, kind: target.kind, before: target.before, after: "unknown", note: (error as Error).message })
      }
      continue
    }
    const notes: string[] = []
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
        if (applied.outcome === "held" || applied.outcome === "unmatched") notes.push(`${operation.type}: ${applied.reason}`)
      } catch (error) {
        failed++
        notes.push(`${operation.type}: ${(error as Error).message}`)
        logger.error(`flutterwave: reconciling ${gatePaymentId} failed: ${(error as Error).message}`)
      }
    }
    items.push({
      gate_payment_id: gatePaymentId,
      kind: target.kind,
      before: target.before,
      after: status.payment.status,
      ...(notes.length ? { note: notes.join("; ") } : {}),
    })
  }

  const stillPending = items.filter((item) => isInProgress(item.after)).length
  const changed = items.filter((item) => item.after !== item.before && !isInProgress(item.after) && item.after !== "unknown").length
  const run = await flutterwave.createReconciliationRuns({
    trigger,
    checked: items.length,
    changed,
    still_pending: stillPending,
    failed,
    // A JSON column: an object wrapping the list, as the model's json type expects.
    items: { items },
    finished_at: new Date(),
  })
  if (items.length > 0) {
    logger.info(`flutterwave: reconciliation checked ${items.length}, changed ${changed}, still pending ${stillPending}, failed ${failed}`)
  }
  return { id: run.id, checked: items.length, changed, still_pending: stillPending, failed, items }
}

function rank(type: string): number {
  return type === "sale" || type === "payout" ? 0 : 1
}

function isInProgress(status: string): boolean {
  return ["processing", "external processing", "awaiting redirect result", "awaiting customer", "pending"].includes(status)
}
