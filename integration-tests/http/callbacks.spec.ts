import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createHash } from "node:crypto"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { signParams } from "../../src/rails/ecommpay"
import { FLUTTERWAVE_MODULE } from "../../src/modules/flutterwave"
import { TEST_SECRET_KEY, saleSuccessCallback, useGateSandbox } from "../helpers/sandbox"
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

    // Several tests make Gate retry (409s, 503s): its retries land before the next test, and none reaches the app
    // while the runner shuts it down (one full run saw that shutdown exceed the hook's 240 s).
    afterEach(() => sandbox().callbacksDelivered())

    const flutterwave = () => getContainer().resolve<any>(FLUTTERWAVE_MODULE)
    const post = (body: string | object, contentType = "application/json") =>
      api
        .post("/hooks/flutterwave", typeof body === "string" ? body : JSON.stringify(body), {
          headers: { "Content-Type": contentType },
          transformRequest: [(data: unknown) => data],
        })
        .catch((e: any) => e.response)

    async function counts() {
      const [callbacks, operations] = await Promise.all([flutterwave().listGateCallbacks({}), flutterwave().listGateOperations({})])
      return { callbacks: callbacks.length, operations: operations.length }
    }

    it("applies a callback delivered five times exactly once", async () => {
      sandbox().script({ operation: "sale", outcome: "success", callback: { duplicates: 4 } })
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      const order = await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
      await sandbox().callbacksDelivered()

      const deliveries = sandbox().engine.deliveries.filter((d) => d.paymentId === checkout.sessionId && d.httpStatus === 200)
      expect(deliveries).toHaveLength(10) // redirect notice and result, five copies each
      const callbacks = await flutterwave().listGateCallbacks({ gate_payment_id: checkout.sessionId })
      const outcomes = Object.fromEntries(callbacks.map((c: any) => [c.payment_status, c.outcome]))
      expect(Object.keys(outcomes).sort()).toEqual(["awaiting redirect result", "success"])
      expect(outcomes.success).toBe("applied")
      // The sandbox sends the result right behind the redirect notice; when the notice is applied second it is stale.
      expect(["applied", "ignored"]).toContain(outcomes["awaiting redirect result"])
      const operations = await flutterwave().listGateOperations({ gate_payment_id: checkout.sessionId })
      expect(operations.map((op: any) => [op.kind, op.status])).toEqual([["sale", "success"]])
      expect(order.payment_collections[0].payments).toHaveLength(1)
      expect(order.payment_collections[0].payments[0].captures).toHaveLength(1)
    })

    it("answers 401 to a bad signature and changes nothing", async () => {
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await sandbox().callbacksDelivered()
      const before = await counts()
      const forged = { ...saleSuccessCallback(checkout.sessionId), signature: signParams({ anything: 1 }, "not-our-secret") }
      const response = await post(forged)
      expect(response.status).toBe(401)
      expect(JSON.stringify(response.data)).not.toContain(TEST_SECRET_KEY)
      const unsigned = saleSuccessCallback(checkout.sessionId)
      delete unsigned.signature
      expect((await post(unsigned)).status).toBe(401)
      expect(await counts()).toEqual(before)
      expect(await orderForCart(api, getContainer(), store, checkout.cartId)).toBeUndefined()
    })

    it("answers 400 to another project's callback, to malformed JSON and to a body that is not JSON", async () => {
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await sandbox().callbacksDelivered()
      const before = await counts()
      expect((await post(saleSuccessCallback(checkout.sessionId, { project: 999 }))).status).toBe(400)
      expect((await post('{"project_id": 4242, "payment": ')).status).toBe(400)
      expect((await post("status=success&amount=1", "text/plain")).status).toBeGreaterThanOrEqual(400)
      const missingSum = saleSuccessCallback(checkout.sessionId)
      delete missingSum.payment.sum
      delete missingSum.operation.sum_initial
      missingSum.signature = signParams({ ...missingSum, signature: undefined }, TEST_SECRET_KEY)
      expect((await post(missingSum)).status).toBe(400)
      expect(await counts()).toEqual(before)
    })

    it.each([
      ["amount", { amount: 150_051 }],
      ["currency", { currency: "KES" }],
    ])("holds a correctly signed callback whose %s differs from what we sent, and places no order", async (_what, change) => {
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await sandbox().callbacksDelivered()
      const response = await post(saleSuccessCallback(checkout.sessionId, change))
      expect(response.status).toBe(200)
      expect(response.data.outcome).toBe("held")
      const [held] = await flutterwave().listGateCallbacks({ gate_payment_id: checkout.sessionId, outcome: "held" })
      expect(held.reason).toContain("mismatch")
      expect(await orderForCart(api, getContainer(), store, checkout.cartId)).toBeUndefined()
      // A replay of the held callback stays held and still changes nothing.
      expect((await post(saleSuccessCallback(checkout.sessionId, change))).data.outcome).toBe("held")
    })

    it("records a callback for a payment this store does not know, without failing", async () => {
      const response = await post(saleSuccessCallback("payses_not_ours"))
      expect(response.status).toBe(200)
      expect(response.data.outcome).toBe("unmatched")
      const [row] = await flutterwave().listGateCallbacks({ gate_payment_id: "payses_not_ours" })
      expect(row.reason).toContain("no payment session")
    })

    it("ignores a redirect notice that arrives after the result (out of order)", async () => {
      sandbox().script({ operation: "sale", outcome: "success", callback: { reorder: true } })
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
      await sandbox().callbacksDelivered()
      const callbacks = await flutterwave().listGateCallbacks({ gate_payment_id: checkout.sessionId })
      expect(callbacks.map((c: any) => [c.payment_status, c.outcome]).sort()).toEqual([
        ["awaiting redirect result", "ignored"],
        ["success", "applied"],
      ])
      const [sale] = await flutterwave().listGateOperations({ gate_payment_id: checkout.sessionId })
      expect(sale.status).toBe("success")
      expect(sale.redirect_data).toBeNull()
    })

    it("maps Medusa's standard webhook route payloads (getWebhookActionAndData) and ignores forged ones", async () => {
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      const payments = getContainer().resolve(Modules.PAYMENT)
      const body = saleSuccessCallback(checkout.sessionId)
      const raw = Buffer.from(JSON.stringify(body))
      const action = await payments.getWebhookActionAndData({
        provider: "flutterwave_flutterwave",
        payload: { data: body, rawData: raw, headers: {} },
      })
      expect(action).toEqual({ action: "captured", data: { session_id: checkout.sessionId, amount: "1500.50" } })

      const forged = Buffer.from(JSON.stringify({ ...body, signature: "AAAA" }))
      const ignored = await payments.getWebhookActionAndData({
        provider: "flutterwave_flutterwave",
        payload: { data: {}, rawData: forged, headers: {} },
      })
      expect(ignored).toEqual({ action: "not_supported" })

      await redirectFor(api, store, checkout.sessionId) // keeps the sandbox's own callbacks from racing the teardown
    })

    it("lets exactly one late delivery take over a callback whose delivery died, and answers 409 while one is live", async () => {
      // Gate's own success callback never arrives: the test delivers it.
      sandbox().script({ operation: "sale", outcome: "success", callback: { drop: true } })
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await sandbox().callbacksDelivered()
      const body = saleSuccessCallback(checkout.sessionId)
      const dedupeKey = createHash("sha256").update(body.signature).digest("hex")
      const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      // A delivery stored it and is (as far as anyone knows) still applying it.
      await flutterwave().createGateCallbacks({
        dedupe_key: dedupeKey,
        gate_payment_id: checkout.sessionId,
        payment_status: "success",
        body: { stored: "by a delivery that died" },
      })
      const live = await post(body)
      expect([live.status, live.data.outcome]).toEqual([409, "in_progress"])
      expect(await orderForCart(api, getContainer(), store, checkout.cartId)).toBeUndefined()

      // That delivery died a minute ago: of five late deliveries at once, exactly one applies it.
      await knex.raw(`UPDATE fw_gate_callback SET updated_at = now() - interval '61 seconds' WHERE dedupe_key = ?`, [dedupeKey])
      const late = await Promise.all(Array.from({ length: 5 }, () => post(body)))
      const answers = late.map((answer: any) => `${answer.status} ${answer.data.outcome}`).sort()
      expect(answers.filter((answer: string) => answer === "200 applied")).toHaveLength(1)
      for (const answer of answers) expect(["200 applied", "409 in_progress", "200 duplicate"]).toContain(answer)

      const [row] = await flutterwave().listGateCallbacks({ dedupe_key: dedupeKey })
      expect([row.outcome, row.deliveries]).toEqual(["applied", 7])
      const order = await orderForCart(api, getContainer(), store, checkout.cartId)
      expect(order.payment_collections[0].payments).toHaveLength(1)
      expect(order.payment_collections[0].payments[0].captures).toHaveLength(1)
    })
  },
})
