import { fromMinorUnits, isSupportedCurrency, MoneyError } from "../../money"

/**
 * The operations export as CSV (RFC 4180): comma-separated, CRLF line ends, a field quoted when it holds a quote, a
 * comma, CR or LF, with quotes inside doubled. Text is UTF-8 (the HTTP layer encodes it); no byte-order mark.
 *
 * Spreadsheet formula guard: a text cell starting with =, +, -, @, TAB or CR would run as a formula in Excel, LibreOffice
 * or Google Sheets (a Gate message or a merchant key is outside text), so it is written with a leading apostrophe
 * (`'=1+1`), as OWASP recommends. Amount cells are our own exact decimals, never guarded.
 */

/** The columns, in order. */
export const OPERATION_CSV_COLUMNS = [
  "created_at",
  "id",
  "kind",
  "rail",
  "status",
  "amount",
  "currency_code",
  "amount_minor",
  "gate_code",
  "gate_message",
  "gate_payment_id",
  "gate_operation_id",
  "merchant_key",
  "order_id",
  "source",
  "updated_at",
] as const

/** One ledger operation as the report reads it: amounts in minor units as integer text, times as ISO-8601 UTC text. */
export type OperationRecord = {
  id: string
  kind: string
  rail: string
  status: string
  /** Minor units, integer text (exact, whatever its size). */
  amount_minor: string
  currency_code: string
  code: string | null
  message: string | null
  gate_payment_id: string
  gate_operation_id: string | null
  merchant_key: string | null
  source: string
  order_id: string | null
  created_at: string
  updated_at: string
}

const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]/

/** One RFC 4180 field. `guard` (the default) neutralises spreadsheet formulas; null and undefined are empty. */
export function csvField(value: string | number | null | undefined, guard = true): string {
  if (value === null || value === undefined) return ""
  let text = String(value)
  if (guard && FORMULA_START.test(text)) text = `'${text}`
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One record: fields joined by commas, ended by CRLF. */
export function csvLine(fields: string[]): string {
  return `${fields.join(",")}\r\n`
}

export const OPERATION_CSV_HEADER = csvLine(OPERATION_CSV_COLUMNS.map((column) => csvField(column)))

/**
 * Minor units (integer text) → exact major-unit decimal text for the currency ("150050" NGN → "1500.50", "12345" UGX →
 * "12345"), by string arithmetic only. A currency outside the plugin's table, or a value that is not an integer, gives
 * "" (nothing is guessed, and minor units never pass for major ones); `amount_minor` still carries the raw value.
 */
export function minorToMajor(minor: string | number | bigint, currency: string): string {
  if (!isSupportedCurrency(currency)) return ""
  try {
    return fromMinorUnits(minor, currency)
  } catch (error) {
    if (error instanceof MoneyError) return ""
    throw error
  }
}

export function operationCsvLine(row: OperationRecord): string {
  const currency = row.currency_code.toUpperCase()
  return csvLine([
    csvField(row.created_at),
    csvField(row.id),
    csvField(row.kind),
    csvField(row.rail),
    csvField(row.status),
    csvField(minorToMajor(row.amount_minor, currency), false),
    csvField(currency),
    csvField(row.amount_minor, false),
    csvField(row.code),
    csvField(row.message),
    csvField(row.gate_payment_id),
    csvField(row.gate_operation_id),
    csvField(row.merchant_key),
    csvField(row.order_id),
    csvField(row.source),
    csvField(row.updated_at),
  ])
}

/** The export's file name: the date range it covers ("all" for an open end). */
export function exportFileName(from: string | undefined, to: string | undefined): string {
  return `flutterwave-operations_${from ?? "all"}_${to ?? "all"}.csv`
}
