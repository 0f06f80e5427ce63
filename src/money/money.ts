/**
 * Money for the whole plugin: the currencies we support, their exponents, minor ⇄ major conversion and THE rounding
 * rule. Amounts cross the Gate boundary as integers in the currency's minor unit. Conversion works on decimal text
 * and bigint, never on floating-point arithmetic, so 1500.50 NGN is 150050 kobo exactly, every time.
 *
 * This folder imports nothing: every other layer imports its money facts from here.
 */

/**
 * ISO 4217 exponents as Gate expects them for the Flutterwave method. This table, not Medusa's currency data,
 * decides what Gate receives: Medusa gives TZS zero decimals, ISO 4217 and ECommPay give it two.
 */
export const CURRENCY_EXPONENTS = Object.freeze({
  GHS: 2,
  KES: 2,
  NGN: 2,
  TZS: 2,
  UGX: 0,
  USD: 2,
  ZAR: 2,
} as const)

export type GateCurrency = keyof typeof CURRENCY_EXPONENTS

/**
 * Decimals a payment or refund is charged in: min(Medusa's display decimals, Gate's exponent).
 *
 * Medusa does not round cart totals (7.5 % VAT on 1,001.00 NGN is 1076.075; 10 % off 33.33 is 29.997), but the
 * shopper sees Medusa's total rounded to the currency's display decimals (`defaultCurrencies[code].decimal_digits`),
 * and we charge exactly what is shown. Medusa shows TZS and UGX with no decimals, so 3538.82 TZS is charged as
 * 3,539 TZS (353900 in Gate's two-decimal TZS units), never as 3,538.82.
 */
export const CHARGE_DECIMALS = Object.freeze({
  GHS: 2,
  KES: 2,
  NGN: 2,
  TZS: 0,
  UGX: 0,
  USD: 2,
  ZAR: 2,
} as const satisfies Record<GateCurrency, number>)

export const SUPPORTED_CURRENCIES = Object.freeze(Object.keys(CURRENCY_EXPONENTS) as GateCurrency[])

export type MoneyErrorCode = "UNSUPPORTED_CURRENCY" | "SUB_MINOR_PRECISION" | "INVALID_AMOUNT"

export class MoneyError extends Error {
  readonly code: MoneyErrorCode
  constructor(code: MoneyErrorCode, message: string) {
    super(message)
    this.name = "MoneyError"
    this.code = code
  }
}

/**
 * What Medusa hands us as an amount: a number (initiatePayment), a numeric string, a raw BigNumber value
 * `{ value, precision }` (refundPayment), or a BigNumber instance (`{ raw: { value } }`, or anything whose
 * toString() is the exact decimal, like bignumber.js).
 */
export type AmountInput =
  | number
  | string
  | bigint
  | { value: string | number; precision?: number }
  | { raw: { value: string | number } }
  | { toString(): string }

export function isSupportedCurrency(currency: string): currency is GateCurrency {
  return Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENTS, currency.toUpperCase())
}

/** Upper-case ISO code of a supported currency, or a MoneyError naming the ones we support. */
export function normalizeCurrency(currency: string): GateCurrency {
  if (typeof currency !== "string" || !isSupportedCurrency(currency)) {
    throw new MoneyError(
      "UNSUPPORTED_CURRENCY",
      `Currency "${String(currency)}" is not supported by Flutterwave; use one of ${SUPPORTED_CURRENCIES.join(", ")}`
    )
  }
  return currency.toUpperCase() as GateCurrency
}

export function currencyExponent(currency: string): number {
  return CURRENCY_EXPONENTS[normalizeCurrency(currency)]
}

/**
 * Major units (1500.5 NGN) → Gate minor units (150050). Strict: rejects fractions below the minor unit instead of
 * rounding, for amounts an admin types (payouts). Medusa-computed totals and refunds go through
 * cartTotalToMinorUnits / refundSliceToMinorUnits instead.
 */
export function toMinorUnits(amount: AmountInput, currency: string): number {
  const exponent = currencyExponent(currency)
  const { negative, whole, fraction } = parseDecimal(amountToDecimalText(amount))
  if (negative) {
    throw new MoneyError("INVALID_AMOUNT", `Amount must not be negative (got -${whole}.${fraction})`)
  }
  const significantFraction = fraction.replace(/0+$/, "")
  if (significantFraction.length > exponent) {
    throw new MoneyError(
      "SUB_MINOR_PRECISION",
      `Amount ${whole}.${fraction} ${normalizeCurrency(currency)} has a fraction below the currency's minor unit ` +
        `(${exponent} decimal${exponent === 1 ? "" : "s"})`
    )
  }
  const minor = BigInt(whole + significantFraction.padEnd(exponent, "0"))
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MoneyError("INVALID_AMOUNT", `Amount ${whole}.${fraction} is too large`)
  }
  return Number(minor)
}

/** Decimals `currency` is charged in (see CHARGE_DECIMALS). */
export function chargeDecimals(currency: string): number {
  return CHARGE_DECIMALS[normalizeCurrency(currency)]
}

/**
 * THE rounding rule. Rounds the exact decimal half up (away from zero; amounts are never negative) to the
 * currency's charge decimals (CHARGE_DECIMALS), then writes it in Gate's minor units. Decimal text and bigint
 * only, no floating-point arithmetic: 1076.075 NGN → 107608, 29.997 NGN → 3000, 12345.5 UGX → 12346,
 * 3538.82 TZS → 3539 TZS → 353900.
 */
export function roundHalfUpToMinorUnits(amount: AmountInput, currency: string): number {
  const code = normalizeCurrency(currency)
  const exponent = CURRENCY_EXPONENTS[code]
  const decimals = CHARGE_DECIMALS[code]
  const { negative, whole, fraction } = parseDecimal(amountToDecimalText(amount))
  if (negative) {
    throw new MoneyError("INVALID_AMOUNT", `Amount must not be negative (got -${whole}.${fraction})`)
  }
  // Units of 10^-decimals, truncated; the first dropped digit decides the rounding (≥ 5 means ≥ half a unit).
  let units = BigInt(whole + fraction.slice(0, decimals).padEnd(decimals, "0"))
  if (fraction.length > decimals && fraction.charCodeAt(decimals) >= 0x35 /* "5" */) units += 1n
  const minor = units * 10n ** BigInt(exponent - decimals)
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MoneyError("INVALID_AMOUNT", `Amount ${whole}.${fraction} is too large`)
  }
  return Number(minor)
}

/**
 * A Medusa cart total or payment collection amount (which Medusa leaves unrounded) → Gate minor units, rounded by
 * THE rule (roundHalfUpToMinorUnits). What the shopper sees is what Gate charges.
 */
export function cartTotalToMinorUnits(amount: AmountInput, currency: string): number {
  return roundHalfUpToMinorUnits(amount, currency)
}

/**
 * The minor units one refund sends to Gate, given Medusa's exact refunded total before it: the rounded total after it
 * minus the rounded total before it, both by THE rule. Medusa's refunds are exact decimals (a full refund of a taxed
 * total is 1076.075 NGN), so rounding each refund on its own could leave Gate a kobo off after several partial
 * refunds; rounding the running total instead keeps Σ refunds sent = round(Medusa's refunded total) at every step, and
 * refunding the whole captured amount empties the payment at Gate exactly (round(captured) = what was charged).
 */
export function refundSliceToMinorUnits(refundedBefore: AmountInput, amount: AmountInput, currency: string): number {
  const before = toExactDecimal(refundedBefore)
  const after = addExactDecimals(before, toExactDecimal(amount))
  return roundHalfUpToMinorUnits(after, currency) - roundHalfUpToMinorUnits(before, currency)
}

/** Sum of exact decimal amounts (Medusa's raw values, decimal text), as exact decimal text. No floating point. */
export function sumExactDecimals(amounts: AmountInput[]): string {
  return amounts.reduce<string>((sum, amount) => addExactDecimals(sum, toExactDecimal(amount)), "0")
}

/** An amount (any shape Medusa hands over) as exact, non-negative decimal text ("1076.075"). No rounding. */
export function toExactDecimal(amount: AmountInput): string {
  const { negative, whole, fraction } = parseDecimal(amountToDecimalText(amount))
  if (negative) throw new MoneyError("INVALID_AMOUNT", `Amount must not be negative (got -${whole}.${fraction})`)
  return fraction ? `${whole}.${fraction}` : whole
}

function addExactDecimals(a: string, b: string): string {
  const [aWhole, aFraction = ""] = a.split(".")
  const [bWhole, bFraction = ""] = b.split(".")
  const scale = Math.max(aFraction.length, bFraction.length)
  const units = BigInt(aWhole + aFraction.padEnd(scale, "0")) + BigInt(bWhole + bFraction.padEnd(scale, "0"))
  if (scale === 0) return units.toString()
  const digits = units.toString().padStart(scale + 1, "0")
  return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`
}

/** Gate minor units (150050) → exact major-unit decimal text ("1500.50"), which Medusa's BigNumber accepts. */
export function fromMinorUnits(minor: number | string | bigint, currency: string): string {
  const exponent = currencyExponent(currency)
  const text = typeof minor === "bigint" ? minor.toString() : String(minor).trim()
  if (!/^-?\d+$/.test(text) || (typeof minor === "number" && !Number.isSafeInteger(minor))) {
    throw new MoneyError("INVALID_AMOUNT", `Minor-unit amount must be an integer (got ${String(minor)})`)
  }
  const negative = text.startsWith("-")
  const digits = (negative ? text.slice(1) : text).replace(/^0+(?=\d)/, "")
  // "-0" is zero: no sign, whatever the exponent.
  const sign = negative && /[1-9]/.test(digits) ? "-" : ""
  if (exponent === 0) return sign + digits
  const padded = digits.padStart(exponent + 1, "0")
  const major = padded.slice(0, padded.length - exponent) + "." + padded.slice(padded.length - exponent)
  return sign + major
}

function amountToDecimalText(amount: AmountInput): string {
  if (typeof amount === "number") {
    if (!Number.isFinite(amount)) {
      throw new MoneyError("INVALID_AMOUNT", `Amount must be a finite number (got ${amount})`)
    }
    // String(n) is the shortest text that reads back as n: 1500.5 → "1500.5", 0.1 + 0.2 → "0.30000000000000004",
    // which is then rejected as sub-minor instead of being silently rounded.
    return String(amount)
  }
  if (typeof amount === "string" || typeof amount === "bigint") return String(amount)
  if (amount && typeof amount === "object") {
    if ("value" in amount && (typeof amount.value === "string" || typeof amount.value === "number")) {
      return amountToDecimalText(amount.value)
    }
    if ("raw" in amount && amount.raw && typeof amount.raw === "object" && "value" in amount.raw) {
      return amountToDecimalText(amount.raw.value)
    }
    const text = amount.toString()
    if (text !== "[object Object]") return text
  }
  throw new MoneyError("INVALID_AMOUNT", `Amount is not a number: ${describe(amount)}`)
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

function parseDecimal(text: string): { negative: boolean; whole: string; fraction: string } {
  const match = DECIMAL.exec(text.trim())
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) {
    throw new MoneyError("INVALID_AMOUNT", `Amount is not a decimal number: "${text}"`)
  }
  let digits = (match[2] || "") + (match[3] || "")
  let point = (match[2] || "").length + (match[4] ? Number(match[4]) : 0)
  if (!Number.isSafeInteger(point) || Math.abs(point) > 64) {
    throw new MoneyError("INVALID_AMOUNT", `Amount is out of range: "${text}"`)
  }
  if (point < 0) {
    digits = "0".repeat(-point) + digits
    point = 0
  } else if (point > digits.length) {
    digits = digits + "0".repeat(point - digits.length)
  }
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, "") || "0"
  const fraction = digits.slice(point)
  const negative = match[1] === "-" && /[1-9]/.test(digits)
  return { negative, whole, fraction }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
