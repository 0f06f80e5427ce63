import { createHash } from "node:crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { PayoutBank } from "../settlement/payout-banks"
import type { PayoutInput } from "../rails/rail"
import { recordOperation } from "../settlement/record-operation"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import type FlutterwaveModuleService from "../modules/flutterwave/service"

export type CreatePayoutInput = {
  idempotency_key: string
  amount_minor: number
  currency_code: string
  bank: PayoutBank
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
    const { rail } = (await flutterwave.settings()).options
    const create = () => flutterwave.createPayouts({
      rail,
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
    // Built from the stored row, not the request: a repeat with other details can never send them (review #14).
    const railRequest: PayoutInput = {
      paymentRef: payout.gate_payment_id,
      amount: { amount: Number(payout.amount), currency: String(payout.currency_code) },
      narration: (payout.description as string | null) || `Payout ${payout.id}`,
      account: { number: String(payout.account_number), bankId: String(payout.bank_id) },
      customerId: request.created_by ?? "admin",
      ipAddress: request.ip_address,
    }
    // A repeated request for a payout still pending: the rail may have it already. Look before sending anything.
    const { rail } = await flutterwave.connected()
    if (input.repeat && (await rail.lookup(payout.gate_payment_id)).kind !== "not_found") {
      return new StepResponse(await reload(flutterwave, payout.id))
    }
    await sendPayout(container, flutterwave, payout, railRequest)
    return new StepResponse(await reload(flutterwave, payout.id))
  }
)

/** A payout is sent at most this many times: after that it stays pending for reconciliation (review #15). */
const MAX_PAYOUT_SENDS = 2

async function sendPayout(container: MedusaContainer, flutterwave: FlutterwaveModuleService, payout: PayoutRow, request: PayoutInput): Promise<void> {
  const record = (status: "pending" | "decline", extra: { request_id?: string; code?: string; message?: string } = {}) =>
    recordOperation(container, {
      kind: "payout",
      gate_payment_id: payout.gate_payment_id,
      merchant_key: payout.id,
      amount: request.amount.amount,
      currency_code: request.amount.currency,
      status,
      source: "request",
      ...extra,
    })
  const { rail, options } = await flutterwave.connected()
  for (let attempt = 1; attempt <= MAX_PAYOUT_SENDS; attempt++) {
    const sent = await rail.payout!(request)
    switch (sent.kind) {
      case "accepted":
        await record("pending", { request_id: sent.requestId })
        return
      case "already_exists":
        return // already at the backend: its notification settles it
      case "refused": {
        const message = sent.sent ? sent.message : "Gate could not be reached; nothing was sent"
        const code = sent.sent ? sent.code : undefined
        await flutterwave.settlePayout(payout.id, { status: "decline", code, message })
        await record("decline", { code, message })
        return
      }
      case "unknown": {
        // Timeout or 5xx: the payout may exist. Look before anything else; send again only if it never arrived.
        await new Promise((resolve) => setTimeout(resolve, options.statusPollDelayMs))
        if ((await rail.lookup(payout.gate_payment_id)).kind !== "not_found") {
          await record("pending")
          return
        }
      }
    }
  }
  // Sent twice without an answer and not found since: left pending; reconciliation asks again and settles it.
  await record("pending")
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
