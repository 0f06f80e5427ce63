import { createHash } from "node:crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  GateRejectedError,
  GateUnknownOutcomeError,
  GateUnreachableError,
  isGateNotFound,
  type Bank,
  type PayoutRequest,
} from "../rails/ecommpay"
import { recordOperation } from "../settlement/record-operation"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import type FlutterwaveModuleService from "../modules/flutterwave/service"

export type CreatePayoutInput = {
  idempotency_key: string
  amount_minor: number
  currency_code: string
  bank: Bank
  account_number: string
  description?: string
  created_by?: string
  /** The admin's IP address (Gate requires customer.ip_address on payouts). */
  ip_address: string
}

type PayoutRow = { id: string; gate_payment_id: string; status: string; [key: string]: unknown }

/** Gate payment ids are ours to choose; deriving it from the idempotency key makes a repeat reuse it. */
export function payoutPaymentId(idempotencyKey: string): string {
  return `fwpo_${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32)}`
}

const reservePayoutStep = createStep(
  "flutterwave-reserve-payout",
  async (input: CreatePayoutInput, { container }) => {
    const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
    const [existing] = await flutterwave.listPayouts({ idempotency_key: input.idempotency_key })
    if (existing) return new StepResponse({ payout: existing as PayoutRow, repeat: true })
    const create = () => flutterwave.createPayouts({
      idempotency_key: input.idempotency_key,
      gate_payment_id: payoutPaymentId(input.idempotency_key),
      bank_id: input.bank.id,
      bank_name: input.bank.name,
      account_number: input.account_number,
      amount: input.amount_minor,
      currency_code: input.currency_code,
      description: input.description ?? null,
      created_by: input.created_by ?? null,
    })
    try {
      return new StepResponse({ payout: (await create()) as PayoutRow, repeat: false })
    } catch (error) {
      // The same request twice at once: the unique key lets one create it; the other answers as a repeat.
      const [raced] = await flutterwave.listPayouts({ idempotency_key: input.idempotency_key })
      if (raced) return new StepResponse({ payout: raced as PayoutRow, repeat: true })
      throw error
    }
  }
)

const sendPayoutStep = createStep(
  "flutterwave-send-payout",
  async (input: { request: CreatePayoutInput; payout: PayoutRow; repeat: boolean }, { container }) => {
    const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
    const { payout, request } = input
    if (input.repeat && payout.status !== "pending") return new StepResponse(payout)
    const gateRequest: PayoutRequest = {
      paymentId: payout.gate_payment_id,
      amount: request.amount_minor,
      currency: request.currency_code,
      description: request.description || `Payout ${payout.id}`,
      account: { number: request.account_number, bankId: request.bank.id },
      customer: { id: request.created_by ?? "admin", ipAddress: request.ip_address },
      callbackUrl: flutterwave.options.callbackUrl,
    }
    // A repeated request for a payout still pending: Gate may have it already. Ask before sending anything.
    if (input.repeat && (await existsAtGate(flutterwave, payout.gate_payment_id)) !== false) {
      return new StepResponse(await reload(flutterwave, payout.id))
    }
    await sendOnce(container, flutterwave, payout, gateRequest)
    return new StepResponse(await reload(flutterwave, payout.id))
  }
)

async function sendOnce(
  container: MedusaContainer,
  flutterwave: FlutterwaveModuleService,
  payout: PayoutRow,
  request: PayoutRequest
): Promise<void> {
  const record = (status: "pending" | "decline", extra: { request_id?: string; code?: string; message?: string } = {}) =>
    recordOperation(container, {
      kind: "payout",
      gate_payment_id: payout.gate_payment_id,
      merchant_key: payout.id,
      amount: request.amount,
      currency_code: request.currency,
      status,
      source: "request",
      ...extra,
    })
  try {
    const accepted = await flutterwave.gate.payout(request)
    await record("pending", { request_id: accepted.requestId })
  } catch (error) {
    if (error instanceof GateRejectedError && error.code === "3041") return // already at Gate: the callback settles it
    if (error instanceof GateRejectedError || error instanceof GateUnreachableError) {
      const code = error instanceof GateRejectedError ? error.code : undefined
      const message = error instanceof GateRejectedError ? error.gateMessage : "Gate could not be reached; nothing was sent"
      await flutterwave.settlePayout(payout.id, { status: "decline", code, message })
      await record("decline", { code, message })
      return
    }
    if (!(error instanceof GateUnknownOutcomeError)) throw error
    // Timeout or 5xx: the payout may exist at Gate. Ask before anything else; send again only if Gate never saw it.
    await new Promise((resolve) => setTimeout(resolve, flutterwave.options.statusPollDelayMs))
    const exists = await existsAtGate(flutterwave, payout.gate_payment_id)
    if (exists === false) {
      await sendOnce(container, flutterwave, payout, request)
      return
    }
    await record("pending")
  }
}

/** true / false when Gate knows / does not know the payment; undefined when Gate could not be asked. */
async function existsAtGate(flutterwave: FlutterwaveModuleService, paymentId: string): Promise<boolean | undefined> {
  try {
    await flutterwave.gate.status(paymentId)
    return true
  } catch (error) {
    if (isGateNotFound(error)) return false
    if (error instanceof GateUnknownOutcomeError || error instanceof GateUnreachableError) return undefined
    throw error
  }
}

async function reload(flutterwave: FlutterwaveModuleService, id: string): Promise<PayoutRow> {
  const [payout] = await flutterwave.listPayouts({ id })
  return payout as PayoutRow
}

/**
 * Records the payout, then asks Gate to pay it. Retrying with the same idempotency key returns the same payout and
 * never sends a second payout to Gate. Gate's verdict arrives by callback (see apply-callback.ts).
 */
export const createPayoutWorkflow = createWorkflow("flutterwave-create-payout", (input: CreatePayoutInput) => {
  const reserved = reservePayoutStep(input)
  const payout = sendPayoutStep({ request: input, payout: reserved.payout, repeat: reserved.repeat })
  return new WorkflowResponse(payout)
})
