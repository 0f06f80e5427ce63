import * as fc from "fast-check"
import { BigNumber, defaultCurrencies } from "@medusajs/framework/utils"
import {
  cartTotalToMinorUnits,
  CHARGE_DECIMALS,
  chargeDecimals,
  CURRENCY_EXPONENTS,
  currencyExponent,
  fromMinorUnits,
  isSupportedCurrency,
  MoneyError,
  normalizeCurrency,
  roundHalfUpToMinorUnits,
  SUPPORTED_CURRENCIES,
  toMinorUnits,
  type AmountInput,
  type MoneyErrorCode,
} from "../money"

/** Runs `action` and returns the MoneyError it throws; fails the test if it throws anything else or nothing. */
function moneyError(action: () => unknown): MoneyError {
  try {
    action()
  } catch (error) {
    expect(error).toBeInstanceOf(MoneyError)
    return error as MoneyError
  }
  throw new Error("expected a MoneyError, but nothing was thrown")
}

function expectMoneyError(action: () => unknown, code: MoneyErrorCode): void {
  expect(moneyError(action).code).toBe(code)
}

/** Stand-in for a bignumber.js instance: no `value`/`raw`, only a toString() giving the exact decimal. */
class DecimalLike {
  constructor(private readonly text: string) {}
  toString(): string {
    return this.text
  }
}

const TWO_DECIMAL_CURRENCIES = ["GHS", "KES", "NGN", "TZS", "USD", "ZAR"] as const

describe("currency table", () => {
  it("gives GHS, KES, NGN, TZS, USD and ZAR two decimals and UGX none", () => {
    expect(CURRENCY_EXPONENTS).toEqual({ GHS: 2, KES: 2, NGN: 2, TZS: 2, UGX: 0, USD: 2, ZAR: 2 })
  })

  it("lists exactly the currencies of the exponent table", () => {
    expect([...SUPPORTED_CURRENCIES].sort()).toEqual(["GHS", "KES", "NGN", "TZS", "UGX", "USD", "ZAR"])
  })

  it("is frozen, so no caller can change what Gate receives", () => {
    expect(Object.isFrozen(CURRENCY_EXPONENTS)).toBe(true)
    expect(Object.isFrozen(SUPPORTED_CURRENCIES)).toBe(true)
  })

  it("gives TZS two decimals as ISO 4217 does, not Medusa's zero", () => {
    expect(currencyExponent("TZS")).toBe(2)
  })
})

describe("normalizeCurrency, isSupportedCurrency and currencyExponent", () => {
  it.each(["ngn", "Ngn", "NGN", "ugx", "zar"])("accepts %p in any case and returns the upper-case code", (code) => {
    expect(isSupportedCurrency(code)).toBe(true)
    expect(normalizeCurrency(code)).toBe(code.toUpperCase())
  })

  it.each(["EUR", "", "XXX", "NG", " NGN", "NGNN", "constructor", "__proto__"])(
    "rejects %p as UNSUPPORTED_CURRENCY",
    (code) => {
      expect(isSupportedCurrency(code)).toBe(false)
      expectMoneyError(() => normalizeCurrency(code), "UNSUPPORTED_CURRENCY")
      expectMoneyError(() => currencyExponent(code), "UNSUPPORTED_CURRENCY")
    }
  )

  it("rejects a currency that is not a string as UNSUPPORTED_CURRENCY", () => {
    expectMoneyError(() => normalizeCurrency(undefined as unknown as string), "UNSUPPORTED_CURRENCY")
    expectMoneyError(() => normalizeCurrency(566 as unknown as string), "UNSUPPORTED_CURRENCY")
  })

  it("names the supported currencies in the error message", () => {
    const error = moneyError(() => normalizeCurrency("EUR"))
    expect(error.message).toContain('"EUR"')
    expect(error.message).toContain("NGN")
    expect(error.message).toContain("UGX")
  })

  it("returns each currency's exponent", () => {
    for (const currency of SUPPORTED_CURRENCIES) {
      expect(currencyExponent(currency.toLowerCase())).toBe(CURRENCY_EXPONENTS[currency])
    }
  })
})

describe("MoneyError", () => {
  it("is an Error with its own name and a machine-readable code", () => {
    const error = new MoneyError("INVALID_AMOUNT", "bad")
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe("MoneyError")
    expect(error.code).toBe("INVALID_AMOUNT")
    expect(error.message).toBe("bad")
  })
})

describe("toMinorUnits", () => {
  describe("round trips for every supported currency", () => {
    it.each(TWO_DECIMAL_CURRENCIES)("converts %s major amounts with two decimals", (currency) => {
      expect(toMinorUnits(1500.5, currency)).toBe(150050)
      expect(toMinorUnits(1500.05, currency)).toBe(150005)
      expect(toMinorUnits(0.01, currency)).toBe(1)
      expect(toMinorUnits(0, currency)).toBe(0)
      expect(toMinorUnits(200, currency)).toBe(20000)
      expect(fromMinorUnits(150050, currency)).toBe("1500.50")
      expect(toMinorUnits(fromMinorUnits(150050, currency), currency)).toBe(150050)
    })

    it("converts UGX major amounts with no decimals", () => {
      expect(toMinorUnits(2500, "UGX")).toBe(2500)
      expect(toMinorUnits("2500", "UGX")).toBe(2500)
      expect(toMinorUnits(0, "UGX")).toBe(0)
      expect(fromMinorUnits(2500, "UGX")).toBe("2500")
      expect(toMinorUnits(fromMinorUnits(2500, "UGX"), "UGX")).toBe(2500)
    })

    it("accepts lower-case currency codes", () => {
      expect(toMinorUnits(1500.5, "ngn")).toBe(150050)
      expect(toMinorUnits(2500, "ugx")).toBe(2500)
      expect(fromMinorUnits(150050, "ngn")).toBe("1500.50")
    })

    it("converts TZS with a fraction exactly (two decimals, as ISO 4217 says)", () => {
      expect(toMinorUnits(1000.5, "TZS")).toBe(100050)
      expect(toMinorUnits("1000.5", "TZS")).toBe(100050)
    })
  })

  describe("amount shapes Medusa passes", () => {
    it("accepts numbers", () => {
      expect(toMinorUnits(1500.5, "NGN")).toBe(150050)
      expect(toMinorUnits(1.1, "NGN")).toBe(110)
      expect(toMinorUnits(19.99, "USD")).toBe(1999)
    })

    it("accepts numeric strings, with surrounding spaces, a sign or a bare point", () => {
      expect(toMinorUnits("1500.50", "NGN")).toBe(150050)
      expect(toMinorUnits(" 12.34 ", "NGN")).toBe(1234)
      expect(toMinorUnits("+12", "NGN")).toBe(1200)
      expect(toMinorUnits(".5", "NGN")).toBe(50)
      expect(toMinorUnits("5.", "NGN")).toBe(500)
      expect(toMinorUnits("0001500.50", "NGN")).toBe(150050)
    })

    it("accepts bigint whole amounts", () => {
      expect(toMinorUnits(1500n, "NGN")).toBe(150000)
      expect(toMinorUnits(2500n, "UGX")).toBe(2500)
    })

    it("accepts a raw BigNumber value { value, precision }, as refundPayment receives it", () => {
      expect(toMinorUnits({ value: "100.25", precision: 20 }, "NGN")).toBe(10025)
      expect(toMinorUnits({ value: "1500.5000000000000000", precision: 20 }, "NGN")).toBe(150050)
      expect(toMinorUnits({ value: 42 }, "UGX")).toBe(42)
    })

    it("accepts an object with raw.value", () => {
      expect(toMinorUnits({ raw: { value: "1500.5" } }, "NGN")).toBe(150050)
      expect(toMinorUnits({ raw: { value: 1500.5 } }, "NGN")).toBe(150050)
    })

    it("accepts Medusa's own BigNumber instances", () => {
      expect(toMinorUnits(new BigNumber(1500.5), "NGN")).toBe(150050)
      expect(toMinorUnits(new BigNumber("100.25"), "NGN")).toBe(10025)
      expect(toMinorUnits(new BigNumber({ value: "2500", precision: 20 }), "UGX")).toBe(2500)
    })

    it("accepts bignumber.js-like objects whose toString() is the exact decimal", () => {
      expect(toMinorUnits(new DecimalLike("1500.5"), "NGN")).toBe(150050)
      expect(toMinorUnits(new DecimalLike("1.5e+3"), "NGN")).toBe(150000)
      expect(toMinorUnits({ toString: () => "0.05" }, "NGN")).toBe(5)
    })

    it("ignores trailing zeros in the fraction", () => {
      expect(toMinorUnits("10.500", "NGN")).toBe(1050)
      expect(toMinorUnits("10.000000000", "NGN")).toBe(1000)
      expect(toMinorUnits("2500.000", "UGX")).toBe(2500)
    })

    it("reads exponent notation", () => {
      expect(toMinorUnits("1.5e3", "NGN")).toBe(150000)
      expect(toMinorUnits("1.5E3", "NGN")).toBe(150000)
      expect(toMinorUnits("15e-1", "NGN")).toBe(150)
      expect(toMinorUnits("1e+2", "UGX")).toBe(100)
    })

    it("treats negative zero as zero", () => {
      expect(toMinorUnits("-0", "NGN")).toBe(0)
      expect(toMinorUnits(-0, "NGN")).toBe(0)
      expect(toMinorUnits("-0.00", "UGX")).toBe(0)
    })

    it("converts the largest safe minor amount and rejects one above it", () => {
      expect(toMinorUnits("90071992547409.91", "NGN")).toBe(Number.MAX_SAFE_INTEGER)
      expectMoneyError(() => toMinorUnits("90071992547409.92", "NGN"), "INVALID_AMOUNT")
      expectMoneyError(() => toMinorUnits(1e21, "NGN"), "INVALID_AMOUNT")
    })
  })

  describe("rejections", () => {
    it.each<[string, AmountInput, string]>([
      ["1500.505 NGN", 1500.505, "NGN"],
      ["0.1 + 0.2 NGN", 0.1 + 0.2, "NGN"],
      ["1.5 UGX", 1.5, "UGX"],
      ['"0.001" USD', "0.001", "USD"],
      ["{ value: 100.255 } NGN", { value: "100.255", precision: 20 }, "NGN"],
      ["1e-7 NGN (a number printed in exponent form)", 1e-7, "NGN"],
      ['"25e-1" UGX', "25e-1", "UGX"],
      ["BigNumber(0.1 + 0.2) KES", new BigNumber(0.1 + 0.2), "KES"],
    ])("rejects %s as SUB_MINOR_PRECISION instead of rounding", (_label, amount, currency) => {
      expectMoneyError(() => toMinorUnits(amount, currency), "SUB_MINOR_PRECISION")
    })

    it("names the amount, the currency and its decimals in a SUB_MINOR_PRECISION message", () => {
      const error = moneyError(() => toMinorUnits(1500.505, "ngn"))
      expect(error.message).toContain("1500.505")
      expect(error.message).toContain("NGN")
      expect(error.message).toContain("2 decimals")
    })

    it.each(["EUR", "", "XXX"])("rejects currency %p as UNSUPPORTED_CURRENCY", (currency) => {
      expectMoneyError(() => toMinorUnits(100, currency), "UNSUPPORTED_CURRENCY")
      expectMoneyError(() => fromMinorUnits(100, currency), "UNSUPPORTED_CURRENCY")
    })

    it("checks the currency before the amount", () => {
      expectMoneyError(() => toMinorUnits(-1, "EUR"), "UNSUPPORTED_CURRENCY")
    })

    it.each<[string, AmountInput]>([
      ["-1", -1],
      ["-0.01", -0.01],
      ['"-5"', "-5"],
      ["-5n", -5n],
      ["NaN", Number.NaN],
      ["Infinity", Number.POSITIVE_INFINITY],
      ["-Infinity", Number.NEGATIVE_INFINITY],
      ['"abc"', "abc"],
      ['""', ""],
      ['"   "', "   "],
      ['"1,5"', "1,5"],
      ['"12abc"', "12abc"],
      ['"0x10"', "0x10"],
      ['"."', "."],
      ['"e5"', "e5"],
      ['"1e"', "1e"],
      ['"--1"', "--1"],
      ['"NaN"', "NaN"],
      ['"Infinity"', "Infinity"],
      ['"1e999"', "1e999"],
      ["{}", {}],
      ["{ value: 'abc' }", { value: "abc" }],
      ["{ raw: { value: 'x' } }", { raw: { value: "x" } }],
      ["null", null as unknown as AmountInput],
      ["undefined", undefined as unknown as AmountInput],
      ["true", true as unknown as AmountInput],
    ])("rejects %s as INVALID_AMOUNT", (_label, amount) => {
      expectMoneyError(() => toMinorUnits(amount, "NGN"), "INVALID_AMOUNT")
    })
  })
})

describe("CHARGE_DECIMALS", () => {
  it("charges NGN, KES, GHS, USD and ZAR in cents and TZS and UGX in whole units", () => {
    expect(CHARGE_DECIMALS).toEqual({ GHS: 2, KES: 2, NGN: 2, TZS: 0, UGX: 0, USD: 2, ZAR: 2 })
    expect(Object.isFrozen(CHARGE_DECIMALS)).toBe(true)
    expect(chargeDecimals("tzs")).toBe(0)
    expectMoneyError(() => chargeDecimals("EUR"), "UNSUPPORTED_CURRENCY")
  })

  it("is min(Medusa's display decimals, Gate's exponent) for every supported currency", () => {
    for (const currency of SUPPORTED_CURRENCIES) {
      const medusa = defaultCurrencies[currency].decimal_digits
      expect(CHARGE_DECIMALS[currency]).toBe(Math.min(medusa, CURRENCY_EXPONENTS[currency]))
    }
  })
})

describe("cartTotalToMinorUnits and roundHalfUpToMinorUnits (THE rounding rule)", () => {
  const rounders = [
    ["cartTotalToMinorUnits", cartTotalToMinorUnits],
    ["roundHalfUpToMinorUnits", roundHalfUpToMinorUnits],
  ] as const

  describe.each(rounders)("%s", (_name, round) => {
    it.each<[string, AmountInput, string, number]>([
      ["7.5 % VAT on 1,001.00 NGN", 1076.075, "NGN", 107608],
      ["10 % off 33.33 NGN", 29.997, "NGN", 3000],
      ["just below a tie", "1076.074999", "NGN", 107607],
      ["just above a tie", "1076.0750000001", "NGN", 107608],
      ["a tie in UGX", 12345.5, "UGX", 12346],
      ["below a tie in UGX", "12345.4999", "UGX", 12345],
      ["TZS rounded up to whole shillings", 3538.82, "TZS", 353900],
      ["TZS rounded down to whole shillings", 3538.49, "TZS", 353800],
      ["a TZS tie", "3538.5", "TZS", 353900],
      ["an already rounded amount", "1500.50", "NGN", 150050],
      ["a whole amount", 200, "KES", 20000],
      ["zero", 0, "ZAR", 0],
      ["a sub-unit amount rounding to zero", "0.004", "USD", 0],
      ["a sub-unit amount rounding up to one cent", "0.005", "USD", 1],
      ["0.1 + 0.2 as JavaScript gives it", 0.1 + 0.2, "GHS", 30],
      ["a lower-case currency code", 29.997, "ngn", 3000],
      ["exponent notation", "1.0760750e3", "NGN", 107608],
      ["a number printed in exponent form", 5e-7, "NGN", 0],
    ])("rounds %s: %p %s → %p", (_label, amount, currency, minor) => {
      expect(round(amount, currency)).toBe(minor)
    })

    it("reads every amount shape toMinorUnits reads", () => {
      expect(round({ value: "1076.075", precision: 20 }, "NGN")).toBe(107608)
      expect(round({ value: "1076.0750000000000000", precision: 20 }, "NGN")).toBe(107608)
      expect(round({ value: 1076.075 }, "NGN")).toBe(107608)
      expect(round({ raw: { value: "3538.82" } }, "TZS")).toBe(353900)
      expect(round(new BigNumber("1076.075"), "NGN")).toBe(107608)
      expect(round(new BigNumber({ value: "29.997", precision: 20 }), "NGN")).toBe(3000)
      expect(round(new DecimalLike("12345.5"), "UGX")).toBe(12346)
      expect(round("  1076.075 ", "NGN")).toBe(107608)
      expect(round(1500n, "NGN")).toBe(150000)
    })

    it("is exact for very large values, up to the largest safe integer", () => {
      expect(round("90071992547409.905", "NGN")).toBe(Number.MAX_SAFE_INTEGER)
      expect(round("90071992547409.9149999999999999999", "NGN")).toBe(Number.MAX_SAFE_INTEGER)
      expect(round("9007199254740991.4999999", "UGX")).toBe(Number.MAX_SAFE_INTEGER)
      expect(round("90071992547409.4999", "TZS")).toBe(9007199254740900)
      expect(round("12345678901234.565", "USD")).toBe(1234567890123457)
      expectMoneyError(() => round("90071992547409.915", "NGN"), "INVALID_AMOUNT")
      expectMoneyError(() => round("9007199254740991.5", "UGX"), "INVALID_AMOUNT")
      expectMoneyError(() => round("90071992547409.5", "TZS"), "INVALID_AMOUNT")
      expectMoneyError(() => round(1e21, "NGN"), "INVALID_AMOUNT")
    })

    it.each<[string, AmountInput, string, MoneyErrorCode]>([
      ["a negative amount", "-1076.075", "NGN", "INVALID_AMOUNT"],
      ["a negative amount that would round to zero", "-0.001", "NGN", "INVALID_AMOUNT"],
      ["NaN", Number.NaN, "NGN", "INVALID_AMOUNT"],
      ["Infinity", Number.POSITIVE_INFINITY, "NGN", "INVALID_AMOUNT"],
      ["text", "abc", "NGN", "INVALID_AMOUNT"],
      ["an empty object", {}, "NGN", "INVALID_AMOUNT"],
      ["an unsupported currency", 10, "EUR", "UNSUPPORTED_CURRENCY"],
    ])("rejects %s", (_label, amount, currency, code) => {
      expectMoneyError(() => round(amount, currency), code)
    })

    it("treats negative zero as zero", () => {
      expect(round("-0.000", "NGN")).toBe(0)
      expect(round(-0, "UGX")).toBe(0)
    })
  })

  it("leaves toMinorUnits strict: the amounts it rounds are still refused there", () => {
    expectMoneyError(() => toMinorUnits(1076.075, "NGN"), "SUB_MINOR_PRECISION")
    expectMoneyError(() => toMinorUnits(12345.5, "UGX"), "SUB_MINOR_PRECISION")
    expect(toMinorUnits(3538.82, "TZS")).toBe(353882)
  })
})

describe("fromMinorUnits", () => {
  it("returns exact decimal text with the currency's decimals", () => {
    expect(fromMinorUnits(150050, "NGN")).toBe("1500.50")
    expect(fromMinorUnits(5, "NGN")).toBe("0.05")
    expect(fromMinorUnits(50, "NGN")).toBe("0.50")
    expect(fromMinorUnits(0, "NGN")).toBe("0.00")
    expect(fromMinorUnits(100050, "TZS")).toBe("1000.50")
    expect(fromMinorUnits(2500, "UGX")).toBe("2500")
    expect(fromMinorUnits(0, "UGX")).toBe("0")
  })

  it("accepts integer strings and bigints, including ones beyond 2^53", () => {
    expect(fromMinorUnits("150050", "NGN")).toBe("1500.50")
    expect(fromMinorUnits(" 150050 ", "NGN")).toBe("1500.50")
    expect(fromMinorUnits("007", "NGN")).toBe("0.07")
    expect(fromMinorUnits(150050n, "NGN")).toBe("1500.50")
    expect(fromMinorUnits(12345678901234567890n, "NGN")).toBe("123456789012345678.90")
    expect(fromMinorUnits("0002500", "UGX")).toBe("2500")
  })

  it("keeps the sign of a negative amount", () => {
    expect(fromMinorUnits(-150050, "NGN")).toBe("-1500.50")
    expect(fromMinorUnits(-5, "NGN")).toBe("-0.05")
    expect(fromMinorUnits(-2500, "UGX")).toBe("-2500")
  })

  it("writes negative zero without a sign in every currency", () => {
    expect(fromMinorUnits("-0", "NGN")).toBe("0.00")
    expect(fromMinorUnits("-000", "NGN")).toBe("0.00")
    expect(fromMinorUnits("-0", "UGX")).toBe("0")
    expect(fromMinorUnits("-000", "UGX")).toBe("0")
    expect(fromMinorUnits(-0, "UGX")).toBe("0")
  })

  it.each<[string, number | string | bigint]>([
    ["1.5", 1.5],
    ['"1.5"', "1.5"],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["2^53 (not a safe integer)", 2 ** 53],
    ['""', ""],
    ['"abc"', "abc"],
    ['"1e3"', "1e3"],
    ['"+5"', "+5"],
    ["null", null as unknown as number],
  ])("rejects the non-integer %s as INVALID_AMOUNT", (_label, minor) => {
    expectMoneyError(() => fromMinorUnits(minor, "NGN"), "INVALID_AMOUNT")
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Property-based tests
// ---------------------------------------------------------------------------------------------------------------

const NUM_RUNS = 200
const currencyArb = fc.constantFrom(...SUPPORTED_CURRENCIES)
const minorArb = fc.integer({ min: 0, max: 10 ** 13 })

describe("money properties (fast-check)", () => {
  it("round-trips minor → decimal text → minor for every currency", () => {
    fc.assert(
      fc.property(currencyArb, minorArb, (currency, minor) => {
        expect(toMinorUnits(fromMinorUnits(minor, currency), currency)).toBe(minor)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("round-trips minor → decimal text → JavaScript number → minor for every currency", () => {
    fc.assert(
      fc.property(currencyArb, minorArb, (currency, minor) => {
        expect(toMinorUnits(Number(fromMinorUnits(minor, currency)), currency)).toBe(minor)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("round-trips through a Medusa raw BigNumber value and a lower-case currency code", () => {
    fc.assert(
      fc.property(currencyArb, minorArb, (currency, minor) => {
        const value = fromMinorUnits(minor, currency.toLowerCase())
        expect(toMinorUnits({ value, precision: 20 }, currency.toLowerCase())).toBe(minor)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("writes exactly the currency's number of decimals", () => {
    fc.assert(
      fc.property(currencyArb, minorArb, (currency, minor) => {
        const exponent = CURRENCY_EXPONENTS[currency]
        const pattern = exponent === 0 ? /^(0|[1-9]\d*)$/ : new RegExp(`^(0|[1-9]\\d*)\\.\\d{${exponent}}$`)
        expect(fromMinorUnits(minor, currency)).toMatch(pattern)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("rejects any amount with one digit more than the currency's minor unit", () => {
    fc.assert(
      fc.property(currencyArb, minorArb, fc.integer({ min: 1, max: 9 }), (currency, minor, digit) => {
        const text = fromMinorUnits(minor, currency)
        const finer = (CURRENCY_EXPONENTS[currency] === 0 ? `${text}.` : text) + String(digit)
        expectMoneyError(() => toMinorUnits(finer, currency), "SUB_MINOR_PRECISION")
      }),
      { numRuns: NUM_RUNS }
    )
  })
})
