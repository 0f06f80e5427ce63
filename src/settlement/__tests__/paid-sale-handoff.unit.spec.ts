import { handedOffPaidSale, withPaidSaleHandedOff } from "../paid-sale-handoff"

describe("paid sale hand-off (intake → provider's authorisation)", () => {
  const sale = { gatePaymentId: "payses_1", amount: 150_050, currency: "NGN" }

  it("holds the sale only while the completion runs", async () => {
    expect(handedOffPaidSale("payses_1")).toBeUndefined()
    const seen = await withPaidSaleHandedOff(sale, async () => handedOffPaidSale("payses_1"))
    expect(seen).toEqual(sale)
    expect(handedOffPaidSale("payses_1")).toBeUndefined()
  })

  it("lets go after a failed completion too", async () => {
    await expect(withPaidSaleHandedOff(sale, async () => Promise.reject(new Error("cart step failed")))).rejects.toThrow("cart step failed")
    expect(handedOffPaidSale("payses_1")).toBeUndefined()
  })

  it("keeps the sale until the last of overlapping completions ends", async () => {
    let releaseFirst!: () => void
    const first = withPaidSaleHandedOff(sale, () => new Promise<void>((resolve) => (releaseFirst = resolve)))
    await withPaidSaleHandedOff(sale, async () => undefined)
    expect(handedOffPaidSale("payses_1")).toEqual(sale)
    releaseFirst()
    await first
    expect(handedOffPaidSale("payses_1")).toBeUndefined()
  })

  it("is per sale", async () => {
    await withPaidSaleHandedOff(sale, async () => {
      expect(handedOffPaidSale("payses_2")).toBeUndefined()
    })
  })
})
