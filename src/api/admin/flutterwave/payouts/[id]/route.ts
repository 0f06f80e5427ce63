import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { toOperationDTO, toPayoutDTO } from "../../dto"
import { FLUTTERWAVE_MODULE } from "../../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../../modules/flutterwave/service"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const [payout] = await flutterwave.listPayouts({ id: req.params.id })
  if (!payout) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payout ${req.params.id} was not found`)
  const operations = await flutterwave.listGateOperations(
    { gate_payment_id: payout.gate_payment_id },
    { order: { created_at: "ASC" } }
  )
  res.json({ payout: toPayoutDTO(payout), operations: operations.map(toOperationDTO) })
}
