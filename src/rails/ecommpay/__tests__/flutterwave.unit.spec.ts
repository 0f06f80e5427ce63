import {
  BANKS,
  banksForCurrency,
  COUNTRY_CURRENCY,
  DEFAULT_PAYOUT_LIMITS,
  DEFAULT_SALE_LIMITS,
  describeGateCode,
  findBank,
  GATE_CODE_MESSAGES,
  GATE_CODES,
  NGN_LIMITS,
  type Bank,
} from "../flutterwave"

/** The bank the guide's own payout example uses; it is not in Table 1. */
const GUIDE_EXAMPLE_BANK: Bank = { id: "308", name: "Guide example bank", country: "NG" }

describe("BANKS (Table 1 of the Flutterwave method guide)", () => {
  it("lists 83 banks", () => {
    expect(BANKS).toHaveLength(83)
  })

  it("uses the contiguous ids 193–275, in order, each once", () => {
    const ids = BANKS.map((bank) => Number(bank.id))
    expect(ids).toEqual(Array.from({ length: 83 }, (_, i) => 193 + i))
    expect(new Set(BANKS.map((bank) => bank.id)).size).toBe(83)
  })

  it("writes every id as a decimal string without padding", () => {
    for (const bank of BANKS) expect(bank.id).toMatch(/^[1-9]\d*$/)
  })

  it("gives every bank a non-empty name", () => {
    for (const bank of BANKS) expect(bank.name.trim()).not.toBe("")
  })

  it("assigns countries by id range: 193–224 Nigeria, 225–257 Kenya, 258–275 Ghana", () => {
    for (const bank of BANKS) {
      const id = Number(bank.id)
      const expected = id <= 224 ? "NG" : id <= 257 ? "KE" : "GH"
      expect({ id: bank.id, country: bank.country }).toEqual({ id: bank.id, country: expected })
    }
  })

  it.each([
    ["193", "ACCESS BANK NIGERIA", "NG"],
    ["206", "GTBANK PLC", "NG"],
    ["220", "ZENITH BANK PLC Nigeria", "NG"],
    ["224", "PARRALEX BANK", "NG"],
    ["225", "Prime Bank Limited", "KE"],
    ["251", "Equity Bank Limited", "KE"],
    ["257", "Barclays Bank of Kenya", "KE"],
    ["258", "STANDARD CHARTERED BANK Ghana", "GH"],
    ["259", "GCB BANK LTD", "GH"],
    ["266", "STANBIC BANK", "GH"],
    ["275", "Fidelity Bank Ghana", "GH"],
  ])("has bank %s: %s (%s)", (id, name, country) => {
    expect(findBank(id)).toEqual({ id, name, country })
  })

  it("cannot be modified at runtime", () => {
    expect(Object.isFrozen(BANKS)).toBe(true)
  })
})

describe("COUNTRY_CURRENCY", () => {
  it("maps Nigeria to NGN, Kenya to KES and Ghana to GHS", () => {
    expect(COUNTRY_CURRENCY).toEqual({ NG: "NGN", KE: "KES", GH: "GHS" })
  })
})

describe("banksForCurrency", () => {
  it("returns the 32 Nigerian banks for NGN", () => {
    const banks = banksForCurrency("NGN")
    expect(banks).toHaveLength(32)
    expect(banks.every((bank) => bank.country === "NG")).toBe(true)
  })

  it("returns the 33 Kenyan banks for KES", () => {
    const banks = banksForCurrency("KES")
    expect(banks).toHaveLength(33)
    expect(banks.every((bank) => bank.country === "KE")).toBe(true)
  })

  it("returns the 18 Ghanaian banks for GHS", () => {
    const banks = banksForCurrency("GHS")
    expect(banks).toHaveLength(18)
    expect(banks.every((bank) => bank.country === "GH")).toBe(true)
  })

  it("covers every bank exactly once across NGN, KES and GHS", () => {
    const all = [...banksForCurrency("NGN"), ...banksForCurrency("KES"), ...banksForCurrency("GHS")]
    expect(all.map((bank) => bank.id).sort()).toEqual(BANKS.map((bank) => bank.id).sort())
  })

  it.each(["UGX", "TZS", "ZAR", "USD", "EUR", ""])("returns no banks for %p", (currency) => {
    expect(banksForCurrency(currency)).toEqual([])
  })

  it("accepts a lower-case currency code", () => {
    expect(banksForCurrency("ngn")).toEqual(banksForCurrency("NGN"))
  })

  it("includes extra banks for their country's currency only", () => {
    const kenyan: Bank = { id: "400", name: "Extra Kenyan bank", country: "KE" }
    const ngn = banksForCurrency("NGN", [GUIDE_EXAMPLE_BANK, kenyan])
    expect(ngn).toHaveLength(33)
    expect(ngn).toContainEqual(GUIDE_EXAMPLE_BANK)
    expect(ngn).not.toContainEqual(kenyan)
    expect(banksForCurrency("KES", [GUIDE_EXAMPLE_BANK, kenyan])).toContainEqual(kenyan)
  })

  it("lists an extra bank that reuses a built-in id once, as the extra (the one findBank returns)", () => {
    const renamed: Bank = { id: "206", name: "Guaranty Trust Bank (renamed)", country: "NG" }
    const ngn = banksForCurrency("NGN", [renamed])
    expect(ngn).toHaveLength(32)
    expect(ngn.filter((bank) => bank.id === "206")).toEqual([renamed])
    expect(findBank("206", [renamed])).toEqual(renamed)
  })

  it("keeps only the first of two extra banks with the same id, like findBank", () => {
    const first: Bank = { id: "308", name: "First", country: "NG" }
    const second: Bank = { id: "308", name: "Second", country: "NG" }
    expect(banksForCurrency("NGN", [first, second]).filter((bank) => bank.id === "308")).toEqual([first])
    expect(findBank("308", [first, second])).toEqual(first)
  })

  it("returns a new array each time, leaving the built-in table untouched", () => {
    const banks = banksForCurrency("NGN", [GUIDE_EXAMPLE_BANK])
    banks.length = 0
    expect(banksForCurrency("NGN")).toHaveLength(32)
    expect(BANKS).toHaveLength(83)
  })
})

describe("findBank", () => {
  it("finds built-in banks by id", () => {
    expect(findBank("193")?.name).toBe("ACCESS BANK NIGERIA")
  })

  it("finds an extra bank that is not in the built-in table (the guide's example id 308)", () => {
    expect(findBank("308")).toBeUndefined()
    expect(findBank("308", [GUIDE_EXAMPLE_BANK])).toEqual(GUIDE_EXAMPLE_BANK)
  })

  it("returns undefined for unknown ids, and does not match ids loosely", () => {
    expect(findBank("999")).toBeUndefined()
    expect(findBank("")).toBeUndefined()
    expect(findBank("0193")).toBeUndefined()
    expect(findBank(" 193")).toBeUndefined()
  })
})

describe("limits", () => {
  it("allows NGN sales from 1.00 to 500,000.00 (100 to 50,000,000 kobo)", () => {
    expect(NGN_LIMITS.sale).toEqual({ min: 100, max: 50_000_000 })
  })

  it("allows NGN payouts from 100.00 to 1,000.00 (10,000 to 100,000 kobo)", () => {
    expect(NGN_LIMITS.payout).toEqual({ min: 10_000, max: 100_000 })
  })

  it("uses the NGN limits as the only defaults", () => {
    expect(DEFAULT_SALE_LIMITS).toEqual({ NGN: { min: 100, max: 50_000_000 } })
    expect(DEFAULT_PAYOUT_LIMITS).toEqual({ NGN: { min: 10_000, max: 100_000 } })
  })

  it("cannot be modified at runtime", () => {
    expect(Object.isFrozen(NGN_LIMITS)).toBe(true)
    expect(Object.isFrozen(NGN_LIMITS.sale)).toBe(true)
    expect(Object.isFrozen(NGN_LIMITS.payout)).toBe(true)
    expect(Object.isFrozen(DEFAULT_SALE_LIMITS)).toBe(true)
    expect(Object.isFrozen(DEFAULT_PAYOUT_LIMITS)).toBe(true)
  })
})

describe("describeGateCode", () => {
  it("describes the refund-over-init code 3283 with the guide's message", () => {
    expect(describeGateCode("3283")).toBe("Refund amount more than init amount")
  })

  it("describes the merchant-balance code 3028 with the guide's message", () => {
    expect(describeGateCode("3028")).toBe("Insufficient funds on merchant balance")
  })

  it("accepts numeric codes as well as strings", () => {
    expect(describeGateCode(3283)).toBe("Refund amount more than init amount")
    expect(describeGateCode(0)).toBe("Success")
  })

  it("returns undefined for unknown or missing codes", () => {
    expect(describeGateCode("99999")).toBeUndefined()
    expect(describeGateCode(undefined)).toBeUndefined()
    expect(describeGateCode(null)).toBeUndefined()
  })

  it("has a message for every code the plugin acts on", () => {
    for (const code of Object.values(GATE_CODES)) {
      expect({ code, message: GATE_CODE_MESSAGES[code] }).toEqual({ code, message: expect.any(String) })
    }
  })

  it("names the codes from the guide consistently with their messages", () => {
    expect(GATE_CODES.REFUND_MORE_THAN_INIT).toBe("3283")
    expect(GATE_CODES.INSUFFICIENT_MERCHANT_BALANCE).toBe("3028")
    expect(GATE_CODES.SUCCESS).toBe("0")
  })
})
