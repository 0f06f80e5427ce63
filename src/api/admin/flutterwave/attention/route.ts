import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { FLUTTERWAVE_MODULE } from "../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../modules/flutterwave/service"
import { presentAttention, type AttentionRow } from "../../../../settlement/attention"
import { ledgerOf } from "../../../../settlement/wiring"
import type { ListAttentionQuery } from "../validators"

/**
 * Everything where money and orders disagree, in one list: held callbacks, orphan payments and their refunds, sales
 * whose order keeps failing, refunds Gate refused, held payouts. Newest first.
 */
export async function GET(req: AuthenticatedMedusaRequest<unknown, ListAttentionQuery>, res: MedusaResponse): Promise<void> {
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const state = (req.validatedQuery as ListAttentionQuery | undefined)?.state ?? "open"
  const rows = await flutterwave.listAttentions(state === "all" ? {} : { state }, { take: 200, order: { created_at: "DESC" } })
  const ledger = ledgerOf(req.scope)
  const items = await Promise.all(
    rows.map(async (row) => presentAttention(row as unknown as AttentionRow, await ledger.refundsOf(row.gate_payment_id)))
  )
  res.json({ items, count: items.length })
}
