import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules, PaymentActions } from "@medusajs/framework/utils"
import { processPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { fromMinorUnits, type GateErrorEntry, type GateOperation, type GatePayment, type GateRedirectData } from "../gate"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import type FlutterwaveModuleService from "../modules/flutterwave/service"
import { sameSum } from "./gate-verdict"
import { recordOperation } from "./operations"

/** News from Gate about one payment: from a verified callback, or from a status answer during reconciliation. */
export type GateFacts = {
  payment: GatePayment
  operation?: GateOperation
  errors: GateErrorEntry[]
  redirectData?: GateRedirectData
  source: "callback" | "status"
}

export type Applied = { outcome: "applied" | "held" | "unmatched" | "ignored"; reason?: string }

/**
 * Applies what Gate says about one payment and one of its operations. Callbacks and reconciliation (status answers)
 * both come through here, so the two can never apply the same news differently.
 */
export async function applyGateFacts(container: MedusaContainer, facts: GateFacts): Promise<Applied> {
  if (facts.payment.type === "payout" || facts.operation?.type === "payout") return applyPayout(container, facts)
  if (facts.operation?.type === "refund") return applyRefund(container, facts)
  if (!facts.operation || facts.operation.type === "sale") return applySale(container, facts)
  return { outcome: "ignored", reason: `operation type ${facts.operation.type} is not used by Flutterwave` }
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

async function applySale(container: MedusaContainer, facts: GateFacts): Promise<Applied> {
  const session = await sessionFor(container, facts.payment.id)
  if (typeof session === "string") return { outcome: "unmatched", reason: session }

  const operation = facts.operation
  const reported = operation?.sumInitial ?? facts.payment.sum
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
    gate_payment_id: facts.payment.id,
    gate_operation_id: operation?.id,
    request_id: operation?.requestId,
    amount: reported.amount,
    currency_code: reported.currency,
    status,
    code: operation?.code,
    message: operation?.message,
    source: facts.source,
    session_id: session.sessionId,
    redirect_data: status === "pending" && facts.redirectData ? facts.redirectData : undefined,
  })
  // News of success always goes on to the order, even when the sale was already recorded as paid: an earlier attempt
  // may have recorded it and then died before the order was placed. Completing is idempotent in Medusa.
  if (status !== "success" || record.status !== "success") {
    return record.stale ? { outcome: "ignored", reason: `stale: the sale is already ${record.status}` } : { outcome: "applied" }
  }

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

async function applyRefund(container: MedusaContainer, facts: GateFacts): Promise<Applied> {
  const operation = facts.operation!
  const payments = container.resolve(Modules.PAYMENT)
  const [payment] = await payments.listPayments({ payment_session_id: facts.payment.id })
  const session = await sessionFor(container, facts.payment.id)
  const sum = operation.sumInitial ?? facts.payment.sum
  if (typeof session !== "string" && sum.currency.toUpperCase() !== session.currency.toUpperCase()) {
    return { outcome: "held", reason: `refund currency ${sum.currency} differs from the payment's ${session.currency}` }
  }
  const refunds = Array.isArray(payment?.data?.refunds) ? (payment.data.refunds as Array<Record<string, unknown>>) : []
  const ours = refunds.find((refund) => operation.requestId && refund.gate_request_id === operation.requestId)
  const record = await recordOperation(container, {
    kind: "refund",
    gate_payment_id: facts.payment.id,
    gate_operation_id: operation.id,
    request_id: operation.requestId,
    merchant_key: typeof ours?.refund_id === "string" ? ours.refund_id : undefined,
    amount: sum.amount,
    currency_code: sum.currency,
    status: finalStatus(operation),
    code: operation.code,
    message: operation.message,
    source: facts.source,
    session_id: typeof session === "string" ? undefined : session.sessionId,
  })
  if (record.stale) return { outcome: "ignored", reason: `stale: the refund is already ${record.status}` }
  if (!payment) return { outcome: "applied", reason: "refund of a payment this store has no Medusa payment for; recorded" }
  if (!ours) return { outcome: "applied", reason: "refund not requested through Medusa (e.g. made in ECommPay's dashboard); recorded" }
  if (record.status === "decline") {
    const reason = `refund ${String(ours.refund_id)} declined by Gate after it was accepted: ${operation.message ?? operation.code}`
    // Medusa already shows this refund; the money did not move. An admin has to know.
    container.resolve<Logger>(ContainerRegistrationKeys.LOGGER).error(`flutterwave: ${reason} (payment ${facts.payment.id})`)
    return { outcome: "applied", reason }
  }
  return { outcome: "applied" }
}

async function applyPayout(container: MedusaContainer, facts: GateFacts): Promise<Applied> {
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const [payout] = await flutterwave.listPayouts({ gate_payment_id: facts.payment.id })
  if (!payout) return { outcome: "unmatched", reason: `no payout ${facts.payment.id} in this store` }
  const operation = facts.operation
  const reported = operation?.sumInitial ?? facts.payment.sum
  const expected = { amount: Number(payout.amount), currency: payout.currency_code }
  if (!sameSum(reported, expected)) {
    return {
      outcome: "held",
      reason: `amount or currency mismatch: Gate reports ${reported.amount} ${reported.currency}, we sent ${expected.amount} ${expected.currency} (minor units)`,
    }
  }
  const status = operation ? finalStatus(operation) : "pending"
  // A decline's reason may sit in errors[] rather than in the operation (the guide's 3028 example has both).
  const code = operation?.code ?? facts.errors[0]?.code
  const message = operation?.message ?? facts.errors[0]?.message
  const record = await recordOperation(container, {
    kind: "payout",
    gate_payment_id: facts.payment.id,
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

function finalStatus(operation: GateOperation): "pending" | "success" | "decline" {
  if (operation.status === "success") return "success"
  if (["decline", "expired", "internal error", "external error"].includes(operation.status)) return "decline"
  return "pending"
}
