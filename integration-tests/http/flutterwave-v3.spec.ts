import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { createHash } from "node:crypto"
import { reconcile } from "../../src/settlement/reconcile"
import { V3_RETURN_URL, V3_SECRET_HASH, V3_SECRET_KEY, forgetV3Payments, useFlutterwaveV3Sandbox, v3Ledger, webhookTarget } from "../helpers/flutterwave-v3"
import { expectEveryPaidSaleSettled, explainApiError, orderForCart, redirectFor, seedRealisticStore, waitFor, type RealisticStore } from "../helpers/store"

jest.setTimeout(240_000)

const { sandbox } = useFlutterwaveV3Sandbox()

/**
 * Issue 13: merchants with their own Flutterwave account. The same provider, ledger, intake and reconciliation, over
 * Flutterwave's v3 API: Standard hosted links, `verif-hash` webhooks that prove only their sender (so every webhook
 * is looked up before anything is applied), v3 refunds that settle days later, and transfers. The realistic store
 * (7.5 % VAT in NG, a promotion, managed inventory); every test ends with the ledger check over every transaction the
 * v3 sandbox holds.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let shop: RealisticStore
    const variants: Record<"ngn" | "kes" | "ghs", string> = { ngn: "", kes: "", ghs: "" }

    beforeAll(async () => {
      shop = await seedRealisticStore(api, getContainer(), webhookTarget(sandbox()))
      variants.ngn = await shop.product("ngn", 1001)
      variants.kes = await shop.product("kes", 2500.5)
      variants.ghs = await shop.product("ghs", 120.75)
    })

    afterEach(() => forgetV3Payments(sandbox()))

    const settled = () => expectEveryPaidSaleSettled(getContainer(), v3Ledger(sandbox()))
    const pg = () => getContainer().resolve<any>("__pg_connection__")
    const webhookUrl = () => `${api.defaults.baseURL}/hooks/flutterwave/v3`

    /** A taxed NGN cart (1,001.00 + 7.5 % VAT = 1076.075 in Medusa, 1076.08 at Flutterwave) with its hosted link. */
    async function startPaying(currency: "ngn" | "kes" | "ghs" = "ngn") {
      const checkout = await shop.checkout({ currency, items: [{ variantId: variants[currency] }] })
      const answer = await redirectFor(api, shop, checkout.sessionId)
      return { checkout, answer }
    }

    /** The order the cart became, once its payment is captured (the webhook's whole apply has committed). */
    async function waitForOrder(cartId: string): Promise<any> {
      return waitFor(async () => {
        const order = await orderForCart(api, getContainer(), shop, cartId)
        return order?.payment_status === "captured" ? order : undefined
      }, 20_000, 100)
    }

    async function callbackRows(sessionId: string): Promise<any[]> {
      return pg()("fw_gate_callback").where({ gate_payment_id: sessionId }).orderBy("created_at")
    }

    const postWebhook = (body: string, headers: Record<string, string>) =>
      fetch(webhookUrl(), { method: "POST", headers: { "content-type": "application/json", ...headers }, body })

    it.each([
      ["ngn", "NGN", 107_608, "NGN 1,076.08"],
      ["kes", "KES", 250_050, "KES 2,500.50"],
      ["ghs", "GHS", 12_075, "GHS 120.75"],
    ] as const)(
      "checkout in %s: the hosted link, the shopper pays on Flutterwave's page, the webhook places the order",
      async (currency, code, minor, major) => {
        const { checkout, answer } = await startPaying(currency)
        expect(checkout.session.data).toMatchObject({ checkout: "hosted_link", amount_minor: minor, currency: code })
        // The storefront is sent to Flutterwave's hosted page at once.
        expect(answer).toMatchObject({ status: "redirect", redirect: { method: "GET" } })
        expect(answer.redirect.url).toMatch(new RegExp(`^${sandbox().url}/v3/hosted/pay/flwlnk-`))
        const [link] = sandbox().links().filter((l) => l.txRef === checkout.sessionId)
        expect(link).toMatchObject({ amount: minor, currency: code, email: "ada@example.ng", payloadHashChecked: true })
        expect(link.redirectUrl.startsWith(V3_RETURN_URL)).toBe(true)
        // Flutterwave was sent major units: the amount the shopper sees on the page.
        const page = await fetch(answer.redirect.url)
        expect(page.status).toBe(200)
        expect(await page.text()).toContain(major)

        const paid = await fetch(`${answer.redirect.url}/pay`, { method: "POST", redirect: "manual" })
        expect(paid.status).toBe(302)
        const back = new URL(paid.headers.get("location")!)
        expect(Object.fromEntries(back.searchParams)).toMatchObject({ status: "successful", tx_ref: checkout.sessionId, payment_session_id: checkout.sessionId })

        const order = await waitForOrder(checkout.cartId)
        expect(order.payment_status).toBe("captured")
        expect(order.payment_collections[0].payments[0].payment_session_id).toBe(checkout.sessionId)
        expect((await api.get(`/store/flutterwave/payment-sessions/${checkout.sessionId}`, shop.store)).data).toEqual({ status: "succeeded" })
        // The webhook was recorded once, applied from what Flutterwave's API said.
        const rows = await waitFor(async () => {
          const found = await callbackRows(checkout.sessionId)
          return found.length === 1 && found[0].outcome !== "received" ? found : undefined
        })
        expect(rows[0]).toMatchObject({ outcome: "applied", payment_status: "charge.completed", operation_type: "sale" })
        await settled()
      }
    )

    it("the shopper fails on Flutterwave's page: declined with Flutterwave's reason, no order; paying again on the page places it", async () => {
      const { checkout, answer } = await startPaying()
      const failed = await fetch(`${answer.redirect.url}/fail`, { method: "POST", redirect: "manual" })
      expect(new URL(failed.headers.get("location")!).searchParams.get("status")).toBe("failed")
      const declined = await waitFor(async () => {
        const { data } = await api.get(`/store/flutterwave/payment-sessions/${checkout.sessionId}`, shop.store)
        return data.status === "declined" ? data : undefined
      })
      expect(declined.message).toMatch(/Flutterwave declined the payment/)
      expect(await orderForCart(api, getContainer(), shop, checkout.cartId)).toBeUndefined()

      // Flutterwave's page lets the shopper try again under the same reference: the money is real, so it settles.
      await fetch(`${answer.redirect.url}/pay`, { method: "POST", redirect: "manual" })
      const order = await waitForOrder(checkout.cartId)
      expect(order.payment_status).toBe("captured")
      await settled()
    })

    it("webhook lost: reconciliation asks Flutterwave (verify_by_reference) and places the order", async () => {
      const { checkout } = await startPaying()
      sandbox().pay(checkout.sessionId, "successful", { drop: true })
      await sandbox().webhooksDelivered()
      expect(sandbox().deliveries.filter((d) => d.event === "charge.completed")).toHaveLength(0)
      expect(await orderForCart(api, getContainer(), shop, checkout.cartId)).toBeUndefined()

      const report = await reconcile(getContainer(), "manual")
      expect(report.items.find((item) => item.gate_payment_id === checkout.sessionId)).toMatchObject({ before: "pending", after: "successful" })
      const order = await waitForOrder(checkout.cartId)
      expect(order.payment_status).toBe("captured")
      const asked = sandbox().requests.filter((r) => r.operation === "verify" && r.reference === checkout.sessionId)
      expect(asked.length).toBeGreaterThan(0)
      await settled()
    })

    it("the same webhook 10 times at once, then replayed: one order, one row counting every delivery", async () => {
      const { checkout } = await startPaying()
      sandbox().pay(checkout.sessionId, "successful", { duplicates: 9 })
      const order = await waitForOrder(checkout.cartId)
      await sandbox().webhooksDelivered()
      const charges = sandbox().deliveries.filter((d) => d.event === "charge.completed")
      expect(charges.length).toBeGreaterThanOrEqual(10)
      // Every delivery ends in a 200 (a 409 "being applied" is retried by Flutterwave and then answered 200).
      const bodies = new Set(charges.map((d) => d.body))
      expect(bodies.size).toBe(1)

      const replay = await postWebhook(charges[0].body, charges[0].headers)
      expect(replay.status).toBe(200)
      expect(await replay.json()).toMatchObject({ outcome: "duplicate" })

      const rows = await callbackRows(checkout.sessionId)
      expect(rows).toHaveLength(1)
      expect(rows[0].outcome).toBe("applied")
      expect(rows[0].deliveries).toBe(charges.length + 1)
      const payments = await getContainer().resolve(Modules.PAYMENT).listPayments({ payment_session_id: checkout.sessionId }, { relations: ["captures"] })
      expect(payments).toHaveLength(1)
      expect(payments[0].captures).toHaveLength(1)
      expect(order.payment_collections[0].payments).toHaveLength(1)
      await settled()
    })

    it("a forged or missing verif-hash is answered 401 and nothing is recorded", async () => {
      const { checkout } = await startPaying()
      const tx = sandbox().pay(checkout.sessionId, "successful", { drop: true })
      const genuine = sandbox().chargeWebhook(tx.id)
      expect(genuine.headers["verif-hash"]).toBe(V3_SECRET_HASH)

      const forgeries: Array<Record<string, string>> = [
        { "verif-hash": `${V3_SECRET_HASH.slice(0, -1)}x` },
        { "verif-hash": "" },
        {},
        // The newer HMAC header is not accepted unless the store turns it on.
        { "flutterwave-signature": createHash("sha256").update(genuine.body).digest("base64") },
      ]
      for (const headers of forgeries) {
        const answer = await postWebhook(genuine.body, headers)
        expect(answer.status).toBe(401)
        const body = await answer.json()
        expect(JSON.stringify(body)).not.toContain(V3_SECRET_HASH)
      }
      expect(await callbackRows(checkout.sessionId)).toHaveLength(0)
      expect(await orderForCart(api, getContainer(), shop, checkout.cartId)).toBeUndefined()

      // The genuine one (sender proven) is applied.
      expect((await postWebhook(genuine.body, genuine.headers)).status).toBe(200)
      await waitForOrder(checkout.cartId)
      await settled()
    })

    it("a webhook whose body lies about the amount: the lookup tells the truth, and the truth is applied", async () => {
      const { checkout } = await startPaying()
      sandbox().pay(checkout.sessionId, "successful", {
        mutate: (body) => {
          const data = body.data as Record<string, unknown>
          data.amount = 1
          data.charged_amount = 1
          data.currency = "USD"
        },
      })
      const order = await waitForOrder(checkout.cartId)
      // Medusa captured what Flutterwave's API says was charged (107608 kobo), not what the body claimed.
      const [payment] = await getContainer().resolve(Modules.PAYMENT).listPayments({ payment_session_id: checkout.sessionId }, { relations: ["captures"] })
      expect(Number(payment.captures![0].amount)).toBeCloseTo(1076.075, 3)
      expect(order.payment_status).toBe("captured")
      await settled()
    })

    it("Flutterwave's API itself reports another amount: held, no order, in needs attention; the admin refunds it in full", async () => {
      const { checkout } = await startPaying()
      // A second link to the same reference for 1.00 NGN (made with the merchant's key, outside this store), paid.
      const made = await fetch(`${sandbox().url}/v3/payments`, {
        method: "POST",
        headers: { authorization: `Bearer ${V3_SECRET_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ tx_ref: checkout.sessionId, amount: 1, currency: "NGN", redirect_url: V3_RETURN_URL, customer: { email: "ada@example.ng" } }),
      })
      const { data } = (await made.json()) as { data: { link: string } }
      await fetch(`${data.link}/pay`, { method: "POST", redirect: "manual" })

      const item = await waitFor(async () => {
        const { data: attention } = await api.get("/admin/flutterwave/attention", shop.admin)
        return (attention.items as any[]).find((i) => i.gate_payment_id === checkout.sessionId)
      })
      expect(item).toMatchObject({ kind: "held_callback" })
      expect(item.message).toMatch(/1\.00 NGN.*1076\.08 NGN/)
      expect(await orderForCart(api, getContainer(), shop, checkout.cartId)).toBeUndefined()
      const [row] = await callbackRows(checkout.sessionId)
      expect(row.outcome).toBe("held")

      // The admin refunds it from Needs attention: the whole 1.00 NGN goes back, then the ledger check holds.
      const acted = await api.post(`/admin/flutterwave/attention/${item.id}/actions`, { action: "refund" }, shop.admin).catch((e: any) => e.response)
      expect(acted.status).toBe(200)
      const [refund] = await waitFor(async () => (sandbox().refunds().length ? sandbox().refunds() : undefined))
      expect(refund).toMatchObject({ amount: 100, currency: "NGN" })
      await waitFor(async () => (sandbox().refunds()[0].status === "completed" ? true : undefined))
      await reconcile(getContainer(), "manual")
      await settled()
    })

    it("a webhook claiming a payment Flutterwave does not have changes nothing (the sender is proven, the body is not)", async () => {
      const { checkout } = await startPaying()
      const claim = JSON.stringify({
        event: "charge.completed",
        data: { id: 999_999_001, tx_ref: checkout.sessionId, amount: 1076.08, currency: "NGN", status: "successful" },
      })
      const answer = await postWebhook(claim, { "verif-hash": V3_SECRET_HASH })
      expect(answer.status).toBe(200)
      expect(await answer.json()).toMatchObject({ outcome: "unmatched" })
      expect(await orderForCart(api, getContainer(), shop, checkout.cartId)).toBeUndefined()
      const [sale] = await pg()("fw_gate_operation").where({ kind: "sale", gate_payment_id: checkout.sessionId })
      expect(sale.status).toBe("pending")
      await settled()
    })

    it("the dashboard's test event is answered 200, recorded and ignored", async () => {
      sandbox().sendTestWebhook()
      await sandbox().webhooksDelivered()
      const tests = sandbox().deliveries.filter((d) => d.event === "test_assess")
      expect(tests.map((d) => d.status)).toEqual([200])
      const [row] = await pg()("fw_gate_callback").where({ payment_status: "test_assess" })
      expect(row).toMatchObject({ outcome: "ignored" })
    })

    /** A paid, taxed NGN order placed by its webhook. */
    async function paidOrder() {
      const { checkout, answer } = await startPaying()
      await fetch(`${answer.redirect.url}/pay`, { method: "POST", redirect: "manual" })
      const order = await waitForOrder(checkout.cartId)
      return { order, sessionId: checkout.sessionId, paymentId: order.payment_collections[0].payments[0].id as string }
    }

    const refund = (paymentId: string, amount: number) =>
      api.post(`/admin/payments/${paymentId}/refund`, { amount }, shop.admin).catch((e: any) => e.response)

    async function ledgerRefunds(sessionId: string): Promise<any[]> {
      return pg()("fw_gate_operation").where({ kind: "refund", gate_payment_id: sessionId }).whereNull("deleted_at").orderBy("created_at")
    }

    it("partial then full refunds: pending until Flutterwave settles them, then settled by reconciliation", async () => {
      const { sessionId, paymentId, order } = await paidOrder()
      sandbox().script({ operation: "refund", reference: sessionId, refund: "stall", times: 2 })

      const first = await refund(paymentId, 500)
      expect(first.status).toBe(200)
      const [pending] = await ledgerRefunds(sessionId)
      expect(pending).toMatchObject({ status: "pending", currency_code: "NGN" })
      expect(Number(pending.amount)).toBe(50_000)
      const [atFlutterwave] = sandbox().refunds()
      expect(atFlutterwave).toMatchObject({ amount: 50_000, status: "pending" })
      expect(atFlutterwave.comments).toContain(pending.merchant_key)

      // Reconciliation asks; Flutterwave still says pending: nothing changes.
      await reconcile(getContainer(), "manual")
      expect((await ledgerRefunds(sessionId))[0].status).toBe("pending")

      sandbox().settleRefund(atFlutterwave.id, "completed")
      const settling = await reconcile(getContainer(), "manual")
      expect((await ledgerRefunds(sessionId))[0].status).toBe("success")
      // The run's report does not count it still pending (it reads the rail's outcome, not Gate's status words).
      const item = settling.items.find((i) => i.gate_payment_id === sessionId)
      expect(item).toMatchObject({ outcome: "success", after: "successful" })
      expect(settling.still_pending).toBe(0)

      // The rest: 1076.075 − 500 = 576.075, which Flutterwave gets as 576.08 (the last slice takes the rounding).
      const rest = await refund(paymentId, 576.075)
      expect(rest.status).toBe(200)
      const second = sandbox().refunds()[1]
      expect(second).toMatchObject({ amount: 57_608, status: "pending" })
      sandbox().settleRefund(second.id, "completed")
      await reconcile(getContainer(), "manual")
      expect((await ledgerRefunds(sessionId)).map((r) => r.status)).toEqual(["success", "success"])
      const card = (await api.get(`/admin/flutterwave/orders/${order.id}/operations`, shop.admin).catch(explainApiError("card"))).data.payments[0]
      expect(card.refunds.map((r: any) => r.state)).toEqual(["success", "success"])
      // A third refund would exceed what was captured: Medusa refuses it before Flutterwave hears of it.
      expect((await refund(paymentId, 1)).status).toBeGreaterThanOrEqual(400)
      await settled()
    })

    it("refunds disabled on the Flutterwave account: a readable error, nothing refunded anywhere", async () => {
      const { sessionId, paymentId } = await paidOrder()
      sandbox().setRefundsEnabled(false)
      const refused = await refund(paymentId, 200)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/Refunds are not enabled/i)
      expect(refused.data.message).toMatch(/Flutterwave support/i)
      const [payment] = await getContainer().resolve(Modules.PAYMENT).listPayments({ id: paymentId }, { relations: ["refunds"] })
      expect(payment.refunds).toHaveLength(0)
      expect(sandbox().refunds()).toHaveLength(0)
      expect((await ledgerRefunds(sessionId)).every((r) => r.status === "decline" || r.medusa_refund_id === null)).toBe(true)
      await settled()
    })

    it("payouts: Flutterwave's bank list, a transfer that succeeds, and one that fails (with its reason)", async () => {
      const banks = await api.get("/admin/flutterwave/banks?currency=NGN", shop.admin).catch(explainApiError("banks"))
      const access = banks.data.banks.find((bank: any) => bank.id === "044")
      expect(access).toMatchObject({ country: "NG" })
      const kenya = await api.get("/admin/flutterwave/banks?currency=KES", shop.admin).catch(explainApiError("banks KES"))
      expect(kenya.data.banks.length).toBeGreaterThan(0)

      const send = (key: string) =>
        api
          .post(
            "/admin/flutterwave/payouts",
            { amount: "5000.50", currency_code: "NGN", bank_id: "044", account_number: "0690000031", description: "Vendor July", idempotency_key: key },
            shop.admin
          )
          .catch(explainApiError("POST payout"))
      const okKey = `payout-ok-${Date.now()}`
      const ok = await send(okKey)
      const payoutId = ok.data.payout.id
      const done = await waitFor(async () => {
        const { data } = await api.get(`/admin/flutterwave/payouts/${payoutId}`, shop.admin)
        return data.payout.status === "success" ? data.payout : undefined
      })
      expect(done).toMatchObject({ amount: "5000.50", currency_code: "NGN" })
      const [transfer] = sandbox().transfers()
      expect(transfer).toMatchObject({ amount: 500_050, bankCode: "044", accountNumber: "0690000031", status: "SUCCESSFUL", reference: done.gate_payment_id })

      // The admin presses Send again (the same idempotency key): the same payout, and Flutterwave pays nothing more.
      const again = await send(okKey)
      expect(again.data.payout).toMatchObject({ id: payoutId, status: "success" })
      expect(sandbox().transfers()).toHaveLength(1)

      sandbox().script({ operation: "transfer", transfer: "fail" })
      const failing = await send(`payout-ko-${Date.now()}`)
      const failed = await waitFor(async () => {
        const { data } = await api.get(`/admin/flutterwave/payouts/${failing.data.payout.id}`, shop.admin)
        return data.payout.status === "decline" ? data.payout : undefined
      })
      expect(failed.message).toMatch(/\S/)
      expect(sandbox().transfers().map((t) => t.status)).toEqual(["SUCCESSFUL", "FAILED"])
    })
  },
})
