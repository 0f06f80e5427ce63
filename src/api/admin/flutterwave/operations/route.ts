import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { reportOf, toOperationRowDTO } from "./shared"
import { filtersOf, type ListOperationsQuery } from "./validators"

/**
 * Every operation in the ledger (sales, refunds, payouts), newest first, filtered by UTC day range (`from`, `to`,
 * both included), `kind`, `status` and `currency`, one page at a time (`limit` ≤ 200, `offset`), with the number of
 * operations the filters select.
 */
export async function GET(req: AuthenticatedMedusaRequest<unknown, ListOperationsQuery>, res: MedusaResponse): Promise<void> {
  const query = req.validatedQuery as ListOperationsQuery
  const { rows, count } = await reportOf(req.scope).list(filtersOf(query), { limit: query.limit, offset: query.offset })
  res.json({ operations: rows.map(toOperationRowDTO), count, limit: query.limit, offset: query.offset })
}
