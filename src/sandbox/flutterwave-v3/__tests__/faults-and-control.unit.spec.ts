import { api, createLink, paidTransaction, paymentBody, SECRET_KEY, useHarness } from "./harness"

describe("Flutterwave v3 sandbox: faults, latency, reset and control routes", () => {
  const harness = useHarness()

  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${harness.sandbox.url}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as Record<string, any> }
  }

  describe("API faults", () => {
    it("httpStatus 5xx with process (the default): the work happens behind the failed answer", async () => {
      const { sandbox } = harness
      sandbox.script({ operation: "payments", reference: "ord_500", httpStatus: 500 })
      const answer = await api(sandbox, "POST", "/v3/payments", paymentBody("ord_500"))
      expect(answer).toEqual({ status: 500, body: { status: "error", message: "Internal server error", data: null } })
      expect(sandbox.links().map((link) => link.txRef)).toEqual(["ord_500"])
      expect(sandbox.requests[0]).toMatchObject({ operation: "payments", reference: "ord_500", httpStatus: 500, processed: true })

      // A transfer whose answer was lost exists, settles and is found by its reference.
      sandbox.script({ operation: "transfer", httpStatus: 502 })
      const lost = await api(sandbox, "POST", "/v3/transfers", {
        account_bank: "058",
        account_number: "0123456789",
        amount: 100,
        currency: "NGN",
        reference: "po_lost",
      })
      expect(lost.status).toBe(502)
      await sandbox.webhooksDelivered()
      expect((await api(sandbox, "GET", "/v3/transfers?reference=po_lost")).body.data).toEqual([
        expect.objectContaining({ reference: "po_lost", status: "SUCCESSFUL" }),
      ])
      expect(harness.receiver.received.map((w) => w.json.event)).toEqual(["transfer.completed"])
    })

    it("httpStatus 5xx with process: false: nothing happened", async () => {
      const { sandbox } = harness
      const txId = await paidTransaction(sandbox, "ord_p500")
      sandbox.script({ operation: "refund", reference: "ord_p500", httpStatus: 503, process: false })
      expect((await api(sandbox, "POST", `/v3/transactions/${txId}/refund`, { amount: 10 })).status).toBe(503)
      expect(sandbox.refunds()).toEqual([])
      expect(sandbox.transaction("ord_p500")!.refunded).toBe(0)
      // The script is used up: the next refund goes through.
      expect((await api(sandbox, "POST", `/v3/transactions/${txId}/refund`, { amount: 10 })).status).toBe(200)
    })

    it("serves a script `times` times, only for its reference", async () => {
      const { sandbox } = harness
      sandbox.script({ operation: "verify", reference: "ord_flaky", httpStatus: 502, times: 2 })
      const verify = async (txRef: string) => (await api(sandbox, "GET", `/v3/transactions/verify_by_reference?tx_ref=${txRef}`)).status
      expect(await verify("ord_other")).toBe(400)
      expect(await verify("ord_flaky")).toBe(502)
      expect(await verify("ord_flaky")).toBe(502)
      expect(await verify("ord_flaky")).toBe(400)
    })

    it("faults the status lookups too: refund_status by the refunded tx_ref, transfer_status by the transfer reference", async () => {
      const { sandbox } = harness
      const txId = await paidTransaction(sandbox, "ord_status")
      const refund = await api(sandbox, "POST", `/v3/transactions/${txId}/refund`, { amount: 1 })
      await api(sandbox, "POST", "/v3/transfers", { account_bank: "011", account_number: "0123456789", amount: 10, currency: "NGN", reference: "po_status" })
      sandbox.script({ operation: "refund_status", reference: "ord_status", httpStatus: 500 })
      sandbox.script({ operation: "transfer_status", reference: "po_status", httpStatus: 504 })
      expect((await api(sandbox, "GET", `/v3/refunds/${refund.body.data.id}`)).status).toBe(500)
      expect((await api(sandbox, "GET", `/v3/refunds?tx_id=${txId}`)).status).toBe(200)
      expect((await api(sandbox, "GET", "/v3/transfers?reference=po_status")).status).toBe(504)
      expect((await api(sandbox, "GET", "/v3/transfers?reference=po_status")).status).toBe(200)
    })

    it("a scripted 4xx is a refusal: nothing is done", async () => {
      const { sandbox } = harness
      sandbox.script({ operation: "payments", httpStatus: 429 })
      expect((await api(sandbox, "POST", "/v3/payments", paymentBody("ord_429"))).status).toBe(429)
      expect(sandbox.links()).toEqual([])
    })

    it("hangMs: the answer is held back past the client's timeout, the work still done (or not, with process: false)", async () => {
      const { sandbox } = harness
      sandbox.script({ operation: "payments", reference: "ord_hang", hangMs: 400 })
      sandbox.script({ operation: "payments", reference: "ord_hang_lost", hangMs: 400, process: false })
      const send = (txRef: string) =>
        fetch(`${sandbox.url}/v3/payments`, {
          method: "POST",
          headers: { authorization: `Bearer ${SECRET_KEY}`, "content-type": "application/json" },
          body: JSON.stringify(paymentBody(txRef)),
          signal: AbortSignal.timeout(100),
        })
      await expect(send("ord_hang")).rejects.toThrow()
      await expect(send("ord_hang_lost")).rejects.toThrow()
      expect(sandbox.links().map((link) => link.txRef)).toEqual(["ord_hang"])
    })

    it("a hang that the client waits out is answered normally", async () => {
      const { sandbox } = harness
      sandbox.script({ operation: "banks", reference: "KE", hangMs: 150 })
      const startedAt = Date.now()
      expect((await api(sandbox, "GET", "/v3/banks/KE")).status).toBe(200)
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(140)
    })

    it("refuses a script that makes no sense", () => {
      const { sandbox } = harness
      expect(() => sandbox.script({ operation: "charge" as never })).toThrow("operation must be one of")
      expect(() => sandbox.script({ operation: "payments", httpStatus: 200 })).toThrow("httpStatus must be")
      expect(() => sandbox.script({ operation: "refund", refund: "maybe" as never })).toThrow("refund must be")
    })
  })

  it("latency: every API answer is held back, pages and control routes are not; reset() restores it", async () => {
    const { sandbox } = harness
    const link = await createLink(sandbox, "ord_latency")
    sandbox.setLatency(200)
    let startedAt = Date.now()
    await api(sandbox, "GET", "/v3/banks/NG")
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190)
    startedAt = Date.now()
    await fetch(link)
    await control("GET", "/transactions")
    expect(Date.now() - startedAt).toBeLessThan(190)
    expect(() => sandbox.setLatency(-1)).toThrow(RangeError)
    sandbox.reset()
    expect(sandbox.latency).toBe(0)
  })

  it("reset() forgets everything, scripts too, and puts the options back", async () => {
    const { sandbox, receiver } = harness
    await paidTransaction(sandbox, "ord_before_reset")
    await sandbox.webhooksDelivered()
    sandbox.script({ operation: "banks", httpStatus: 500 })
    sandbox.setRefundsEnabled(false)
    sandbox.setWebhookUrl(undefined)
    sandbox.reset()
    expect([sandbox.links(), sandbox.transactions(), sandbox.refunds(), sandbox.transfers(), sandbox.deliveries, sandbox.requests]).toEqual([
      [],
      [],
      [],
      [],
      [],
      [],
    ])
    expect((await api(sandbox, "GET", "/v3/banks/NG")).status).toBe(200)
    const txId = await paidTransaction(sandbox, "ord_after_reset")
    expect((await api(sandbox, "POST", `/v3/transactions/${txId}/refund`, { amount: 1 })).status).toBe(200)
    await sandbox.webhooksDelivered()
    expect(receiver.received.map((w) => w.json.data.tx_ref)).toEqual(["ord_before_reset", "ord_after_reset"])
  })

  describe("control routes (/_sandbox/*, no auth)", () => {
    it("pays, lists, settles and resets over HTTP", async () => {
      const { sandbox, receiver } = harness
      await createLink(sandbox, "ord_ctl", 200)
      expect(await control("POST", "/pay", { tx_ref: "ord_none" })).toMatchObject({ status: 404 })
      const paid = await control("POST", "/pay", { tx_ref: "ord_ctl", outcome: "successful", webhook: { duplicates: 1 } })
      expect(paid.status).toBe(200)
      expect(paid.body.transaction).toMatchObject({ txRef: "ord_ctl", status: "successful", amount: 20000 })
      expect((await control("POST", "/pay", { tx_ref: "ord_ctl" })).status).toBe(409)

      expect(await control("POST", "/script", { operation: "refund", refund: "stall" })).toEqual({ status: 201, body: { ok: true } })
      const refund = await api(sandbox, "POST", `/v3/transactions/${paid.body.transaction.id}/refund`, { amount: 50 })
      const settled = await control("POST", `/refunds/${refund.body.data.id}/settle`, { status: "failed" })
      expect(settled.body.refund).toMatchObject({ status: "failed", amount: 5000 })

      await control("POST", "/script", { operation: "transfer", transfer: "stall" })
      const transfer = await api(sandbox, "POST", "/v3/transfers", {
        account_bank: "MPS",
        account_number: "254700000000",
        amount: 1500,
        currency: "KES",
        reference: "po_ctl",
      })
      const settledTransfer = await control("POST", `/transfers/${transfer.body.data.id}/settle`, { status: "SUCCESSFUL" })
      expect(settledTransfer.body.transfer).toMatchObject({ status: "SUCCESSFUL", amount: 150000, currency: "KES" })

      expect((await control("POST", "/test-webhook")).status).toBe(200)
      expect(await control("GET", "/webhooks-delivered")).toEqual({ status: 200, body: { ok: true } })
      expect(receiver.received.map((w) => w.json.event)).toEqual(["charge.completed", "charge.completed", "transfer.completed", "test_assess"])

      const listed = await control("GET", "/transactions")
      expect(listed.body.transactions).toHaveLength(1)
      expect(listed.body.refunds).toHaveLength(1)
      expect(listed.body.transfers).toHaveLength(1)
      expect(listed.body.links).toEqual([expect.objectContaining({ txRef: "ord_ctl", amount: 20000, currency: "NGN" })])
      expect((await control("GET", "/deliveries")).body.deliveries).toHaveLength(4)

      expect(await control("POST", "/reset")).toEqual({ status: 200, body: { ok: true } })
      expect((await control("GET", "/transactions")).body).toEqual({ transactions: [], refunds: [], transfers: [], links: [] })
    })

    it("sets the webhook URL, the refunds switch and the latency, and answers 400 or 404 for bad calls", async () => {
      const { sandbox, receiver } = harness
      expect(await control("POST", "/webhook-url", { url: null })).toEqual({ status: 200, body: { url: null } })
      await createLink(sandbox, "ord_ctl2")
      sandbox.pay("ord_ctl2", "failed")
      expect(await control("POST", "/webhook-url", { url: receiver.url })).toEqual({ status: 200, body: { url: receiver.url } })
      expect((await control("POST", "/webhook-url", { url: "not a url" })).status).toBe(400)

      const txId = sandbox.pay("ord_ctl2").id
      expect(await control("POST", "/refunds-enabled", { enabled: false })).toEqual({ status: 200, body: { enabled: false } })
      expect((await api(sandbox, "POST", `/v3/transactions/${txId}/refund`, {})).body.message).toMatch(/Refunds are not enabled/)
      await control("POST", "/refunds-enabled", { enabled: true })
      expect((await api(sandbox, "POST", `/v3/transactions/${txId}/refund`, {})).status).toBe(200)

      expect(await control("POST", "/latency", { latencyMs: 5 })).toEqual({ status: 200, body: { latencyMs: 5 } })
      expect((await control("POST", "/latency", { latencyMs: -5 })).status).toBe(400)

      expect((await control("POST", "/script", { operation: "nope" })).status).toBe(400)
      expect((await control("POST", "/script", { operation: "payments", webhook: { mutate: "x" } })).status).toBe(400)
      expect((await control("POST", "/refunds-enabled", { enabled: "yes" })).status).toBe(400)
      expect((await control("POST", "/refunds/1/settle", { status: "completed" })).status).toBe(404)
      expect((await control("POST", "/transfers/1/settle", { status: "maybe" })).status).toBe(400)
      expect((await control("POST", "/nowhere")).status).toBe(404)
      await sandbox.webhooksDelivered()
      expect(sandbox.undelivered).toHaveLength(1)
    })
  })

  it("answers unknown API paths with 404 and bad JSON with 400", async () => {
    const { sandbox } = harness
    expect((await api(sandbox, "GET", "/v3/nothing-here")).status).toBe(404)
    const response = await fetch(`${sandbox.url}/v3/payments`, {
      method: "POST",
      headers: { authorization: `Bearer ${SECRET_KEY}`, "content-type": "application/json" },
      body: "{not json",
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ status: "error", message: "Invalid JSON body", data: null })
  })
})
