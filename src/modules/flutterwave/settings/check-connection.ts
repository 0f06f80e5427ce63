import { checkGateConnection, checkPaymentPageReachable, type ConnectionCheck } from "../../../rails/ecommpay"
import { FlutterwaveV3Rail } from "../../../rails/flutterwave-v3"
import type { ResolvedFlutterwaveV3Options } from "../../../options"
import type { EffectiveSettings } from "./settings-store"

export type SettingsConnectionCheck = ConnectionCheck & { checks: Array<ConnectionCheck & { target: "gate" | "payment_page" | "flutterwave_api" }> }

/** The admin is waiting: a short budget, whatever the configured Gate timeout. */
const CHECK_TIMEOUT_MS = 10_000

/**
 * Whether payments can be taken with these settings: Gate accepts a signed request with their project id and
 * secret (refunds and payouts always go through Gate), and in Payment Page mode the page answers at its address.
 */
export async function checkSettingsConnection(settings: EffectiveSettings): Promise<SettingsConnectionCheck> {
  if (settings.problem !== undefined) {
    return { ok: false, latencyMs: 0, message: settings.problem, checks: [] }
  }
  const { options } = settings
  const timeoutMs = Math.min(options.timeoutMs, CHECK_TIMEOUT_MS)
  if (options.rail === "flutterwave-v3" && options.flutterwaveV3) {
    return checkFlutterwaveV3(options.flutterwaveV3, timeoutMs)
  }
  const gate = { target: "gate" as const, ...(await checkGateConnection({ ...options, timeoutMs })) }
  const checks: SettingsConnectionCheck["checks"] = [gate]
  if (gate.ok && options.checkout === "payment_page") {
    checks.push({ target: "payment_page", ...(await checkPaymentPageReachable(options.paymentPageUrl, timeoutMs)) })
  }
  const failed = checks.find((check) => !check.ok)
  return {
    ok: failed === undefined,
    latencyMs: checks.reduce((sum, check) => sum + check.latencyMs, 0),
    message: (failed ?? gate).message,
    ...((failed ?? gate).code ? { code: (failed ?? gate).code } : {}),
    checks,
  }
}

/**
 * Flutterwave's own API: an authenticated read (its bank list) proves the URL and the secret key. The secret hash
 * cannot be checked from here: only Flutterwave's webhooks carry it (the dashboard's "test webhook" shows it works).
 */
async function checkFlutterwaveV3(v3: ResolvedFlutterwaveV3Options, timeoutMs: number): Promise<SettingsConnectionCheck> {
  const started = Date.now()
  const rail = new FlutterwaveV3Rail({ ...v3, timeoutMs })
  const result = await rail.testConnection()
  const check = {
    target: "flutterwave_api" as const,
    ok: result.ok,
    latencyMs: Date.now() - started,
    message: result.ok
      ? "Flutterwave accepted the secret key. Send the dashboard's test webhook to check the secret hash."
      : result.message,
    ...(result.ok ? {} : { code: result.reason }),
  }
  return { ...check, checks: [check] }
}
