import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { GateClient, toMinorUnits } from "../../src/rails/ecommpay"
import { FLUTTERWAVE_MODULE } from "../../src/modules/flutterwave"
import { reconcile } from "../../src/settlement/reconcile"
import { useGateSandbox } from "../helpers/sandbox"
import { orderForCart, redirectFor, prepareStore, startCheckout, waitFor, type Store } from "../helpers/store"

jest.setTimeout(240_000)

const { sandbox } = useGateSandbox()

/**
 * Fault injection against the real app. Every test ends with the ledger check: for each payment, what Medusa says
 * was captured minus refunded equals what Gate says the payment still holds, to the minor unit.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let variant: string

    beforeAll(async () => {
      ;({ store, variant } = await prepareStore(api, getContainer(), sandbox()))
    })

    async function expectLedgerMatchesGate(orderId: string, sessionId: string): Promise<void> {
      const { data } = await api.get(
        `/admin/orders/${orderId}?fields=id,*payment_collections.payments,*payment_collections.payments.captures,*payment_collections.payments.refunds`,
        store.admin
      )
      const payment = data.order.payment_collections[0].payments[0]
      const kobo = (major: number) => toMinorUnits(major, "NGN")
      const captured = payment.captures.reduce((sum: number, c: any) => sum + kobo(c.amount), 0)
      const refunded = payment.refunds.reduce((sum: number, r: any) => sum + kobo(r.amount), 0)
      const gate = sandbox().payment(sessionId)!
      expect(captured - refunded).toBe(gate.sum.amount)
      const gateRefunded = gate.operations
        .filter((op) => op.type === "refund" && op.status === "success")
        .reduce((sum, op) => sum + op.sumInitial.amount, 0)
      expect(refunded).toBe(gateRefunded)
    }

    async function pay(sessionId: string): Promise<void> {
      const answer = await redirectFor(api, store, sessionId)
      await fetch(`${answer.redirect.url}/confirm`, { method: "POST", redirect: "manual" })
    }

    it("completes the order through reconciliation when every callback is dropped", async () => {
      sandbox().script({ operation: "sale", outcome: "success", callback: { drop: true } })
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await sandbox().callbacksDelivered()
      expect(await orderForCart(api, getContainer(), store, checkout.cartId)).toBeUndefined()

      const { data } = await api.post("/admin/flutterwave/reconcile", {}, store.admin)
      const item = data.reconciliation.items.find((i: any) => i.gate_payment_id === checkout.sessionId)
      expect(item).toMatchObject({ kind: "sale", before: "pending", after: "success" })
      expect(data.reconciliation.changed).toBeGreaterThanOrEqual(1)

      const order = await orderForCart(api, getContainer(), store, checkout.cartId)
      expect(order.payment_status).toBe("captured")
      await expectLedgerMatchesGate(order.id, checkout.sessionId)
      const reports = await api.get("/admin/flutterwave/reconciliations", store.admin)
      expect(reports.data.reconciliations[0]).toMatchObject({ trigger: "manual", id: data.reconciliation.id })
    })

    it("still places the order when an earlier attempt recorded the paid sale and died before placing it", async () => {
      sandbox().script({ operation: "sale", outcome: "success", callback: { drop: true } })
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await sandbox().callbacksDelivered()
      // What the dead attempt left behind: the ledger's sale (written before the sale was sent) marked paid, no order.
      const flutterwave = getContainer().resolve<any>(FLUTTERWAVE_MODULE)
      const gateSale = sandbox().payment(checkout.sessionId)!.operations[0]
      const [sale] = await flutterwave.listGateOperations({ kind: "sale", gate_payment_id: checkout.sessionId })
      expect(sale).toMatchObject({ status: "pending", amount: 150_050, session_id: checkout.sessionId })
      await flutterwave.updateGateOperations({ id: sale.id, gate_operation_id: String(gateSale.id), status: "success", source: "callback" })
      expect(await orderForCart(api, getContainer(), store, checkout.cartId)).toBeUndefined()

      await api.post("/admin/flutterwave/reconcile", {}, store.admin)
      const order = await orderForCart(api, getContainer(), store, checkout.cartId)
      expect(order.payment_status).toBe("captured")
      await expectLedgerMatchesGate(order.id, checkout.sessionId)
    })

    it("applies a callback duplicated ten times once, and a replay of it later changes nothing", async () => {
      sandbox().script({ operation: "sale", outcome: "success", callback: { duplicates: 9 } })
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      const order = await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
      await sandbox().callbacksDelivered()
      const result = sandbox().engine.deliveries.find((d) => d.paymentId === checkout.sessionId && d.paymentStatus === "success")!

      // The same bytes again, as ECommPay's retry schedule may send them days later: dedupe rests on the database.
      const replay = await api.post("/hooks/flutterwave", result.body, {
        headers: { "Content-Type": "application/json" },
        transformRequest: [(body: unknown) => body],
      })
      expect(replay.data.outcome).toBe("duplicate")
      const after = await orderForCart(api, getContainer(), store, checkout.cartId)
      expect(after.payment_collections[0].payments).toHaveLength(1)
      expect(after.payment_collections[0].payments[0].captures).toHaveLength(1)
      await expectLedgerMatchesGate(order.id, checkout.sessionId)
    })

    it("handles a refund callback that arrives before the sale's callbacks", async () => {
      sandbox().script({ operation: "sale", callback: { delayMs: 4_000 } })
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await pay(checkout.sessionId)
      const completed = await api.post(`/store/carts/${checkout.cartId}/complete`, {}, store.store)
      expect(completed.data.type).toBe("order")
      const paymentId = (await orderForCart(api, getContainer(), store, checkout.cartId)).payment_collections[0].payments[0].id
      const refund = await api.post(`/admin/payments/${paymentId}/refund`, { amount: 500.25 }, store.admin)
      expect(refund.status).toBe(200)

      await sandbox().callbacksDelivered()
      const flutterwave = getContainer().resolve<any>(FLUTTERWAVE_MODULE)
      const callbacks = await flutterwave.listGateCallbacks({ gate_payment_id: checkout.sessionId }, { order: { created_at: "ASC" } })
      expect(callbacks[0].operation_type).toBe("refund")
      const operations = await flutterwave.listGateOperations({ gate_payment_id: checkout.sessionId })
      expect(operations.map((op: any) => [op.kind, op.status]).sort()).toEqual([
        ["refund", "success"],
        ["sale", "success"],
      ])
      await expectLedgerMatchesGate(completed.data.order.id, checkout.sessionId)
    })

    it("records a refund made in ECommPay's dashboard into Medusa (a callback for a refund we never sent), and the ledger holds", async () => {
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await pay(checkout.sessionId)
      const order = await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
      // The dashboard refund: straight to Gate with the project's credentials, bypassing Medusa.
      const gate = new GateClient({
        projectId: Number(process.env.FLUTTERWAVE_PROJECT_ID),
        secretKey: process.env.FLUTTERWAVE_SECRET_KEY!,
        baseUrl: sandbox().url,
      })
      await gate.refund({ paymentId: checkout.sessionId, amount: 10_000, currency: "NGN", description: "dashboard" })
      await sandbox().callbacksDelivered()
      const flutterwave = getContainer().resolve<any>(FLUTTERWAVE_MODULE)
      const [refund] = await flutterwave.listGateOperations({ gate_payment_id: checkout.sessionId, kind: "refund" })
      expect(refund).toMatchObject({ status: "success", source: "callback", merchant_key: null, origin: "outside" })
      expect(Number(refund.amount)).toBe(10_000)
      // Recorded in Medusa as a refund made outside it, tied to the ledger row; Gate was not asked again.
      const payments = getContainer().resolve(Modules.PAYMENT)
      const [payment] = await payments.listPayments({ payment_session_id: checkout.sessionId }, { relations: ["refunds"] })
      expect(payment.refunds).toHaveLength(1)
      expect(refund.medusa_refund_id).toBe(payment.refunds![0].id)
      const [callback] = await flutterwave.listGateCallbacks({ gate_payment_id: checkout.sessionId, operation_type: "refund" })
      expect(callback.reason).toContain("outside Medusa; recorded in Medusa")
      expect(sandbox().engine.requests.filter((r) => r.operation === "refund" && r.paymentId === checkout.sessionId)).toHaveLength(1)
      await expectLedgerMatchesGate(order.id, checkout.sessionId)
    })

    /**
     * Medusa commits its refund row, then calls the provider. The app dying in between is simulated by writing that
     * row the way Medusa does (createRefunds on the payment module) without the provider call that should follow.
     */
    async function refundCommittedWithoutProvider(paymentId: string, amount: number): Promise<string> {
      const payments = getContainer().resolve<any>(Modules.PAYMENT)
      const [refund] = await payments.createRefunds([{ payment_id: paymentId, amount }])
      return refund.id
    }

    it.each([
      ["before the refund reached Gate: reconciliation sends it once, with the refund's own key", false],
      ["after Gate made the refund: reconciliation matches it and sends nothing", true],
    ])("recovers a refund whose app died %s", async (_when, gateGotIt) => {
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await pay(checkout.sessionId)
      const order = await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
      const paymentId = order.payment_collections[0].payments[0].id
      const refundId = await refundCommittedWithoutProvider(paymentId, 300)
      if (gateGotIt) {
        const gate = new GateClient({
          projectId: Number(process.env.FLUTTERWAVE_PROJECT_ID),
          secretKey: process.env.FLUTTERWAVE_SECRET_KEY!,
          baseUrl: sandbox().url,
        })
        await gate.refund({ paymentId: checkout.sessionId, amount: 30_000, currency: "NGN", description: "x", merchantRefundId: refundId })
        await sandbox().callbacksDelivered()
      }

      const { data } = await api.post("/admin/flutterwave/reconcile", {}, store.admin)
      const item = data.reconciliation.items.find((i: any) => i.kind === "refund" && i.gate_payment_id === checkout.sessionId)
      // Gate's callback already tied its refund to the Medusa refund the ledger had no row for; else reconciliation sends it.
      if (!gateGotIt) expect(item.note).toContain(refundId)
      await sandbox().callbacksDelivered()

      const gateRefunds = sandbox().payment(checkout.sessionId)!.operations.filter((op) => op.type === "refund")
      expect(gateRefunds.map((op) => [op.sumInitial.amount, op.status])).toEqual([[30_000, "success"]])
      const flutterwave = getContainer().resolve<any>(FLUTTERWAVE_MODULE)
      const recorded = await waitFor(async () => {
        const rows = await flutterwave.listGateOperations({ gate_payment_id: checkout.sessionId, kind: "refund" })
        return rows.length === 1 && rows[0].status === "success" ? rows : undefined
      })
      expect(recorded[0].medusa_refund_id).toBe(refundId)
      // Medusa holds the one refund, not a second "made outside Medusa" copy.
      const medusaRefunds = await getContainer().resolve(Modules.PAYMENT).listRefunds({ payment_id: paymentId } as never)
      expect(medusaRefunds.map((r: any) => r.id)).toEqual([refundId])
      await expectLedgerMatchesGate(order.id, checkout.sessionId)

      // A second pass finds nothing left to do.
      const again = await api.post("/admin/flutterwave/reconcile", {}, store.admin)
      expect(again.data.reconciliation.items.filter((i: any) => i.kind === "refund")).toEqual([])
    })

    it("asks Gate about a pending refund on its schedule (5 min, then 15 min), not on every run", async () => {
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await pay(checkout.sessionId)
      const order = await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
      const paymentId = order.payment_collections[0].payments[0].id
      // Gate accepts the refund and leaves it processing, as a bank takes days to.
      sandbox().script({ paymentId: checkout.sessionId, operation: "refund", stall: true })
      expect((await api.post(`/admin/payments/${paymentId}/refund`, { amount: 300 }, store.admin)).status).toBe(200)
      await sandbox().callbacksDelivered()
      const flutterwave = getContainer().resolve<any>(FLUTTERWAVE_MODULE)
      const refundRow = async () => (await flutterwave.listGateOperations({ kind: "refund", gate_payment_id: checkout.sessionId }))[0]
      expect(await refundRow()).toMatchObject({ status: "pending", checks: 0, next_check_at: null })
      // The suite rechecks every paid sale on every run (paidSaleRecheckMs 0), which would ask about this payment for
      // its own reason: this sale is marked as just rechecked, so only the refund's schedule asks.
      const [sale] = await flutterwave.listGateOperations({ kind: "sale", gate_payment_id: checkout.sessionId })
      await flutterwave.updateGateOperations({ id: sale.id, last_status_at: new Date(Date.now() + 24 * 3600 * 1000) })
      const statusRequests = () => sandbox().engine.requests.filter((r) => r.operation === "status" && r.paymentId === checkout.sessionId).length
      const asked = statusRequests()

      const firstAt = new Date()
      const first = await reconcile(getContainer(), "job", firstAt)
      expect(first.items.find((i) => i.gate_payment_id === checkout.sessionId)).toMatchObject({ kind: "refund", before: "pending" })
      expect(statusRequests()).toBe(asked + 1)
      const once = await refundRow()
      expect(once).toMatchObject({ status: "pending", checks: 1 })
      expect(new Date(once.next_check_at).getTime()).toBe(firstAt.getTime() + 5 * 60 * 1000)

      // The next runs before its time: Gate is not asked about it.
      for (const minutes of [0, 4]) {
        const early = await reconcile(getContainer(), "job", new Date(firstAt.getTime() + minutes * 60 * 1000))
        expect(early.items.find((i) => i.gate_payment_id === checkout.sessionId)).toBeUndefined()
      }
      expect(statusRequests()).toBe(asked + 1)
      expect(await refundRow()).toMatchObject({ checks: 1, next_check_at: once.next_check_at })

      // Its time come: asked once more, and the next check is further off.
      const dueAt = new Date(new Date(once.next_check_at).getTime() + 1000)
      await reconcile(getContainer(), "job", dueAt)
      expect(statusRequests()).toBe(asked + 2)
      const twice = await refundRow()
      expect(twice.checks).toBe(2)
      expect(new Date(twice.next_check_at).getTime()).toBe(dueAt.getTime() + 15 * 60 * 1000)

      // Settled at last (its callback arrives): final, never asked about again.
      const gateRefund = sandbox().payment(checkout.sessionId)!.operations.find((op) => op.type === "refund")!
      sandbox().settleOperation(checkout.sessionId, gateRefund.id, "success")
      await sandbox().callbacksDelivered()
      await waitFor(async () => ((await refundRow()).status === "success" ? true : undefined))
      await reconcile(getContainer(), "job", new Date(dueAt.getTime() + 24 * 3600 * 1000))
      expect(statusRequests()).toBe(asked + 2)
      await expectLedgerMatchesGate(order.id, checkout.sessionId)
    })

    it("a run out of time starts no more lookups: the rest stay due, and the next run asks about exactly them", async () => {
      const sessions: string[] = []
      for (let i = 0; i < 3; i++) sessions.push((await startCheckout(api, store, { currency: "ngn", variantId: variant })).sessionId)
      const flutterwave = getContainer().resolve<any>(FLUTTERWAVE_MODULE)
      const seen = sandbox().engine.requests.length
      const statusRequests = () => sandbox().engine.requests.slice(seen).filter((r) => r.operation === "status" && sessions.includes(r.paymentId!))
      // Gate answers slowly, one lookup at a time, and the run has 300 ms: a lookup started in time finishes after it.
      sandbox().script({ operation: "status", hangMs: 600, times: 100 })

      const short = await reconcile(getContainer(), "manual", new Date(), { runBudgetMs: 300, concurrency: 1 })
      const reached = short.items.filter((i) => sessions.includes(i.gate_payment_id)).map((i) => i.gate_payment_id)
      expect(reached.length).toBeLessThanOrEqual(1)
      expect(short.left_for_next_run).toBe(sessions.length - reached.length)
      expect(statusRequests().map((r) => r.paymentId)).toEqual(reached)
      const left = sessions.filter((id) => !reached.includes(id))
      // Left as they were: no check counted, still due.
      const rows = await flutterwave.listGateOperations({ kind: "sale", gate_payment_id: left })
      expect(rows.map((row: any) => [row.status, row.checks, row.next_check_at])).toEqual(left.map(() => ["pending", 0, null]))
      const [run] = await flutterwave.listReconciliationRuns({ id: short.id })
      expect(run.items.left_for_next_run).toBe(left.length)

      sandbox().engine.clearScripts()
      const next = await reconcile(getContainer(), "manual")
      expect(next.left_for_next_run).toBe(0)
      // Exactly the ones left: the one reached before is not due yet.
      expect(next.items.filter((i) => sessions.includes(i.gate_payment_id)).map((i) => i.gate_payment_id).sort()).toEqual([...left].sort())
      const after = await flutterwave.listGateOperations({ kind: "sale", gate_payment_id: sessions })
      expect(after.map((row: any) => row.checks)).toEqual(sessions.map(() => 1))
    })

    it.each([
      ["an oversized body (> 256 KB)", "x".repeat(300 * 1024), 413],
      ["a body over 1 MB", JSON.stringify({ project_id: 1, pad: "y".repeat(1024 * 1024 + 10) }), 413],
      ["a non-JSON body", "<xml>not json</xml>", 400],
      ["an empty body", "", 400],
    ])("answers %s with a 4xx and stores nothing", async (_name, body, status) => {
      const flutterwave = getContainer().resolve<any>(FLUTTERWAVE_MODULE)
      const before = (await flutterwave.listGateCallbacks({})).length
      const response = await api
        .post("/hooks/flutterwave", body, { headers: { "Content-Type": "application/json" }, transformRequest: [(b: unknown) => b] })
        .catch((e: any) => e.response)
      expect(response.status).toBe(status)
      expect((await flutterwave.listGateCallbacks({})).length).toBe(before)
    })

    it("accepts only POST on the callback route", async () => {
      const response = await api.get("/hooks/flutterwave").catch((e: any) => e.response)
      expect(response.status).toBe(404)
    })
  },
})
