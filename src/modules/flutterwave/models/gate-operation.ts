import { model } from "@medusajs/framework/utils"

/**
 * THE LEDGER: every Gate operation this store knows of (sale, refund, payout), with its latest status, code and
 * message. A sale's row is written before the sale is sent, so every sale we send is here even after Medusa deletes
 * its session; callbacks are matched through these rows, not through Medusa's live sessions. One row per operation,
 * keyed by our merchant key and by Gate's operation id within its payment, so replays update nothing.
 */
export const GateOperation = model
  .define("fw_gate_operation", {
    id: model.id({ prefix: "fwop" }).primaryKey(),
    kind: model.enum(["sale", "refund", "payout"]),
    /** The rail the operation went through: "ecommpay" (Gate sale or Payment Page) today; "flutterwave-v3" later. */
    rail: model.text().default("ecommpay"),
    /** Our payment_id at Gate (a sale's is the Medusa payment session id; a refund's is its sale's). */
    gate_payment_id: model.text().searchable(),
    /** Gate's operation id (digits as text); null until Gate has told us. */
    gate_operation_id: model.text().nullable(),
    request_id: model.text().nullable(),
    /** Our idempotency key for the operation (merchant_refund_id = Medusa refund id, payout id). */
    merchant_key: model.text().nullable(),
    /** Minor units, as sent to and reported by Gate. */
    amount: model.bigNumber(),
    currency_code: model.text(),
    status: model.enum(["pending", "success", "decline"]).default("pending"),
    code: model.text().nullable(),
    message: model.text().nullable(),
    /** Where we learnt of it: our own request, a callback, or a status answer (e.g. a refund made in ECommPay's dashboard). */
    source: model.enum(["request", "callback", "status"]).default("request"),
    /** Prescriptive redirect data from an "awaiting redirect result" callback (public: the shopper is sent there). */
    redirect_data: model.json().nullable(),
    session_id: model.text().nullable(),
    /**
     * Refunds: the Medusa refund this Gate refund carries out (an admin's refund, or its Retry at Gate), or records (a
     * refund made outside Medusa, once recorded there). Null for refunds Medusa does not hold (orphan payments, an
     * outside refund not recorded yet, a refund Gate refused at once, which Medusa then deleted).
     */
    medusa_refund_id: model.text().nullable(),
    /** Refunds: Medusa's exact amount for that refund (decimal text, e.g. "1076.075"); `amount` is what Gate sends. */
    medusa_amount: model.text().nullable(),
    /** Refunds: why we hold it: an admin's refund in Medusa, a Retry at Gate, a refund made outside Medusa, an orphan payment's. */
    origin: model.enum(["medusa", "retry", "outside", "orphan"]).nullable(),
    /** Refunds declined after Medusa recorded them: what the admin decided (retried at Gate, or marked not refunded). */
    resolution: model.text().nullable(),
    /** Refunds made outside Medusa: when a process started recording it into Medusa (a claim; stale after 5 minutes). */
    adopt_claimed_at: model.dateTime().nullable(),
    /** Sales: how many times placing the order failed after Gate said paid (bounded; then the admin is told). */
    completion_attempts: model.number().default(0),
    /** Sales: when Gate was last asked for this payment's status on the shopper's behalf (at most once per 10 s). */
    last_status_at: model.dateTime().nullable(),
    /** Reconciliation: how many times it asked Gate about this operation while it was pending. */
    checks: model.number().default(0),
    /**
     * Reconciliation: not asked about again before this (null: at the next run). Set after each lookup that leaves the
     * operation pending, by the schedule in settlement/reconcile-schedule.ts.
     */
    next_check_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["gate_payment_id"] },
    // Gate's operation ids are only meaningful within their payment (a restarted sandbox, or another project, reuses
    // them), so an operation is identified by the pair.
    { on: ["gate_payment_id", "gate_operation_id"], unique: true, where: "gate_operation_id IS NOT NULL AND deleted_at IS NULL" },
    // One sale per Gate payment_id: the row written before the sale is sent is the one every callback lands on.
    { on: ["kind", "gate_payment_id"], unique: true, where: "kind = 'sale' AND deleted_at IS NULL" },
    { on: ["kind", "merchant_key"], unique: true, where: "merchant_key IS NOT NULL AND deleted_at IS NULL" },
    { on: ["medusa_refund_id"], where: "medusa_refund_id IS NOT NULL AND deleted_at IS NULL" },
    // The operations page, its CSV export (keyset pages) and its analytics read the ledger by date, in this order.
    { on: ["created_at", "id"] },
    // Reconciliation picks the pending rows that are due; final rows (nearly all of the ledger) are not in this index.
    { on: ["kind", "next_check_at"], where: "status = 'pending' AND deleted_at IS NULL" },
  ])
