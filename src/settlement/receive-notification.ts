import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import type FlutterwaveModuleService from "../modules/flutterwave/service"
import type { NotificationHeaders, RailOperation, RailPayment } from "../rails/rail"
import { applyRailFacts, type Applied } from "./apply-facts"
import type { CallbackDeliveries, Delivery } from "../modules/flutterwave/callback-deliveries"
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
  const seen = answerSeenDelivery(delivery, "callback")
  if (seen) return seen
  return applyOnce({ deliveries, logger, deliveryId: delivery.id, paymentRef: payment.paymentRef, what: "callback", sender: "Gate" }, () =>
    applyRailFacts(container, { payment, operation, source: "callback" })
  )
}

/** A delivery seen before: already applied (200, only counted), or being applied by another one right now (409). */
function answerSeenDelivery(delivery: Delivery, what: "callback" | "webhook"): CallbackResult | undefined {
  if (delivery.apply) return undefined
  // Stored but not applied and not abandoned: another delivery is applying it right now; the sender retries any non-200.
  if (delivery.outcome === "in_flight") return { httpStatus: 409, outcome: "in_progress", reason: `this ${what} is being applied by another delivery` }
  return { httpStatus: 200, outcome: "duplicate", reason: `already ${delivery.outcome}` }
}

/**
 * Applies a recorded delivery and records what became of it. A failure while applying (the order could not be
 * placed this time, the database hiccuped) forgets the delivery, so the sender's next one applies it afresh at once
 * instead of waiting out the in-flight window, and is answered 500; news that came too early ("retry") is forgotten
 * too and answered 503. Either way the sender delivers it again, and every step is idempotent.
 */
async function applyOnce(
  context: { deliveries: CallbackDeliveries; logger: Logger; deliveryId: string; paymentRef: string; what: "callback" | "webhook"; sender: string },
  apply: () => Promise<Applied>
): Promise<CallbackResult> {
  const { deliveries, logger, deliveryId, paymentRef, what, sender } = context
  let applied: Applied
  try {
    applied = await apply()
  } catch (error) {
    await deliveries.forget(deliveryId).catch(() => undefined)
    throw error
  }
  if (applied.outcome === "retry") {
    await deliveries.forget(deliveryId)
    logger.info(`flutterwave: ${what} for ${paymentRef} not applied yet (${applied.reason}); asked ${sender} to deliver it again`)
    return { httpStatus: 503, outcome: "retry", reason: applied.reason }
  }
  await deliveries.recordOutcome(deliveryId, applied.outcome, applied.reason ?? null)
  if (applied.outcome === "held") logger.error(`flutterwave: ${what} for ${paymentRef} held: ${applied.reason}`)
  if (applied.outcome === "unmatched") logger.warn(`flutterwave: ${what} for ${paymentRef}: ${applied.reason}`)
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

/**
 * The one door for Flutterwave's own webhooks (`verif-hash`, the flutterwave-v3 rail): the header proves who sent
 * it, not what it says. So: verify the sender (a wrong hash never reaches the database) → record the delivery once
 * (the same dedupe as Gate callbacks: a re-delivery is byte-identical) → look the payment up at Flutterwave's API
 * (`verify_by_reference`, or the transfer by its reference) → apply what the API says, through the same
 * applyRailFacts as callbacks and reconciliation: the same amount and currency checks, the same order-or-refund.
 * 200 once recorded; 401 a wrong hash; 400 a malformed body; 503 when the API could not be asked (Flutterwave retries,
 * and reconciliation asks again anyway).
 */
export async function receiveFlutterwaveWebhook(
  container: MedusaContainer,
  rawBody: Buffer | string,
  headers: NotificationHeaders
): Promise<CallbackResult> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const settings = await flutterwave.settings()
  if (settings.problem !== undefined) {
    logger.warn(`flutterwave: webhook not accepted yet: ${settings.problem}`)
    return { httpStatus: 503, outcome: "rejected", reason: "the plugin's keys are not set yet" }
  }
  const { rail } = await flutterwave.connected()
  if (rail.name !== "flutterwave-v3") {
    // Without the secret hash nothing can be verified: Flutterwave retries, and reconciliation covers the rest.
    logger.warn(`flutterwave: a Flutterwave webhook arrived but the rail in force is ${rail.name}; not accepted`)
    return { httpStatus: 503, outcome: "rejected", reason: "this store does not take payments through its own Flutterwave account" }
  }
  const notification = rail.readNotification(rawBody, headers)
  if (notification.trust === "none") {
    logger.warn(`flutterwave: webhook rejected (${notification.rejection}): ${notification.reason}`)
    return { httpStatus: notification.rejection === "signature" ? 401 : 400, outcome: "rejected", reason: notification.reason }
  }
  if (notification.trust !== "sender") {
    return { httpStatus: 400, outcome: "rejected", reason: "a webhook must prove its sender" }
  }
  const { subject, event, dedupeKey } = notification
  const claimed = claimedFacts(notification.body)

  const deliveries = callbackDeliveriesOf(container)
  const delivery = await deliveries.record({
    dedupeKey: `v3:${dedupeKey}`,
    gatePaymentId: subject?.paymentRef ?? `event:${event}`.slice(0, 200),
    gateOperationId: claimed.id,
    operationType: subject ? (subject.kind === "payout" ? "payout" : "sale") : null,
    operationStatus: claimed.status,
    paymentStatus: event,
    bodyJson: JSON.stringify(notification.body),
    staleMs: IN_FLIGHT_MS,
  })
  const seen = answerSeenDelivery(delivery, "webhook")
  if (seen) return seen
  if (!subject) {
    // The dashboard's test event, subscriptions, anything this plugin does not act on: recorded, answered 200.
    await deliveries.recordOutcome(delivery.id, "ignored", `event ${event} is not used by this plugin`)
    logger.info(`flutterwave: webhook ${event} recorded and ignored`)
    return { httpStatus: 200, outcome: "ignored", reason: `event ${event} is not used by this plugin` }
  }
  return applyOnce(
    { deliveries, logger, deliveryId: delivery.id, paymentRef: subject.paymentRef, what: "webhook", sender: "Flutterwave" },
    async () => {
      // The body only says which payment to ask about: what is applied is what Flutterwave's API answers.
      const lookup = await rail.lookup(subject.paymentRef)
      if (lookup.kind === "unknown") return { outcome: "retry", reason: `Flutterwave's API could not confirm this payment yet (${lookup.reason})` }
      if (lookup.kind === "not_found") {
        return {
          outcome: "unmatched",
          reason: `Flutterwave's API has no ${subject.kind === "payout" ? "transfer" : "transaction"} ${subject.paymentRef}: the webhook was not applied`,
        }
      }
      const operation = decidingOperation(lookup.payment)
      warnIfBodyDisagrees(logger, subject.paymentRef, claimed, lookup.payment, operation)
      return applyRailFacts(container, { payment: lookup.payment, operation, source: "callback" })
    }
  )
}

/** The operation a looked-up payment's news is about: its sale (a purchase) or its transfer (a payout). */
function decidingOperation(payment: RailPayment): RailOperation | undefined {
  const type = payment.kind === "payout" ? "payout" : "sale"
  return payment.operations.find((operation) => operation.type === type)
}

type ClaimedFacts = { id: string | null; status: string | null; amount: unknown; currency: unknown }

/** What an unproven body claims, for the record and the log only: never applied. */
function claimedFacts(body: Record<string, unknown>): ClaimedFacts {
  const data = (body.data && typeof body.data === "object" ? body.data : {}) as Record<string, unknown>
  const text = (value: unknown): string | null =>
    typeof value === "string" || typeof value === "number" ? String(value).slice(0, 200) : null
  return { id: text(data.id), status: text(data.status), amount: data.amount, currency: data.currency }
}

/** A body that says other than the API is a forgery or a bug at the sender: the admin's log says so. */
function warnIfBodyDisagrees(logger: Logger, paymentRef: string, claimed: ClaimedFacts, payment: RailPayment, operation?: RailOperation): void {
  const truth = operation?.amount ?? payment.amount
  const claimedCurrency = typeof claimed.currency === "string" ? claimed.currency.toUpperCase() : undefined
  if (claimedCurrency !== undefined && claimedCurrency !== truth.currency) {
    logger.warn(`flutterwave: webhook for ${paymentRef} claims currency ${claimedCurrency}; Flutterwave's API says ${truth.currency}: applied the API's`)
  }
  if (claimed.id !== null && operation && claimed.id !== operation.id) {
    logger.info(`flutterwave: webhook for ${paymentRef} is about attempt ${claimed.id}; the API's deciding attempt is ${operation.id}`)
  }
}
