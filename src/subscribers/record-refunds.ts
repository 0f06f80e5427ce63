import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { Modules } from "@medusajs/framework/utils"
import { recordOperation } from "../settlement/record-operation"
import { isFlutterwaveProvider } from "../providers/flutterwave/provider-id"

type RefundEntry = { refund_id?: unknown; amount_minor?: unknown; status?: unknown; gate_request_id?: unknown; gate_operation_id?: unknown }

/**
 * When Medusa records a refund, put it in our operations log under its Medusa refund id, so the admin sees it at
 * once and Gate's refund callback (matched by request id) lands on the same row, whichever comes first.
 */
export default async function recordRefunds({ event, container }: SubscriberArgs<{ id: string }>): Promise<void> {
  const payments = container.resolve(Modules.PAYMENT)
  const [payment] = await payments.listPayments({ id: event.data.id })
  if (!payment || !isFlutterwaveProvider(payment.provider_id)) return
  const data = payment.data ?? {}
  const refunds = Array.isArray(data.refunds) ? (data.refunds as RefundEntry[]) : []
  for (const refund of refunds) {
    if (typeof refund.refund_id !== "string" || typeof refund.amount_minor !== "number") continue
    await recordOperation(container, {
      kind: "refund",
      gate_payment_id: String(data.gate_payment_id),
      merchant_key: refund.refund_id,
      request_id: typeof refund.gate_request_id === "string" ? refund.gate_request_id : undefined,
      gate_operation_id: typeof refund.gate_operation_id === "string" ? refund.gate_operation_id : undefined,
      amount: refund.amount_minor,
      currency_code: String(data.currency),
      status: refund.status === "success" ? "success" : "pending",
      source: "request",
      session_id: typeof data.session_id === "string" ? data.session_id : undefined,
    })
  }
}

export const config: SubscriberConfig = { event: "payment.refunded" }
