import { model } from "@medusajs/framework/utils"

/**
 * A merchant payout to a bank account through Gate's Flutterwave `payout` operation. The Gate payment_id is derived
 * from the admin's idempotency key, so repeating the same request can never pay twice.
 */
export const Payout = model
  .define("fw_payout", {
    id: model.id({ prefix: "fwpo" }).primaryKey(),
    /** The rail the payout goes through: "ecommpay" today; "flutterwave-v3" later. */
    rail: model.text().default("ecommpay"),
    idempotency_key: model.text(),
    gate_payment_id: model.text(),
    bank_id: model.text(),
    bank_name: model.text(),
    /** Stored in full (Gate needs it to resolve disputes); API lists show only the last 4 digits. */
    account_number: model.text(),
    /** Minor units. */
    amount: model.bigNumber(),
    currency_code: model.text(),
    description: model.text().nullable(),
    status: model.enum(["pending", "success", "decline"]).default("pending"),
    code: model.text().nullable(),
    message: model.text().nullable(),
    created_by: model.text().nullable(),
  })
  .indexes([
    { on: ["idempotency_key"], unique: true },
    { on: ["gate_payment_id"], unique: true },
    { on: ["status"] },
  ])
