import { api, createLink, paymentBody, payloadHash, useHarness } from "./harness"

describe("Flutterwave v3 sandbox: hosted links, the checkout page and verify", () => {
  const harness = useHarness()

  describe("POST /v3/payments", () => {
    it("answers a hosted link on the sandbox, and keeps the amount in minor units", async () => {
      const { sandbox } = harness
      const answer = await api(sandbox, "POST", "/v3/payments", paymentBody("ord_1", 1500.5, "NGN"))
      expect(answer).toEqual({
        status: 200,
        body: { status: "success", message: "Hosted Link", data: { link: expect.stringMatching(/\/v3\/hosted\/pay\/flwlnk-\d+$/) } },
      })
      expect(answer.body.data.link.startsWith(`${sandbox.url}/v3/hosted/pay/`)).toBe(true)
      expect(sandbox.links()).toEqual([
        expect.objectContaining({
          link: answer.body.data.link,
          txRef: "ord_1",
          amount: 150050,
          currency: "NGN",
          redirectUrl: "http://shop.test/checkout/return?cart=c1",
          email: "ada@example.ng",
          payloadHashChecked: true,
        }),
      ])
    })

    it("keeps UGX, a zero-decimal currency, in whole units", async () => {
      await createLink(harness.sandbox, "ord_ugx", 25000, "UGX")
      expect(harness.sandbox.links()[0]).toMatchObject({ amount: 25000, currency: "UGX" })
    })

    it("refuses a wrong or missing key with 401", async () => {
      const { sandbox } = harness
      for (const key of ["FLWSECK_TEST-wrong", null]) {
        const answer = await api(sandbox, "POST", "/v3/payments", paymentBody("ord_auth"), key)
        expect(answer).toEqual({ status: 401, body: { status: "error", message: "Invalid authorization key", data: null } })
      }
      expect(sandbox.links()).toEqual([])
    })

    it("refuses a wrong payload_hash, a missing email and an amount finer than the currency's minor unit", async () => {
      const { sandbox } = harness
      const tampered = { ...paymentBody("ord_hash", 1500.5), amount: 15.05 } // the hash was made for 1500.5
      expect(await api(sandbox, "POST", "/v3/payments", tampered)).toEqual({
        status: 400,
        body: { status: "error", message: "Invalid payload hash", data: null },
      })
      const otherKey = { ...paymentBody("ord_hash"), payload_hash: payloadHash(1500.5, "NGN", "ada@example.ng", "ord_hash", "another-key") }
      expect((await api(sandbox, "POST", "/v3/payments", otherKey)).body.message).toBe("Invalid payload hash")
      const noEmail = { ...paymentBody("ord_hash"), customer: { name: "Ada" } }
      expect(await api(sandbox, "POST", "/v3/payments", noEmail)).toMatchObject({ status: 400, body: { message: "customer.email is required" } })
      const subKobo = paymentBody("ord_hash", 10.005)
      expect(await api(sandbox, "POST", "/v3/payments", subKobo)).toMatchObject({ status: 400, body: { message: "Invalid amount" } })
      expect(sandbox.links()).toEqual([])
    })

    it("gives the same tx_ref a new link to the same payment", async () => {
      const first = await createLink(harness.sandbox, "ord_again")
      const second = await createLink(harness.sandbox, "ord_again")
      expect(second).not.toBe(first)
      expect(harness.sandbox.links().map((link) => link.txRef)).toEqual(["ord_again", "ord_again"])
    })
  })

  describe("the hosted page", () => {
    it("shows the amount with its currency, the email and the three buttons", async () => {
      const link = await createLink(harness.sandbox, "ord_page", 1234567.5)
      const response = await fetch(link)
      expect(response.status).toBe(200)
      expect(response.headers.get("content-type")).toContain("text/html")
      const html = await response.text()
      expect(html).toContain("<title>Flutterwave Checkout (sandbox)</title>")
      expect(html).toContain("NGN 1,234,567.50")
      expect(html).toContain("ada@example.ng")
      for (const testId of ["fw-pay", "fw-fail", "fw-cancel"]) expect(html).toContain(`data-testid="${testId}"`)
      expect(html).toMatch(/<form method="post" action="\/v3\/hosted\/pay\/flwlnk-\d+\/pay">/)
    })

    it("Pay: a successful transaction, then 302 to redirect_url with status, tx_ref and transaction_id", async () => {
      const { sandbox } = harness
      const link = await createLink(sandbox, "ord_pay")
      const response = await fetch(`${link}/pay`, { method: "POST", redirect: "manual" })
      expect(response.status).toBe(302)
      const location = new URL(response.headers.get("location")!)
      const transaction = sandbox.transaction("ord_pay")!
      expect(transaction).toMatchObject({ txRef: "ord_pay", amount: 150050, currency: "NGN", status: "successful", refunded: 0 })
      expect(`${location.origin}${location.pathname}`).toBe("http://shop.test/checkout/return")
      expect(Object.fromEntries(location.searchParams)).toEqual({
        cart: "c1",
        status: "successful",
        tx_ref: "ord_pay",
        transaction_id: String(transaction.id),
      })
    })

    it("Fail: a failed transaction and status=failed; Cancel: no transaction and status=cancelled", async () => {
      const { sandbox } = harness
      const link = await createLink(sandbox, "ord_fail")
      const failed = await fetch(`${link}/fail`, { method: "POST", redirect: "manual" })
      const failedAt = new URL(failed.headers.get("location")!)
      expect(failedAt.searchParams.get("status")).toBe("failed")
      expect(failedAt.searchParams.get("transaction_id")).toBe(String(sandbox.transaction("ord_fail")!.id))
      expect(sandbox.transaction("ord_fail")!.status).toBe("failed")

      const cancelLink = await createLink(sandbox, "ord_cancel")
      const cancelled = await fetch(`${cancelLink}/cancel`, { method: "POST", redirect: "manual" })
      const cancelledAt = new URL(cancelled.headers.get("location")!)
      expect(cancelled.status).toBe(302)
      expect(cancelledAt.searchParams.get("status")).toBe("cancelled")
      expect(cancelledAt.searchParams.get("tx_ref")).toBe("ord_cancel")
      expect(cancelledAt.searchParams.has("transaction_id")).toBe(false)
      expect(sandbox.transaction("ord_cancel")).toBeUndefined()
    })

    it("answers JSON instead of a redirect when asked (Accept: application/json)", async () => {
      const link = await createLink(harness.sandbox, "ord_json")
      const response = await fetch(`${link}/pay`, { method: "POST", headers: { accept: "application/json" } })
      expect(response.status).toBe(200)
      const body = (await response.json()) as Record<string, any>
      expect(body.transaction_id).toBe(harness.sandbox.transaction("ord_json")!.id)
      expect(body.redirect).toContain("status=successful")
    })

    it("takes one successful charge per tx_ref: a second one, on any of its links, is refused with 409", async () => {
      const { sandbox } = harness
      const first = await createLink(sandbox, "ord_once")
      const second = await createLink(sandbox, "ord_once")
      expect((await fetch(`${first}/fail`, { method: "POST", redirect: "manual" })).status).toBe(302)
      expect((await fetch(`${second}/pay`, { method: "POST", redirect: "manual" })).status).toBe(302)
      const again = await fetch(`${first}/pay`, { method: "POST", redirect: "manual" })
      expect(again.status).toBe(409)
      expect(await again.text()).toContain("This payment has already been made")
      expect(() => sandbox.pay("ord_once")).toThrow("This payment has already been made")
      expect(sandbox.transactions().map((t) => t.status)).toEqual(["failed", "successful"])
      // The page itself no longer offers to pay.
      expect(await (await fetch(first)).text()).not.toContain('data-testid="fw-pay"')
    })

    it("pay() without a link throws; an unknown link is a 404 page", async () => {
      expect(() => harness.sandbox.pay("ord_none")).toThrow('no hosted link for tx_ref "ord_none"')
      expect((await fetch(`${harness.sandbox.url}/v3/hosted/pay/flwlnk-1`)).status).toBe(404)
    })
  })

  describe("verify", () => {
    it("answers verify_by_reference and verify by id with the transaction, amounts in major units", async () => {
      const { sandbox } = harness
      await createLink(sandbox, "ord_verify", 1500.5)
      const paid = sandbox.pay("ord_verify")
      const byReference = await api(sandbox, "GET", "/v3/transactions/verify_by_reference?tx_ref=ord_verify")
      expect(byReference.status).toBe(200)
      expect(byReference.body).toMatchObject({ status: "success", message: expect.any(String) })
      expect(byReference.body.data).toMatchObject({
        id: paid.id,
        tx_ref: "ord_verify",
        flw_ref: paid.flwRef,
        amount: 1500.5,
        currency: "NGN",
        charged_amount: 1500.5,
        app_fee: 21.01, // 1.4 % of 1500.50, rounded half up to the kobo
        merchant_fee: 0,
        status: "successful",
        payment_type: "card",
        auth_model: expect.any(String),
        processor_response: expect.any(String),
        account_id: expect.any(Number),
        created_at: expect.any(String),
        customer: { id: expect.any(Number), name: "Ada Obi", phone_number: "08012345678", email: "ada@example.ng", created_at: expect.any(String) },
        meta: { payment_ref: "ord_verify" },
      })
      const byId = await api(sandbox, "GET", `/v3/transactions/${paid.id}/verify`)
      expect(byId).toEqual(byReference)
    })

    it("answers the successful attempt of a tx_ref if any, otherwise the latest", async () => {
      const { sandbox } = harness
      await createLink(sandbox, "ord_attempts")
      const firstFail = sandbox.pay("ord_attempts", "failed")
      const success = sandbox.pay("ord_attempts", "successful")
      const verify = async () => (await api(sandbox, "GET", "/v3/transactions/verify_by_reference?tx_ref=ord_attempts")).body.data
      expect((await verify()).id).toBe(success.id)
      expect((await api(sandbox, "GET", `/v3/transactions/${firstFail.id}/verify`)).body.data.status).toBe("failed")

      await createLink(sandbox, "ord_failing")
      sandbox.pay("ord_failing", "failed")
      const latest = sandbox.pay("ord_failing", "failed")
      expect((await api(sandbox, "GET", "/v3/transactions/verify_by_reference?tx_ref=ord_failing")).body.data.id).toBe(latest.id)
    })

    it("answers 400 'No transaction was found for this id' for a reference or id it does not know", async () => {
      const { sandbox } = harness
      await createLink(sandbox, "ord_unpaid") // a link is not a transaction
      const notFound = { status: 400, body: { status: "error", message: "No transaction was found for this id", data: null } }
      expect(await api(sandbox, "GET", "/v3/transactions/verify_by_reference?tx_ref=ord_unpaid")).toEqual(notFound)
      expect(await api(sandbox, "GET", "/v3/transactions/424242/verify")).toEqual(notFound)
      expect((await api(sandbox, "GET", "/v3/transactions/424242/verify", undefined, "bad")).status).toBe(401)
    })

    it("records every API request with its answer", async () => {
      const { sandbox } = harness
      await api(sandbox, "GET", "/v3/transactions/verify_by_reference?tx_ref=ord_rec", undefined, null)
      await api(sandbox, "GET", "/v3/transactions/verify_by_reference?tx_ref=ord_rec")
      expect(sandbox.requests).toEqual([
        expect.objectContaining({ operation: "verify", reference: "ord_rec", httpStatus: 401, processed: false }),
        expect.objectContaining({ operation: "verify", reference: "ord_rec", httpStatus: 400, processed: false }),
      ])
    })
  })
})
