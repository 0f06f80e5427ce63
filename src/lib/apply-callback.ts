import { createHash } from "node:crypto"
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules, PaymentActions } from "@medusajs/framework/utils"
import { processPaymentWorkflow } from "@medusajs/medusa/core-flows"
import {
  CallbackError,
  extractSignature,
  fromMinorUnits,
  parseCallback,
  type GateCallback as ParsedCallback,
  type GateOperation,
} from "../gate"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import type FlutterwaveModuleService from "../modules/flutterwave/service"
import { sameSum } from "./gate-verdict"
import { recordOperation } from "./operations"

export type CallbackOutcome = "applied" | "duplicate" | "held" | "unmatched" | "ignored" | "rejected"

export type CallbackResult = { httpStatus: number; outcome: CallbackOutcome; reason?: string }

type Applied = { outcome: "applied" | "held" | "unmatched" | "ignored"; reason?: string }

/**
 * The one door for Gate callbacks (sales, refunds and payouts share the project's callback URL):
 * verify → record once (the unique dedupe key makes replays no-ops, across instances) → check against what we
 * sent → apply. Gate gets 200 only once the callback is durably recorded; a failure while applying answers 500 so
 * Gate delivers it again, and the retry applies it (each step is idempotent).
 */
export async function receiveGateCallback(container: MedusaContainer, rawBody: Buffer | string): Promise<CallbackResult> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)

  let callback: ParsedCallback
  try {
    callback = parseCallback(rawBody, { secretKey: flutterwave.options.secretKey, projectId: flutterwave.options.projectId })
  } catch (error) {
    if (!(error instanceof CallbackError)) throw error
    logger.warn(`flutterwave: callback rejected (${error.reason}): ${error.message}`)
    return { httpStatus: error.reason === "signature" ? 401 : 400, outcome: "rejected", reason: error.message }
  }

  const dedupeKey = createHash("sha256").update(extractSignature(callback.raw) ?? "").digest("hex")
  const [seen] = await flutterwave.listGateCallbacks({ dedupe_key: dedupeKey })
  let row = seen
  if (seen && seen.outcome !== "received") {
    await flutterwave.updateGateCallbacks({ id: seen.id, deliveries: seen.deliveries + 1 })
    return { httpStatus: 200, outcome: "duplicate", reason: `already ${seen.outcome}` }
  }
  if (!row) {
    try {
      row = await flutterwave.createGateCallbacks({
        dedupe_key: dedupeKey,
        gate_payment_id: callback.payment.id,
        gate_operation_id: callback.operation?.id ?? null,
        operation_type: callback.operation?.type ?? null,
        operation_status: callback.operation?.status ?? null,
        payment_status: callback.payment.status,
        body: toJson(callback.raw),
      })
    } catch (error) {
      // Another instance stored the same callback a moment ago: it applies it.
      const [other] = await flutterwave.listGateCallbacks({ dedupe_key: dedupeKey })
      if (other) {
        // Deliveries is a count for people to read; the unique key, not this count, is what prevents a double apply.
        await flutterwave.updateGateCallbacks({ id: other.id, deliveries: other.deliveries + 1 })
        return { httpStatus: 200, outcome: "duplicate", reason: "being applied by another delivery" }
      }
      throw error
    }
  }

  const applied = await applyCallback(container, callback)
  await flutterwave.updateGateCallbacks({ id: row.id, outcome: applied.outcome, reason: applied.reason ?? null })
  if (applied.outcome === "held") logger.error(`flutterwave: callback for ${callback.payment.id} held: ${applied.reason}`)
  if (applied.outcome === "unmatched") logger.warn(`flutterwave: callback for ${callback.payment.id}: ${applied.reason}`)
  return { httpStatus: 200, outcome: applied.outcome, reason: applied.reason }
}

async function applyCallback(container: MedusaContainer, callback: ParsedCallback): Promise<Applied> {
  if (callback.payment.type === "payout" || callback.operation?.type === "payout") return applyPayout(container, callback)
  if (callback.operation?.type === "refund") return applyRefund(container, callback)
  if (!callback.operation || callback.operation.type === "sale") return applySale(container, callback)
  return { outcome: "ignored", reason: `operation type ${callback.operation.type} is not used by Flutterwave` }
}

type SessionFacts = { sessionId: string; amountMinor: number; currency: string }

/** The Flutterwave session a Gate payment_id belongs to (our payment_id is the session id), or why not. */
async function sessionFor(container: MedusaContainer, gatePaymentId: string): Promise<SessionFacts | string> {
  const payments = container.resolve(Modules.PAYMENT)
  let session
  try {
    session = await payments.retrievePaymentSession(gatePaymentId)
  } catch (error) {
    if (error instanceof MedusaError && error.type === MedusaError.Types.NOT_FOUND) {
      return `no payment session ${gatePaymentId} in this store`
    }
    throw error
  }
  if (!session.provider_id.startsWith("pp_flutterwave")) return `payment session ${gatePaymentId} is not a Flutterwave session`
  const data = session.data ?? {}
  if (typeof data.amount_minor !== "number" || typeof data.currency !== "string") {
    return `payment session ${gatePaymentId} holds no Flutterwave amount`
  }
  return { sessionId: session.id, amountMinor: data.amount_minor, currency: data.currency }
}

async function applySale(container: MedusaContainer, callback: ParsedCallback): Promise<Applied> {
  const session = await sessionFor(container, callback.payment.id)
  if (typeof session === "string") return { outcome: "unmatched", reason: session }

  const operation = callback.operation
  const reported = operation?.sumInitial ?? callback.payment.sum
  const expected = { amount: session.amountMinor, currency: session.currency }
  if (!sameSum(reported, expected)) {
    return {
      outcome: "held",
      reason: `amount or currency mismatch: Gate reports ${reported.amount} ${reported.currency}, we sent ${expected.amount} ${expected.currency} (minor units)`,
    }
  }

  const status = operation ? finalStatus(operation) : "pending"
  const record = await recordOperation(container, {
    kind: "sale",
    gate_payment_id: callback.payment.id,
    gate_operation_id: operation?.id,
    request_id: operation?.requestId,
    amount: reported.amount,
    currency_code: reported.currency,
    status,
    code: operation?.code,
    message: operation?.message,
    source: "callback",
    session_id: session.sessionId,
    redirect_data: status === "pending" && callback.redirectData ? callback.redirectData : undefined,
  })
  if (record.stale) return { outcome: "ignored", reason: `stale: the sale is already ${record.status}` }
  if (status !== "success") return { outcome: "applied" }

  // The shopper may never come back to the store: the callback itself completes the cart and captures.
  const { errors } = await processPaymentWorkflow(container).run({
    input: {
      action: PaymentActions.SUCCESSFUL,
      data: { session_id: session.sessionId, amount: fromMinorUnits(reported.amount, reported.currency) },
    },
    throwOnError: false,
  })
  if (errors.length > 0) {
    throw new Error(`completing the order for ${session.sessionId} failed: ${errors.map((e) => e.error?.message).join("; ")}`)
  }
  return { outcome: "applied" }
}

async function applyRefund(container: MedusaContainer, callback: ParsedCallback): Promise<Applied> {
  const operation = callback.operation!
  const payments = container.resolve(Modules.PAYMENT)
  const [payment] = await payments.listPayments({ payment_session_id: callback.payment.id })
  const session = await sessionFor(container, callback.payment.id)
  const sum = operation.sumInitial ?? callback.payment.sum
  if (typeof session !== "string" && sum.currency.toUpperCase() !== session.currency.toUpperCase()) {
    return { outcome: "held", reason: `refund currency ${sum.currency} differs from the payment's ${session.currency}` }
  }
  const refunds = Array.isArray(payment?.data?.refunds) ? (payment.data.refunds as Array<Record<string, unknown>>) : []
  const ours = refunds.find((refund) => operation.requestId && refund.gate_request_id === operation.requestId)
  const record = await recordOperation(container, {
    kind: "refund",
    gate_payment_id: callback.payment.id,
    gate_operation_id: operation.id,
    request_id: operation.requestId,
    merchant_key: typeof ours?.refund_id === "string" ? ours.refund_id : undefined,
    amount: sum.amount,
    currency_code: sum.currency,
    status: finalStatus(operation),
    code: operation.code,
    message: operation.message,
    source: "callback",
    session_id: typeof session === "string" ? undefined : session.sessionId,
  })
  if (record.stale) return { outcome: "ignored", reason: `stale: the refund is already ${record.status}` }
  if (!payment) return { outcome: "applied", reason: "refund of a payment this store has no Medusa payment for; recorded" }
  if (!ours) return { outcome: "applied", reason: "refund not requested through Medusa (e.g. made in ECommPay's dashboard); recorded" }
  if (record.status === "decline") {
    return { outcome: "applied", reason: `refund ${String(ours.refund_id)} declined by Gate: ${operation.message ?? operation.code}` }
  }
  return { outcome: "applied" }
}

async function applyPayout(container: MedusaContainer, callback: ParsedCallback): Promise<Applied> {
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const [payout] = await flutterwave.listPayouts({ gate_payment_id: callback.payment.id })
  if (!payout) return { outcome: "unmatched", reason: `no payout ${callback.payment.id} in this store` }
  const operation = callback.operation
  const reported = operation?.sumInitial ?? callback.payment.sum
  const expected = { amount: Number(payout.amount), currency: payout.currency_code }
  if (!sameSum(reported, expected)) {
    return {
      outcome: "held",
      reason: `amount or currency mismatch: Gate reports ${reported.amount} ${reported.currency}, we sent ${expected.amount} ${expected.currency} (minor units)`,
    }
  }
  const status = operation ? finalStatus(operation) : "pending"
  // A decline's reason may sit in errors[] rather than in the operation (the guide's 3028 example has both).
  const code = operation?.code ?? callback.errors[0]?.code
  const message = operation?.message ?? callback.errors[0]?.message
  const record = await recordOperation(container, {
    kind: "payout",
    gate_payment_id: callback.payment.id,
    gate_operation_id: operation?.id,
    request_id: operation?.requestId,
    merchant_key: payout.id,
    amount: reported.amount,
    currency_code: reported.currency,
    status,
    code,
    message,
    source: "callback",
  })
  if (record.stale) return { outcome: "ignored", reason: `stale: the payout is already ${record.status}` }
  if (status !== "pending") await flutterwave.settlePayout(payout.id, { status, code, message })
  return { outcome: "applied" }
}

function finalStatus(operation: GateOperation): "pending" | "success" | "decline" {
  if (operation.status === "success") return "success"
  if (["decline", "expired", "internal error", "external error"].includes(operation.status)) return "decline"
  return "pending"
}

/** Callback bodies may hold bigint ids (beyond 2^53); JSON columns get them as digit strings. */
function toJson(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)))
}
