import { model } from "@medusajs/framework/utils"

/** One reconciliation pass: what was asked of Gate, what changed, what is still pending. Shown in the admin. */
export const ReconciliationRun = model.define("fw_reconciliation_run", {
  id: model.id({ prefix: "fwrc" }).primaryKey(),
  trigger: model.enum(["job", "manual"]),
  checked: model.number().default(0),
  changed: model.number().default(0),
  still_pending: model.number().default(0),
  failed: model.number().default(0),
  /** One line per payment looked at: { gate_payment_id, kind, before, after, note }. */
  items: model.json(),
  started_at: model.dateTime().nullable(),
  finished_at: model.dateTime().nullable(),
})
