import * as fc from "fast-check"
import { BigNumber } from "@medusajs/framework/utils"
import { MoneyError, refundSliceToMinorUnits, roundHalfUpToMinorUnits, sumExactDecimals, type AmountInput, type MoneyErrorCode } from "../money"

function expectMoneyError(action: () => unknown, code: MoneyErrorCode): void {
  let thrown: unknown
  try {
    action()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(MoneyError)
  expect((thrown as MoneyError).code).toBe(code)
}

/** Decimal text without insignificant trailing zeros: "1077.000" and "1077" are the same amount. */
function canonical(decimal: string): string {
  return decimal.includes(".") ? decimal.replace(/0+$/, "").replace(/\.$/, "") : decimal
}

/** What a series of Medusa refunds sends to Gate, slice by slice, each against Medusa's running total before it. */
function slices(refunds: string[], currency: string): number[] {
  const sent: number[] = []
  for (let i = 0; i < refunds.length; i++) sent.push(refundSliceToMinorUnits(sumExactDecimals(refunds.slice(0, i)), refunds[i], currency))
  return sent
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

describe("sumExactDecimals", () => {
  it("adds Medusa's exact amounts without floating point", () => {
    expect(canonical(sumExactDecimals(["500.0025", "576.0725"]))).toBe("1076.075")
    expect(canonical(sumExactDecimals([0.1, 0.2]))).toBe("0.3")
    expect(canonical(sumExactDecimals(["1076.075", "0.925"]))).toBe("1077")
    expect(canonical(sumExactDecimals(["1e3", "0.5", "2.5e-3"]))).toBe("1000.5025")
  })

  it("is zero for no amounts", () => {
    expect(canonical(sumExactDecimals([]))).toBe("0")
  })

  it("reads the amount shapes Medusa hands over (raw values, BigNumber, bigint)", () => {
    const amounts: AmountInput[] = [{ value: "1000.05", precision: 20 }, { raw: { value: "0.025" } }, new BigNumber("76"), 0n]
    expect(canonical(sumExactDecimals(amounts))).toBe("1076.075")
  })

  it("keeps digits beyond any currency's minor unit", () => {
    expect(canonical(sumExactDecimals(["0.000000001", "0.000000002"]))).toBe("0.000000003")
  })

  it("rejects negative and non-numeric amounts with a MoneyError", () => {
    expectMoneyError(() => sumExactDecimals(["10", "-1"]), "INVALID_AMOUNT")
    expectMoneyError(() => sumExactDecimals(["ten"]), "INVALID_AMOUNT")
    expectMoneyError(() => sumExactDecimals([Number.NaN]), "INVALID_AMOUNT")
    expectMoneyError(() => sumExactDecimals([{} as AmountInput]), "INVALID_AMOUNT")
  })

  it("agrees with integer arithmetic on random cent amounts", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 20 }), (cents) => {
        const text = cents.map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, "0")}`)
        const total = sum(cents)
        expect(canonical(sumExactDecimals(text))).toBe(canonical(`${Math.floor(total / 100)}.${String(total % 100).padStart(2, "0")}`))
      })
    )
  })
})

describe("refundSliceToMinorUnits: one refund's minor units, from Medusa's running total", () => {
  it("sends the whole charge for a full refund of a taxed NGN total (1076.075 → 107608)", () => {
    expect(refundSliceToMinorUnits("0", "1076.075", "NGN")).toBe(107_608)
  })

  it("splits a NGN total into partial refunds that add up to what was charged", () => {
    expect(slices(["500", "576.075"], "NGN")).toEqual([50_000, 57_608])
    // Rounded one by one these would send 50000 + 57607 = 107607: a kobo short of what Gate charged.
    expect(slices(["500.0025", "576.0725"], "NGN")).toEqual([50_000, 57_608])
    expect(sum(slices(["500.0025", "576.0725"], "NGN"))).toBe(107_608)
    expect(sum(slices(["0.005", "0.005", "0.005", "1076.06"], "NGN"))).toBe(107_608)
  })

  it("works in whole units for UGX (exponent 0)", () => {
    expect(refundSliceToMinorUnits("0", "12345.5", "UGX")).toBe(12_346)
    expect(slices(["5000.4", "7345.1"], "UGX")).toEqual([5_000, 7_346])
    expect(slices(["0.5", "0.5"], "UGX")).toEqual([1, 0])
  })

  it("charges TZS in whole shillings but writes Gate's two-decimal units", () => {
    expect(refundSliceToMinorUnits("0", "3538.82", "TZS")).toBe(353_900)
    expect(slices(["1000.4", "2538.42"], "TZS")).toEqual([100_000, 253_900])
    expect(refundSliceToMinorUnits("1000", "0.49", "TZS")).toBe(0)
  })

  it("is zero for an amount below the currency's smallest unit", () => {
    expect(refundSliceToMinorUnits("0", "0.004", "NGN")).toBe(0)
  })

  it("reads Medusa's amount shapes for both the total and the refund", () => {
    expect(refundSliceToMinorUnits({ value: "500.0025", precision: 20 }, new BigNumber("576.0725"), "ngn")).toBe(57_608)
  })

  it("rejects negative or non-numeric amounts and unsupported currencies with a MoneyError", () => {
    expectMoneyError(() => refundSliceToMinorUnits("0", "-10", "NGN"), "INVALID_AMOUNT")
    expectMoneyError(() => refundSliceToMinorUnits("-1", "10", "NGN"), "INVALID_AMOUNT")
    expectMoneyError(() => refundSliceToMinorUnits("0", "abc", "NGN"), "INVALID_AMOUNT")
    expectMoneyError(() => refundSliceToMinorUnits("0", Number.POSITIVE_INFINITY, "NGN"), "INVALID_AMOUNT")
    expectMoneyError(() => refundSliceToMinorUnits("0", "10", "EUR"), "UNSUPPORTED_CURRENCY")
  })

  it("keeps Σ slices = round(Medusa's refunded total) for any series of exact refunds", () => {
    const currency = fc.constantFrom("NGN", "UGX", "TZS", "KES")
    // Amounts with up to four decimals: finer than any minor unit, as Medusa's computed refunds can be.
    const amount = fc.integer({ min: 0, max: 50_000_000 }).map((n) => `${Math.floor(n / 10_000)}.${String(n % 10_000).padStart(4, "0")}`)
    fc.assert(
      fc.property(currency, fc.array(amount, { minLength: 1, maxLength: 12 }), (code, refunds) => {
        const sent = slices(refunds, code)
        expect(sent.every((minor) => Number.isSafeInteger(minor) && minor >= 0)).toBe(true)
        expect(sum(sent)).toBe(roundHalfUpToMinorUnits(sumExactDecimals(refunds), code))
      })
    )
  })
})
