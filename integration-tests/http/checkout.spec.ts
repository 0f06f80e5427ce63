import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { FLUTTERWAVE_MODULE } from "../../src/modules/flutterwave"
import { useGateSandbox } from "../helpers/sandbox"
import { orderForCart, redirectFor, prepareStore, startCheckout, waitFor, type Store } from "../helpers/store"

jest.setTimeout(240_000)

const { sandbox } = useGateSandbox()

/** The shopper's browser on Flutterwave's page: a POST of the page's own form. */
async function shopperPays(url: string, choice: "confirm" | "cancel" = "confirm"): Promise<string | null> {
  const response = await fetch(`${url}/${choice}`, { method: "POST", redirect: "manual" })
  return response.headers.get("location")
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let ngnVariant: string

    beforeAll(async () => {
      ;({ store, variant: ngnVariant } = await prepareStore(api, getContainer(), sandbox()))
    })

    describe("checkout in NGN", () => {
      it("redirects the shopper to Flutterwave, and the signed callback places and captures the order", async () => {
        const checkout = await startCheckout(api, store, { currency: "ngn", variantId: ngnVariant, quantity: 2 })
        expect(checkout.session.data).toMatchObject({
          gate_payment_id: checkout.sessionId,
          amount_minor: 300_100,
          currency: "NGN",
          redirect_status_url: `/store/flutterwave/payment-sessions/${checkout.sessionId}`,
        })
        expect(JSON.stringify(checkout.session.data)).not.toContain(process.env.FLUTTERWAVE_SECRET_KEY)
        // Gate received exactly the kobo amount, signed.
        expect(sandbox().payment(checkout.sessionId)?.initialSum).toEqual({ amount: 300_100, currency: "NGN" })

        const answer = await redirectFor(api, store, checkout.sessionId)
        expect(answer).toEqual({
          status: "redirect",
          redirect: { method: "GET", url: `${sandbox().url}/pay/${checkout.sessionId}`, body: {} },
        })
        await shopperPays(answer.redirect.url)

        const order = await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
        const payment = order.payment_collections[0].payments[0]
        expect(order.total).toBe(3001)
        expect(payment.provider_id).toBe("pp_flutterwave_flutterwave")
        expect(payment.captured_at).toBeTruthy()
        expect(payment.captures.map((c: any) => c.amount)).toEqual([3001])
        expect(payment.data.gate_status).toBe("success")

        // The shopper comes back afterwards: completing again returns the same order, nothing doubles.
        const again = await api.post(`/store/carts/${checkout.cartId}/complete`, {}, store.store)
        expect(again.data).toMatchObject({ type: "order", order: { id: order.id } })
        expect((await api.get(`/store/flutterwave/payment-sessions/${checkout.sessionId}`, store.store)).data).toEqual({
          status: "succeeded",
        })
        expect(sandbox().engine.requests.filter((r) => r.operation === "sale" && r.paymentId === checkout.sessionId)).toHaveLength(1)
      })

      it("completes when the shopper returns before the callback (the callback comes late and changes nothing)", async () => {
        sandbox().script({ operation: "sale", callback: { delayMs: 1500 } })
        const checkout = await startCheckout(api, store, { currency: "ngn", variantId: ngnVariant })
        // The redirect callback is delayed too, so the storefront falls back to asking Gate through our route.
        const answer = await redirectFor(api, store, checkout.sessionId)
        expect(answer.status).toBe("redirect")
        await shopperPays(answer.redirect.url)

        const completed = await api.post(`/store/carts/${checkout.cartId}/complete`, {}, store.store)
        expect(completed.data.type).toBe("order")
        const orderId = completed.data.order.id

        await sandbox().callbacksDelivered()
        const order = await orderForCart(api, getContainer(), store, checkout.cartId)
        expect(order.id).toBe(orderId)
        expect(order.payment_collections[0].payments).toHaveLength(1)
        expect(order.payment_collections[0].payments[0].captures).toHaveLength(1)
      })

      it("completes the order from the callback alone when the shopper never comes back", async () => {
        const checkout = await startCheckout(api, store, { currency: "ngn", variantId: ngnVariant })
        const answer = await redirectFor(api, store, checkout.sessionId)
        await shopperPays(answer.redirect.url)
        // No call to /store/carts/:id/complete at all.
        const order = await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
        expect(order.payment_collections[0].payments[0].captured_at).toBeTruthy()
        expect(order.payment_status).toBe("captured")
      })

      it("shows the shopper Flutterwave's decline and places no order", async () => {
        // Flutterwave declines the shopper's bank payment (scripted for the next sale Gate receives).
        sandbox().script({ operation: "sale", outcome: "decline", code: "20105" })
        const checkout = await startCheckout(api, store, { currency: "ngn", variantId: ngnVariant })
        const answer = await waitFor(async () => {
          const a = await api.get(`/store/flutterwave/payment-sessions/${checkout.sessionId}`, store.store)
          return a.data.status === "declined" ? a.data : undefined
        })
        expect(answer).toEqual({
          status: "declined",
          code: "20105",
          message: "Flutterwave declined the payment: Insufficient funds on customer account (code 20105)",
        })
        const completed = await api.post(`/store/carts/${checkout.cartId}/complete`, {}, store.store).catch((e: any) => e.response)
        expect(completed.status).toBeGreaterThanOrEqual(400)
        expect(await orderForCart(api, getContainer(), store, checkout.cartId)).toBeUndefined()
        // authorizePayment answers Medusa's error status (it does not throw), so Medusa marks the session as failed
        // (reconciliation never asks about it again) and keeps the shopper's readable reason in its data.
        const [session] = await getContainer().resolve(Modules.PAYMENT).listPaymentSessions({ id: checkout.sessionId })
        expect(session.status).toBe("error")
        expect(session.data).toMatchObject({
          decline_code: "20105",
          decline_message: "Flutterwave declined the payment: Insufficient funds on customer account (code 20105)",
        })
      })

      it("declines on the page when the shopper cancels, and sends them back to the store's decline page", async () => {
        const checkout = await startCheckout(api, store, { currency: "ngn", variantId: ngnVariant })
        const answer = await redirectFor(api, store, checkout.sessionId)
        const location = await shopperPays(answer.redirect.url, "cancel")
        expect(location).toContain(`/pay/${checkout.sessionId}/result`)
        await sandbox().callbacksDelivered()
        const operations = await getContainer().resolve<any>(FLUTTERWAVE_MODULE).listGateOperations({ gate_payment_id: checkout.sessionId })
        expect(operations.map((op: any) => [op.kind, op.status, op.code])).toEqual([["sale", "decline", "20301"]])
      })
    })

    describe("currencies and limits", () => {
      // Medusa gives TZS no decimals, ISO 4217 and Gate give it two; UGX has none anywhere.
      const cases = [
        ["kes", 2499.99, 249_999],
        ["ghs", 120.5, 12_050],
        ["tzs", 25_000, 2_500_000],
        ["ugx", 150_000, 150_000],
        ["usd", 19.99, 1_999],
        ["zar", 349.95, 34_995],
      ] as const
      it.each(cases)("takes %s: %s is sent to Gate as %s minor units and the order completes", async (currency, price, minor) => {
        const variant = await store.product(currency, price)
        const checkout = await startCheckout(api, store, { currency, variantId: variant })
        expect(checkout.session.data).toMatchObject({ amount_minor: minor, currency: currency.toUpperCase() })
        expect(sandbox().payment(checkout.sessionId)?.initialSum).toEqual({ amount: minor, currency: currency.toUpperCase() })
        const answer = await redirectFor(api, store, checkout.sessionId)
        await shopperPays(answer.redirect.url)
        const order = await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
        expect(order.currency_code).toBe(currency)
        expect(order.payment_collections[0].payments[0].amount).toBe(price)
      })

      it.each([
        ["an unsupported currency (EUR)", "eur", 10, 'Currency "eur" is not supported by Flutterwave'],
        ["an amount below the NGN minimum", "ngn", 0.5, "Flutterwave takes payments from 1.00 to 500000.00 NGN"],
        ["an amount above the NGN maximum", "ngn", 500_000.01, "Flutterwave takes payments from 1.00 to 500000.00 NGN"],
      ] as const)("refuses %s when the session is created, before Gate is called", async (_name, currency, price, message) => {
        const variant = await store.product(currency, price)
        const before = sandbox().engine.requests.length
        const error = await startCheckout(api, store, { currency, variantId: variant }).catch((e) => e)
        expect(error.response?.status).toBe(400)
        expect(error.response.data.message).toContain(message)
        expect(sandbox().engine.requests.length).toBe(before)
      })

      it("refuses a cart without an email: Flutterwave needs one", async () => {
        const error = await startCheckout(api, store, { currency: "ngn", variantId: ngnVariant, email: null }).catch((e) => e)
        expect(error.response?.status).toBe(400)
        expect(error.response.data.message).toContain("email is required")
      })
    })

    describe("Gate faults during the sale", () => {
      it("asks status after a timeout instead of sending the sale again: one payment at Gate", async () => {
        // Longer than the provider's Gate timeout (FLUTTERWAVE_TIMEOUT_MS in the test setup): Gate processes, we hear nothing.
        sandbox().script({ operation: "sale", hangMs: 2_500 })
        const checkout = await startCheckout(api, store, { currency: "ngn", variantId: ngnVariant })
        expect(checkout.session.data.amount_minor).toBe(150_050)
        const sales = sandbox().engine.requests.filter((r) => r.operation === "sale" && r.paymentId === checkout.sessionId)
        expect(sales).toHaveLength(1)
        const statuses = sandbox().engine.requests.filter((r) => r.operation === "status" && r.paymentId === checkout.sessionId)
        expect(statuses.length).toBeGreaterThanOrEqual(1)
        const answer = await redirectFor(api, store, checkout.sessionId)
        await shopperPays(answer.redirect.url)
        const order = await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
        expect(order.payment_collections[0].payments).toHaveLength(1)
      })

      it("resends the sale only when status proves Gate never got it (a 5xx before processing)", async () => {
        sandbox().script({ operation: "sale", httpStatus: 503, process: false })
        const checkout = await startCheckout(api, store, { currency: "ngn", variantId: ngnVariant })
        const requests = sandbox().engine.requests.filter((r) => r.paymentId === checkout.sessionId).map((r) => [r.operation, r.httpStatus])
        expect(requests).toEqual([
          ["sale", 503],
          ["status", 400],
          ["sale", 200],
        ])
        expect(sandbox().payment(checkout.sessionId)?.operations).toHaveLength(1)
      })
    })
  },
})
