import { FlutterwavePaymentError, startFlutterwavePayment, type FlutterwaveErrorCode } from "../index"
import { FakeMedusa, GATE_REDIRECT, HttpError, pending } from "./fake-medusa"

async function failure(promise: Promise<unknown>): Promise<FlutterwavePaymentError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(FlutterwavePaymentError)
    return error as FlutterwavePaymentError
  }
  throw new Error("expected a FlutterwavePaymentError, but the call succeeded")
}

async function expectCode(promise: Promise<unknown>, code: FlutterwaveErrorCode): Promise<FlutterwavePaymentError> {
  const error = await failure(promise)
  expect(error.code).toBe(code)
  return error
}

describe("startFlutterwavePayment", () => {
  it("creates the Flutterwave session, waits out `pending` and returns Gate's redirect", async () => {
    const medusa = new FakeMedusa()
    medusa.script("payses_new1", pending(), pending(), GATE_REDIRECT)

    const start = await startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", data: { ip_address: "203.0.113.7" } })

    expect(start).toEqual({
      sessionId: "payses_new1",
      redirect: { method: "POST", url: "https://flutterwave.example/pay", body: { token: "t1", amount: "150050" } },
    })
    expect(medusa.calls).toEqual([
      "retrieve cart_1",
      "initiate pp_flutterwave_flutterwave",
      "GET /store/flutterwave/payment-sessions/payses_new1",
      "GET /store/flutterwave/payment-sessions/payses_new1",
      "GET /store/flutterwave/payment-sessions/payses_new1",
    ])
    expect(medusa.cart.payment_collection?.payment_sessions[0].data).toEqual({ ip_address: "203.0.113.7" })
  })

  it("honours retry_after_ms between polls", async () => {
    const medusa = new FakeMedusa()
    medusa.script("payses_new1", pending(120), GATE_REDIRECT)
    const began = Date.now()
    await startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1" })
    expect(Date.now() - began).toBeGreaterThanOrEqual(110)
  })

  it("reuses the cart's pending Flutterwave session when its amount is still the cart total", async () => {
    const medusa = new FakeMedusa(1500.5)
    medusa.addSession({ id: "payses_kept", amount: 1500.5 })
    medusa.script("payses_kept", GATE_REDIRECT)

    const start = await startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1" })

    expect(start.sessionId).toBe("payses_kept")
    expect(medusa.calls.filter((c) => c.startsWith("initiate"))).toEqual([])
  })

  it("starts a new session when the cart total changed, or the kept one is not pending or not Flutterwave", async () => {
    for (const kept of [{ amount: 1400 }, { status: "error" }, { provider_id: "pp_system_default" }]) {
      const medusa = new FakeMedusa(1500.5)
      medusa.addSession({ id: "payses_kept", ...kept })
      medusa.script("payses_kept", GATE_REDIRECT)
      medusa.script("payses_new1", GATE_REDIRECT)
      expect((await startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1" })).sessionId).toBe("payses_new1")
    }
  })

  it("starts a new session when the kept session's payment was declined or expired at Gate", async () => {
    const medusa = new FakeMedusa()
    medusa.addSession({ id: "payses_kept" })
    medusa.script("payses_kept", { status: "declined", message: "Flutterwave declined the payment: expired", code: "20000" })
    medusa.script("payses_new1", GATE_REDIRECT)

    const start = await startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1" })

    expect(start.sessionId).toBe("payses_new1")
    expect(medusa.calls.filter((c) => c.startsWith("initiate"))).toHaveLength(1)
  })

  it("does not reuse a Payment Page session whose signed page is about to expire", async () => {
    const medusa = new FakeMedusa()
    const soon = new Date(Date.now() + 30_000).toISOString()
    medusa.addSession({ id: "payses_kept", data: { widget_params: { best_before: soon, signature: "s" } } })
    medusa.script("payses_new1", GATE_REDIRECT)
    expect((await startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1" })).sessionId).toBe("payses_new1")
  })

  it("Payment Page mode: returns the signed page and the widget parameters from the session data", async () => {
    const medusa = new FakeMedusa()
    const widget_params = { project_id: 102, payment_id: "payses_new1", payment_amount: 150050, close_on_missclick: true, signature: "c2ln" }
    medusa.newSessionData = { checkout: "payment_page", redirect_url: "https://paymentpage.ecommpay.com/payment?payment_id=payses_new1&signature=c2ln", widget_params }
    // A store route that answers the page itself, and one that only says "pending": both lead to the page.
    for (const answer of [{ status: "redirect", redirect: { method: "GET", url: medusa.newSessionData.redirect_url, body: {} } }, pending(1000)]) {
      medusa.cart.payment_collection = undefined
      medusa.script("payses_new1", answer)
      medusa.script("payses_new2", answer)
      const start = await startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1" })
      expect(start.redirect).toEqual({ method: "GET", url: medusa.newSessionData.redirect_url, body: {} })
      expect(start.widgetParams).toEqual(widget_params)
    }
  })

  it("says already_paid when the kept session is paid, with its id to finish the order", async () => {
    const medusa = new FakeMedusa()
    medusa.addSession({ id: "payses_kept" })
    medusa.script("payses_kept", { status: "succeeded" })
    const error = await expectCode(startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1" }), "already_paid")
    expect(error.sessionId).toBe("payses_kept")
  })

  it("throws declined with Gate's reason when a new session is declined", async () => {
    const medusa = new FakeMedusa()
    medusa.script("payses_new1", pending(), { status: "declined", message: "Flutterwave declined the payment: Invalid email (code 3028)", code: "3028" })
    const error = await expectCode(startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1" }), "declined")
    expect(error.message).toBe("Flutterwave declined the payment: Invalid email (code 3028)")
    expect(error.declineCode).toBe("3028")
  })

  it("gives up with timeout when the page address never comes, quoting the last problem", async () => {
    const medusa = new FakeMedusa()
    medusa.script("payses_new1", pending(20), new HttpError(503, "Service Unavailable"))
    const began = Date.now()
    const error = await expectCode(startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", timeoutMs: 2_500 }), "timeout")
    expect(Date.now() - began).toBeLessThan(3_000)
    expect(error.message).toMatch(/within 2\.5 s \(last problem: Service Unavailable\)/)
    expect(error.sessionId).toBe("payses_new1")
  })

  it("asks again after a network failure or a 5xx", async () => {
    const medusa = new FakeMedusa()
    medusa.script("payses_new1", new TypeError("Failed to fetch"), GATE_REDIRECT)
    expect((await startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", timeoutMs: 5_000 })).redirect.url).toBe("https://flutterwave.example/pay")
  })

  it("stops at once when the caller aborts", async () => {
    const medusa = new FakeMedusa()
    medusa.script("payses_new1", pending(10_000))
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const began = Date.now()
    await expectCode(startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", signal: controller.signal }), "aborted")
    expect(Date.now() - began).toBeLessThan(1_000)
  })

  it("passes Medusa's refusal on as request_failed with its message", async () => {
    const medusa = new FakeMedusa()
    medusa.initiateError = new HttpError(400, "Flutterwave: the customer's email is required to pay with Flutterwave; add an email to the cart")
    const error = await expectCode(startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1" }), "request_failed")
    expect(error.message).toMatch(/add an email to the cart/)
  })

  it("refuses a provider id that is not Flutterwave, an unknown cart and an ordered cart", async () => {
    const medusa = new FakeMedusa()
    await expectCode(startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1", providerId: "pp_stripe_stripe" }), "not_flutterwave")
    await expectCode(startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_nope" }), "no_cart")
    medusa.cart.completed_at = new Date().toISOString()
    await expectCode(startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1" }), "cart_completed")
    expect(medusa.calls.filter((c) => c.startsWith("initiate"))).toEqual([])
  })

  it("refuses a store route answer it does not know, and a redirect that is not http(s)", async () => {
    const medusa = new FakeMedusa()
    medusa.script("payses_new1", { status: "teleport" })
    await expectCode(startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1" }), "unexpected_answer")
    medusa.addSession({ id: "payses_kept" })
    medusa.cart.payment_collection!.payment_sessions = medusa.cart.payment_collection!.payment_sessions.filter((s) => s.id === "payses_kept")
    medusa.script("payses_kept", { status: "redirect", redirect: { method: "GET", url: "javascript:alert(1)", body: {} } })
    await expectCode(startFlutterwavePayment({ sdk: medusa.sdk, cartId: "cart_1" }), "invalid_redirect")
  })
})
