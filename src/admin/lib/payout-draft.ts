import { isPositiveDecimal } from "./decimal"
import type { Bank, CreatePayoutBody } from "./types"

/** What the admin has typed in the "New payout" drawer so far. */
export type PayoutDraft = {
  currency: string
  bank: Bank | null
  amount: string
  accountNumber: string
  description: string
}

export type PayoutDraftErrors = Partial<Record<"currency" | "bank" | "amount" | "accountNumber", string>>

export const emptyDraft = (currency = ""): PayoutDraft => ({
  currency,
  bank: null,
  amount: "",
  accountNumber: "",
  description: "",
})

/** The account number as the API stores it: spaces and dashes removed (the same normalisation the API applies). */
export function normalizeAccountNumber(value: string): string {
  return value.replace(/[\s-]/g, "")
}

/** Only what the browser can tell for sure; limits, decimals and lengths are the API's to judge. */
export function validateDraft(draft: PayoutDraft): PayoutDraftErrors {
  const errors: PayoutDraftErrors = {}
  if (!draft.currency) errors.currency = "Choose a currency"
  if (!draft.bank) errors.bank = "Choose the recipient's bank"
  const amount = draft.amount.trim()
  if (!amount) errors.amount = "Enter an amount"
  else if (!isPositiveDecimal(amount)) errors.amount = "Enter a positive amount in major units, e.g. 500.00"
  const account = normalizeAccountNumber(draft.accountNumber)
  if (!account) errors.accountNumber = "Enter the account number"
  else if (!/^\d+$/.test(account)) errors.accountNumber = "Account numbers contain digits only"
  return errors
}

/** Exactly the body POSTed to /admin/flutterwave/payouts; the review step shows this object. */
export function toCreatePayoutBody(draft: PayoutDraft, idempotencyKey: string): CreatePayoutBody {
  const description = draft.description.trim()
  return {
    amount: draft.amount.trim(),
    currency_code: draft.currency,
    bank_id: draft.bank?.id ?? "",
    account_number: normalizeAccountNumber(draft.accountNumber),
    ...(description ? { description } : {}),
    idempotency_key: idempotencyKey,
  }
}
