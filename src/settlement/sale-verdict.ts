import type { Money, RailOperation, RailPayment } from "../rails/rail"

/**
 * From a rail's view of a sale (a lookup) to what the store needs to know: paid, declined, still waiting, or a sum
 * other than the one we asked for (held, never an order).
 */
export type SaleVerdict =
  | { state: "success"; operation: RailOperation }
  | { state: "decline"; operation?: RailOperation; code?: string; message: string }
  | { state: "pending"; operation?: RailOperation }
  | { state: "mismatch"; operation: RailOperation; message: string }

export function saleVerdict(payment: RailPayment, expected: Money): SaleVerdict {
  const sale = payment.operations.find((op) => op.type === "sale")
  if (sale?.amount && !sameSum(sale.amount, expected)) {
    return {
      state: "mismatch",
      operation: sale,
      message:
        `Gate reports ${sale.amount.amount} ${sale.amount.currency} (minor units) for this sale, ` +
        `but the store asked for ${expected.amount} ${expected.currency}`,
    }
  }
  const outcome = sale ? sale.outcome : payment.outcome
  // A paid payment without its sale operation in the answer is not enough to place an order: wait for the details.
  if (outcome === "success") return sale ? { state: "success", operation: sale } : { state: "pending" }
  if (outcome === "decline" || payment.outcome === "decline") {
    const code = sale?.code ?? payment.code
    return { state: "decline", operation: sale, code, message: sale?.message ?? payment.message ?? "Declined" }
  }
  return { state: "pending", operation: sale }
}

export function sameSum(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency.toUpperCase() === b.currency.toUpperCase()
}

/** "Flutterwave declined the payment: Insufficient funds on customer account (code 20105)". */
export function declineMessage(what: string, message: string, code?: string): string {
  return `Flutterwave declined the ${what}: ${message}${code && code !== "0" ? ` (code ${code})` : ""}`
}
