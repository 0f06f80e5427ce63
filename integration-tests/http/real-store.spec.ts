import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { FLUTTERWAVE_MODULE } from "../../src/modules/flutterwave"
import { forgetGatePayments, useGateSandbox } from "../helpers/sandbox"
import {
  expectEveryPaidSaleSettled,
  explainApiError,
  gateMinor,
  orderForCart,
  redirectFor,
  seedRealisticStore,
  sumDecimals,
  type RealisticStore,
} from "../helpers/store"

jest.setTimeout(240_000)

const { sandbox } = useGateSandbox()

/**
 * Issue 8: every paid Gate sale ends in exactly one order or a full refund. A store with VAT, a promotion code,
 * managed inventory and shipping, and the shopper behaviour that breaks naive payment plugins: totals below the minor
 * unit, a cart changed while paying, two sessions for one cart, the last item bought twice, callbacks that come early,
 * late or never. Every test ends with the ledger check over every payment Gate holds.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let shop: RealisticStore

    beforeAll(async () => {
      shop = await seedRealisticStore(api, getContainer(), sandbox())
    })

    afterEach(() => forgetGatePayments(sandbox()))

    const settled = () => expectEveryPaidSaleSettled(getContainer(), sandbox())
    const flutterwave = () => getContainer().resolve<any>(FLUTTERWAVE_MODULE)
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

    /** Polls until `probe` gives a value; on timeout fails saying what was awaited and what was last seen. */
    async function eventually<T>(what: string, probe: () => Promise<T | undefined>, state: () => unknown, timeoutMs = 15_000): Promise<T> {
      const deadline = Date.now() + timeoutMs
      let lastError: unknown
      while (Date.now() < deadline) {
        try {
          const value = await probe()
          if (value !== undefined && value !== null && (value as unknown) !== false) return value
        } catch (error) {
          lastError = error
        }
        await sleep(100)
      }
      let seen: unknown
      try {
        seen = await state()
      } catch (error) {
        seen = `(could not read the state: ${(error as Error).message})`
      }
      throw new Error(
        `${what}: not true after ${timeoutMs} ms. Last seen: ${JSON.stringify(seen)}` +
          (lastError ? `. Last error: ${(lastError as Error).message}` : "")
      )
    }

    /** The Flutterwave page the storefront sends the shopper to, from our store route. */
    async function pageOf(sessionId: string): Promise<string> {
      const answer = await redirectFor(api, shop, sessionId)
      if (answer.status !== "redirect") throw new Error(`expected a redirect for ${sessionId}, the store route answered ${JSON.stringify(answer)}`)
      return answer.redirect.url
    }

    /** The shopper's browser pays on Flutterwave's page (the page's own form POST). */
    async function pays(pageUrl: string): Promise<void> {
      const response = await fetch(`${pageUrl}/confirm`, { method: "POST", redirect: "manual" })
      if (response.status !== 303) throw new Error(`paying on ${pageUrl} answered ${response.status}: ${await response.text()}`)
    }

    function gateFacts(paymentId: string) {
      const payment = sandbox().payment(paymentId)
      if (!payment) return { paymentId, atGate: false }
      return {
        paymentId,
        status: payment.status,
        initialSum: payment.initialSum,
        sum: payment.sum,
        operations: payment.operations.map((op) => [op.type, op.status, op.sumInitial.amount, op.merchantRefundId ?? null]),
      }
    }

    /** Gate refunded the whole sale (successful refunds add up to the charge; nothing left). */
    async function expectFullyRefundedAtGate(paymentId: string, why: string): Promise<void> {
      await eventually(
        `${why}: Gate should have refunded the whole sale ${paymentId}`,
        async () => {
          const payment = sandbox().payment(paymentId)
          if (!payment) return undefined
          const refunded = payment.operations
            .filter((op) => op.type === "refund" && op.status === "success")
            .reduce((sum, op) => sum + op.sumInitial.amount, 0)
          return refunded === payment.initialSum.amount && payment.sum.amount === 0 ? true : undefined
        },
        () => gateFacts(paymentId)
      )
    }

    async function orderIdsOfCart(cartId: string): Promise<string[]> {
      const query = getContainer().resolve("query") as any
      const { data } = await query.graph({ entity: "cart", fields: ["id", "order.id"], filters: { id: cartId } })
      return data.map((c: any) => c.order?.id).filter(Boolean)
    }

    /** GET /admin/flutterwave/attention as an admin; fails with Medusa's answer when the route does not answer 200. */
    async function attentionItems(): Promise<any[]> {
      const response = await api.get("/admin/flutterwave/attention", shop.admin).catch(explainApiError("GET /admin/flutterwave/attention"))
      expect(response.status).toBe(200)
      if (!Array.isArray(response.data?.items)) {
        throw new Error(`GET /admin/flutterwave/attention should answer { items: [...] }, it answered ${JSON.stringify(response.data)}`)
      }
      return response.data.items
    }

    async function expectOrphanAttention(gatePaymentId: string): Promise<void> {
      const items = await eventually(
        `the admin should see an "orphan_payment" attention item for ${gatePaymentId} with its refund`,
        async () => {
          const all = await attentionItems()
          const mine = all.filter((i) => i.kind === "orphan_payment" && i.gate_payment_id === gatePaymentId)
          return mine.length && mine.every((i) => ["success", "pending"].includes(i.refund?.status)) ? mine : undefined
        },
        () => attentionItems()
      )
      expect(items).toHaveLength(1)
      expect(items[0]).toMatchObject({
        kind: "orphan_payment",
        gate_payment_id: gatePaymentId,
        refund: { status: expect.stringMatching(/^(success|pending)$/) },
      })
    }

    /** The cart's order, waited for; fails with the Gate and Medusa facts when none appears. */
    async function orderOf(cartId: string, sessionId: string): Promise<any> {
      return eventually(
        `an order should be placed for cart ${cartId} (session ${sessionId})`,
        () => orderForCart(api, getContainer(), shop, cartId),
        async () => ({
          gate: gateFacts(sessionId),
          callbacks: (await flutterwave().listGateCallbacks({ gate_payment_id: sessionId })).map((c: any) => [c.payment_status, c.outcome, c.reason]),
        })
      )
    }

    describe("taxed and discounted totals: Medusa does not round, Gate takes integers", () => {
      // [name, currency, unit price, promotion, Medusa's unrounded cart total, what Gate must receive]
      const cases = [
        ["NGN, 7.5 % VAT", "ngn", 1001, undefined, 1076.075, 107_608],
        ["NGN, 7.5 % VAT and WELCOME10", "ngn", 1001, "WELCOME10", 968.4675, 96_847],
        ["UGX, 18 % VAT and WELCOME10", "ugx", 33_333, "WELCOME10", 35_399.646, 35_400],
        ["TZS, 18 % VAT and WELCOME10 (whole shillings, sent in cents)", "tzs", 25_001, "WELCOME10", 26_551.062, 2_655_100],
      ] as const

      it.each(cases)("%s: Gate is sent the half-up rounded total, and the order agrees with Gate", async (_name, currency, price, promo, total, minor) => {
        const variant = await shop.product(currency, price)
        const checkout = await shop.checkout({ currency, items: [{ variantId: variant }], promoCode: promo })

        // The store is what we think it is: the tax (and promotion) made a total below the minor unit.
        expect({ total: checkout.cart.total, promotions: (checkout.cart.promotions ?? []).map((p: any) => p.code) }).toEqual({
          total,
          promotions: promo ? [promo] : [],
        })
        expect(gateMinor(checkout.cart.total, currency)).toBe(minor)

        expect(checkout.session.data).toMatchObject({ amount_minor: minor, currency: currency.toUpperCase() })
        expect(sandbox().payment(checkout.sessionId)?.initialSum).toEqual({ amount: minor, currency: currency.toUpperCase() })

        await pays(await pageOf(checkout.sessionId))
        const order = await orderOf(checkout.cartId, checkout.sessionId)
        const payments = order.payment_collections.flatMap((c: any) => c.payments)
        expect(payments).toHaveLength(1)
        expect(payments[0].payment_session_id).toBe(checkout.sessionId)
        expect(payments[0].captures).toHaveLength(1)
        expect(gateMinor(sumDecimals(payments[0].captures.map((c: any) => c.amount)), currency)).toBe(
          sandbox().payment(checkout.sessionId)!.initialSum.amount
        )
        await settled()
      })
    })

    it("the cart changes after the shopper started paying, and both the old and the new page are paid: one order, the old sale refunded", async () => {
      const variant = await shop.product("ngn", 2000)
      const first = await shop.checkout({ currency: "ngn", items: [{ variantId: variant }] })
      const oldPage = await pageOf(first.sessionId)

      // In another tab the shopper adds a second one; Medusa refreshes the collection and deletes the session.
      await shop.addItem(first.cartId, variant, 1)
      const payments = getContainer().resolve(Modules.PAYMENT)
      expect(await payments.listPaymentSessions({ id: first.sessionId })).toEqual([])
      const second = await shop.newPaymentSession(first.collectionId)
      expect(second.sessionId).not.toBe(first.sessionId)
      const cart = await shop.cart(first.cartId)
      expect(second.session.data.amount_minor).toBe(gateMinor(cart.total, "ngn"))
      const newPage = await pageOf(second.sessionId)

      await pays(oldPage)
      await pays(newPage)

      const order = await orderOf(first.cartId, second.sessionId)
      expect(await orderIdsOfCart(first.cartId)).toEqual([order.id])
      const orderPayments = order.payment_collections.flatMap((c: any) => c.payments)
      expect(orderPayments.map((p: any) => p.payment_session_id)).toEqual([second.sessionId])
      await expectFullyRefundedAtGate(first.sessionId, "the old page was paid after Medusa deleted its session")
      await expectOrphanAttention(first.sessionId)
      await settled()
    })

    it("two sessions for one cart (the storefront started a second one), both pages paid: one order, the other refunded", async () => {
      const variant = await shop.product("ngn", 2000)
      const first = await shop.checkout({ currency: "ngn", items: [{ variantId: variant }], promoCode: shop.promotionCode })
      const firstPage = await pageOf(first.sessionId)
      const second = await shop.newPaymentSession(first.collectionId)
      expect(second.sessionId).not.toBe(first.sessionId)
      const secondPage = await pageOf(second.sessionId)

      await pays(secondPage)
      const order = await orderOf(first.cartId, second.sessionId)
      await pays(firstPage)

      await expectFullyRefundedAtGate(first.sessionId, "the first session's page was paid after the second session made the order")
      expect(await orderIdsOfCart(first.cartId)).toEqual([order.id])
      const orderPayments = order.payment_collections.flatMap((c: any) => c.payments)
      expect(orderPayments.map((p: any) => p.payment_session_id)).toEqual([second.sessionId])
      await expectOrphanAttention(first.sessionId)
      await settled()
    })

    it("the last item in stock is paid by two shoppers: one order, the other sale refunded, and its callback answered 200", async () => {
      const winner = await shop.checkout({ currency: "ngn", items: [{ variantId: shop.lastItemVariant }], email: "ada@example.ng" })
      const loser = await shop.checkout({ currency: "ngn", items: [{ variantId: shop.lastItemVariant }], email: "chidi@example.ng" })
      // Setup check: the product ships, so both carts carry the seeded shipping method.
      expect(winner.cart.shipping_methods.map((m: any) => m.shipping_option_id)).toEqual([shop.shippingOptionId])
      const winnerPage = await pageOf(winner.sessionId)
      const loserPage = await pageOf(loser.sessionId)

      await pays(winnerPage)
      await orderOf(winner.cartId, winner.sessionId)
      await pays(loserPage)

      await expectFullyRefundedAtGate(loser.sessionId, "the second shopper paid for an item already sold")
      await sandbox().callbacksDelivered()
      expect(await orderIdsOfCart(loser.cartId)).toEqual([])
      const deliveries = sandbox().engine.deliveries.filter((d) => d.paymentId === loser.sessionId && d.operationType === "sale")
      const paidDeliveries = deliveries.filter((d) => d.paymentStatus === "success")
      const summary = deliveries.map((d) => ({ status: d.paymentStatus, attempt: d.attempt, httpStatus: d.httpStatus ?? d.error }))
      // Gate re-sends anything but 200 for days: the losing sale's success callback must end in 200, and so must the
      // payment's last callback of any kind (the refund's).
      const everyDelivery = sandbox().engine.deliveries.filter((d) => d.paymentId === loser.sessionId)
      expect({
        lastSuccessCallbackAnswer: paidDeliveries[paidDeliveries.length - 1]?.httpStatus,
        lastCallbackAnswer: everyDelivery[everyDelivery.length - 1]?.httpStatus,
        deliveries: summary,
      }).toEqual({ lastSuccessCallbackAnswer: 200, lastCallbackAnswer: 200, deliveries: summary })
      await settled()
    })

    it("an early redirect callback (before Medusa saved the session's data) is not lost: the store route answers redirect from it", async () => {
      // Gate answers the sale a second late while its "awaiting redirect" callback goes out at once: the callback
      // reaches Medusa while the session row exists but holds no Flutterwave data yet (review #17).
      sandbox().script({ operation: "sale", hangMs: 1_000, callback: { delayMs: 0 } })
      const checkout = await shop.checkout({ currency: "ngn", items: [{ variantId: await shop.product("ngn", 2000) }] })
      // The status fallback cannot help: Gate's status requests for this payment hang.
      sandbox().script({ operation: "status", paymentId: checkout.sessionId, hangMs: 20_000, times: 50 })
      const answers: unknown[] = []
      const answer = await eventually(
        `GET /store/flutterwave/payment-sessions/${checkout.sessionId} should answer "redirect" from the early callback`,
        async () => {
          const got = await api.get(`/store/flutterwave/payment-sessions/${checkout.sessionId}`, shop.store)
          answers.push(got.data)
          return got.data.status === "redirect" ? got.data : undefined
        },
        async () => ({
          answers,
          callbacks: (await flutterwave().listGateCallbacks({ gate_payment_id: checkout.sessionId })).map((c: any) => [c.payment_status, c.outcome, c.reason]),
        }),
        10_000
      )
      expect(answer).toEqual({
        status: "redirect",
        redirect: { method: "GET", url: `${sandbox().url}/pay/${checkout.sessionId}`, body: {} },
      })
      await sandbox().callbacksDelivered()
      // Setup check, once Gate has delivered everything: the redirect callback left Gate before Gate answered the
      // sale, so before Medusa could write the session's data.
      const saleRequest = sandbox().engine.requests.find((r) => r.operation === "sale" && r.paymentId === checkout.sessionId)!
      const redirectDeliveries = () =>
        sandbox()
          .engine.deliveries.filter((d) => d.paymentId === checkout.sessionId && d.paymentStatus === "awaiting redirect result")
          .map((d) => ({ at: d.at, attempt: d.attempt, httpStatus: d.httpStatus ?? d.error }))
      const firstRedirectDelivery = redirectDeliveries()[0]
      const early = Date.parse(firstRedirectDelivery?.at ?? "") < Date.parse(saleRequest.at) + 1_000
      if (!early) {
        throw new Error(
          `setup: the redirect callback was not sent before Gate answered the sale (sale received ${saleRequest.at}, ` +
            `answered 1 s later; deliveries ${JSON.stringify(redirectDeliveries())})`
        )
      }

      const callbacks = await flutterwave().listGateCallbacks({ gate_payment_id: checkout.sessionId })
      expect(callbacks.map((c: any) => ({ payment_status: c.payment_status, outcome: c.outcome, reason: c.reason }))).not.toContainEqual(
        expect.objectContaining({ outcome: "unmatched" })
      )

      // Gate answers status again; the shopper pays and the order is placed.
      sandbox().engine.clearScripts()
      await pays(answer.redirect.url)
      await orderOf(checkout.cartId, checkout.sessionId)
      await settled()
    })

    describe("the store route and the callback route under abuse", () => {
      it("answers pending fast while Gate hangs, and asks Gate at most once per 10 s however often the shopper polls", async () => {
        sandbox().script({ operation: "sale", callback: { drop: true } })
        const checkout = await shop.checkout({ currency: "ngn", items: [{ variantId: await shop.product("ngn", 2000) }] })
        sandbox().script({ operation: "status", paymentId: checkout.sessionId, hangMs: 20_000, times: 50 })

        const polls: Array<{ ms: number; body: unknown }> = []
        const started = Date.now()
        while (Date.now() - started < 12_000) {
          const t0 = Date.now()
          const got = await api
            .get(`/store/flutterwave/payment-sessions/${checkout.sessionId}`, shop.store)
            .catch((e: any) => e.response ?? { data: String(e) })
          polls.push({ ms: Date.now() - t0, body: got.data })
          await sleep(200)
        }
        const statusRequests = sandbox()
          .engine.requests.filter((r) => r.operation === "status" && r.paymentId === checkout.sessionId)
          .map((r) => Date.parse(r.at))
        const gaps = statusRequests.slice(1).map((at, i) => at - statusRequests[i])

        const slow = polls.filter((p) => p.ms > 2_600)
        const notPending = polls.filter(
          (p) => !((p.body as any)?.status === "pending" && typeof (p.body as any)?.retry_after_ms === "number")
        )
        expect({ slowPolls: slow, notPending }).toEqual({ slowPolls: [], notPending: [] })
        expect({ polls: polls.length, statusRequestGapsMs: gaps.filter((gap) => gap < 10_000) }).toEqual({
          polls: polls.length,
          statusRequestGapsMs: [],
        })
        // Not vacuous: the route still falls back to asking Gate (a lost redirect callback must not strand the shopper),
        // it just does not let the shopper's polling drive Gate's traffic.
        if (statusRequests.length === 0) throw new Error(`the store route never asked Gate's status in ${polls.length} polls over 12 s`)
        expect(polls.length).toBeGreaterThan(statusRequests.length)
        await settled()
      })

      it("answers 404 for a session id holding a NUL byte", async () => {
        const response = await api.get("/store/flutterwave/payment-sessions/%00abc", shop.store).catch((e: any) => e.response)
        expect({ status: response?.status, body: response?.data }).toEqual({ status: 404, body: response?.data })
        await settled()
      })

      it.each([
        ["a bare array nested 51,200 deep", () => "[".repeat(51_200) + "]".repeat(51_200)],
        [
          "a callback-shaped object with a field nested 51,200 deep",
          () =>
            `{"project_id":4242,"payment":{"id":"x","type":"purchase","status":"success","sum":{"amount":100,"currency":"NGN"}},` +
            `"signature":"c2lnbmF0dXJl","extra":${"[".repeat(51_200)}${"]".repeat(51_200)}}`,
        ],
      ])("answers a 100 KB callback body of %s with 400", async (_name, body) => {
        const text = body()
        expect(text.length).toBeGreaterThanOrEqual(100 * 1024)
        const response = await api
          .post("/hooks/flutterwave", text, { headers: { "Content-Type": "application/json" }, transformRequest: [(b: unknown) => b] })
          .catch((e: any) => e.response)
        expect({ status: response?.status, body: response?.data }).toEqual({ status: 400, body: response?.data })
        await settled()
      })
    })

    it("reconciliation over 30 sessions whose callbacks were lost: every paid one becomes an order, every unpaid one stays pending", async () => {
      const variant = await shop.product("ngn", 2000)
      const count = 30
      sandbox().script({ operation: "sale", callback: { drop: true }, times: count })
      const checkouts = []
      for (let i = 0; i < count; i++) {
        checkouts.push(await shop.checkout({ currency: "ngn", items: [{ variantId: variant }], email: `shopper${i}@example.ng` }))
      }
      const paid = checkouts.filter((_, i) => i % 3 === 0)
      const unpaid = checkouts.filter((_, i) => i % 3 !== 0)
      for (const checkout of paid) {
        const page = sandbox().payment(checkout.sessionId)?.redirectData?.url
        if (!page) throw new Error(`Gate has no page for ${checkout.sessionId}: ${JSON.stringify(gateFacts(checkout.sessionId))}`)
        await pays(page)
      }
      await sandbox().callbacksDelivered()
      for (const checkout of checkouts) expect(await orderIdsOfCart(checkout.cartId)).toEqual([])

      const { data } = await api.post("/admin/flutterwave/reconcile", {}, shop.admin).catch(explainApiError("POST /admin/flutterwave/reconcile"))
      const report = data.reconciliation
      const itemFor = (sessionId: string) => report.items.filter((i: any) => i.gate_payment_id === sessionId)

      const paidWithoutOrder: unknown[] = []
      for (const checkout of paid) {
        const order = await orderForCart(api, getContainer(), shop, checkout.cartId)
        if (!order || order.payment_status !== "captured") {
          paidWithoutOrder.push({ session: checkout.sessionId, order: order?.id ?? null, payment_status: order?.payment_status, report: itemFor(checkout.sessionId) })
        }
      }
      expect(paidWithoutOrder).toEqual([])
      expect(paid.map((c) => itemFor(c.sessionId).map((i: any) => i.after))).toEqual(paid.map(() => ["success"]))

      const unpaidWithOrder: unknown[] = []
      for (const checkout of unpaid) {
        if ((await orderIdsOfCart(checkout.cartId)).length) unpaidWithOrder.push(checkout.sessionId)
      }
      expect(unpaidWithOrder).toEqual([])
      const unpaidAfter = unpaid.map((c) => ({ session: c.sessionId, after: itemFor(c.sessionId).map((i: any) => i.after) }))
      expect(unpaidAfter.filter((u) => u.after.length !== 1 || ["success", "decline", "unknown", "not at Gate"].includes(u.after[0]))).toEqual([])
      const sessions = await getContainer().resolve(Modules.PAYMENT).listPaymentSessions({ id: unpaid.map((c) => c.sessionId) })
      expect(Object.fromEntries(sessions.map((s) => [s.id, s.status]))).toEqual(Object.fromEntries(unpaid.map((c) => [c.sessionId, "pending"])))

      // The report's counts add up.
      expect(report.failed).toBe(0)
      expect(report.checked).toBe(report.items.length)
      expect(report.changed).toBeGreaterThanOrEqual(paid.length)
      expect(report.still_pending).toBeGreaterThanOrEqual(unpaid.length)
      expect(report.changed + report.still_pending + report.failed).toBeLessThanOrEqual(report.checked)
      await settled()
    })
  },
})
