import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { FLUTTERWAVE_MODULE } from "../../src/modules/flutterwave"
import { forgetGatePayments, useGateSandbox } from "../helpers/sandbox"
import { expectEveryPaidSaleSettled, explainApiError, orderForCart, redirectFor, seedRealisticStore, type RealisticStore } from "../helpers/store"

jest.setTimeout(240_000)

const { sandbox } = useGateSandbox()

/**
 * Issue 9: one refund ledger. Flutterwave refunds settle days after Gate accepts them and can be declined then; refunds
 * are also made in ECommPay's dashboard; two admins can refund at once; answers get lost. Whatever happens, Medusa's
 * refunds and Gate's agree to the minor unit (or the difference is one an admin acknowledged, shown on the order).
 * Orders are taxed (7.5 % VAT on 1,001.00 NGN: Medusa's total is 1076.075, Gate charged 107608 kobo). Every test ends
 * with the ledger check over every payment Gate holds.
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
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

    async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, state: () => unknown, timeoutMs = 15_000): Promise<T> {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        const value = await probe().catch(() => undefined)
        if (value !== undefined && value !== false) return value
        await sleep(100)
      }
      throw new Error(`${what}: not true after ${timeoutMs} ms. Last seen: ${JSON.stringify(await Promise.resolve(state()).catch((e) => String(e)))}`)
    }

    /** A shopper's paid, taxed order: 1,001.00 NGN + 7.5 % VAT = 1076.075 in Medusa, 107608 kobo at Gate. */
    async function paidTaxedOrder(): Promise<{ order: any; orderId: string; paymentId: string; sessionId: string }> {
      const checkout = await shop.checkout({ currency: "ngn", items: [{ variantId: variant }] })
      expect(checkout.cart.total).toBe(1076.075)
      const answer = await redirectFor(api, shop, checkout.sessionId)
      await fetch(`${answer.redirect.url}/confirm`, { method: "POST", redirect: "manual" })
      const order = await eventually("the order is placed", () => orderForCart(api, getContainer(), shop, checkout.cartId), () => sandbox().payment(checkout.sessionId))
      return { order, orderId: order.id, paymentId: order.payment_collections[0].payments[0].id, sessionId: checkout.sessionId }
    }

    const refund = (paymentId: string, amount: number) =>
      api.post(`/admin/payments/${paymentId}/refund`, { amount }, shop.admin).catch((e: any) => e.response)

    /** The order's Flutterwave card, as the admin widget reads it. */
    const card = async (orderId: string) => {
      const response = await api.get(`/admin/flutterwave/orders/${orderId}/operations`, shop.admin).catch(explainApiError("GET order operations"))
      return response.data.payments[0]
    }

    const act = (attentionId: string, action: string) =>
      api.post(`/admin/flutterwave/attention/${attentionId}/actions`, { action }, shop.admin).catch((e: any) => e.response)

    const gateRefunds = (sessionId: string) => (sandbox().payment(sessionId)?.operations ?? []).filter((op) => op.type === "refund")
    const refundRequests = (sessionId: string) => sandbox().engine.requests.filter((r) => r.paymentId === sessionId && r.operation === "refund")

    async function medusaRefunds(paymentId: string): Promise<any[]> {
      const [payment] = await getContainer().resolve(Modules.PAYMENT).listPayments({ id: paymentId }, { relations: ["refunds"] })
      return payment.refunds ?? []
    }

    async function cardRefundsIn(orderId: string, states: string[], count: number): Promise<any[]> {
      return eventually(
        `the order card shows ${count} refund(s) in ${states.join("/")}`,
        async () => {
          const refunds = (await card(orderId)).refunds as any[]
          return refunds.length === count && refunds.every((r) => states.includes(r.state)) ? refunds : undefined
        },
        async () => (await card(orderId)).refunds
      )
    }

    /** The declined refund once the admin has been told: the card shows it with its needs-attention item and actions. */
    async function declinedRefund(orderId: string): Promise<any> {
      return eventually(
        "the order card shows the declined refund with its actions",
        async () => ((await card(orderId)).refunds as any[]).find((r) => r.state === "declined" && r.attention_id),
        async () => (await card(orderId)).refunds
      )
    }

    it("answers the admin as soon as Gate accepts a refund; the card shows it pending, then settled by Gate's callback days later", async () => {
      const { orderId, paymentId, sessionId } = await paidTaxedOrder()
      sandbox().script({ paymentId: sessionId, operation: "refund", stall: true, times: 2 })

      const first = await refund(paymentId, 300)
      const second = await refund(paymentId, 200.5)
      expect([first.status, second.status]).toEqual([200, 200])
      // Gate has not decided either refund: the admin did not wait for the bank.
      expect(gateRefunds(sessionId).map((op) => [op.sumInitial.amount, op.status])).toEqual([
        [30_000, "processing"],
        [20_050, "processing"],
      ])
      const pending = await cardRefundsIn(orderId, ["pending"], 2)
      const medusaIds = (await medusaRefunds(paymentId)).map((r) => r.id).sort()
      expect(pending.map((r) => r.medusa_refund_id).sort()).toEqual(medusaIds)
      // The ledger is the one record: payment.data keeps no refund list.
      const [payment] = await getContainer().resolve(Modules.PAYMENT).listPayments({ id: paymentId })
      expect(payment.data?.refunds).toBeUndefined()
      expect((await card(orderId)).refund_totals).toMatchObject({ medusa_refunded: "500.50", gate_refunded: "0.00", pending: "500.50" })

      for (const op of gateRefunds(sessionId)) sandbox().settleOperation(sessionId, op.id, "success")
      const done = await cardRefundsIn(orderId, ["success"], 2)
      expect(done.map((r) => r.amount).sort()).toEqual(["200.50", "300.00"])
      expect((await card(orderId)).refund_alerts).toEqual([])
      // Each Gate refund carried Medusa's refund id as its merchant key.
      expect(gateRefunds(sessionId).map((op) => op.merchantRefundId).sort()).toEqual(medusaIds)
      await settled()
    })

    it("refunds exact kobo of a rounded capture: partial refunds add up to what Gate charged, and one kobo more is refused", async () => {
      const { paymentId, sessionId } = await paidTaxedOrder()
      expect((await refund(paymentId, 500)).status).toBe(200)
      // The rest of Medusa's unrounded total: Gate is sent exactly what it still holds.
      expect((await refund(paymentId, 576.075)).status).toBe(200)
      await sandbox().callbacksDelivered()
      expect(gateRefunds(sessionId).map((op) => [op.sumInitial.amount, op.status])).toEqual([
        [50_000, "success"],
        [57_608, "success"],
      ])
      expect(sandbox().payment(sessionId)).toMatchObject({ status: "refunded", sum: { amount: 0 } })

      // Medusa lets 0.01 NGN more through (below its epsilon); the ledger does not.
      const more = await refund(paymentId, 0.01)
      expect(more.status).toBe(400)
      expect(more.data.message).toBe(
        "Flutterwave: cannot refund 0.01 NGN: 1076.08 NGN was captured and 1076.08 NGN is already refunded or being refunded"
      )
      expect(gateRefunds(sessionId)).toHaveLength(2)
      await settled()
    })

    it("a full refund of a taxed order empties the payment at Gate to the kobo", async () => {
      const { orderId, paymentId, sessionId } = await paidTaxedOrder()
      const full = await refund(paymentId, 1076.075)
      expect(full.status).toBe(200)
      await sandbox().callbacksDelivered()
      expect(gateRefunds(sessionId).map((op) => [op.sumInitial.amount, op.status])).toEqual([[107_608, "success"]])
      expect(sandbox().payment(sessionId)).toMatchObject({ status: "refunded", sum: { amount: 0 } })
      await cardRefundsIn(orderId, ["success"], 1)
      expect((await card(orderId)).refund_totals).toMatchObject({ medusa_refunded: "1076.08", gate_refunded: "1076.08" })
      await settled()
    })

    it("Gate declines a refund a minute after accepting it: the admin is told at once, and Retry at Gate makes Medusa and Gate agree again", async () => {
      const { orderId, paymentId, sessionId } = await paidTaxedOrder()
      sandbox().script({ paymentId: sessionId, operation: "refund", stall: true })
      expect((await refund(paymentId, 400)).status).toBe(200)
      const [medusaRefund] = await medusaRefunds(paymentId)
      await cardRefundsIn(orderId, ["pending"], 1)

      // Later, Flutterwave turns it down (refunds are off on new accounts).
      const [accepted] = gateRefunds(sessionId)
      sandbox().settleOperation(sessionId, accepted.id, "decline", "3610")
      const declined = await declinedRefund(orderId)
      expect(declined).toMatchObject({
        medusa_refund_id: medusaRefund.id,
        amount: "400.00",
        code: "3610",
        actions: ["retry_refund", "mark_not_refunded"],
        attention_id: expect.stringMatching(/^fwat_/),
      })
      expect(declined.message).toMatch(/refund/i)
      const view = await card(orderId)
      expect(view.refund_alerts.join(" ")).toContain("Flutterwave declined")
      // The needs-attention list and the admin's bell say the same.
      const items = (await api.get("/admin/flutterwave/attention", shop.admin)).data.items
      expect(items.filter((i: any) => i.kind === "refund_declined")).toEqual([
        expect.objectContaining({ subject: medusaRefund.id, actions: ["retry_refund", "mark_not_refunded"] }),
      ])
      const feed = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" })
      expect(feed.map((n: any) => n.data?.title)).toContain("Flutterwave: Refund declined by Flutterwave after Medusa recorded it")
      // Medusa still shows the refund (it cannot reverse one): the ledger check would fail here, and the card says why.
      expect((await medusaRefunds(paymentId)).map((r) => r.id)).toEqual([medusaRefund.id])

      const retried = await act(declined.attention_id, "retry_refund")
      expect(retried.status).toBe(200)
      // A second click while the retry is under way sends nothing more.
      expect((await act(declined.attention_id, "retry_refund")).status).toBe(200)
      await sandbox().callbacksDelivered()
      expect(gateRefunds(sessionId).map((op) => [op.merchantRefundId, op.sumInitial.amount, op.status])).toEqual([
        [medusaRefund.id, 40_000, "decline"],
        [`${medusaRefund.id}-r1`, 40_000, "success"],
      ])
      const [settledRefund] = await cardRefundsIn(orderId, ["success"], 1)
      expect(settledRefund).toMatchObject({ medusa_refund_id: medusaRefund.id, attempts: 2 })
      const after = (await api.get("/admin/flutterwave/attention?state=all", shop.admin)).data.items.filter((i: any) => i.kind === "refund_declined")
      expect(after).toEqual([expect.objectContaining({ state: "resolved", resolution: expect.stringContaining("retry") })])
      await settled()
    })

    it("…or Mark as not refunded: Medusa keeps the refund it cannot reverse, and the order says so for good", async () => {
      const { orderId, paymentId, sessionId } = await paidTaxedOrder()
      sandbox().script({ paymentId: sessionId, operation: "refund", stall: true })
      expect((await refund(paymentId, 250)).status).toBe(200)
      const [accepted] = gateRefunds(sessionId)
      sandbox().settleOperation(sessionId, accepted.id, "decline", "3610")
      const declined = await declinedRefund(orderId)

      const marked = await act(declined.attention_id, "mark_not_refunded")
      expect(marked.status).toBe(200)
      expect(marked.data.item).toMatchObject({ state: "resolved", resolution: expect.stringContaining("not refunded") })
      // Idempotent: a repeated click changes nothing.
      expect((await act(declined.attention_id, "mark_not_refunded")).status).toBe(200)

      const view = await card(orderId)
      expect(view.refunds).toEqual([expect.objectContaining({ state: "not_refunded", actions: [] })])
      expect(view.refund_totals).toMatchObject({ medusa_refunded: "250.00", gate_refunded: "0.00", not_refunded: "250.00" })
      expect(view.refund_alerts.join(" ")).toContain("overstates Flutterwave by 250.00 NGN")
      // Where Medusa's own order data (exports, integrations) shows it.
      const [order] = await getContainer().resolve(Modules.ORDER).listOrders({ id: orderId }, { select: ["id", "metadata"] })
      expect(order.metadata?.flutterwave_not_refunded).toEqual({ [declined.medusa_refund_id]: "250.00 NGN" })
      // No retry after the decision; no money moved at Gate.
      expect((await act(declined.attention_id, "retry_refund")).status).toBe(200)
      expect(refundRequests(sessionId)).toHaveLength(1)
      expect(sandbox().payment(sessionId)?.sum.amount).toBe(107_608)
      await settled()
    })

    it("two admins refund the same order at once: both recorded, matched and settled; the total never exceeds the capture", async () => {
      const { orderId, paymentId, sessionId } = await paidTaxedOrder()
      const both = await Promise.all([refund(paymentId, 300), refund(paymentId, 400)])
      expect(both.map((r) => [r.status, r.status === 200 ? "" : r.data?.message])).toEqual([
        [200, ""],
        [200, ""],
      ])
      await sandbox().callbacksDelivered()
      const refunds = await cardRefundsIn(orderId, ["success"], 2)
      expect(refunds.map((r) => r.amount).sort()).toEqual(["300.00", "400.00"])
      expect(gateRefunds(sessionId).map((op) => op.merchantRefundId).sort()).toEqual((await medusaRefunds(paymentId)).map((r) => r.id).sort())

      // 376.075 is left: two admins each try 300 of it. One wins; the other is refused; Gate never over-refunds.
      const race = await Promise.all([refund(paymentId, 300), refund(paymentId, 300)])
      expect(race.map((r) => r.status).sort()).toEqual([200, 400])
      await sandbox().callbacksDelivered()
      await cardRefundsIn(orderId, ["success"], 3)
      expect(gateRefunds(sessionId).filter((op) => op.status === "success").reduce((s, op) => s + op.sumInitial.amount, 0)).toBe(100_000)
      await settled()
    })

    it("a refund made in ECommPay's dashboard is recorded in Medusa once, though its callback comes twice and reconciliation finds it too", async () => {
      const { orderId, paymentId, sessionId } = await paidTaxedOrder()
      sandbox().dashboardRefund(sessionId, 20_000, { callback: { duplicates: 1 } })
      await sandbox().callbacksDelivered()
      const recorded = await eventually("the dashboard refund is recorded in Medusa", async () => {
        const refunds = await medusaRefunds(paymentId)
        return refunds.length === 1 ? refunds : undefined
      }, () => medusaRefunds(paymentId))
      expect(recorded[0]).toMatchObject({ note: expect.stringContaining("outside Medusa") })
      expect(Number(recorded[0].amount)).toBe(200)
      // Reconciliation finds it again: nothing new.
      expect((await api.post("/admin/flutterwave/reconcile", {}, shop.admin)).status).toBe(200)
      expect(await medusaRefunds(paymentId)).toHaveLength(1)

      // A second one whose callback never comes: only reconciliation finds it, and records it.
      sandbox().dashboardRefund(sessionId, 15_025, { callback: { drop: true } })
      expect((await api.post("/admin/flutterwave/reconcile", {}, shop.admin)).status).toBe(200)
      expect((await medusaRefunds(paymentId)).map((r) => Number(r.amount)).sort()).toEqual([150.25, 200])
      // Medusa never asked Gate for either: only the dashboard made them.
      expect(refundRequests(sessionId)).toHaveLength(0)
      const view = await card(orderId)
      expect(view.refunds).toEqual([
        expect.objectContaining({ amount: "200.00", made_outside_medusa: true, state: "success" }),
        expect.objectContaining({ amount: "150.25", made_outside_medusa: true, state: "success" }),
      ])
      expect(view.refund_alerts).toEqual([])

      // An admin refund of the rest still fits exactly.
      expect((await refund(paymentId, 725.825)).status).toBe(200)
      await sandbox().callbacksDelivered()
      expect(sandbox().payment(sessionId)).toMatchObject({ status: "refunded", sum: { amount: 0 } })
      await settled()
    })

    it("a refund whose answer is lost is kept pending, never reported failed; reconciliation asks Gate and never refunds twice", async () => {
      const { orderId, paymentId, sessionId } = await paidTaxedOrder()
      // Gate takes the refund but its answer never arrives, and Gate's status cannot be read right then either.
      sandbox().script({ paymentId: sessionId, operation: "refund", hangMs: 2_500, callback: { drop: true } })
      sandbox().script({ paymentId: sessionId, operation: "status", httpStatus: 503, process: false })
      const answer = await refund(paymentId, 700)
      expect(answer.status).toBe(200)
      const [unknown] = await cardRefundsIn(orderId, ["unknown"], 1)
      expect(unknown.amount).toBe("700.00")

      // The admin reconciles (the job would too): Gate is asked, the refund found; nothing is resent.
      expect((await api.post("/admin/flutterwave/reconcile", {}, shop.admin)).status).toBe(200)
      await cardRefundsIn(orderId, ["success"], 1)
      expect(refundRequests(sessionId)).toHaveLength(1)
      expect(gateRefunds(sessionId).map((op) => op.sumInitial.amount)).toEqual([70_000])
      await settled()
    })

    it("a refund timing out, the admin refunding again: the first is settled with Gate under its own key first, and each refund is sent once", async () => {
      const { orderId, paymentId, sessionId } = await paidTaxedOrder()
      // Gate takes the first refund but its answer never arrives and its status cannot be read right then.
      sandbox().script({ paymentId: sessionId, operation: "refund", hangMs: 2_500, callback: { drop: true } })
      sandbox().script({ paymentId: sessionId, operation: "status", httpStatus: 503, process: false })
      expect((await refund(paymentId, 700)).status).toBe(200)
      const [first] = await cardRefundsIn(orderId, ["unknown"], 1)

      // The admin, seeing it stuck, refunds again: the plugin asks Gate about the first before sending the second.
      expect((await refund(paymentId, 300)).status).toBe(200)
      await sandbox().callbacksDelivered()
      const both = await cardRefundsIn(orderId, ["success"], 2)
      expect(both.find((r) => r.medusa_refund_id === first.medusa_refund_id)).toMatchObject({ amount: "700.00", attempts: 1 })
      expect(refundRequests(sessionId).map((r) => [(r.body.payment as any).merchant_refund_id, (r.body.payment as any).amount])).toEqual([
        [first.medusa_refund_id, 70_000],
        [expect.not.stringMatching(first.medusa_refund_id), 30_000],
      ])
      expect(gateRefunds(sessionId).map((op) => op.sumInitial.amount)).toEqual([70_000, 30_000])
      await settled()
    })

    it("a refund Gate never received (5xx, then Gate unreadable) is resent by reconciliation once, under the same key", async () => {
      const { orderId, paymentId, sessionId } = await paidTaxedOrder()
      sandbox().script({ paymentId: sessionId, operation: "refund", httpStatus: 502, process: false })
      sandbox().script({ paymentId: sessionId, operation: "status", httpStatus: 503, process: false })
      expect((await refund(paymentId, 300)).status).toBe(200)
      await cardRefundsIn(orderId, ["unknown"], 1)
      expect(gateRefunds(sessionId)).toHaveLength(0)

      expect((await api.post("/admin/flutterwave/reconcile", {}, shop.admin)).status).toBe(200)
      await sandbox().callbacksDelivered()
      await cardRefundsIn(orderId, ["success"], 1)
      const keys = refundRequests(sessionId).map((r) => (r.body.payment as any).merchant_refund_id)
      expect(keys).toHaveLength(2)
      expect(keys[0]).toBe(keys[1])
      expect(gateRefunds(sessionId).map((op) => op.sumInitial.amount)).toEqual([30_000])
      await settled()
    })

    it("after a refund timeout the admin's request asks Gate first and does not refund twice", async () => {
      const { paymentId, sessionId } = await paidTaxedOrder()
      sandbox().script({ paymentId: sessionId, operation: "refund", hangMs: 2_500 })
      expect((await refund(paymentId, 700)).status).toBe(200)
      const asked = sandbox().engine.requests.filter((r) => r.paymentId === sessionId).map((r) => r.operation)
      expect(asked.slice(asked.indexOf("refund"))).toContain("status")
      expect(refundRequests(sessionId)).toHaveLength(1)
      await settled()
    })

    it("shows the admin Gate's synchronous refusal as a readable 400, and Medusa records no refund", async () => {
      const { paymentId, sessionId } = await paidTaxedOrder()
      sandbox().script({ paymentId: sessionId, operation: "refund", rejectCode: "3285" })
      const refused = await refund(paymentId, 10)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toBe("Flutterwave declined the refund: Timeout block for repeat refund (code 3285)")
      expect(await medusaRefunds(paymentId)).toEqual([])
      // The same amount again, now that Gate takes it: a new Medusa refund, sent once.
      expect((await refund(paymentId, 10)).status).toBe(200)
      await sandbox().callbacksDelivered()
      expect(gateRefunds(sessionId).map((op) => [op.sumInitial.amount, op.status])).toEqual([[1_000, "success"]])
      const rows = await getContainer().resolve<any>(FLUTTERWAVE_MODULE).listGateOperations({ gate_payment_id: sessionId, kind: "refund" })
      expect(rows.map((r: any) => [r.status, r.medusa_refund_id === null])).toEqual(expect.arrayContaining([["decline", true], ["success", false]]))
      await settled()
    })
  },
})
