/**
 * What a merchant sets in Flutterwave's dashboard (Settings → Webhooks) for this plugin, as systeme.io's Flutterwave
 * guide lists it: the webhook URL, a secret hash of their choosing, and four boxes to tick. Shown on the admin's
 * settings page and in the README, from this one list.
 */
export const FLUTTERWAVE_V3_WEBHOOK_OPTIONS = Object.freeze([
  { id: "json", label: "Receive webhook response in JSON format", why: "the plugin reads JSON bodies only" },
  { id: "retries", label: "Enable webhook retries", why: "Flutterwave then retries a failed delivery 3 times, 30 minutes apart" },
  { id: "failed", label: "Enable webhook for failed transactions", why: "a failed payment is reported at once, not only on the shopper's return" },
  { id: "v3", label: "Enable v3 webhooks", why: "the plugin reads v3 events (charge.completed, transfer.completed)" },
] as const)
