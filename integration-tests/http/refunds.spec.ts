import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { FLUTTERWAVE_MODULE } from "../../src/modules/flutterwave"
import { useGateSandbox } from "../helpers/sandbox"
import { orderForCart, redirectFor, prepareStore, startCheckout, waitFor, type Store } from "../helpers/store"

jest.setTimeout(240_000)

const { sandbox } = useGateSandbox()

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let variant: string

    beforeAll(async () => {
      ;({ store, variant } = await prepareStore(api, getContainer(), sandbox()))
    })

    /** A shopper's paid order of 2 × 1500.50 NGN = 3001.00 NGN, and its Medusa payment. */
    async function paidOrder(): Promise<{ order: any; paymentId: string; sessionId: string }> {
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant, quantity: 2 })
      const answer = await redirectFor(api, store, checkout.sessionId)
      await fetch(`${answer.redirect.url}/confirm`, { method: "POST", redirect: "manual" })
      const order = await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
      return { order, paymentId: order.payment_collections[0].payments[0].id, sessionId: checkout.sessionId }
    }

    const refund = (paymentId: string, amount: number) =>
      api.post(`/admin/payments/${paymentId}/refund`, { amount }, store.admin).catch((e: any) => e.response)

    const gateRefunds = (sessionId: string) =>
      (sandbox().payment(sessionId)?.operations ?? []).filter((op) => op.type === "refund")

    it("refunds partially in exact kobo, up to the captured amount, and refuses one more", async () => {
      const { paymentId, sessionId } = await paidOrder()

      const first = await refund(paymentId, 1000.25)
      expect(first.status).toBe(200)
      const second = await refund(paymentId, 2000.75)
      expect(second.status).toBe(200)
      expect(second.data.payment.refunds.map((r: any) => r.amount).sort()).toEqual([1000.25, 2000.75])

      expect(gateRefunds(sessionId).map((op) => [op.sumInitial.amount, op.status])).toEqual([
        [100_025, "success"],
        [200_075, "success"],
      ])
      expect(sandbox().payment(sessionId)).toMatchObject({ status: "refunded", sum: { amount: 0 } })

      // Medusa itself lets a refund through when it exceeds the captured amount by less than the currency's
      // epsilon (0.01 NGN); our guard refuses it before Gate is asked.
      const third = await refund(paymentId, 0.01)
      expect(third.status).toBe(400)
      expect(third.data.message).toBe(
        "Flutterwave: cannot refund 0.01 NGN: 3001.00 NGN was captured and 3001.00 NGN is already refunded or being refunded"
      )
      expect(gateRefunds(sessionId)).toHaveLength(2)

      // Refund callbacks land in our module with Medusa's refund ids as merchant keys.
      await sandbox().callbacksDelivered()
      const flutterwave = getContainer().resolve<any>(FLUTTERWAVE_MODULE)
      const recorded = await waitFor(async () => {
        const rows = await flutterwave.listGateOperations({ gate_payment_id: sessionId, kind: "refund" })
        return rows.length === 2 && rows.every((op: any) => op.merchant_key && op.status === "success") ? rows : undefined
      })
      expect(recorded.map((op: any) => [Number(op.amount), op.status]).sort()).toEqual([
        [100_025, "success"],
        [200_075, "success"],
      ])
      const refundIds = second.data.payment.refunds.map((r: any) => r.id).sort()
      expect(recorded.map((op: any) => op.merchant_key).sort()).toEqual(refundIds)
    })

    it("shows the admin Gate's reason when Flutterwave declines a refund, and records no refund", async () => {
      const { paymentId, sessionId } = await paidOrder()
      sandbox().script({ paymentId: sessionId, operation: "refund", outcome: "decline", code: "3610" })
      const declined = await refund(paymentId, 500)
      expect(declined.status).toBe(400)
      expect(declined.data.message).toBe(
        "Flutterwave declined the refund: Refund unavailable (refunds may not be enabled on the Flutterwave account) (code 3610)"
      )
      const payment = await api.get(`/admin/payments/${paymentId}?fields=*refunds`, store.admin)
      expect(payment.data.payment.refunds).toEqual([])
    })

    it("shows the admin Gate's synchronous refusal too (3285, refund repeated too soon)", async () => {
      const { paymentId, sessionId } = await paidOrder()
      sandbox().script({ paymentId: sessionId, operation: "refund", rejectCode: "3285" })
      const refused = await refund(paymentId, 10)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toBe("Flutterwave declined the refund: Timeout block for repeat refund (code 3285)")
    })

    it("after a refund timeout, asks status first and does not refund twice", async () => {
      const { paymentId, sessionId } = await paidOrder()
      // Gate processes the refund but its answer never reaches us in time.
      sandbox().script({ paymentId: sessionId, operation: "refund", hangMs: 2_500 })
      const result = await refund(paymentId, 700)
      expect(result.status).toBe(200)
      expect(gateRefunds(sessionId).map((op) => op.sumInitial.amount)).toEqual([70_000])
      const asked = sandbox().engine.requests.filter((r) => r.paymentId === sessionId).map((r) => r.operation)
      expect(asked.slice(asked.indexOf("refund"))).toContain("status")
      expect(asked.filter((op) => op === "refund")).toHaveLength(1)
    })

    it("after a 5xx that Gate never processed, resends the same refund once, with the same key", async () => {
      const { paymentId, sessionId } = await paidOrder()
      sandbox().script({ paymentId: sessionId, operation: "refund", httpStatus: 502, process: false })
      const result = await refund(paymentId, 300)
      expect(result.status).toBe(200)
      const refunds = sandbox().engine.requests.filter((r) => r.paymentId === sessionId && r.operation === "refund")
      expect(refunds.map((r) => r.httpStatus)).toEqual([502, 200])
      const keys = refunds.map((r) => (r.body.payment as any).merchant_refund_id)
      expect(keys[0]).toBe(keys[1])
      expect(gateRefunds(sessionId).map((op) => op.sumInitial.amount)).toEqual([30_000])
    })
  },
})
