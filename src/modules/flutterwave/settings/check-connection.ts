import { checkGateConnection, checkPaymentPageReachable, type ConnectionCheck } from "../../../rails/ecommpay"
import type { EffectiveSettings } from "./settings-store"

export type SettingsConnectionCheck = ConnectionCheck & { checks: Array<ConnectionCheck & { target: "gate" | "payment_page" }> }

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
