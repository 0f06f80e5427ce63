import { describeGateCode } from "./flutterwave"
import { operationOutcome, paymentOutcome } from "./status"
import type { GateOperation, GateStatusResult, GateSum } from "./types"

/**
 * From Gate's view of a sale (a status answer) to what the store needs to know. Statuses are classified by the one
 * table in ./status.
 */
export type SaleVerdict =
  | { state: "success"; operation: GateOperation }
  | { state: "decline"; operation?: GateOperation; code?: string; message: string }
  | { state: "pending"; operation?: GateOperation }
  | { state: "mismatch"; operation: GateOperation; message: string }

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
  const outcome = sale ? operationOutcome(sale.status) : paymentOutcome(status.payment.status)
  // A paid payment without its sale operation in the answer is not enough to place an order: wait for the details.
  if (outcome === "success") return sale ? { state: "success", operation: sale } : { state: "pending" }
  if (outcome === "decline" || paymentOutcome(status.payment.status) === "decline") {
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
