/**
 * The one table of Gate statuses. Every part of the plugin that asks "is this final, and which way?" (callbacks,
 * the provider, the shopper's status route, reconciliation) asks here, so they can never disagree again (review #19:
 * `cancelled` used to be a decline in one place and pending in another).
 *
 * Sources: gate-api.md "Payment statuses" and "Operation statuses". ECommPay's own plugins treat cancelled as failed.
 */
export type Outcome = "pending" | "success" | "decline"

/** Operation statuses (sale, refund, payout) that end the operation, and which way. */
const OPERATION_OUTCOMES: Record<string, Outcome> = {
  success: "success",
  decline: "decline",
  expired: "decline",
  "internal error": "decline",
  "external error": "decline",
  cancelled: "decline",
  canceled: "decline",
  // processing, external processing, awaiting redirect result, awaiting customer, … : still moving
}

/** Payment statuses: the same verdicts, plus the refund states after which the sale itself still stands as paid. */
const PAYMENT_OUTCOMES: Record<string, Outcome> = {
  ...OPERATION_OUTCOMES,
  refunded: "success",
  "partially refunded": "success",
}

export function operationOutcome(status: string | undefined | null): Outcome {
  return (status && OPERATION_OUTCOMES[status.toLowerCase()]) || "pending"
}

export function paymentOutcome(status: string | undefined | null): Outcome {
  return (status && PAYMENT_OUTCOMES[status.toLowerCase()]) || "pending"
}

/** Whether Gate may still change this status (for reports: "still pending"). */
export function isStillMoving(status: string | undefined | null): boolean {
  return operationOutcome(status) === "pending" && paymentOutcome(status) === "pending"
}
