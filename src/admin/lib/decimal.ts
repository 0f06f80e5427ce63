/** Exact comparisons of non-negative major-unit decimal strings ("500", "500.5", "500.00"), via BigInt. */

const DECIMAL = /^\d+(\.\d+)?$/

export function isPositiveDecimal(value: string): boolean {
  return DECIMAL.test(value) && /[1-9]/.test(value)
}

/** -1, 0 or 1 as a < b, a = b, a > b. Both must be plain decimals (see isPositiveDecimal's pattern). */
export function compareDecimals(a: string, b: string): number {
  const [aInt, aFrac = ""] = a.split(".")
  const [bInt, bFrac = ""] = b.split(".")
  const scale = Math.max(aFrac.length, bFrac.length)
  const left = BigInt(aInt + aFrac.padEnd(scale, "0"))
  const right = BigInt(bInt + bFrac.padEnd(scale, "0"))
  return left === right ? 0 : left < right ? -1 : 1
}

/** Whether `amount` falls outside [min, max]; false when either side cannot be compared. */
export function isOutsideLimit(amount: string, limit: { min: string; max: string }): boolean {
  if (!DECIMAL.test(amount) || !DECIMAL.test(limit.min) || !DECIMAL.test(limit.max)) return false
  return compareDecimals(amount, limit.min) < 0 || compareDecimals(amount, limit.max) > 0
}
