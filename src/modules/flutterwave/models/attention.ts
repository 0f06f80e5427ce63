import { model } from "@medusajs/framework/utils"

/**
 * Something where money and orders disagree and an admin has to know: a held callback (amount or currency
 * mismatch), an orphan payment (paid, but no order will take it), a sale whose order keeps failing, a refund of ours
 * Gate refused, a held payout. One row per (kind, Gate payment id, subject): raising the same thing twice changes nothing.
 * Listed in the admin's "Needs attention" page and announced in the admin's notification feed.
 */
export const Attention = model
  .define("fw_attention", {
    id: model.id({ prefix: "fwat" }).primaryKey(),
    kind: model.enum([
      "held_callback",
      "orphan_payment",
      "completion_failed",
      "refund_failed",
      "payout_held",
      "refund_declined",
      "outside_refund_unrecorded",
    ]),
    state: model.enum(["open", "resolved"]).default("open"),
    gate_payment_id: model.text(),
    session_id: model.text().nullable(),
    cart_id: model.text().nullable(),
    order_id: model.text().nullable(),
    /** Minor units: what Gate charged (or reported). */
    amount: model.bigNumber(),
    currency_code: model.text(),
    code: model.text().nullable(),
    /** The facts in one sentence, Gate's reason included. Never a secret. */
    message: model.text(),
    /** Merchant key of the full refund we sent for it, when we sent one. */
    refund_key: model.text().nullable(),
    /**
     * What within the payment the item is about, when a payment can have several: the Medusa refund id of a declined
     * refund, the ledger row id of a refund made outside Medusa. Empty for items about the payment as a whole.
     */
    subject: model.text().default(""),
    resolution: model.text().nullable(),
    resolved_by: model.text().nullable(),
  })
  .indexes([
    { on: ["kind", "gate_payment_id", "subject"], unique: true, where: "deleted_at IS NULL" },
    { on: ["state"] },
  ])
