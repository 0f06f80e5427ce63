/**
 * The key under which a refund made outside Medusa travels through Medusa's refund workflow, in the new refund's
 * metadata (value: the ledger row's id). The provider reads it, ties Medusa's refund to the row, and does not send
 * the refund to Gate again. A module of its own so that the provider and the wiring share it without importing each
 * other.
 */
export const OUTSIDE_REFUND_MARKER = "flutterwave_outside_refund"
