/** Medusa registers this plugin's provider as `pp_flutterwave_<id>` (id "flutterwave" in the README's config). */
export const PROVIDER_ID_PREFIX = "pp_flutterwave_"

export function isFlutterwaveProvider(providerId: string | undefined | null): boolean {
  return typeof providerId === "string" && providerId.startsWith(PROVIDER_ID_PREFIX)
}
