import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { newEntityId } from "./entity-id"
import { runPrepared } from "./prepared-statement"

/** What a callback's row says once applied (see models/gate-callback.ts). */
export type CallbackOutcomeColumn = "applied" | "held" | "unmatched" | "ignored" | "orphan" | "attention"

export type NewDelivery = {
  dedupeKey: string
  gatePaymentId: string
  gateOperationId: string | null
  operationType: string | null
  operationStatus: string | null
  paymentStatus: string
  /** The verified body, as JSON text (ids beyond 2^53 already turned into digit strings). */
  bodyJson: string
  /** A stored callback unapplied and untouched for this long is taken to be from a delivery that died. */
  staleMs: number
}

export type Delivery =
  /** First delivery of this callback, or a late one taking over a delivery that died: this one applies it. */
  | { apply: true; id: string }
  /** Seen before: already applied (`outcome`), or being applied right now by another delivery (`in_flight`). */
  | { apply: false; id: string; outcome: CallbackOutcomeColumn | "in_flight"; reason: string | null }

/** A stored row no delivery is applying any more: unapplied, and untouched for the stale time ($9, in ms). */
const ABANDONED = "fw_gate_callback.outcome = 'received' AND fw_gate_callback.updated_at < now() - ($9 * interval '1 millisecond')"

/**
 * Stores a callback the first time, or counts the delivery (and claims an abandoned one), returning what became of
 * it. A claim writes the claiming delivery's own token ($1, its would-be id) into `reason`, which is empty while a row
 * is unapplied, so exactly the delivery that claimed sees it returned. Made one line once: it runs on every delivery.
 */
const RECORD_DELIVERY = oneLine(`INSERT INTO fw_gate_callback (id, dedupe_key, gate_payment_id, gate_operation_id, operation_type, operation_status,
                                     payment_status, body, outcome, deliveries, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS jsonb), 'received', 1, now(), now())
       ON CONFLICT (dedupe_key) WHERE deleted_at IS NULL DO UPDATE
         SET deliveries = fw_gate_callback.deliveries + 1,
             updated_at = CASE WHEN ${ABANDONED} THEN now() ELSE fw_gate_callback.updated_at END,
             reason = CASE WHEN ${ABANDONED} THEN $1 ELSE fw_gate_callback.reason END
       RETURNING id, outcome, reason, (xmax = 0) AS inserted, (reason IS NOT DISTINCT FROM $1) AS claimed`)

/**
 * The callback intake's table, in plain SQL: every delivery is one statement (prepared: planned once per
 * connection), so a storm of Gate's retries costs the database one round trip each and the ORM nothing. The unique
 * dedupe key decides, across instances, which delivery applies a callback; the database's clock decides when an
 * unapplied one counts as abandoned.
 */
export class CallbackDeliveries {
  constructor(
    private readonly knex: () => Knex,
    private readonly warn: (message: string) => void
  ) {}

  /**
   * Records a delivery in one statement: stores the callback the first time (`apply`), otherwise counts the delivery
   * and returns the stored outcome. A row still `received` and untouched for `staleMs` is claimed by exactly one late
   * delivery: the row lock serialises them, and the first moves `updated_at` to now, so for the rest it is not stale.
   */
  async record(delivery: NewDelivery): Promise<Delivery> {
    const [row] = (await runPrepared(
      this.knex(),
      "fw_record_callback_delivery",
      RECORD_DELIVERY,
      [
        newEntityId("fwcb"),
        delivery.dedupeKey,
        delivery.gatePaymentId,
        delivery.gateOperationId,
        delivery.operationType,
        delivery.operationStatus,
        delivery.paymentStatus,
        delivery.bodyJson,
        delivery.staleMs,
      ],
      this.warn
    )) as Array<{ id: string; outcome: string; reason: string | null; inserted: boolean; claimed: boolean }>
    if (row.inserted || (row.outcome === "received" && row.claimed)) return { apply: true, id: row.id }
    if (row.outcome === "received") return { apply: false, id: row.id, outcome: "in_flight", reason: null }
    return { apply: false, id: row.id, outcome: row.outcome as CallbackOutcomeColumn, reason: row.reason }
  }

  async recordOutcome(id: string, outcome: CallbackOutcomeColumn, reason: string | null): Promise<void> {
    await this.knex().raw(`UPDATE fw_gate_callback SET outcome = ?, reason = ?, updated_at = now() WHERE id = ?`, [outcome, reason, id])
  }

  /** Forgets a delivery whose apply failed or came too early: the sender's next delivery applies it afresh at once. */
  async forget(id: string): Promise<void> {
    await this.knex().raw(`DELETE FROM fw_gate_callback WHERE id = ? AND outcome = 'received'`, [id])
  }
}

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, " ").trim()
}
