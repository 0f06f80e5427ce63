/** The prefix of every provider id of this plugin: Medusa registers it as `pp_flutterwave_<id>`. */
export const FLUTTERWAVE_PROVIDER_PREFIX = "pp_flutterwave_"

/** The provider id with the README's configuration (`id: "flutterwave"`). */
export const FLUTTERWAVE_PROVIDER_ID = "pp_flutterwave_flutterwave"

/**
 * Whether a payment provider (or a payment session's `provider_id`) is this plugin's Flutterwave, in the style of the
 * Next.js starter's `isStripe` / `isManual`: use it to pick the Flutterwave payment button and title.
 */
export function isFlutterwave(providerId?: string | null): boolean {
  return typeof providerId === "string" && providerId.startsWith(FLUTTERWAVE_PROVIDER_PREFIX)
}
