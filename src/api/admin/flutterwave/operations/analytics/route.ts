import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { reportOf } from "../shared"
import { filtersOf, type OperationFiltersQuery } from "../validators"

/**
 * What ECommPay's dashboard shows on its Analytics tab, for the operations the filters select, computed by
 * PostgreSQL: paid volume per UTC day and currency, the sales' success rate (pending sales left out), the refunded
 * amount per currency and the five most frequent decline codes.
 */
export async function GET(req: AuthenticatedMedusaRequest<unknown, OperationFiltersQuery>, res: MedusaResponse): Promise<void> {
  const query = req.validatedQuery as OperationFiltersQuery
  const filters = filtersOf(query)
  res.json({ analytics: await reportOf(req.scope).analytics(filters), filters })
}
