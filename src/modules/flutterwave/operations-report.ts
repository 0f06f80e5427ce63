import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { describeGateCode } from "../../rails/ecommpay/flutterwave"
import { minorToMajor, type OperationRecord } from "./operations-csv"

/**
 * The operations report: every operation in the ledger (sales, refunds, payouts) read by filters, for the admin's
 * operations page, its CSV export and its analytics. Plain SQL over the module's tables and, for the order link,
 * Medusa's own payment tables in the same database. Every sum is computed by PostgreSQL on integer minor units and
 * converted to major units as text, never through a float.
 */

export type OperationKind = "sale" | "refund" | "payout"
export type OperationStatus = "pending" | "success" | "decline"

/**
 * `from` and `to` are calendar days (YYYY-MM-DD) in UTC, both included: from 00:00:00 UTC on `from` up to, not
 * including, 00:00:00 UTC on the day after `to`. Several kinds or statuses select any of them.
 */
export type OperationFilters = {
  from?: string
  to?: string
  kinds?: OperationKind[]
  statuses?: OperationStatus[]
  currency?: string
}

/** Rows per keyset page of the export: bounds the server's memory whatever the number of rows. */
export const EXPORT_BATCH_SIZE = 1000

/** Every sale, refund and payout sent to a rail. */
const SENT_OPERATIONS = `SELECT op.id, op.kind, op.rail, op.status, op.amount, op.currency_code, op.code, op.message, op.gate_payment_id,
         op.gate_operation_id, op.merchant_key, op.source, op.created_at, op.updated_at
  FROM fw_gate_operation op
  WHERE op.deleted_at IS NULL`

/** A payout recorded in fw_payout but never sent (the process stopped between the two) has no operation row yet. */
const UNSENT_PAYOUTS = `SELECT po.id, 'payout' AS kind, po.rail, po.status, po.amount, po.currency_code, po.code, po.message,
         po.gate_payment_id, NULL::text AS gate_operation_id, po.id AS merchant_key, 'request' AS source, po.created_at,
         po.updated_at
  FROM fw_payout po
  WHERE po.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM fw_gate_operation g
                    WHERE g.kind = 'payout' AND g.gate_payment_id = po.gate_payment_id AND g.deleted_at IS NULL)`

/** The ledger as one relation, for sums and counts: filters on it are pushed into both parts by PostgreSQL. */
const LEDGER = `(${SENT_OPERATIONS} UNION ALL ${UNSENT_PAYOUTS}) AS ops`

/**
 * The ledger's first `limit` rows in (created_at, id) order, after `cursor` when given. PostgreSQL does not take an
 * ordered index scan through a UNION, so each part is filtered, ordered and limited on its own (fw_gate_operation by
 * its (created_at, id) index: a page costs the same on the last page of 100,000 rows as on the first) and the two
 * short lists are merged by the caller's ORDER BY … LIMIT.
 */
function orderedLedger(where: Where, direction: "ASC" | "DESC", limit: number, cursor?: { createdAt: string; id: string }): Where {
  const after = cursor ? ` AND (ops.created_at, ops.id) ${direction === "ASC" ? ">" : "<"} (?::timestamptz, ?)` : ""
  const parts = [SENT_OPERATIONS, UNSENT_PAYOUTS].map(
    (part) => `(SELECT * FROM (${part}) ops WHERE ${where.sql}${after} ORDER BY ops.created_at ${direction}, ops.id ${direction} LIMIT ?)`
  )
  const bindings = [...where.bindings, ...(cursor ? [cursor.createdAt, cursor.id] : []), limit]
  return { sql: `(${parts.join(" UNION ALL ")}) AS ops`, bindings: [...bindings, ...bindings] }
}

/**
 * The Medusa order a sale or refund belongs to: the sale's Gate payment_id is the Medusa payment session id, whose
 * payment (once authorized) belongs to a payment collection linked to the order. Orphan payments (their session was
 * replaced, no payment made of it) and payouts have none.
 */
const ORDER_LINK = `LEFT JOIN LATERAL (
  SELECT opc.order_id
  FROM payment p
  JOIN order_payment_collection opc ON opc.payment_collection_id = p.payment_collection_id AND opc.deleted_at IS NULL
  WHERE ops.kind <> 'payout' AND p.payment_session_id = ops.gate_payment_id AND p.deleted_at IS NULL
  LIMIT 1
) link ON true`
const NO_ORDER_LINK = `LEFT JOIN LATERAL (SELECT NULL::text AS order_id) link ON true`

/** Times as ISO-8601 UTC with microseconds: exact, so the export's keyset cursor never skips or repeats a row. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

const COLUMNS = `ops.id, ops.kind, ops.rail, ops.status, ops.amount::text AS amount_minor, upper(ops.currency_code) AS currency_code,
  ops.code, ops.message, ops.gate_payment_id, ops.gate_operation_id, ops.merchant_key, ops.source, link.order_id,
  ${iso("ops.created_at")} AS created_at, ${iso("ops.updated_at")} AS updated_at`

type Where = { sql: string; bindings: unknown[] }

/** The day after a YYYY-MM-DD day, at 00:00 UTC. */
function dayAfter(day: string): Date {
  const date = new Date(`${day}T00:00:00.000Z`)
  date.setUTCDate(date.getUTCDate() + 1)
  return date
}

export function whereOf(filters: OperationFilters): Where {
  const parts: string[] = []
  const bindings: unknown[] = []
  if (filters.from) {
    parts.push("ops.created_at >= ?")
    bindings.push(new Date(`${filters.from}T00:00:00.000Z`))
  }
  if (filters.to) {
    parts.push("ops.created_at < ?")
    bindings.push(dayAfter(filters.to))
  }
  if (filters.kinds?.length) {
    parts.push(`ops.kind IN (${filters.kinds.map(() => "?").join(", ")})`)
    bindings.push(...filters.kinds)
  }
  if (filters.statuses?.length) {
    parts.push(`ops.status IN (${filters.statuses.map(() => "?").join(", ")})`)
    bindings.push(...filters.statuses)
  }
  if (filters.currency) {
    parts.push("upper(ops.currency_code) = ?")
    bindings.push(filters.currency.toUpperCase())
  }
  return { sql: parts.length ? parts.join(" AND ") : "true", bindings }
}

export type OperationsPage = { rows: OperationRecord[]; count: number }

export type MoneyTotal = { currency_code: string; amount: string; amount_minor: string; count: number }

export type OperationsAnalytics = {
  /** Successful sales per UTC day and currency (days without any are left out). */
  paid_volume: Array<MoneyTotal & { day: string }>
  /** Successful sales per currency over the whole range. */
  paid_totals: MoneyTotal[]
  /** Sales' success rate: success / (success + decline), in percent with 2 decimals; pending sales are left out. */
  sales: { success: number; decline: number; pending: number; success_rate: string | null }
  /** Successful refunds per currency. */
  refunded: MoneyTotal[]
  /** The 5 most frequent decline codes among declined operations (every kind), most frequent first. */
  decline_reasons: Array<{ code: string | null; message: string | null; count: number; kinds: OperationKind[] }>
}

type Total = { currency_code: string; amount_minor: string; count: number }

const toTotal = <T extends Total>(row: T): T & MoneyTotal => ({
  ...row,
  count: Number(row.count),
  amount: minorToMajor(row.amount_minor, row.currency_code),
})

export class OperationsReport {
  constructor(private readonly knex: () => Knex) {}

  /** One page of the list, newest first, with the number of rows the filters select. */
  async list(filters: OperationFilters, page: { limit: number; offset: number }): Promise<OperationsPage> {
    const where = whereOf(filters)
    const link = await this.orderLink()
    const ledger = orderedLedger(where, "DESC", page.offset + page.limit)
    const [rows, counted] = await Promise.all([
      this.rows(
        `SELECT ${COLUMNS} FROM ${ledger.sql} ${link}
         ORDER BY ops.created_at DESC, ops.id DESC LIMIT ? OFFSET ?`,
        [...ledger.bindings, page.limit, page.offset]
      ),
      this.rows<{ count: number }>(`SELECT count(*)::int AS count FROM ${LEDGER} WHERE ${where.sql}`, where.bindings),
    ])
    return { rows, count: Number(counted[0]?.count ?? 0) }
  }

  /**
   * Every row the filters select, oldest first, in keyset pages of `batchSize` ordered by (created_at, id): one
   * bounded query at a time, so memory stays flat for any number of rows, and rows written meanwhile never shift a
   * page (an OFFSET would skip or repeat them).
   */
  async *exportBatches(filters: OperationFilters, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<OperationRecord[]> {
    const where = whereOf(filters)
    const link = await this.orderLink()
    let after: { createdAt: string; id: string } | undefined
    for (;;) {
      const ledger = orderedLedger(where, "ASC", batchSize, after)
      const rows = await this.rows(
        `SELECT ${COLUMNS} FROM ${ledger.sql} ${link} ORDER BY ops.created_at ASC, ops.id ASC LIMIT ?`,
        [...ledger.bindings, batchSize]
      )
      if (rows.length > 0) yield rows
      if (rows.length < batchSize) return
      const last = rows[rows.length - 1]
      after = { createdAt: last.created_at, id: last.id }
    }
  }

  /** ECommPay's Analytics tab for the filtered rows, every figure computed by PostgreSQL. */
  async analytics(filters: OperationFilters): Promise<OperationsAnalytics> {
    const where = whereOf(filters)
    const from = `FROM ${LEDGER} WHERE ${where.sql}`
    const [volume, totals, sales, refunded, declines] = await Promise.all([
      this.rows<Total & { day: string }>(
        `SELECT to_char(ops.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, upper(ops.currency_code) AS currency_code,
                sum(ops.amount)::text AS amount_minor, count(*)::int AS count
         ${from} AND ops.kind = 'sale' AND ops.status = 'success'
         GROUP BY 1, 2 ORDER BY 1, 2`,
        where.bindings
      ),
      this.rows<Total>(
        `SELECT upper(ops.currency_code) AS currency_code, sum(ops.amount)::text AS amount_minor, count(*)::int AS count
         ${from} AND ops.kind = 'sale' AND ops.status = 'success'
         GROUP BY 1 ORDER BY 1`,
        where.bindings
      ),
      this.rows<{ success: number; decline: number; pending: number; success_rate: string | null }>(
        `SELECT s.success, s.decline, s.pending,
                CASE WHEN s.success + s.decline > 0
                     THEN round(100.0 * s.success / (s.success + s.decline), 2)::text END AS success_rate
         FROM (SELECT count(*) FILTER (WHERE ops.status = 'success')::int AS success,
                      count(*) FILTER (WHERE ops.status = 'decline')::int AS decline,
                      count(*) FILTER (WHERE ops.status = 'pending')::int AS pending
               ${from} AND ops.kind = 'sale') s`,
        where.bindings
      ),
      this.rows<Total>(
        `SELECT upper(ops.currency_code) AS currency_code, sum(ops.amount)::text AS amount_minor, count(*)::int AS count
         ${from} AND ops.kind = 'refund' AND ops.status = 'success'
         GROUP BY 1 ORDER BY 1`,
        where.bindings
      ),
      this.rows<{ code: string | null; message: string | null; count: number; kinds: OperationKind[] }>(
        `SELECT ops.code, mode() WITHIN GROUP (ORDER BY ops.message) AS message, count(*)::int AS count,
                array_agg(DISTINCT ops.kind ORDER BY ops.kind) AS kinds
         ${from} AND ops.status = 'decline'
         GROUP BY ops.code ORDER BY count(*) DESC, ops.code ASC NULLS LAST LIMIT 5`,
        where.bindings
      ),
    ])
    const rate = sales[0] ?? { success: 0, decline: 0, pending: 0, success_rate: null }
    return {
      paid_volume: volume.map(toTotal),
      paid_totals: totals.map(toTotal),
      sales: { success: Number(rate.success), decline: Number(rate.decline), pending: Number(rate.pending), success_rate: rate.success_rate },
      refunded: refunded.map(toTotal),
      decline_reasons: declines.map((row) => ({
        code: row.code,
        // Gate may give a decline without a message; the code's meaning stands in for it.
        message: row.message ?? describeGateCode(row.code) ?? null,
        count: Number(row.count),
        kinds: parseKinds(row.kinds),
      })),
    }
  }

  /** The order link joins Medusa's payment tables; a database without them (an unusual setup) lists no orders. */
  private async orderLink(): Promise<string> {
    const [row] = await this.rows<{ ok: boolean }>(
      `SELECT to_regclass('payment') IS NOT NULL AND to_regclass('order_payment_collection') IS NOT NULL AS ok`,
      []
    )
    return row?.ok ? ORDER_LINK : NO_ORDER_LINK
  }

  private async rows<T = OperationRecord>(sql: string, bindings: unknown[]): Promise<T[]> {
    const result = await this.knex().raw(sql, bindings as Knex.RawBinding[])
    return (result.rows ?? []) as T[]
  }
}

/** node-postgres returns text[] as an array, but an array of an enum-less text column may come as "{a,b}". */
function parseKinds(value: unknown): OperationKind[] {
  if (Array.isArray(value)) return value as OperationKind[]
  if (typeof value === "string") return value.replace(/^\{|\}$/g, "").split(",").filter(Boolean) as OperationKind[]
  return []
}
