import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { FLUTTERWAVE_MODULE } from "../../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../../modules/flutterwave/service"
import { checkSettingsConnection } from "../../../../../modules/flutterwave/settings/check-connection"
import { SettingsError } from "../../../../../modules/flutterwave/settings/settings-store"
import type { SettingsChangesBody } from "../../validators"

/**
 * Tests the settings as they would be with the values typed on the page (nothing typed: the settings in force),
 * before anything is saved: with ECommPay, a signed Gate request with those keys and URL, and the Payment Page's
 * address; with the merchant's own Flutterwave account, an authenticated read of Flutterwave's API with that key.
 */
export async function POST(req: AuthenticatedMedusaRequest<SettingsChangesBody>, res: MedusaResponse): Promise<void> {
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const { version: _version, ...changes } = req.validatedBody ?? {}
  let candidate
  try {
    candidate = await flutterwave.settingsStore.preview(changes)
  } catch (error) {
    if (error instanceof SettingsError) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Flutterwave settings: ${error.message}`)
    throw error
  }
  const check = await checkSettingsConnection(candidate)
  res.json({
    ok: check.ok,
    latency_ms: check.latencyMs,
    message: check.message,
    ...(check.code ? { code: check.code } : {}),
    checks: check.checks.map((c) => ({ target: c.target, ok: c.ok, message: c.message, latency_ms: c.latencyMs, ...(c.code ? { code: c.code } : {}) })),
  })
}
