import { isStillMoving, operationOutcome, paymentOutcome } from "../status"
import { toRailPayment } from "../ecommpay-rail"

describe("the one Gate status table", () => {
  it.each([
    ["success", "success"],
    ["decline", "decline"],
    ["expired", "decline"],
    ["internal error", "decline"],
    ["external error", "decline"],
    ["cancelled", "decline"],
    ["canceled", "decline"],
    ["processing", "pending"],
    ["external processing", "pending"],
    ["awaiting redirect result", "pending"],
    ["awaiting customer", "pending"],
    ["something new", "pending"],
  ])("operation %s → %s", (status, outcome) => {
    expect(operationOutcome(status)).toBe(outcome)
  })

  it("keeps a refunded payment paid, and knows what may still change", () => {
    expect(paymentOutcome("refunded")).toBe("success")
    expect(paymentOutcome("partially refunded")).toBe("success")
    expect(paymentOutcome("cancelled")).toBe("decline")
    expect(isStillMoving("awaiting customer")).toBe(true)
    expect(isStillMoving("partially refunded")).toBe(false)
    expect(isStillMoving("decline")).toBe(false)
  })

  it("the rail reads a cancelled sale as a decline, for the store route, the provider and callbacks alike (review #19)", () => {
    const payment = toRailPayment({
      payment: { id: "p", type: "purchase", status: "cancelled", sum: { amount: 100, currency: "NGN" } } as never,
      operations: [{ id: "1", type: "sale", status: "cancelled" as never, sumInitial: { amount: 100, currency: "NGN" } }],
      errors: [{ code: "20301", message: "Cancelled by the customer" }],
    })
    expect(payment).toMatchObject({ outcome: "decline", code: "20301", operations: [{ outcome: "decline", code: "20301" }] })
    expect(operationOutcome("cancelled")).toBe("decline")
  })
})
