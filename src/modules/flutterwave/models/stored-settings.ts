import { model } from "@medusajs/framework/utils"

/**
 * What an admin entered in Settings → Flutterwave: one row (id `default`). Every column is optional: a value medusa-config
 * sets (usually from an environment variable) wins over it, and an empty column falls back to the plugin's default.
 * The ECommPay secret and the Flutterwave secret key, encryption key and webhook secret hash are only ever stored sealed (AES-256-GCM under FLUTTERWAVE_SETTINGS_KEY, `v1:iv:tag:ciphertext`).
 * `version` goes up by one on every save: instances compare it to know their cached settings are stale, and a save
 * names the version it was made from so two admins cannot overwrite each other unknowingly.
 */
export const StoredSettings = model.define("fw_settings", {
  id: model.id().primaryKey(),
  /** "ecommpay" or "flutterwave-v3"; empty: ecommpay. */
  rail: model.text().nullable(),
  fw_public_key: model.text().nullable(),
  fw_secret_key_sealed: model.text().nullable(),
  fw_encryption_key_sealed: model.text().nullable(),
  fw_secret_hash_sealed: model.text().nullable(),
  fw_api_url: model.text().nullable(),
  checkout: model.text().nullable(),
  project_id: model.text().nullable(),
  secret_key_sealed: model.text().nullable(),
  gate_url: model.text().nullable(),
  payment_page_url: model.text().nullable(),
  /** Major units per currency, e.g. { "KES": { "min": "10", "max": "400000" } }. */
  sale_limits: model.json().nullable(),
  payout_limits: model.json().nullable(),
  version: model.number().default(0),
  updated_by: model.text().nullable(),
})
