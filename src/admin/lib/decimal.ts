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

/**
 * -1, 0 or 1 as the sum of `left` is less than, equal to or more than the sum of `right`, exactly; null when a value
 * is not a plain decimal (nothing is compared then, rather than guessed through a float).
 */
export function compareDecimalSums(left: string[], right: string[]): number | null {
  const values = [...left, ...right]
  if (!values.every((value) => DECIMAL.test(value))) return null
  const scale = Math.max(0, ...values.map((value) => value.split(".")[1]?.length ?? 0))
  const total = (list: string[]) =>
    list.reduce((sum, value) => {
      const [int, frac = ""] = value.split(".")
      return sum + BigInt(int + frac.padEnd(scale, "0"))
    }, BigInt(0))
  const a = total(left)
  const b = total(right)
  return a === b ? 0 : a < b ? -1 : 1
}
