import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { FLUTTERWAVE_MODULE } from "../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../modules/flutterwave/service"

/** The latest reconciliation reports, newest first. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const limit = Math.min(Math.max(Number(req.query.limit ?? 10) || 10, 1), 50)
  const runs = await flutterwave.listReconciliationRuns({}, { take: limit, order: { created_at: "DESC" } })
  res.json({
    reconciliations: runs.map((run) => {
      const stored = run.items as { items?: unknown[]; left_for_next_run?: number } | null
      // Runs before the per-run budget existed stored no count: they always went through everything.
      return { ...run, items: stored?.items ?? [], left_for_next_run: stored?.left_for_next_run ?? 0 }
    }),
  })
}
