import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import type { LedgerSale } from "../../settlement/ports"
import { placementFrom, type Placement } from "../../settlement/settle-paid-sale"
import { PROVIDER_ID_PREFIX } from "../../providers/flutterwave/provider-id"
import { toSale } from "./ledger"

export type PaidSaleNews = {
  gatePaymentId: string
  /** Minor units, as the rail reported them. */
  amount: number
  currency: string
  gateOperationId?: string
  requestId?: string
  code?: string
  message?: string
}

export type RecordedPaidSale = { sale: LedgerSale; placement: Placement }

/** Set once Medusa's tables turned out not as expected: the process stops trying this path (and logging it). */
let medusaSchemaMismatch = false

/** PostgreSQL's codes for a table or column that is not there: Medusa's schema is not the one this SQL reads. */
const SCHEMA_MISMATCH = new Set(["42P01", "42703"])

/**
 * The paid-sale path of the callback intake in single statements. Besides our ledger it reads four of Medusa's own
 * tables (payment_session, the cart_payment_collection and order_cart links, payment) directly: asking the same
 * through Medusa's modules costs one round trip per module and link, on the path every paid order takes. If a
 * Medusa version lays these tables out differently, the statement fails whole (nothing is written) and the caller
 * falls back to the module path (`undefined`), logging it once.
 */
export class PaidSaleIntake {
  constructor(
    private readonly knex: () => Knex,
    private readonly warn: (message: string) => void
  ) {}

  /**
   * Records the ledger's sale as paid when the news matches it exactly (amount and currency as sent; still pending,
   * or already paid: repeated news goes on to settlement, whose steps are idempotent) and, in the same statement,
   * where the order can go. `undefined`: nothing was changed, the news needs the general path (no such sale, a
   * mismatch to hold, a sale we declined ourselves, or Medusa's tables not as expected).
   */
  async recordSalePaid(news: PaidSaleNews): Promise<RecordedPaidSale | undefined> {
    if (medusaSchemaMismatch) return undefined
    let rows: Array<Record<string, unknown>>
    try {
      const result = await this.knex().raw(
        `WITH sale AS (
           UPDATE fw_gate_operation
              SET status = 'success',
                  gate_operation_id = COALESCE(gate_operation_id, ?),
                  request_id = COALESCE(request_id, ?),
                  code = CASE WHEN status = 'pending' THEN ? ELSE code END,
                  message = CASE WHEN status = 'pending' THEN ? ELSE message END,
                  redirect_data = NULL,
                  updated_at = CASE WHEN status = 'pending' THEN now() ELSE updated_at END
            WHERE kind = 'sale' AND gate_payment_id = ? AND deleted_at IS NULL
              AND status IN ('pending', 'success') AND amount = ? AND upper(currency_code) = ?
           RETURNING *
         )
         SELECT sale.*, session.id AS live_session_id, link.cart_id AS placement_cart_id,
                placed.order_id AS placement_order_id, own.id AS own_payment_id
           FROM sale
           LEFT JOIN payment_session session
                  ON session.id = sale.session_id AND session.deleted_at IS NULL AND session.provider_id LIKE ?
           LEFT JOIN cart_payment_collection link
                  ON link.payment_collection_id = session.payment_collection_id AND link.deleted_at IS NULL
           LEFT JOIN order_cart placed ON placed.cart_id = link.cart_id AND placed.deleted_at IS NULL
           LEFT JOIN payment own
                  ON own.payment_session_id = sale.session_id AND own.deleted_at IS NULL AND own.canceled_at IS NULL
          LIMIT 1`,
        [
          news.gateOperationId ?? null,
          news.requestId ?? null,
          news.code ?? null,
          news.message ?? null,
          news.gatePaymentId,
          news.amount,
          news.currency.toUpperCase(),
          `${PROVIDER_ID_PREFIX.replace(/_/g, "\\_")}%`,
        ]
      )
      rows = result.rows
    } catch (error) {
      if (!this.isSchemaMismatch(error)) throw error
      return undefined
    }
    const row = rows[0]
    if (!row) return undefined
    return {
      sale: toSale(row),
      placement: placementFrom({
        sessionLive: !!row.live_session_id,
        cartId: (row.placement_cart_id as string | null) ?? undefined,
        orderId: (row.placement_order_id as string | null) ?? undefined,
        ownPaymentLive: !!row.own_payment_id,
      }),
    }
  }

  /**
   * The order a session's cart became, if any, and its cart, in one statement (after Medusa's completion, whose
   * cart step may fail without failing the workflow). `undefined` when Medusa's tables are not as expected.
   */
  async orderOfSession(sessionId: string): Promise<{ cartId?: string; orderId?: string } | undefined> {
    if (medusaSchemaMismatch) return undefined
    try {
      const result = await this.knex().raw(
        // Tagged: the only statement of the plugin's paid-sale path that touches none of its own tables.
        `/* flutterwave */ SELECT link.cart_id, placed.order_id
           FROM payment_session session
           JOIN cart_payment_collection link
             ON link.payment_collection_id = session.payment_collection_id AND link.deleted_at IS NULL
           LEFT JOIN order_cart placed ON placed.cart_id = link.cart_id AND placed.deleted_at IS NULL
          WHERE session.id = ? AND session.deleted_at IS NULL
          LIMIT 1`,
        [sessionId]
      )
      const row = result.rows[0] as { cart_id?: string | null; order_id?: string | null } | undefined
      return { cartId: row?.cart_id ?? undefined, orderId: row?.order_id ?? undefined }
    } catch (error) {
      if (!this.isSchemaMismatch(error)) throw error
      return undefined
    }
  }

  private isSchemaMismatch(error: unknown): boolean {
    const code = (error as { code?: string } | undefined)?.code
    if (!code || !SCHEMA_MISMATCH.has(code)) return false
    if (medusaSchemaMismatch) return true
    medusaSchemaMismatch = true
    this.warn(
      `flutterwave: Medusa's checkout tables are not laid out as this plugin expects (${(error as Error).message}); ` +
        "paid sales now take the slower path through Medusa's modules"
    )
    return true
  }
}
