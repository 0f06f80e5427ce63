import { describeGateCode, type GateOperation, type GateStatusResult, type GateSum } from "../gate"

/**
 * One table from Gate's view of a sale to what Medusa needs to know. Used by the provider (authorize, status),
 * the callback handler and reconciliation, so they can never disagree.
 */
export type SaleVerdict =
  | { state: "success"; operation: GateOperation }
  | { state: "decline"; operation?: GateOperation; code?: string; message: string }
  | { state: "pending"; operation?: GateOperation }
  | { state: "mismatch"; operation: GateOperation; message: string }

/** Payment statuses after which the sale itself stands as paid. */
const PAID_STATUSES = new Set(["success", "refunded", "partially refunded"])
/** Payment statuses that end a sale unpaid (ECommPay's own plugins treat these as failed). */
const FAILED_STATUSES = new Set(["decline", "expired", "internal error", "external error", "cancelled", "canceled"])

export function saleVerdict(status: Pick<GateStatusResult, "payment" | "operations" | "errors">, expected: GateSum): SaleVerdict {
  const sale = status.operations.find((op) => op.type === "sale")
  if (sale?.sumInitial && !sameSum(sale.sumInitial, expected)) {
    return {
      state: "mismatch",
      operation: sale,
      message:
        `Gate reports ${sale.sumInitial.amount} ${sale.sumInitial.currency} (minor units) for this sale, ` +
        `but the store asked for ${expected.amount} ${expected.currency}`,
    }
  }
  if (sale?.status === "success" || (!sale && PAID_STATUSES.has(status.payment.status))) {
    return sale ? { state: "success", operation: sale } : { state: "pending" }
  }
  if (sale?.status === "decline" || FAILED_STATUSES.has(status.payment.status)) {
    const code = sale?.code ?? status.errors[0]?.code
    const message = sale?.message ?? status.errors[0]?.message ?? describeGateCode(code) ?? "Declined"
    return { state: "decline", operation: sale, code, message }
  }
  return { state: "pending", operation: sale }
}

export function sameSum(a: GateSum, b: GateSum): boolean {
  return a.amount === b.amount && a.currency.toUpperCase() === b.currency.toUpperCase()
}

/** "Flutterwave declined the payment: Insufficient funds on customer account (code 20105)". */
export function declineMessage(what: string, message: string, code?: string): string {
  return `Flutterwave declined the ${what}: ${message}${code && code !== "0" ? ` (code ${code})` : ""}`
}
