import { finishFlutterwavePayment, FlutterwavePaymentError, type FlutterwaveErrorCode } from "../index"
import { cartError, FakeMedusa, GATE_REDIRECT, HttpError, order, pending } from "./fake-medusa"

async function expectCode(promise: Promise<unknown>, code: FlutterwaveErrorCode): Promise<FlutterwavePaymentError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(FlutterwavePaymentError)
    expect((error as FlutterwavePaymentError).code).toBe(code)
    return error as FlutterwavePaymentError
  }
  throw new Error("expected a FlutterwavePaymentError, but the call succeeded")
}

/** A cart with one Flutterwave session that came back from Flutterwave's page. */
function returned(): FakeMedusa {
  const medusa = new FakeMedusa()
  medusa.addSession({ id: "payses_1" })
  return medusa
}

const routeCalls = (medusa: FakeMedusa) => medusa.calls.filter((c) => c.startsWith("GET")).length
const completeCalls = (medusa: FakeMedusa) => medusa.calls.filter((c) => c.startsWith("complete")).length

describe("finishFlutterwavePayment", () => {
  it("waits for the result, then completes the cart and returns the order", async () => {
    const medusa = returned()
    medusa.script("payses_1", pending(), GATE_REDIRECT, { status: "succeeded" })
    medusa.completions.push(order("order_9"))

    const outcome = await finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "payses_1", result: "success", pollIntervalMs: 5 })

    expect(outcome).toEqual({ status: "order", order: { id: "order_9" } })
    expect(medusa.calls).toEqual([
      "retrieve cart_1",
      "GET /store/flutterwave/payment-sessions/payses_1",
      "GET /store/flutterwave/payment-sessions/payses_1",
      "GET /store/flutterwave/payment-sessions/payses_1",
      "complete cart_1",
    ])
  })

  it("returns Gate's decline, readable, without completing the cart", async () => {
    const medusa = returned()
    medusa.script("payses_1", { status: "declined", message: "Flutterwave declined the payment: Insufficient funds (code 20105)", code: "20105" })
    const outcome = await finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "payses_1", result: "decline" })
    expect(outcome).toEqual({ status: "declined", message: "Flutterwave declined the payment: Insufficient funds (code 20105)", code: "20105" })
    expect(completeCalls(medusa)).toBe(0)
  })

  it("answers cancelled, with the way back to the page, when the shopper left it without paying", async () => {
    const medusa = returned()
    medusa.script("payses_1", GATE_REDIRECT)
    const outcome = await finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "payses_1", result: "return", pollIntervalMs: 5 })
    expect(outcome.status).toBe("cancelled")
    expect(outcome).toMatchObject({ message: expect.stringMatching(/nothing has been charged/), redirect: { method: "POST", url: "https://flutterwave.example/pay" } })
    expect(routeCalls(medusa)).toBe(2) // one more look, in case the result callback was racing the shopper back
    expect(completeCalls(medusa)).toBe(0)
  })

  it("a payment that ended while the shopper was coming back wins over `return`", async () => {
    const medusa = returned()
    medusa.script("payses_1", pending(), { status: "succeeded" })
    medusa.completions.push(order())
    const outcome = await finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "payses_1", result: "return", pollIntervalMs: 5 })
    expect(outcome.status).toBe("order")
  })

  it("completes the cart anyway when the result stays unknown (callback late or lost): Medusa asks Gate", async () => {
    const medusa = returned()
    medusa.script("payses_1", GATE_REDIRECT)
    medusa.completions.push(cartError("Payment authorization failed"), order("order_late"))

    const outcome = await finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "payses_1", result: "success", pollIntervalMs: 5 })

    expect(outcome).toEqual({ status: "order", order: { id: "order_late" } })
    expect(completeCalls(medusa)).toBe(2)
    expect(routeCalls(medusa)).toBe(10)
  })

  it("reports cart_not_completed with Medusa's reason when a paid cart is refused three times", async () => {
    const medusa = returned()
    medusa.script("payses_1", { status: "succeeded" })
    medusa.completions.push(cartError("Some variant does not have the required inventory"))
    const error = await expectCode(
      finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "payses_1", pollIntervalMs: 5 }),
      "cart_not_completed"
    )
    expect(error.message).toBe("The payment succeeded, but the order could not be placed: Some variant does not have the required inventory")
    expect(completeCalls(medusa)).toBe(3)
  })

  it("asks again when completing fails for a passing reason", async () => {
    const medusa = returned()
    medusa.script("payses_1", { status: "succeeded" })
    medusa.completions.push(new HttpError(502, "Bad Gateway"), order())
    expect((await finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "payses_1", pollIntervalMs: 5 })).status).toBe("order")
  })

  it("gives up with timeout while the payment is still open", async () => {
    const medusa = returned()
    medusa.script("payses_1", pending(50))
    medusa.completions.push(cartError("Payment authorization failed"))
    const error = await expectCode(
      finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "payses_1", timeoutMs: 400, pollIntervalMs: 5 }),
      "timeout"
    )
    expect(error.message).toMatch(/No answer about the Flutterwave payment within 0\.4 s/)
    expect(error.sessionId).toBe("payses_1")
  })

  it("refuses a session that is not this cart's, not Flutterwave's, unknown or malformed", async () => {
    const medusa = returned()
    await expectCode(finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "payses_other" }), "no_session")
    medusa.addSession({ id: "payses_manual", provider_id: "pp_system_default" })
    await expectCode(finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "payses_manual" }), "not_flutterwave")
    await expectCode(finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "payses_1" }), "no_session") // the route 404s
    await expectCode(finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "../admin" }), "no_session")
    await expectCode(finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_nope", sessionId: "payses_1" }), "no_cart")
    expect(completeCalls(medusa)).toBe(0)
  })

  it("stops when the caller aborts", async () => {
    const medusa = returned()
    medusa.script("payses_1", pending(10_000))
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    await expectCode(finishFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", sessionId: "payses_1", signal: controller.signal }), "aborted")
  })
})
