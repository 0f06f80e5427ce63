import type { GateAccepted, GateStatusResult, RefundRequest, StatusBudget } from "../gate"
import type { Outcome } from "../gate/status"

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

export type LedgerRefund = {
  gatePaymentId: string
  merchantKey: string | null
  gateOperationId: string | null
  requestId: string | null
  amount: number
  currency: string
  status: Outcome
  code: string | null
  message: string | null
}

export interface Ledger {
  /** Records a sale about to be sent. Idempotent: a second call for the same payment changes nothing. */
  recordSaleSent(sale: { gatePaymentId: string; sessionId: string; amount: number; currency: string }): Promise<void>
  findSale(gatePaymentId: string): Promise<LedgerSale | undefined>
  refundsOf(gatePaymentId: string): Promise<LedgerRefund[]>
  /** The same for many payments in one query (lists), keyed by Gate payment id. */
  refundsOfPayments(gatePaymentIds: string[]): Promise<Map<string, LedgerRefund[]>>
  /**
   * Writes a refund row under our merchant key before the refund is sent (its unique key is the idempotency guard).
   * Returns the row already there when the key was used before.
   */
  reserveRefund(refund: { gatePaymentId: string; merchantKey: string; amount: number; currency: string }): Promise<{
    created: boolean
    refund: LedgerRefund
  }>
  /** Records Gate's answer to a refund we sent: a final status is never overwritten. */
  settleRefund(merchantKey: string, result: { status: Outcome; requestId?: string; code?: string; message?: string }): Promise<void>
  /** One more failed attempt at placing the order for a paid sale; returns the count so far. */
  countCompletionAttempt(gatePaymentId: string): Promise<number>
  /** Whether Gate may be asked about this sale now: true at most once per `intervalMs` (claimed in SQL, all instances). */
  claimStatusCheck(gatePaymentId: string, intervalMs: number): Promise<boolean>
}

export type AttentionKind = "held_callback" | "orphan_payment" | "completion_failed" | "refund_failed" | "payout_held"

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
}

export interface AttentionBoard {
  /** Raises an item once per (kind, payment); the admin is notified the first time only. */
  raise(item: NewAttention): Promise<{ created: boolean }>
  /** Closes an item (an action took care of it). */
  resolve(kind: AttentionKind, gatePaymentId: string, resolution: string, by?: string): Promise<void>
}

/** The part of Gate's client settlement uses. */
export interface GatePort {
  status(paymentId: string, budget?: StatusBudget): Promise<GateStatusResult>
  refund(request: RefundRequest): Promise<GateAccepted>
}
