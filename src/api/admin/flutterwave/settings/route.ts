import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { COUNTRY_CURRENCY, fromMinorUnits, PRODUCTION_GATE_URL, SUPPORTED_CURRENCIES, type LimitsByCurrency } from "../../../../rails/ecommpay"
import { FLUTTERWAVE_MODULE } from "../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../modules/flutterwave/service"

/** Public facts about the configuration, for the settings page. The secret is reported as set or not, never shown. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  const options = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE).options
  const origin = `${req.protocol}://${req.get("host")}`
  res.json({
    settings: {
      project_id: options.projectId,
      mode: options.gateUrl === PRODUCTION_GATE_URL ? "live" : "sandbox",
      gate_url: options.gateUrl,
      callback_url: options.callbackUrl ?? `${origin}/hooks/flutterwave`,
      secret_configured: options.secretKey.length > 0,
      currencies: SUPPORTED_CURRENCIES,
      payout_currencies: [...new Set(Object.values(COUNTRY_CURRENCY))],
      sale_limits: major(options.saleLimits),
      payout_limits: major(options.payoutLimits),
    },
  })
}

function major(limits: LimitsByCurrency): Record<string, { min: string; max: string }> {
  return Object.fromEntries(
    Object.entries(limits).map(([currency, limit]) => [
      currency,
      { min: fromMinorUnits(limit!.min, currency), max: fromMinorUnits(limit!.max, currency) },
    ])
  )
}
