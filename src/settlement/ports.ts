import type { PaymentRail, RailOutcome as Outcome } from "../rails/rail"

/**
 * What the settlement core needs from the world, as explicit dependencies: the ledger (our module's tables), the
 * admin's attention board, the payment backend and Medusa. Production wires them to PostgreSQL, the Gate client and
 * Medusa's modules (./wiring.ts); unit tests wire an in-memory ledger and a fake Gate.
 */

/** A sale as the ledger knows it: written before the sale was sent, so it outlives Medusa's session. */
export type LedgerSale = {
  gatePaymentId: string
  sessionId: string | null
  /** Minor units, exactly as sent to Gate. */
  amount: number
  currency: string
  status: Outcome
  completionAttempts: number
}

/** Why the ledger holds a refund. */
export type RefundOrigin =
  /** An admin's refund in Medusa (merchant key = Medusa's refund id). */
  | "medusa"
  /** Retry at Gate of a Medusa refund Gate declined after accepting it (merchant key = `<refund id>-r<n>`). */
  | "retry"
  /** Made outside Medusa (ECommPay's dashboard): no merchant key; recorded into Medusa once it succeeded. */
  | "outside"
  /** The full refund of a paid sale no order took (merchant key = `orphan-<payment id>[-r<n>]`). */
  | "orphan"

export type LedgerRefund = {
  /** The ledger row's id. */
  id: string
  gatePaymentId: string
  merchantKey: string | null
  gateOperationId: string | null
  requestId: string | null
  /** Minor units, as sent to (or reported by) Gate. */
  amount: number
  currency: string
  status: Outcome
  code: string | null
  message: string | null
  origin: RefundOrigin | null
  /** The Medusa refund this row carries out or records; null when Medusa holds no refund for it. */
  medusaRefundId: string | null
  /** Medusa's exact amount for that refund (decimal text); null for rows Medusa holds no refund for. */
  medusaAmount: string | null
  /** For a Medusa refund Gate declined: the admin's decision ("retried", "not_refunded: …"); null while open. */
  resolution: string | null
  createdAt: string
}

export type NewRefund = {
  gatePaymentId: string
  merchantKey: string
  amount: number
  currency: string
  origin: RefundOrigin
  medusaRefundId?: string
  medusaAmount?: string
}

export type RefundResult = {
  status: Outcome
  requestId?: string
  gateOperationId?: string
  code?: string
  message?: string
}

export interface Ledger {
  /**
   * Records a sale about to be sent, through `rail` (default "ecommpay"). Idempotent: a second call for the same
   * payment changes nothing.
   */
  recordSaleSent(sale: { gatePaymentId: string; sessionId: string; amount: number; currency: string; rail?: string }): Promise<void>
  findSale(gatePaymentId: string): Promise<LedgerSale | undefined>
  /** A payment's refunds, oldest first. */
  refundsOf(gatePaymentId: string): Promise<LedgerRefund[]>
  /** The same for many payments in one query (lists), keyed by Gate payment id. */
  refundsOfPayments(gatePaymentIds: string[]): Promise<Map<string, LedgerRefund[]>>
  /**
   * Runs `work` holding the payment's refund lock (one holder at a time across every instance; PostgreSQL advisory
   * lock in production). The ledger handed to `work` reads and writes inside the lock: what a refund may still take
   * is computed and its row written as one step. Nothing slow (no Gate call) belongs inside.
   */
  withRefundLock<T>(gatePaymentId: string, work: (ledger: Ledger) => Promise<T>): Promise<T>
  /**
   * Writes a refund row under our merchant key before the refund is sent (its unique key is the idempotency guard).
   * Returns the row already there when the key was used before.
   */
  reserveRefund(refund: NewRefund): Promise<{ created: boolean; refund: LedgerRefund }>
  /** Records Gate's answer to a refund we sent: ids are added, a final status is never overwritten. */
  settleRefund(merchantKey: string, result: RefundResult): Promise<void>
  /** Medusa deleted the refund (Gate refused it at once): the row no longer stands for a Medusa refund. */
  detachMedusaRefund(merchantKey: string): Promise<void>
  /** The admin's decision on a Medusa refund Gate declined, on every row of that refund. */
  resolveMedusaRefund(medusaRefundId: string, resolution: string): Promise<void>
  /** A refund made outside Medusa: claims recording it into Medusa (false while another process holds the claim). */
  claimOutsideRefund(rowId: string): Promise<boolean>
  /**
   * Ties a Gate refund first heard of from Gate to the Medusa refund it is: the one recording it (origin "outside"),
   * or a Medusa refund the ledger had no row for, whose Gate refund it turned out to be ("medusa"). False when the
   * row already has one.
   */
  attachOutsideRefund(rowId: string, medusaRefundId: string, medusaAmount: string, origin?: "outside" | "medusa"): Promise<boolean>
  releaseOutsideRefund(rowId: string): Promise<void>
  /**
   * A declined sale now reported paid by trusted news (a signed callback, or the backend's API): moved to success,
   * because the money is real. Either we declined it ourselves (its Payment Page looked never paid, code 3061), or
   * the backend reported a failed attempt and the shopper then paid under the same reference (Flutterwave's hosted
   * page lets a shopper try again). False when the sale is not declined.
   */
  reopenDeclinedSale(gatePaymentId: string): Promise<boolean>
  /** One more failed attempt at placing the order for a paid sale; returns the count so far. */
  countCompletionAttempt(gatePaymentId: string): Promise<number>
  /** Whether Gate may be asked about this sale now: true at most once per `intervalMs` (claimed in SQL, all instances). */
  claimStatusCheck(gatePaymentId: string, intervalMs: number): Promise<boolean>
}

export type AttentionKind =
  | "held_callback"
  | "orphan_payment"
  | "completion_failed"
  | "refund_failed"
  | "payout_held"
  /** A Medusa refund Gate declined after accepting it: Medusa shows it, the shopper has not got the money. */
  | "refund_declined"
  /** A refund made outside Medusa that could not be recorded into Medusa (Medusa refused it). */
  | "outside_refund_unrecorded"

export type NewAttention = {
  kind: AttentionKind
  gatePaymentId: string
  sessionId?: string | null
  cartId?: string | null
  orderId?: string | null
  amount: number
  currency: string
  code?: string | null
  message: string
  refundKey?: string | null
  /** What within the payment the item is about (a Medusa refund id, a Gate operation id); one item per subject. */
  subject?: string
}

export interface AttentionBoard {
  /** Raises an item once per (kind, payment, subject); the admin is notified the first time only. */
  raise(item: NewAttention): Promise<{ created: boolean }>
  /** Closes an item (an action took care of it). */
  resolve(kind: AttentionKind, gatePaymentId: string, resolution: string, by?: string, subject?: string): Promise<void>
}

/** The part of a payment rail that refunds use: send a refund under our key, and look a payment up. */
export type RefundRail = Pick<PaymentRail, "refund" | "lookup">
