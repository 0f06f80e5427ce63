import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { majorAmount, toOperationDTO } from "../../../dto"
import { FLUTTERWAVE_MODULE } from "../../../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../../../modules/flutterwave/service"
import { isFlutterwaveProvider } from "../../../../../../providers/flutterwave/provider-id"
import { presentOrderRefunds } from "../../../../../../settlement/order-refunds"
import { ledgerOf } from "../../../../../../settlement/wiring"

type OrderPayments = {
  payment_collections?: Array<{
    payments?: Array<{
      id: string
      provider_id: string
      amount: unknown
      currency_code: string
      data?: Record<string, unknown> | null
      refunds?: Array<{ id: string; raw_amount?: unknown; amount?: unknown }>
    }>
  }>
}

/** The payment's status as Gate would report it, from the operations we recorded (payment data may be older). */
function gateStatus(operations: Array<{ kind: string; status: string; amount: unknown }>, saleMinor: number): string | null {
  const sale = operations.find((op) => op.kind === "sale")
  if (!sale) return null
  if (sale.status !== "success") return sale.status
  const refunded = operations
    .filter((op) => op.kind === "refund" && op.status === "success")
    .reduce((sum, op) => sum + Number(op.amount), 0)
  if (refunded === 0) return "success"
  return refunded >= saleMinor ? "refunded" : "partially refunded"
}

/**
 * The Flutterwave side of an order: each payment's Gate id and status, every Gate operation (sale, refunds), and each
 * refund as the admin needs it: pending, settled, declined by Gate after Medusa recorded it (with the actions), marked
 * not refunded, or made outside Medusa; plus Medusa's refunded total against Gate's.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const ledger = ledgerOf(req.scope)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "payment_collections.payments.id",
      "payment_collections.payments.provider_id",
      "payment_collections.payments.amount",
      "payment_collections.payments.currency_code",
      "payment_collections.payments.data",
      "payment_collections.payments.refunds.id",
      "payment_collections.payments.refunds.amount",
      "payment_collections.payments.refunds.raw_amount",
    ],
    filters: { id: req.params.id },
  })
  const order = data[0] as OrderPayments | undefined
  const payments = (order?.payment_collections ?? [])
    .flatMap((collection) => collection.payments ?? [])
    .filter((payment) => isFlutterwaveProvider(payment.provider_id))

  const result = await Promise.all(
    payments.map(async (payment) => {
      const gatePaymentId = String(payment.data?.gate_payment_id ?? "")
      const [operations, refunds, attention] = gatePaymentId
        ? await Promise.all([
            flutterwave.listGateOperations({ gate_payment_id: gatePaymentId }, { order: { created_at: "ASC" } }),
            ledger.refundsOf(gatePaymentId),
            flutterwave.listAttentions({ gate_payment_id: gatePaymentId, kind: "refund_declined" } as never),
          ])
        : [[], [], []]
      const currency = payment.currency_code.toUpperCase()
      const minor = Number(payment.data?.amount_minor)
      return {
        payment_id: payment.id,
        gate_payment_id: gatePaymentId,
        gate_status: gateStatus(operations, minor) ?? (typeof payment.data?.gate_status === "string" ? payment.data.gate_status : null),
        amount: Number.isSafeInteger(minor) ? majorAmount(minor, currency) : String(payment.amount),
        currency_code: currency,
        operations: operations.map(toOperationDTO),
        ...presentOrderRefunds({
          currency,
          ledgerRefunds: refunds,
          medusaRefunds: (payment.refunds ?? []).map((refund) => ({ id: refund.id, amount: refund.raw_amount ?? refund.amount })),
          attention: attention.map((item) => ({ id: item.id, subject: String(item.subject ?? ""), state: item.state })),
        }),
      }
    })
  )
  res.json({ payments: result })
}
