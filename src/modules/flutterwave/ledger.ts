import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { generateEntityId } from "@medusajs/framework/utils"
import type { Outcome } from "../../gate/status"
import type { AttentionBoard, AttentionKind, Ledger, LedgerRefund, LedgerSale, NewAttention } from "../../settlement/ports"

/**
 * The ledger in PostgreSQL: plain SQL over the module's own tables, so that the payment provider (which Medusa runs
 * in the payment module's container, with the shared connection but not our module) and the rest of the plugin write
 * the very same rows. Every write is a single conditional statement: concurrent callers, on one instance or many,
 * cannot overwrite a final status or insert a key twice.
 */
export class SqlLedger implements Ledger {
  constructor(private readonly knex: () => Knex) {}

  async recordSaleSent(sale: { gatePaymentId: string; sessionId: string; amount: number; currency: string }): Promise<void> {
    await this.knex()
      .raw(
        `INSERT INTO fw_gate_operation (id, kind, gate_payment_id, session_id, amount, raw_amount, currency_code, status, source)
         VALUES (?, 'sale', ?, ?, ?, ?::jsonb, ?, 'pending', 'request')
         ON CONFLICT (kind, gate_payment_id) WHERE kind = 'sale' AND deleted_at IS NULL DO NOTHING`,
        [generateEntityId(undefined, "fwop"), sale.gatePaymentId, sale.sessionId, sale.amount, rawAmount(sale.amount), sale.currency]
      )
  }

  async findSale(gatePaymentId: string): Promise<LedgerSale | undefined> {
    const row = await this.knex()("fw_gate_operation")
      .where({ kind: "sale", gate_payment_id: gatePaymentId })
      .whereNull("deleted_at")
      .first()
    return row ? toSale(row) : undefined
  }

  async refundsOf(gatePaymentId: string): Promise<LedgerRefund[]> {
    return (await this.refundsOfPayments([gatePaymentId])).get(gatePaymentId) ?? []
  }

  async refundsOfPayments(gatePaymentIds: string[]): Promise<Map<string, LedgerRefund[]>> {
    const byPayment = new Map<string, LedgerRefund[]>()
    if (gatePaymentIds.length === 0) return byPayment
    const rows = await this.knex()("fw_gate_operation")
      .where({ kind: "refund" })
      .whereIn("gate_payment_id", gatePaymentIds)
      .whereNull("deleted_at")
      .orderBy("created_at", "asc")
    for (const refund of rows.map(toRefund)) {
      byPayment.set(refund.gatePaymentId, [...(byPayment.get(refund.gatePaymentId) ?? []), refund])
    }
    return byPayment
  }

  async reserveRefund(refund: { gatePaymentId: string; merchantKey: string; amount: number; currency: string }) {
    const inserted = await this.knex().raw(
      `INSERT INTO fw_gate_operation (id, kind, gate_payment_id, merchant_key, amount, raw_amount, currency_code, status, source)
       VALUES (?, 'refund', ?, ?, ?, ?::jsonb, ?, 'pending', 'request')
       ON CONFLICT (kind, merchant_key) WHERE merchant_key IS NOT NULL AND deleted_at IS NULL DO NOTHING
       RETURNING id`,
      [generateEntityId(undefined, "fwop"), refund.gatePaymentId, refund.merchantKey, refund.amount, rawAmount(refund.amount), refund.currency]
    )
    const row = await this.knex()("fw_gate_operation")
      .where({ kind: "refund", merchant_key: refund.merchantKey })
      .whereNull("deleted_at")
      .first()
    return { created: (inserted.rows?.length ?? 0) > 0, refund: toRefund(row) }
  }

  async settleRefund(
    merchantKey: string,
    result: { status: Outcome; requestId?: string; code?: string; message?: string }
  ): Promise<void> {
    const knex = this.knex()
    const base = knex("fw_gate_operation").where({ kind: "refund", merchant_key: merchantKey }).whereNull("deleted_at")
    if (result.requestId) await base.clone().update({ request_id: knex.raw("COALESCE(request_id, ?)", [result.requestId]) })
    if (result.status !== "pending") {
      await base
        .clone()
        .where({ status: "pending" })
        .update({ status: result.status, code: result.code ?? null, message: result.message ?? null, updated_at: knex.fn.now() })
    }
  }

  async countCompletionAttempt(gatePaymentId: string): Promise<number> {
    const result = await this.knex().raw(
      `UPDATE fw_gate_operation SET completion_attempts = completion_attempts + 1, updated_at = now()
       WHERE kind = 'sale' AND gate_payment_id = ? AND deleted_at IS NULL RETURNING completion_attempts`,
      [gatePaymentId]
    )
    return Number(result.rows?.[0]?.completion_attempts ?? 1)
  }

  async claimStatusCheck(gatePaymentId: string, intervalMs: number): Promise<boolean> {
    // The database clock decides, so instances with skewed clocks still share one budget.
    const result = await this.knex().raw(
      `UPDATE fw_gate_operation SET last_status_at = now()
       WHERE kind = 'sale' AND gate_payment_id = ? AND deleted_at IS NULL
         AND (last_status_at IS NULL OR last_status_at < now() - (? * interval '1 millisecond'))
       RETURNING id`,
      [gatePaymentId, intervalMs]
    )
    return (result.rows?.length ?? 0) > 0
  }
}

/** The needs-attention list in PostgreSQL, announcing each new item through `notify` (Medusa's admin feed). */
export class SqlAttentionBoard implements AttentionBoard {
  constructor(
    private readonly knex: () => Knex,
    private readonly notify: (item: NewAttention) => Promise<void>
  ) {}

  async raise(item: NewAttention): Promise<{ created: boolean }> {
    const result = await this.knex().raw(
      `INSERT INTO fw_attention (id, kind, state, gate_payment_id, session_id, cart_id, order_id, amount, raw_amount,
                                 currency_code, code, message, refund_key)
       VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
       ON CONFLICT (kind, gate_payment_id) WHERE deleted_at IS NULL DO NOTHING
       RETURNING id`,
      [
        generateEntityId(undefined, "fwat"),
        item.kind,
        item.gatePaymentId,
        item.sessionId ?? null,
        item.cartId ?? null,
        item.orderId ?? null,
        item.amount,
        rawAmount(item.amount),
        item.currency,
        item.code ?? null,
        item.message,
        item.refundKey ?? null,
      ]
    )
    const created = (result.rows?.length ?? 0) > 0
    if (!created) {
      // The same thing raised again (a re-delivered callback, another path): keep the newest facts, stay one item.
      await this.knex()("fw_attention")
        .where({ kind: item.kind, gate_payment_id: item.gatePaymentId })
        .whereNull("deleted_at")
        .update({
          message: item.message,
          code: item.code ?? null,
          ...(item.refundKey ? { refund_key: item.refundKey } : {}),
          ...(item.cartId ? { cart_id: item.cartId } : {}),
          ...(item.orderId ? { order_id: item.orderId } : {}),
          updated_at: this.knex().fn.now(),
        })
      return { created }
    }
    await this.notify(item)
    return { created }
  }

  async resolve(kind: AttentionKind, gatePaymentId: string, resolution: string, by?: string): Promise<void> {
    await this.knex()("fw_attention")
      .where({ kind, gate_payment_id: gatePaymentId, state: "open" })
      .whereNull("deleted_at")
      .update({ state: "resolved", resolution, resolved_by: by ?? null, updated_at: this.knex().fn.now() })
  }
}

function rawAmount(amount: number): string {
  return JSON.stringify({ value: String(amount), precision: 20 })
}

type Row = Record<string, unknown>

function toSale(row: Row): LedgerSale {
  return {
    gatePaymentId: String(row.gate_payment_id),
    sessionId: (row.session_id as string | null) ?? null,
    amount: Number(row.amount),
    currency: String(row.currency_code),
    status: row.status as Outcome,
    completionAttempts: Number(row.completion_attempts ?? 0),
  }
}

function toRefund(row: Row): LedgerRefund {
  return {
    gatePaymentId: String(row.gate_payment_id),
    merchantKey: (row.merchant_key as string | null) ?? null,
    gateOperationId: (row.gate_operation_id as string | null) ?? null,
    requestId: (row.request_id as string | null) ?? null,
    amount: Number(row.amount),
    currency: String(row.currency_code),
    status: row.status as Outcome,
    code: (row.code as string | null) ?? null,
    message: (row.message as string | null) ?? null,
  }
}
