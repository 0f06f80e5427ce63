import { fromMinorUnits, isSupportedCurrency } from "../../../rails/ecommpay"

/** What the admin API returns: amounts as exact major-unit decimal strings, account numbers masked. */

type Row = Record<string, unknown> & { id: string }

export function maskAccountNumber(number: string): string {
  const digits = String(number)
  return digits.length <= 4 ? digits : `${"*".repeat(digits.length - 4)}${digits.slice(-4)}`
}

export function majorAmount(minor: unknown, currency: string): string {
  const value = Number(minor)
  return isSupportedCurrency(currency) && Number.isSafeInteger(value) ? fromMinorUnits(value, currency) : String(minor)
}

export function toPayoutDTO(row: Row) {
  const currency = String(row.currency_code)
  return {
    id: row.id,
    gate_payment_id: row.gate_payment_id,
    bank_id: row.bank_id,
    bank_name: row.bank_name,
    account_number_masked: maskAccountNumber(String(row.account_number)),
    amount: majorAmount(row.amount, currency),
    amount_minor: Number(row.amount),
    currency_code: currency,
    description: row.description ?? null,
    status: row.status,
    code: row.code ?? null,
    message: row.message ?? null,
    created_by: row.created_by ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

export function toOperationDTO(row: Row) {
  const currency = String(row.currency_code)
  return {
    id: row.id,
    kind: row.kind,
    gate_operation_id: row.gate_operation_id ?? null,
    status: row.status,
    code: row.code ?? null,
    message: row.message ?? null,
    amount: majorAmount(row.amount, currency),
    currency_code: currency,
    source: row.source,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}
