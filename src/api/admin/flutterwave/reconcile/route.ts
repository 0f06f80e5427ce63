import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { reconcile } from "../../../../settlement/reconcile"

/** The settings page's "Reconcile now" button: the scheduled job's pass, run at once. */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  const report = await reconcile(req.scope, "manual")
  res.json({ reconciliation: report })
}
