import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { toOperationDTO } from "../../../../../../lib/dto"
import { FLUTTERWAVE_MODULE } from "../../../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../../../modules/flutterwave/service"

type OrderPayments = {
  payment_collections?: Array<{
    payments?: Array<{ id: string; provider_id: string; amount: unknown; currency_code: string; data?: Record<string, unknown> | null }>
  }>
}

/** The Flutterwave side of an order: each payment's Gate id, status, and every Gate operation (sale, refunds). */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "payment_collections.payments.id",
      "payment_collections.payments.provider_id",
      "payment_collections.payments.amount",
      "payment_collections.payments.currency_code",
      "payment_collections.payments.data",
    ],
    filters: { id: req.params.id },
  })
  const order = data[0] as OrderPayments | undefined
  const payments = (order?.payment_collections ?? [])
    .flatMap((collection) => collection.payments ?? [])
    .filter((payment) => payment.provider_id.startsWith("pp_flutterwave"))

  const result = await Promise.all(
    payments.map(async (payment) => {
      const gatePaymentId = String(payment.data?.gate_payment_id ?? "")
      const operations = gatePaymentId
        ? await flutterwave.listGateOperations({ gate_payment_id: gatePaymentId }, { order: { created_at: "ASC" } })
        : []
      return {
        payment_id: payment.id,
        gate_payment_id: gatePaymentId,
        gate_status: typeof payment.data?.gate_status === "string" ? payment.data.gate_status : null,
        amount: String(payment.amount),
        currency_code: payment.currency_code.toUpperCase(),
        operations: operations.map(toOperationDTO),
      }
    })
  )
  res.json({ payments: result })
}
