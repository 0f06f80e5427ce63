/**
 * Display helpers. Amounts arrive as exact decimal strings in major units and are shown as given:
 * no float arithmetic ever touches them.
 */

export function formatMoney(amount: string, currency: string): string {
  return `${amount} ${currency.toUpperCase()}`
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" })

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "-"
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? value : dateTimeFormat.format(date)
}

export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === "" ? "-" : String(value)
}
