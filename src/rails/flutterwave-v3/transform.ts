import { fromMinorUnits, normalizeCurrency, toMinorUnits } from "../../money"
import type { Money, RailOperation, RailOutcome, RailPayment } from "../rail"
import type { MajorAmount, V3Refund, V3Transaction, V3Transfer } from "./types"

/**
 * Flutterwave v3's answers in neutral terms (../rail.ts), here and nowhere else: where real Flutterwave answers
 * differently from docs/flutterwave-v3-wire.md, this is the one file to change. Amounts become minor units through
 * src/money only; nothing here guesses an outcome it was not told (an unfamiliar status word is `pending`, never
 * final).
 */

/** Minor units → the JSON number Flutterwave takes (150050 NGN → 1500.5), through money's exact decimal text. */
export function toMajorAmount(money: Money): number {
  return Number(fromMinorUnits(money.amount, money.currency))
}

/** Flutterwave's major-unit amount → minor units (1500.5 NGN → 150050), exactly; a sub-minor fraction throws. */
export function toMoney(amount: MajorAmount, currency: string): Money {
  const code = normalizeCurrency(currency)
  return { amount: toMinorUnits(String(amount), code), currency: code }
}

export function transactionOutcome(status: string): RailOutcome {
  switch (status.toLowerCase()) {
    case "successful":
      return "success"
    case "failed":
      return "decline"
    default:
      return "pending"
  }
}

/** `pending` → pending; `completed`, `completed-…` → success; `failed`, `disburse failed` → decline. */
export function refundOutcome(status: string): RailOutcome {
  const word = status.toLowerCase().trim()
  if (word === "completed" || word.startsWith("completed-")) return "success"
  if (word === "failed" || word === "disburse failed") return "decline"
  return "pending"
}

/** `NEW`, `PENDING` → pending; `SUCCESSFUL` → success; `FAILED` → decline. */
export function transferOutcome(status: string): RailOutcome {
  switch (status.toUpperCase()) {
    case "SUCCESSFUL":
      return "success"
    case "FAILED":
      return "decline"
    default:
      return "pending"
  }
}

/**
 * v3 refunds take no idempotency key, so ours travels at the end of the refund's comments, and comes back out of
 * them when the refunds are listed.
 */
const MERCHANT_KEY_MARK = " · ref "

export function refundComments(description: string, merchantKey: string): string {
  return `${description}${MERCHANT_KEY_MARK}${merchantKey}`
}

/** The merchant key a refund's comments carry (refundComments), or undefined for refunds made elsewhere. */
export function merchantKeyFromComments(comments: string | undefined): string | undefined {
  if (!comments) return undefined
  const at = comments.lastIndexOf(MERCHANT_KEY_MARK)
  if (at < 0) return undefined
  const key = comments.slice(at + MERCHANT_KEY_MARK.length).trim()
  return key === "" ? undefined : key
}

/** A v3 decline's code: the status word as a code ("failed", "disburse_failed"), never empty. */
function declineCode(status: string): string {
  const code = status.trim().toLowerCase().replace(/\s+/g, "_")
  return code === "" ? "failed" : code
}

/**
 * A transaction (verify_by_reference) and its refunds as one purchase: the sale, then each refund. `amount` is what
 * the payment holds now: the sale less its successful refunds (pending ones have not moved money yet).
 */
export function transactionToRailPayment(transaction: V3Transaction, refunds: V3Refund[] = []): RailPayment {
  const saleAmount = toMoney(transaction.amount, transaction.currency)
  const outcome = transactionOutcome(transaction.status)
  const declined = outcome === "decline"
  const code = declined ? declineCode(transaction.status) : undefined
  const message = declined ? transaction.processor_response?.trim() || "Flutterwave reports the payment failed" : undefined
  const sale: RailOperation = {
    id: String(transaction.id),
    type: "sale",
    outcome,
    status: transaction.status,
    amount: saleAmount,
    ...(code ? { code } : {}),
    ...(message ? { message } : {}),
  }
  const refundOperations = refunds.map((refund) => refundToRailOperation(refund, saleAmount.currency))
  const refunded = refundOperations
    .filter((operation) => operation.outcome === "success")
    .reduce((sum, operation) => sum + (operation.amount?.amount ?? 0), 0)
  if (refunded > saleAmount.amount) {
    throw new RangeError(`transaction ${transaction.id}: its successful refunds (${refunded}) exceed the sale (${saleAmount.amount})`)
  }
  return {
    paymentRef: transaction.tx_ref,
    kind: "purchase",
    outcome,
    status: transaction.status,
    ...(code ? { code } : {}),
    ...(message ? { message } : {}),
    amount: { amount: saleAmount.amount - refunded, currency: saleAmount.currency },
    operations: [sale, ...refundOperations],
  }
}

/** One refund of a transaction in `currency` (v3 refunds carry no currency of their own: the transaction's). */
export function refundToRailOperation(refund: V3Refund, currency: string): RailOperation {
  const outcome = refundOutcome(refund.status)
  const requestId = merchantKeyFromComments(refund.comments)
  return {
    id: String(refund.id),
    type: "refund",
    outcome,
    status: refund.status,
    amount: toMoney(refund.amount_refunded, currency),
    ...(requestId ? { requestId } : {}),
    ...(outcome === "decline"
      ? { code: declineCode(refund.status), message: `Flutterwave could not complete the refund (status "${refund.status}")` }
      : {}),
  }
}

/** A transfer as a payout: one `payout` operation, named by our reference. */
export function transferToRailPayment(transfer: V3Transfer): RailPayment {
  const amount = toMoney(transfer.amount, transfer.currency)
  const outcome = transferOutcome(transfer.status)
  const declined = outcome === "decline"
  const code = declined ? declineCode(transfer.status) : undefined
  const message = declined ? transfer.complete_message?.trim() || "Flutterwave reports the transfer failed" : undefined
  const detail = { ...(code ? { code } : {}), ...(message ? { message } : {}) }
  return {
    paymentRef: transfer.reference,
    kind: "payout",
    outcome,
    status: transfer.status,
    ...detail,
    amount,
    operations: [{ id: String(transfer.id), type: "payout", outcome, status: transfer.status, amount, requestId: transfer.reference, ...detail }],
  }
}

/**
 * The transfer a reference names when several carry it (a retried transfer): the successful one, else one still in
 * flight (it may yet succeed), else the latest. The same rule verify_by_reference follows for transactions.
 */
export function pickTransfer(transfers: V3Transfer[]): V3Transfer | undefined {
  const latestFirst = [...transfers].sort((a, b) => b.id - a.id)
  return (
    latestFirst.find((transfer) => transferOutcome(transfer.status) === "success") ??
    latestFirst.find((transfer) => transferOutcome(transfer.status) === "pending") ??
    latestFirst[0]
  )
}
