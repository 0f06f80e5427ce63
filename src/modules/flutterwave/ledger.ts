import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { generateEntityId } from "@medusajs/framework/utils"
import type { Outcome } from "../../rails/ecommpay/status"
import type {
  AttentionBoard,
  AttentionKind,
  Ledger,
  LedgerRefund,
  LedgerSale,
  NewAttention,
  NewRefund,
  RefundOrigin,
  RefundResult,
} from "../../settlement/ports"

/** The code reconciliation records when it declines a sale Gate never knew (3061: its page was never paid). */
export const NEVER_PAID_CODE = "3061"

/** After this long, a claim on recording an outside refund into Medusa is taken to be from a process that died. */
const OUTSIDE_REFUND_CLAIM_MS = 5 * 60 * 1000

/**
 * The ledger in PostgreSQL: plain SQL over the module's own tables, so that the payment provider (which Medusa runs
 * in the payment module's container, with the shared connection but not our module) and the rest of the plugin write
 * the very same rows. Every write is a single conditional statement: concurrent callers, on one instance or many,
 * cannot overwrite a final status or insert a key twice.
 */
export class SqlLedger implements Ledger {
  constructor(private readonly knex: () => Knex) {}

  async recordSaleSent(sale: { gatePaymentId: string; sessionId: string; amount: number; currency: string; rail?: string }): Promise<void> {
    await this.knex()
      .raw(
        `INSERT INTO fw_gate_operation (id, kind, gate_payment_id, session_id, amount, raw_amount, currency_code, status, source, rail)
         VALUES (?, 'sale', ?, ?, ?, ?::jsonb, ?, 'pending', 'request', ?)
         ON CONFLICT (kind, gate_payment_id) WHERE kind = 'sale' AND deleted_at IS NULL DO NOTHING`,
        [
          generateEntityId(undefined, "fwop"),
          sale.gatePaymentId,
          sale.sessionId,
          sale.amount,
          rawAmount(sale.amount),
          sale.currency,
          sale.rail ?? "ecommpay",
        ]
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
    const rows = await this.refundRows().whereIn("gate_payment_id", gatePaymentIds).orderBy([
      { column: "created_at", order: "asc" },
      { column: "id", order: "asc" },
    ])
    for (const refund of rows.map(toRefund)) {
      byPayment.set(refund.gatePaymentId, [...(byPayment.get(refund.gatePaymentId) ?? []), refund])
    }
    return byPayment
  }

  async withRefundLock<T>(gatePaymentId: string, work: (ledger: Ledger) => Promise<T>): Promise<T> {
    return this.knex().transaction(async (trx) => {
      // Held until the transaction ends, on whichever instance; refunds of other payments are not held up.
      await trx.raw(`SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`, [`flutterwave-refund:${gatePaymentId}`])
      return work(new SqlLedger(() => trx as unknown as Knex))
    })
  }

  async reserveRefund(refund: NewRefund) {
    const inserted = await this.knex().raw(
      `INSERT INTO fw_gate_operation (id, kind, gate_payment_id, merchant_key, amount, raw_amount, currency_code, status, source,
                                      origin, medusa_refund_id, medusa_amount, rail)
       VALUES (?, 'refund', ?, ?, ?, ?::jsonb, ?, 'pending', 'request', ?, ?, ?,
               COALESCE((SELECT sale.rail FROM fw_gate_operation sale
                         WHERE sale.kind = 'sale' AND sale.gate_payment_id = ? AND sale.deleted_at IS NULL LIMIT 1), 'ecommpay'))
       ON CONFLICT (kind, merchant_key) WHERE merchant_key IS NOT NULL AND deleted_at IS NULL DO NOTHING
       RETURNING id`,
      [
        generateEntityId(undefined, "fwop"),
        refund.gatePaymentId,
        refund.merchantKey,
        refund.amount,
        rawAmount(refund.amount),
        refund.currency,
        refund.origin,
        refund.medusaRefundId ?? null,
        refund.medusaAmount ?? null,
        // A refund goes through the rail its payment was taken on.
        refund.gatePaymentId,
      ]
    )
    const row = await this.refundRows().where({ merchant_key: refund.merchantKey }).first()
    return { created: (inserted.rows?.length ?? 0) > 0, refund: toRefund(row) }
  }

  async settleRefund(merchantKey: string, result: RefundResult): Promise<void> {
    const knex = this.knex()
    const base = this.refundRows().where({ merchant_key: merchantKey })
    const ids: Record<string, unknown> = {}
    if (result.requestId) ids.request_id = knex.raw("COALESCE(request_id, ?)", [result.requestId])
    if (result.gateOperationId) ids.gate_operation_id = knex.raw("COALESCE(gate_operation_id, ?)", [result.gateOperationId])
    if (Object.keys(ids).length) await base.clone().update(ids)
    if (result.status !== "pending") {
      await base
        .clone()
        .where({ status: "pending" })
        .update({ status: result.status, code: result.code ?? null, message: result.message ?? null, updated_at: knex.fn.now() })
    }
  }

  async detachMedusaRefund(merchantKey: string): Promise<void> {
    await this.refundRows().where({ merchant_key: merchantKey }).update({ medusa_refund_id: null, updated_at: this.knex().fn.now() })
  }

  async resolveMedusaRefund(medusaRefundId: string, resolution: string): Promise<void> {
    await this.refundRows()
      .where({ medusa_refund_id: medusaRefundId })
      .update({ resolution, updated_at: this.knex().fn.now() })
  }

  async claimOutsideRefund(rowId: string): Promise<boolean> {
    const result = await this.knex().raw(
      `UPDATE fw_gate_operation SET adopt_claimed_at = now()
       WHERE id = ? AND kind = 'refund' AND medusa_refund_id IS NULL AND origin IS DISTINCT FROM 'orphan' AND deleted_at IS NULL
         AND (adopt_claimed_at IS NULL OR adopt_claimed_at < now() - (? * interval '1 millisecond'))
       RETURNING id`,
      [rowId, OUTSIDE_REFUND_CLAIM_MS]
    )
    return (result.rows?.length ?? 0) > 0
  }

  async attachOutsideRefund(rowId: string, medusaRefundId: string, medusaAmount: string, origin: "outside" | "medusa" = "outside"): Promise<boolean> {
    const updated = await this.refundRows()
      .where({ id: rowId })
      .whereNull("medusa_refund_id")
      .update({ medusa_refund_id: medusaRefundId, medusa_amount: medusaAmount, origin, updated_at: this.knex().fn.now() })
    return Number(updated) > 0
  }

  async releaseOutsideRefund(rowId: string): Promise<void> {
    await this.refundRows().where({ id: rowId }).whereNull("medusa_refund_id").update({ adopt_claimed_at: null })
  }

  private refundRows() {
    return this.knex()("fw_gate_operation").where({ kind: "refund" }).whereNull("deleted_at")
  }

  async reopenDeclinedSale(gatePaymentId: string): Promise<boolean> {
    const updated = await this.knex()("fw_gate_operation")
      .where({ kind: "sale", gate_payment_id: gatePaymentId, status: "decline" })
      .whereNull("deleted_at")
      .update({ status: "success", code: null, message: null, updated_at: this.knex().fn.now() })
    return Number(updated) > 0
  }

  async countCompletionAttempt(gatePaymentId: string): Promise<number> {
    const result = await this.knex().raw(
      `UPDATE fw_gate_operation SET completion_attempts = completion_attempts + 1, updated_at = now()
       WHERE kind = 'sale' AND gate_payment_id = ? AND deleted_at IS NULL RETURNING completion_attempts`,
      [gatePaymentId]
    )
    return Number(result.rows?.[0]?.completion_attempts ?? 1)
  }

  /**
   * Paid sales of the window not asked about for `intervalMs`, at most `limit`, oldest check first; marked as asked
   * now. Reconciliation asks Gate about them to find refunds made outside Medusa whose callback never came.
   */
  async claimPaidSalesForRecheck(since: Date, intervalMs: number, limit: number): Promise<string[]> {
    const result = await this.knex().raw(
      `UPDATE fw_gate_operation SET last_status_at = now()
       WHERE id IN (
         SELECT id FROM fw_gate_operation
         WHERE kind = 'sale' AND status = 'success' AND deleted_at IS NULL AND created_at > ?
           AND (last_status_at IS NULL OR last_status_at <= now() - (? * interval '1 millisecond'))
         ORDER BY last_status_at ASC NULLS FIRST
         LIMIT ?)
       RETURNING gate_payment_id`,
      [since, intervalMs, limit]
    )
    return (result.rows ?? []).map((row: { gate_payment_id: string }) => row.gate_payment_id)
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
                                 currency_code, code, message, refund_key, subject)
       VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, gate_payment_id, subject) WHERE deleted_at IS NULL DO NOTHING
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
        item.subject ?? "",
      ]
    )
    const created = (result.rows?.length ?? 0) > 0
    if (!created) {
      // The same thing raised again (a re-delivered callback, another path): keep the newest facts, stay one item.
      await this.knex()("fw_attention")
        .where({ kind: item.kind, gate_payment_id: item.gatePaymentId, subject: item.subject ?? "" })
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

  async resolve(kind: AttentionKind, gatePaymentId: string, resolution: string, by?: string, subject?: string): Promise<void> {
    await this.knex()("fw_attention")
      .where({ kind, gate_payment_id: gatePaymentId, state: "open", subject: subject ?? "" })
      .whereNull("deleted_at")
      .update({ state: "resolved", resolution, resolved_by: by ?? null, updated_at: this.knex().fn.now() })
  }
}

function rawAmount(amount: number): string {
  return JSON.stringify({ value: String(amount), precision: 20 })
}

type Row = Record<string, unknown>

export function toSale(row: Record<string, unknown>): LedgerSale {
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
    id: String(row.id),
    gatePaymentId: String(row.gate_payment_id),
    merchantKey: (row.merchant_key as string | null) ?? null,
    gateOperationId: (row.gate_operation_id as string | null) ?? null,
    requestId: (row.request_id as string | null) ?? null,
    amount: Number(row.amount),
    currency: String(row.currency_code),
    status: row.status as Outcome,
    code: (row.code as string | null) ?? null,
    message: (row.message as string | null) ?? null,
    origin: (row.origin as RefundOrigin | null) ?? null,
    medusaRefundId: (row.medusa_refund_id as string | null) ?? null,
    medusaAmount: (row.medusa_amount as string | null) ?? null,
    resolution: (row.resolution as string | null) ?? null,
    createdAt: new Date(row.created_at as string).toISOString(),
  }
}

/** A pending ledger row reconciliation may ask Gate about, with its place in the schedule. */
export type ScheduledOperation = {
  id: string
  kind: "sale" | "refund" | "payout"
  gatePaymentId: string
  status: Outcome
  createdAt: Date
  /** Lookups reconciliation made while it was pending. */
  checks: number
  /** Not asked about before this; null: at the next run. */
  nextCheckAt: Date | null
}

/**
 * Reconciliation's schedule in the ledger (settlement/reconcile-schedule.ts decides the times): which pending rows are
 * due, and when each is asked about next. One conditional statement per write, like the rest of the ledger.
 */
export class SqlReconcileSchedule {
  constructor(private readonly knex: () => Knex) {}

  /**
   * Pending rows of `kinds` created in (createdAfter, createdBefore) whose next check is unset or not after `now`,
   * longest due first (a row never checked is due from its creation), so items a short run left behind go first next
   * time. Served by the partial index on pending rows (kind, next_check_at).
   */
  async dueOperations(query: {
    kinds: Array<ScheduledOperation["kind"]>
    createdAfter: Date
    createdBefore: Date
    now: Date
  }): Promise<ScheduledOperation[]> {
    const rows = await this.knex()("fw_gate_operation")
      .select("id", "kind", "gate_payment_id", "status", "created_at", "checks", "next_check_at")
      .where({ status: "pending" })
      .whereNull("deleted_at")
      .whereIn("kind", query.kinds)
      .where("created_at", ">", query.createdAfter)
      .where("created_at", "<", query.createdBefore)
      .where((due) => due.whereNull("next_check_at").orWhere("next_check_at", "<=", query.now))
      .orderByRaw("coalesce(next_check_at, created_at) asc, id asc")
    return rows.map(toScheduled)
  }

  /** Every row of `kind` for these Gate payment ids, whatever its status. */
  async operationsOf(kind: ScheduledOperation["kind"], gatePaymentIds: string[]): Promise<ScheduledOperation[]> {
    if (gatePaymentIds.length === 0) return []
    const rows = await this.knex()("fw_gate_operation")
      .select("id", "kind", "gate_payment_id", "status", "created_at", "checks", "next_check_at")
      .where({ kind })
      .whereNull("deleted_at")
      .whereIn("gate_payment_id", gatePaymentIds)
    return rows.map(toScheduled)
  }

  /**
   * After a lookup: one more check counted on each row, and its next one not before the given time. Rows the answer
   * settled are left alone (a final row is never asked about again anyway). One statement for the lot.
   */
  async scheduleNextChecks(rows: Array<{ id: string; at: Date }>): Promise<void> {
    if (rows.length === 0) return
    await this.knex().raw(
      `UPDATE fw_gate_operation AS op SET checks = op.checks + 1, next_check_at = due.at
       FROM jsonb_to_recordset(?::jsonb) AS due(id text, at timestamptz)
       WHERE op.id = due.id AND op.status = 'pending' AND op.deleted_at IS NULL`,
      [JSON.stringify(rows.map((row) => ({ id: row.id, at: row.at.toISOString() })))]
    )
  }

  /**
   * Paid sales claimed for a recheck (SqlLedger.claimPaidSalesForRecheck) that a run stopped before asking about:
   * first in line at the next run instead of waiting a whole recheck interval.
   */
  async releasePaidSaleRechecks(gatePaymentIds: string[]): Promise<void> {
    if (gatePaymentIds.length === 0) return
    await this.knex()("fw_gate_operation")
      .where({ kind: "sale", status: "success" })
      .whereNull("deleted_at")
      .whereIn("gate_payment_id", gatePaymentIds)
      .update({ last_status_at: null })
  }
}

function toScheduled(row: Row): ScheduledOperation {
  return {
    id: String(row.id),
    kind: row.kind as ScheduledOperation["kind"],
    gatePaymentId: String(row.gate_payment_id),
    status: row.status as Outcome,
    createdAt: new Date(row.created_at as string),
    checks: Number(row.checks ?? 0),
    nextCheckAt: row.next_check_at ? new Date(row.next_check_at as string) : null,
  }
}
