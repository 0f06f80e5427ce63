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
  // One query for every listed payment's refunds: the admin page polls this list while a refund is pending.
  const refunds = await ledgerOf(req.scope).refundsOfPayments(rows.map((row) => row.gate_payment_id))
  const items = rows.map((row) => presentAttention(row as unknown as AttentionRow, refunds.get(row.gate_payment_id) ?? []))
  res.json({ items, count: items.length })
}
