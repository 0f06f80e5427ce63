import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { FLUTTERWAVE_MODULE } from "../../../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../../../modules/flutterwave/service"
import { AttentionActionError, actOnAttention, presentAttention, type AttentionRow } from "../../../../../../settlement/attention"
import { RefundActionError } from "../../../../../../settlement/refund-medusa-payment"
import { attentionActionDeps } from "../../../../../../settlement/wiring"
import type { AttentionActionBody } from "../../../validators"

/** An admin's action on a needs-attention item: refund at Gate, retry placing the order, or mark reviewed. Idempotent. */
export async function POST(req: AuthenticatedMedusaRequest<AttentionActionBody>, res: MedusaResponse): Promise<void> {
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const [row] = await flutterwave.listAttentions({ id: req.params.id })
  if (!row) throw new MedusaError(MedusaError.Types.NOT_FOUND, `No needs-attention item ${req.params.id}`)
  const body = req.validatedBody
  const deps = await attentionActionDeps(req.scope)
  try {
    await actOnAttention(
      deps,
      row as unknown as AttentionRow,
      body.action,
      req.auth_context?.actor_id,
      body.note
    )
  } catch (error) {
    if (error instanceof AttentionActionError || error instanceof RefundActionError) throw new MedusaError(MedusaError.Types.INVALID_DATA, error.message)
    throw error
  }
  const [after] = await flutterwave.listAttentions({ id: row.id })
  res.json({ item: presentAttention(after as unknown as AttentionRow, await deps.ledger.refundsOf(row.gate_payment_id)) })
}
