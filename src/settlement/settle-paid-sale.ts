import type { AttentionBoard, Ledger, LedgerSale } from "./ports"
import type { OrphanRefund } from "./refund-orphan-payment"

/** Where a paid sale can go in Medusa. */
export type Placement =
  /** The session is live and its cart has no order from another payment: place the order. */
  | { state: "live"; cartId?: string }
  /** Medusa deleted the session (cart changed, or the storefront started a new session). */
  | { state: "gone" }
  /** The session's cart already became an order through another payment. */
  | { state: "paid_elsewhere"; cartId: string; orderId: string }

/** What Medusa holds about a paid sale's session, however it was read (one SQL statement, or Medusa's modules). */
export type PlacementFacts = {
  /** The session is there (not soft-deleted) and is a Flutterwave one. */
  sessionLive: boolean
  cartId?: string
  /** The order the session's cart became, if it did. */
  orderId?: string
  /** The session has a payment Medusa has not cancelled. */
  ownPaymentLive: boolean
}

/** Where a paid sale can go: the one rule, for every way of reading Medusa's state. */
export function placementFrom(facts: PlacementFacts): Placement {
  if (!facts.sessionLive) return { state: "gone" }
  if (!facts.cartId || !facts.orderId) return { state: "live", cartId: facts.cartId }
  // The cart is an order: through this session (repeated news: completing again is harmless) or another payment.
  if (facts.ownPaymentLive) return { state: "live", cartId: facts.cartId }
  return { state: "paid_elsewhere", cartId: facts.cartId, orderId: facts.orderId }
}

export type Completion =
  | { ok: true; orderId?: string }
  /**
   * `permanent`: the order cannot be created from this cart (stock gone, promotion used up, shipping option gone),
   * or Medusa's rollback already gave the payment up (cancelled or refunded it). Otherwise it may work next time.
   */
  | { ok: false; permanent: boolean; message: string; cartId?: string }

export type SettlePaidSaleDeps = {
  ledger: Ledger
  attention: AttentionBoard
  placement(sessionId: string): Promise<Placement>
  /** `cartId`: the session's cart when the placement already knows it (saves looking it up). */
  completeOrder(sessionId: string, amount: number, currency: string, cartId?: string): Promise<Completion>
  refundOrphan(sale: LedgerSale): Promise<OrphanRefund>
  options: { refundOrphanPayments: boolean; maxCompletionAttempts: number }
  log: { warn(message: string): void; error(message: string): void }
}

export type PaidSaleOutcome =
  | { outcome: "order"; orderId?: string }
  /** No order will take it: refunded at Gate (or left for the admin's review); the admin is told either way. */
  | { outcome: "orphan"; reason: string; refund?: OrphanRefund }
  /** Placing the order keeps failing for a reason that may pass: handed to the admin after the bounded attempts. */
  | { outcome: "attention"; reason: string }
  /** Placing the order failed this time; ask the sender to deliver the news again. */
  | { outcome: "retry"; reason: string }

/**
 * Every paid sale ends in exactly one order or a full refund. This decides which, for a sale Gate reports paid:
 * - its session is live → the order is placed (Medusa's completion is idempotent: repeated news changes nothing);
 * - its session is gone, or its cart became an order through another payment → an orphan payment;
 * - placing the order fails for good (or Medusa's rollback gave the payment up) → an orphan payment;
 * - placing it fails for another reason → retried by the sender, at most `maxCompletionAttempts` times, then the admin.
 * An orphan payment is refunded in full at Gate by default (`refundOrphanPayments`), and always shown to the admin.
 */
export async function settlePaidSale(deps: SettlePaidSaleDeps, sale: LedgerSale): Promise<PaidSaleOutcome> {
  if (!sale.sessionId) return orphan(deps, sale, "the sale has no Medusa payment session")
  const placement = await deps.placement(sale.sessionId)
  if (placement.state === "gone") {
    return orphan(deps, sale, "the shopper paid a Flutterwave page whose Medusa payment session had been replaced (the cart changed or a new session was started)")
  }
  if (placement.state === "paid_elsewhere") {
    return orphan(deps, sale, `the cart had already become order ${placement.orderId} through another payment`, {
      cartId: placement.cartId,
      orderId: placement.orderId,
    })
  }

  const completion = await deps.completeOrder(sale.sessionId, sale.amount, sale.currency, placement.cartId)
  if (completion.ok) return { outcome: "order", orderId: completion.orderId }

  const attempts = await deps.ledger.countCompletionAttempt(sale.gatePaymentId)
  if (completion.permanent) {
    return orphan(deps, sale, `the order could not be placed: ${completion.message}`, { cartId: completion.cartId ?? placement.cartId })
  }
  if (attempts < deps.options.maxCompletionAttempts) {
    deps.log.warn(`flutterwave: placing the order for paid sale ${sale.gatePaymentId} failed (attempt ${attempts}): ${completion.message}`)
    return { outcome: "retry", reason: completion.message }
  }
  const reason = `placing the order failed ${attempts} times; last error: ${completion.message}`
  await deps.attention.raise({
    kind: "completion_failed",
    gatePaymentId: sale.gatePaymentId,
    sessionId: sale.sessionId,
    cartId: completion.cartId ?? placement.cartId ?? null,
    amount: sale.amount,
    currency: sale.currency,
    message: `Paid at Flutterwave, but ${reason}. Retry placing the order, or refund at Gate.`,
  })
  deps.log.error(`flutterwave: paid sale ${sale.gatePaymentId} handed to the admin: ${reason}`)
  return { outcome: "attention", reason }
}

async function orphan(
  deps: SettlePaidSaleDeps,
  sale: LedgerSale,
  reason: string,
  where: { cartId?: string; orderId?: string } = {}
): Promise<PaidSaleOutcome> {
  const base = {
    kind: "orphan_payment" as const,
    gatePaymentId: sale.gatePaymentId,
    sessionId: sale.sessionId,
    cartId: where.cartId ?? null,
    orderId: where.orderId ?? null,
    amount: sale.amount,
    currency: sale.currency,
  }
  if (!deps.options.refundOrphanPayments) {
    await deps.attention.raise({ ...base, message: `Paid, but no order will take it: ${reason}. Automatic refunds are off: review it and refund at Gate.` })
    deps.log.error(`flutterwave: orphan payment ${sale.gatePaymentId} left for review: ${reason}`)
    return { outcome: "orphan", reason }
  }
  const refund = await deps.refundOrphan(sale)
  if (refund.status === "not_paid" && refund.gateStatus === "not found") {
    // We were told it is paid, yet Gate has no record of it yet (its records lag its callbacks): ask for the news
    // again rather than close it; nothing was sent.
    return { outcome: "retry", reason: `Gate has no record of the paid sale ${sale.gatePaymentId} yet` }
  }
  const refundNote =
    refund.status === "nothing_left"
      ? "Gate already holds refunds for the whole amount (Medusa's rollback refunded it)"
      : refund.status === "not_paid"
        ? `Gate does not report it paid (${refund.gateStatus})`
        : refund.status === "decline"
          ? `the automatic refund was refused by Gate: ${refund.message}${refund.code ? ` (code ${refund.code})` : ""}`
          : `refunded in full at Gate automatically (${refund.merchantKey})`
  await deps.attention.raise({
    ...base,
    code: refund.status === "decline" ? (refund.code ?? null) : null,
    message: `Paid, but no order will take it: ${reason}. ${refundNote[0].toUpperCase()}${refundNote.slice(1)}.`,
    refundKey: "merchantKey" in refund ? refund.merchantKey : null,
  })
  if (refund.status === "decline") {
    deps.log.error(`flutterwave: orphan payment ${sale.gatePaymentId}: ${refundNote}`)
  } else {
    deps.log.warn(`flutterwave: orphan payment ${sale.gatePaymentId}: ${reason}; ${refundNote}`)
  }
  return { outcome: "orphan", reason, refund }
}
