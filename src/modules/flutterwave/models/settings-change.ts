import { model } from "@medusajs/framework/utils"

/**
 * The audit trail of Settings → Flutterwave: who saved, when, and which fields changed. Names of fields only, never
 * their values (a changed secret appears as "secret_key").
 */
export const SettingsChange = model
  .define("fw_settings_change", {
    id: model.id({ prefix: "fwsc" }).primaryKey(),
    actor_id: model.text().nullable(),
    fields: model.json(),
    version: model.number(),
  })
  .indexes([{ on: ["created_at"] }])
