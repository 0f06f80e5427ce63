import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { FLUTTERWAVE_MODULE } from "../../src/modules/flutterwave"
import { TEST_PROJECT_ID, TEST_SECRET_KEY, useGateSandbox } from "../helpers/sandbox"
import { reconcile } from "../../src/settlement/reconcile"
import { orderForCart, redirectFor, seedStore, startCheckout, waitFor, type Store } from "../helpers/store"

jest.setTimeout(240_000)

const { sandbox } = useGateSandbox()

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let key = 0

    beforeAll(async () => {
      sandbox().setCallbackUrl(`${api.defaults.baseURL}/hooks/flutterwave`)
      store = await seedStore(api, getContainer())
    })

    const payout = (overrides: Record<string, unknown> = {}) =>
      api
        .post(
          "/admin/flutterwave/payouts",
          {
            amount: "500.00",
            currency_code: "NGN",
            bank_id: "206",
            account_number: "0017704603",
            description: "Supplier: Aba fabrics",
            idempotency_key: `payout-key-${++key}-${Date.now()}`,
            ...overrides,
          },
          store.admin
        )
        .catch((e: any) => e.response)

    const payoutById = async (id: string) => (await api.get(`/admin/flutterwave/payouts/${id}`, store.admin)).data

    describe("payouts", () => {
      it("sends a payout, records it pending, and settles it from Gate's callback", async () => {
        const created = await payout()
        expect(created.status).toBe(200)
        expect(created.data.payout).toMatchObject({
          bank_id: "206",
          bank_name: "GTBANK PLC",
          account_number_masked: "******4603",
          amount: "500.00",
          amount_minor: 50_000,
          currency_code: "NGN",
          status: expect.stringMatching(/pending|success/),
        })
        const id = created.data.payout.id
        const gateId = created.data.payout.gate_payment_id
        expect(sandbox().payment(gateId)?.account).toEqual({ number: "0017704603", bank_id: "206" })

        const settled = await waitFor(async () => {
          const detail = await payoutById(id)
          return detail.payout.status === "success" ? detail : undefined
        })
        expect(settled.operations.map((op: any) => [op.kind, op.status, op.amount])).toEqual([["payout", "success", "500.00"]])
        expect(JSON.stringify(settled)).not.toContain("0017704603")
      })

      it("shows Gate's 3028 decline (insufficient merchant balance) on the payout", async () => {
        sandbox().script({ operation: "payout", outcome: "decline", code: "3028" })
        const created = await payout({ amount: "900" })
        const declined = await waitFor(async () => {
          const detail = await payoutById(created.data.payout.id)
          return detail.payout.status === "decline" ? detail : undefined
        })
        expect(declined.payout).toMatchObject({ code: "3028", message: "Insufficient funds on merchant balance" })
      })

      it("never pays twice for the same idempotency key, even after a Gate timeout", async () => {
        sandbox().script({ operation: "payout", hangMs: 2_500 })
        const idempotencyKey = `retry-${Date.now()}`
        const first = await payout({ idempotency_key: idempotencyKey })
        expect(first.status).toBe(200)
        // Gate processed it behind the timeout, so its callback may already have settled it.
        expect(["pending", "success"]).toContain(first.data.payout.status)
        const again = await payout({ idempotency_key: idempotencyKey })
        expect(again.data.payout.id).toBe(first.data.payout.id)
        const third = await payout({ idempotency_key: idempotencyKey })
        expect(third.data.payout.id).toBe(first.data.payout.id)
        const gateId = first.data.payout.gate_payment_id
        const sent = sandbox().engine.requests.filter((r) => r.operation === "payout" && r.paymentId === gateId)
        expect(sent).toHaveLength(1)
        await waitFor(async () => ((await payoutById(first.data.payout.id)).payout.status === "success" ? true : undefined))
      })

      it("refuses to reuse an idempotency key for a different payout (409)", async () => {
        const idempotencyKey = `conflict-${Date.now()}`
        expect((await payout({ idempotency_key: idempotencyKey })).status).toBe(200)
        const changed = await payout({ idempotency_key: idempotencyKey, amount: "600.00" })
        expect(changed.status).toBe(409)
        expect(changed.data.message).toContain("already used for a different payout")
      })

      it("resends a payout only when Gate's status proves it never arrived", async () => {
        sandbox().script({ operation: "payout", httpStatus: 502, process: false })
        const created = await payout()
        const gateId = created.data.payout.gate_payment_id
        const requests = sandbox().engine.requests.filter((r) => r.paymentId === gateId).map((r) => [r.operation, r.httpStatus])
        expect(requests).toEqual([
          ["payout", 502],
          ["status", 400],
          ["payout", 200],
        ])
      })

      it("sends a payout at most twice when Gate never answers, then reconciliation declines it once Gate's limit time has passed", async () => {
        sandbox().script({ operation: "payout", httpStatus: 502, process: false, times: 2 })
        const created = await payout()
        const gateId = created.data.payout.gate_payment_id
        expect(created.data.payout.status).toBe("pending")
        const sends = sandbox().engine.requests.filter((r) => r.paymentId === gateId && r.operation === "payout")
        expect(sends.map((r) => r.httpStatus)).toEqual([502, 502])
        // Forty minutes on, Gate still has no such payout: it was never paid, and the admin is told so.
        const report = await reconcile(getContainer(), "manual", new Date(Date.now() + 40 * 60 * 1000))
        expect(report.items.find((i) => i.gate_payment_id === gateId)).toMatchObject({ kind: "payout", after: "decline" })
        expect((await payoutById(created.data.payout.id)).payout).toMatchObject({ status: "decline", code: "3061" })
        expect(sandbox().engine.requests.filter((r) => r.paymentId === gateId && r.operation === "payout")).toHaveLength(2)
      })

      it.each([
        ["an amount above the NGN payout limit", { amount: "1000.01" }, "Flutterwave payouts are 100.00 to 1000.00 NGN"],
        ["an amount below it", { amount: "99.99" }, "Flutterwave payouts are 100.00 to 1000.00 NGN"],
        ["a fraction below the kobo", { amount: "500.005" }, "fraction below the currency's minor unit"],
        ["a Kenyan bank for an NGN payout", { bank_id: "251" }, "Equity Bank Limited (KE) takes KES payouts, not NGN"],
        ["an unknown bank", { bank_id: "999" }, "bank_id 999 is not a Flutterwave payout bank"],
        ["a malformed account number", { account_number: "12ab" }, "must be 6 to 20 digits"],
        ["an unsupported currency", { currency_code: "EUR" }, "must be one of GHS, KES, NGN, TZS, UGX, USD, ZAR"],
      ])("refuses %s with a clear message, before Gate is called", async (_name, change, message) => {
        const before = sandbox().engine.requests.length
        const refused = await payout(change)
        expect(refused.status).toBe(400)
        expect(refused.data.message).toContain(message)
        expect(sandbox().engine.requests.length).toBe(before)
      })

      it("lists payouts newest first, filtered by status and paginated", async () => {
        sandbox().script({ operation: "payout", outcome: "decline", code: "3028" })
        const declined = await payout()
        await payout()
        await payout()
        await sandbox().callbacksDelivered()
        await waitFor(async () => ((await payoutById(declined.data.payout.id)).payout.status === "decline" ? true : undefined))

        const page = await api.get("/admin/flutterwave/payouts?limit=2&offset=0", store.admin)
        expect(page.data.payouts).toHaveLength(2)
        expect(page.data.count).toBeGreaterThanOrEqual(3)
        const onlyDeclined = await api.get("/admin/flutterwave/payouts?status=decline", store.admin)
        expect(onlyDeclined.data.payouts.every((p: any) => p.status === "decline")).toBe(true)
        expect(onlyDeclined.data.payouts.map((p: any) => p.id)).toContain(declined.data.payout.id)
        expect(page.data.payouts.every((p: any) => /^\*+\d{4}$/.test(p.account_number_masked))).toBe(true)
      })
    })

    describe("banks and settings", () => {
      it("lists the banks for a currency", async () => {
        const ngn = await api.get("/admin/flutterwave/banks?currency=NGN", store.admin)
        expect(ngn.data.banks).toHaveLength(32)
        expect(ngn.data.banks.every((b: any) => b.country === "NG")).toBe(true)
        const ghs = await api.get("/admin/flutterwave/banks?currency=ghs", store.admin)
        expect(ghs.data.banks.map((b: any) => b.id)).toContain("259")
      })

      it("reports the configuration without the secret, and tests the connection with a signed request", async () => {
        const { data } = await api.get("/admin/flutterwave/settings", store.admin)
        expect(data.settings).toMatchObject({
          project_id: TEST_PROJECT_ID,
          mode: "sandbox",
          gate_url: sandbox().url,
          secret_configured: true,
          callback_url: expect.stringMatching(/\/hooks\/flutterwave$/),
          payout_limits: { NGN: { min: "100.00", max: "1000.00" } },
          sale_limits: { NGN: { min: "1.00", max: "500000.00" } },
        })
        expect(JSON.stringify(data)).not.toContain(TEST_SECRET_KEY)

        const tested = await api.post("/admin/flutterwave/settings/test-connection", {}, store.admin)
        expect(tested.data).toMatchObject({ ok: true, message: "Connected: Gate accepted the signature and project id" })
        const lastStatus = sandbox().engine.requests.filter((r) => r.operation === "status").pop()
        expect(lastStatus?.code).toBe("3061")
      })
    })

    describe("order timeline", () => {
      it("shows the sale and every refund, with a declined refund's reason", async () => {
        const variant = await store.product("ngn", 2000)
        const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
        const answer = await redirectFor(api, store, checkout.sessionId)
        await fetch(`${answer.redirect.url}/confirm`, { method: "POST", redirect: "manual" })
        const order = await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
        const paymentId = order.payment_collections[0].payments[0].id
        await api.post(`/admin/payments/${paymentId}/refund`, { amount: 300 }, store.admin)
        sandbox().script({ paymentId: checkout.sessionId, operation: "refund", outcome: "decline", code: "3610" })
        await api.post(`/admin/payments/${paymentId}/refund`, { amount: 100 }, store.admin).catch(() => undefined)
        await sandbox().callbacksDelivered()

        const timeline = await waitFor(async () => {
          const { data } = await api.get(`/admin/flutterwave/orders/${order.id}/operations`, store.admin)
          return data.payments[0]?.operations.length === 3 ? data : undefined
        })
        expect(timeline.payments[0]).toMatchObject({ gate_payment_id: checkout.sessionId, currency_code: "NGN" })
        expect(timeline.payments[0].operations.map((op: any) => [op.kind, op.status, op.amount, op.code])).toEqual([
          ["sale", "success", "2000.00", "0"],
          ["refund", "success", "300.00", "0"],
          ["refund", "decline", "100.00", "3610"],
        ])
        const flutterwave = getContainer().resolve<any>(FLUTTERWAVE_MODULE)
        expect(await flutterwave.listGateOperations({ gate_payment_id: checkout.sessionId })).toHaveLength(3)
      })
    })

    describe("access", () => {
      it.each([
        ["GET", "/admin/flutterwave/payouts"],
        ["POST", "/admin/flutterwave/payouts"],
        ["GET", "/admin/flutterwave/payouts/fwpo_1"],
        ["GET", "/admin/flutterwave/banks?currency=NGN"],
        ["GET", "/admin/flutterwave/settings"],
        ["POST", "/admin/flutterwave/settings/test-connection"],
        ["GET", "/admin/flutterwave/orders/order_1/operations"],
      ])("rejects %s %s without an admin", async (method, path) => {
        const response = await api.request({ method, url: path, data: {} }).catch((e: any) => e.response)
        expect(response.status).toBe(401)
        const asShopper = await api.request({ method, url: path, data: {}, headers: store.store.headers }).catch((e: any) => e.response)
        expect(asShopper.status).toBe(401)
      })
    })
  },
})
