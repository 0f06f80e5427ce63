import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { FLUTTERWAVE_MODULE } from "../../src/modules/flutterwave"
import { verifyPaymentPageQuery } from "../../src/rails/ecommpay/payment-page"
import { reconcile } from "../../src/settlement/reconcile"
import { TEST_SECRET_KEY, forgetGatePayments, useGateSandbox } from "../helpers/sandbox"
import { expectEveryPaidSaleSettled, explainApiError, orderForCart, redirectFor, seedRealisticStore, type RealisticStore } from "../helpers/store"

jest.setTimeout(240_000)

const { sandbox } = useGateSandbox({}, { checkout: "payment_page" })

/**
 * Issue 10: the Payment Page checkout, the plugin's default (no PCI DSS certificate needed). The storefront gets a
 * signed ECommPay Payment Page URL at once; Gate creates the payment when the shopper opens it; the callbacks, the
 * ledger, refunds and reconciliation are those of a Gate sale. On the realistic store (7.5 % VAT), each test ending
 * with the ledger check.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let shop: RealisticStore
    let variant: string

    beforeAll(async () => {
      shop = await seedRealisticStore(api, getContainer(), sandbox())
      variant = await shop.product("ngn", 1001)
    })

    afterEach(() => forgetGatePayments(sandbox()))

    const settled = () => expectEveryPaidSaleSettled(getContainer(), sandbox())
    const flutterwave = () => getContainer().resolve<any>(FLUTTERWAVE_MODULE)

    /** A taxed cart with a Flutterwave session, and the store route's first answer. */
    async function startPaying() {
      const checkout = await shop.checkout({ currency: "ngn", items: [{ variantId: variant }] })
      const answer = await redirectFor(api, shop, checkout.sessionId)
      return { checkout, answer }
    }

    const openPage = (url: string) => fetch(url, { redirect: "manual" })
    const decide = (sessionId: string, action: "confirm" | "cancel") =>
      fetch(`${sandbox().url}/pay/${encodeURIComponent(sessionId)}/${action}`, { method: "POST", redirect: "manual" })

    it("answers the signed Payment Page at once; Gate creates the payment when the page opens; paying places the order", async () => {
      const { checkout, answer } = await startPaying()
      expect(answer).toMatchObject({ status: "redirect", redirect: { method: "GET", body: {} } })
      const url = new URL(answer.redirect.url)
      expect(`${url.origin}${url.pathname}`).toBe(`${sandbox().url}/payment`)
      // What we signed: the rounded total in kobo, Flutterwave preselected, our session as Gate's payment id.
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        payment_id: checkout.sessionId,
        payment_amount: "107608",
        payment_currency: "NGN",
        force_payment_method: "flutterwave",
        customer_email: "ada@example.ng",
      })
      expect(verifyPaymentPageQuery(url.searchParams, TEST_SECRET_KEY)).toBe(true)
      // For stores that embed the page: the same signed set, without frame_mode (the storefront's choice, unsigned).
      const widget = checkout.session.data.widget_params
      expect(widget).toMatchObject({ payment_id: checkout.sessionId, payment_amount: 107608, signature: url.searchParams.get("signature") })
      expect(widget.frame_mode).toBeUndefined()
      // No sale was sent to Gate: the shopper's browser opens the page (Gate, asked, does not know the payment yet).
      const asked = sandbox().engine.requests.filter((r) => r.paymentId === checkout.sessionId)
      expect(asked.filter((r) => r.operation !== "status")).toEqual([])
      expect(asked.every((r) => r.code === "3061")).toBe(true)
      expect(sandbox().payment(checkout.sessionId)).toBeUndefined()

      const page = await openPage(answer.redirect.url)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('data-testid="pay"')
      expect(sandbox().payment(checkout.sessionId)).toMatchObject({ initialSum: { amount: 107_608, currency: "NGN" } })

      expect((await decide(checkout.sessionId, "confirm")).status).toBe(303)
      const placed = await waitForOrder(checkout.cartId)
      expect(placed.payment_collections[0].payments[0].payment_session_id).toBe(checkout.sessionId)
      expect((await api.get(`/store/flutterwave/payment-sessions/${checkout.sessionId}`, shop.store)).data).toEqual({ status: "succeeded" })
      await settled()
    })

    async function waitForOrder(cartId: string): Promise<any> {
      const deadline = Date.now() + 15_000
      while (Date.now() < deadline) {
        const order = await orderForCart(api, getContainer(), shop, cartId)
        if (order) return order
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      throw new Error(`no order for cart ${cartId}`)
    }

    it("shows Flutterwave's reason when the shopper declines on the page, and places no order", async () => {
      const { checkout, answer } = await startPaying()
      await openPage(answer.redirect.url)
      expect((await decide(checkout.sessionId, "cancel")).status).toBe(303)
      await sandbox().callbacksDelivered()
      const final = (await api.get(`/store/flutterwave/payment-sessions/${checkout.sessionId}`, shop.store)).data
      expect(final).toMatchObject({ status: "declined", message: expect.stringMatching(/^Flutterwave declined the payment: .+\(code \d+\)$/) })
      expect(await orderForCart(api, getContainer(), shop, checkout.cartId)).toBeUndefined()
      await settled()
    })

    it("a tampered page URL is refused by the page and creates no payment", async () => {
      const { checkout, answer } = await startPaying()
      const tampered = new URL(answer.redirect.url)
      tampered.searchParams.set("payment_amount", "100")
      const refused = await openPage(tampered.toString())
      expect(refused.status).toBe(400)
      expect(await refused.text()).toMatch(/signature/i)
      expect(sandbox().payment(checkout.sessionId)).toBeUndefined()
    })

    it("a shopper who never opens the page: Gate answers 3061, the sale stays pending, and once the page expired it is declined", async () => {
      const { checkout } = await startPaying()
      // Reconciliation now: Gate has no such payment yet; nothing is decided.
      const early = await reconcile(getContainer(), "manual")
      expect(early.items.find((i) => i.gate_payment_id === checkout.sessionId)).toMatchObject({ after: "not at Gate" })
      const [pending] = await flutterwave().listGateOperations({ kind: "sale", gate_payment_id: checkout.sessionId })
      expect(pending.status).toBe("pending")

      // An hour later (the page's best_before passed): declined, and nothing asks about it again.
      const later = await reconcile(getContainer(), "manual", new Date(Date.now() + 55 * 60 * 1000))
      expect(later.items.find((i) => i.gate_payment_id === checkout.sessionId)).toMatchObject({ after: "decline" })
      const [declined] = await flutterwave().listGateOperations({ kind: "sale", gate_payment_id: checkout.sessionId })
      expect(declined).toMatchObject({ status: "decline", code: "3061" })
      expect((await api.get(`/store/flutterwave/payment-sessions/${checkout.sessionId}`, shop.store)).data).toMatchObject({ status: "declined" })
    })

    it("a page paid after it was declined as never paid still ends in an order: the money is real", async () => {
      const { checkout, answer } = await startPaying()
      await reconcile(getContainer(), "manual", new Date(Date.now() + 55 * 60 * 1000))
      const [declined] = await flutterwave().listGateOperations({ kind: "sale", gate_payment_id: checkout.sessionId })
      expect(declined).toMatchObject({ status: "decline", code: "3061" })

      // ECommPay took the shopper's money after all (a page opened just before it expired).
      await openPage(answer.redirect.url)
      await decide(checkout.sessionId, "confirm")
      const order = await waitForOrder(checkout.cartId)
      expect(order.payment_collections[0].payments[0].payment_session_id).toBe(checkout.sessionId)
      const [paid] = await flutterwave().listGateOperations({ kind: "sale", gate_payment_id: checkout.sessionId })
      expect(paid.status).toBe("success")
      await settled()
    })

    it("refunds a Payment Page payment through Gate, exactly as a Gate sale", async () => {
      const { checkout, answer } = await startPaying()
      await openPage(answer.redirect.url)
      await decide(checkout.sessionId, "confirm")
      const order = await waitForOrder(checkout.cartId)
      const paymentId = order.payment_collections[0].payments[0].id
      const refund = await api.post(`/admin/payments/${paymentId}/refund`, { amount: 1076.075 }, shop.admin).catch(explainApiError("refund"))
      expect(refund.status).toBe(200)
      await sandbox().callbacksDelivered()
      expect(sandbox().payment(checkout.sessionId)).toMatchObject({ status: "refunded", sum: { amount: 0 } })
      await settled()
    })

    it("never builds a page for a cart without an email", async () => {
      const created = await api
        .post("/store/carts", { region_id: shop.regions.ngn, items: [{ variant_id: variant, quantity: 1 }], sales_channel_id: shop.salesChannelId }, shop.store)
        .catch(explainApiError("POST /store/carts"))
      const cartId = created.data.cart.id
      const collection = await api.post("/store/payment-collections", { cart_id: cartId }, shop.store).catch(explainApiError("collection"))
      const session = await api
        .post(`/store/payment-collections/${collection.data.payment_collection.id}/payment-sessions`, { provider_id: "pp_flutterwave_flutterwave" }, shop.store)
        .catch((e: any) => e.response)
      expect(session.status).toBe(400)
      expect(session.data.message).toMatch(/email is required/)
    })
  },
})
