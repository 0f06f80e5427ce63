import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import type FlutterwaveModuleService from "../modules/flutterwave/service"
import { applyRailFacts } from "./apply-facts"
import { callbackDeliveriesOf } from "./wiring"

export type CallbackOutcome =
  | "applied"
  | "duplicate"
  | "in_progress"
  | "held"
  | "unmatched"
  | "ignored"
  | "rejected"
  | "orphan"
  | "attention"
  | "retry"

/**
 * How long a stored-but-unapplied callback counts as being applied by another delivery. Longer than one apply can
 * take (Gate status with retries, Medusa's cart lock wait), so a live apply never gets a concurrent twin.
 */
const IN_FLIGHT_MS = 60_000

export type CallbackResult = { httpStatus: number; outcome: CallbackOutcome; reason?: string }

/**
 * The one door for Gate callbacks (sales, refunds and payouts share the project's callback URL):
 * verify (the exact bytes, parsed once; a bad signature never reaches the database) → record once, in one statement
 * (the unique dedupe key makes replays no-ops, across instances, and counts them) → check against what we sent →
 * apply. Gate gets 200 only once the callback is durably recorded; a failure while applying answers 500 so
 * Gate delivers it again, and the retry applies it (each step is idempotent).
 */
export async function receiveGateCallback(container: MedusaContainer, rawBody: Buffer | string): Promise<CallbackResult> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)

  const settings = await flutterwave.settings()
  if (settings.problem !== undefined) {
    // Without the keys nothing can be verified: Gate keeps the callback and delivers it again once they are set.
    logger.warn(`flutterwave: callback not accepted yet: ${settings.problem}`)
    return { httpStatus: 503, outcome: "rejected", reason: "the plugin's keys are not set yet" }
  }
  // The rail reads and verifies the exact bytes received; nothing is trusted before its signature verifies.
  const notification = (await flutterwave.connected()).rail.readNotification(rawBody)
  if (notification.trust === "none") {
    logger.warn(`flutterwave: callback rejected (${notification.rejection}): ${notification.reason}`)
    return { httpStatus: notification.rejection === "signature" ? 401 : 400, outcome: "rejected", reason: notification.reason }
  }
  if (notification.trust !== "body") {
    // ECommPay signs its bodies; a rail that proves only the sender (Flutterwave's verif-hash) is looked up first.
    return { httpStatus: 400, outcome: "rejected", reason: "this rail's notifications are not applied as they are" }
  }
  const { payment, operation, dedupeKey } = notification

  // One statement: stores the callback the first time, or counts the delivery and says what became of it.
  const deliveries = callbackDeliveriesOf(container)
  const delivery = await deliveries.record({
    dedupeKey,
    gatePaymentId: payment.paymentRef,
    gateOperationId: operation?.id ?? null,
    operationType: operation?.type ?? null,
    operationStatus: operation?.status ?? null,
    paymentStatus: payment.status,
    bodyJson: toJsonText(notification.body),
    staleMs: IN_FLIGHT_MS,
  })
  if (!delivery.apply) {
    // Stored but not applied and not abandoned: another delivery is applying it right now; Gate retries any non-200.
    if (delivery.outcome === "in_flight") {
      return { httpStatus: 409, outcome: "in_progress", reason: "this callback is being applied by another delivery" }
    }
    return { httpStatus: 200, outcome: "duplicate", reason: `already ${delivery.outcome}` }
  }

  let applied
  try {
    applied = await applyRailFacts(container, { payment, operation, source: "callback" })
  } catch (error) {
    // Applying failed (the order could not be placed this time, the database hiccuped): forget this delivery so
    // Gate's next one applies it afresh at once, instead of waiting out the in-flight window. Answered 500.
    await deliveries.forget(delivery.id).catch(() => undefined)
    throw error
  }
  if (applied.outcome === "retry") {
    // Not final: forget this delivery so the next one (Gate re-sends anything but 200) is applied afresh.
    await deliveries.forget(delivery.id)
    logger.info(`flutterwave: callback for ${payment.paymentRef} arrived early (${applied.reason}); asked Gate to deliver it again`)
    return { httpStatus: 503, outcome: "retry", reason: applied.reason }
  }
  await deliveries.recordOutcome(delivery.id, applied.outcome, applied.reason ?? null)
  if (applied.outcome === "held") logger.error(`flutterwave: callback for ${payment.paymentRef} held: ${applied.reason}`)
  if (applied.outcome === "unmatched") logger.warn(`flutterwave: callback for ${payment.paymentRef}: ${applied.reason}`)
  return { httpStatus: 200, outcome: applied.outcome, reason: applied.reason }
}

/** The JSON text of verified bodies the rail keeps (re-deliveries share one body object): written once each. */
const jsonTextOf = new WeakMap<Record<string, unknown>, string>()

/** Callback bodies may hold bigint ids (beyond 2^53); the JSON column gets them as digit strings. */
function toJsonText(value: Record<string, unknown>): string {
  let text = jsonTextOf.get(value)
  if (text === undefined) {
    text = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))
    jsonTextOf.set(value, text)
  }
  return text
}
