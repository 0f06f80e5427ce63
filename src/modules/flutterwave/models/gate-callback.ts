import { model } from "@medusajs/framework/utils"

/**
 * Every verified callback, once. The unique dedupe key (a hash of the signed body) is what makes a replayed or
 * duplicated callback change nothing, on one instance or many: the database, not process memory, decides.
 */
export const GateCallback = model
  .define("fw_gate_callback", {
    id: model.id({ prefix: "fwcb" }).primaryKey(),
    dedupe_key: model.text(),
    gate_payment_id: model.text().searchable(),
    gate_operation_id: model.text().nullable(),
    operation_type: model.text().nullable(),
    operation_status: model.text().nullable(),
    payment_status: model.text(),
    /**
     * received: stored, not yet applied · applied: done · held: refused for a mismatch (amount, currency) and kept
     * for an admin · unmatched: no payment of ours has that id · ignored: nothing to do (e.g. stale) · orphan: a paid
     * sale no order will take, refunded (or left for review) · attention: handed to the admin (needs attention).
     */
    outcome: model.enum(["received", "applied", "held", "unmatched", "ignored", "orphan", "attention"]).default("received"),
    reason: model.text().nullable(),
    deliveries: model.number().default(1),
    body: model.json(),
  })
  .indexes([
    { on: ["dedupe_key"], unique: true },
    { on: ["gate_payment_id"] },
  ])
