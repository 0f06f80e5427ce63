import { createHmac } from "node:crypto"
import { FLUTTERWAVE_V3_RETRY_DELAYS_MS } from "../webhooks"
import { api, createLink, SECRET_HASH, startHarness, stopHarness, useHarness } from "./harness"

describe("Flutterwave v3 sandbox: webhooks", () => {
  const harness = useHarness()

  it("sends charge.completed with verif-hash as the shopper pays, one per attempt, failed ones too", async () => {
    const { sandbox, receiver } = harness
    await createLink(sandbox, "ord_hook", 1500.5)
    const failed = sandbox.pay("ord_hook", "failed")
    const paid = sandbox.pay("ord_hook", "successful")
    await sandbox.webhooksDelivered()

    expect(receiver.received).toHaveLength(2)
    const [first, second] = receiver.received
    expect(first.headers["content-type"]).toBe("application/json")
    expect(first.headers["verif-hash"]).toBe(SECRET_HASH)
    expect(first.headers["flutterwave-signature"]).toBeUndefined()
    expect(first.json).toEqual({
      event: "charge.completed",
      "event.type": "CARD_TRANSACTION",
      data: expect.objectContaining({ id: failed.id, tx_ref: "ord_hook", status: "failed", amount: 1500.5, currency: "NGN" }),
    })
    expect(second.json.data).toMatchObject({
      id: paid.id,
      flw_ref: paid.flwRef,
      status: "successful",
      charged_amount: 1500.5,
      app_fee: 21.01,
      merchant_fee: 0,
      processor_response: expect.any(String),
      auth_model: expect.any(String),
      payment_type: "card",
      created_at: expect.any(String),
      account_id: expect.any(Number),
      customer: expect.objectContaining({ email: "ada@example.ng", name: "Ada Obi" }),
    })
    expect(sandbox.deliveries.map((d) => [d.event, d.status, d.attempt, d.url])).toEqual([
      ["charge.completed", 200, 1, receiver.url],
      ["charge.completed", 200, 1, receiver.url],
    ])
    expect(sandbox.deliveries[1].body).toBe(second.body)
    expect(sandbox.deliveries[1].headers).toEqual({ "content-type": "application/json", "verif-hash": SECRET_HASH })
  })

  it("also signs with flutterwave-signature (base64 HMAC-SHA256 of the raw body, keyed by the secret hash) when told to", async () => {
    const signed = await startHarness({ signWebhooks: true, secretHash: "hash-for-hmac" })
    try {
      await createLink(signed.sandbox, "ord_signed")
      signed.sandbox.pay("ord_signed")
      await signed.sandbox.webhooksDelivered()
      const [webhook] = signed.receiver.received
      const expected = createHmac("sha256", "hash-for-hmac").update(webhook.body).digest("base64")
      expect(webhook.headers["flutterwave-signature"]).toBe(expected)
      expect(webhook.headers["verif-hash"]).toBe("hash-for-hmac")
    } finally {
      await stopHarness(signed)
    }
  })

  it("retries an answer other than 200 on the schedule, and stops at the first 200", async () => {
    const { sandbox, receiver } = harness
    receiver.answers = [500, 201]
    await createLink(sandbox, "ord_retry")
    sandbox.pay("ord_retry")
    await sandbox.webhooksDelivered()
    expect(sandbox.deliveries.map((d) => [d.status, d.attempt])).toEqual([
      [500, 1],
      [201, 2],
      [200, 3],
    ])
    expect(new Set(receiver.received.map((w) => w.body)).size).toBe(1)
  })

  it("gives up after 3 retries (4 attempts), the default schedule being 3 × 30 minutes", async () => {
    expect(FLUTTERWAVE_V3_RETRY_DELAYS_MS).toEqual([1_800_000, 1_800_000, 1_800_000])
    const { sandbox, receiver } = harness
    receiver.answers = [500, 502, 503, 500, 500]
    await createLink(sandbox, "ord_give_up")
    sandbox.pay("ord_give_up")
    await sandbox.webhooksDelivered()
    expect(sandbox.deliveries.map((d) => d.status)).toEqual([500, 502, 503, 500])
    expect(receiver.received).toHaveLength(4)
  })

  it("counts no answer within webhookTimeoutMs as a failed attempt (status 0)", async () => {
    const slow = await startHarness({ webhookTimeoutMs: 100, webhookRetryDelaysMs: [10] })
    try {
      slow.receiver.hang = true
      await createLink(slow.sandbox, "ord_hang")
      slow.sandbox.pay("ord_hang")
      await slow.sandbox.webhooksDelivered()
      expect(slow.sandbox.deliveries.map((d) => [d.status, d.attempt])).toEqual([
        [0, 1],
        [0, 2],
      ])
    } finally {
      await stopHarness(slow)
    }
  })

  it("on the real schedule, a pending retry is cancelled by reset() and close(), so nobody waits 30 minutes", async () => {
    const real = await startHarness({ webhookRetryDelaysMs: undefined })
    try {
      real.receiver.answers = [500]
      await createLink(real.sandbox, "ord_real")
      real.sandbox.pay("ord_real")
      const waited = real.sandbox.webhooksDelivered()
      // The first attempt happens at once; the retry would be 30 minutes later.
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(real.sandbox.deliveries.map((d) => d.status)).toEqual([500])
      real.sandbox.reset()
      await waited
      expect(real.sandbox.deliveries).toEqual([])
    } finally {
      await stopHarness(real)
    }
  })

  it("drop: never sent (recorded as undelivered), while verify still tells the truth", async () => {
    const { sandbox, receiver } = harness
    await createLink(sandbox, "ord_drop")
    sandbox.pay("ord_drop", "successful", { drop: true })
    await sandbox.webhooksDelivered()
    expect(receiver.received).toEqual([])
    expect(sandbox.deliveries).toEqual([])
    expect(sandbox.undelivered).toEqual([expect.objectContaining({ reason: "dropped", event: "charge.completed" })])
    expect((await api(sandbox, "GET", "/v3/transactions/verify_by_reference?tx_ref=ord_drop")).body.data.status).toBe("successful")
  })

  it("duplicates: separate, byte-identical deliveries", async () => {
    const { sandbox, receiver } = harness
    await createLink(sandbox, "ord_dup")
    sandbox.pay("ord_dup", "successful", { duplicates: 2 })
    await sandbox.webhooksDelivered()
    expect(receiver.received).toHaveLength(3)
    expect(new Set(receiver.received.map((w) => w.body)).size).toBe(1)
    expect(sandbox.deliveries.map((d) => d.attempt)).toEqual([1, 1, 1])
  })

  it("delayMs: waits before the first attempt", async () => {
    const { sandbox, receiver } = harness
    await createLink(sandbox, "ord_late")
    const startedAt = Date.now()
    sandbox.pay("ord_late", "successful", { delayMs: 200 })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(receiver.received).toEqual([])
    await sandbox.webhooksDelivered()
    expect(receiver.received).toHaveLength(1)
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190)
  })

  it("mutate: the body lies (another amount) with the right verif-hash; the API keeps the truth", async () => {
    const { sandbox, receiver } = harness
    await createLink(sandbox, "ord_lie", 1500.5)
    sandbox.pay("ord_lie", "successful", {
      mutate: (body) => {
        body.data.amount = 1
      },
    })
    await sandbox.webhooksDelivered()
    expect(receiver.received[0].json.data.amount).toBe(1)
    expect(receiver.received[0].headers["verif-hash"]).toBe(SECRET_HASH)
    expect((await api(sandbox, "GET", "/v3/transactions/verify_by_reference?tx_ref=ord_lie")).body.data.amount).toBe(1500.5)
    expect(sandbox.transaction("ord_lie")!.amount).toBe(150050)
  })

  it("applies a payments script's webhook to the charges of the link it created", async () => {
    const { sandbox, receiver } = harness
    sandbox.script({ operation: "payments", reference: "ord_scripted_hook", webhook: { duplicates: 1 } })
    await createLink(sandbox, "ord_scripted_hook")
    await createLink(sandbox, "ord_plain")
    sandbox.pay("ord_scripted_hook")
    sandbox.pay("ord_plain")
    await sandbox.webhooksDelivered()
    expect(receiver.received.map((w) => w.json.data.tx_ref).sort()).toEqual(["ord_plain", "ord_scripted_hook", "ord_scripted_hook"])
  })

  it("sends to the URL set now; with none, records the webhook as undeliverable", async () => {
    const { sandbox, receiver } = harness
    sandbox.setWebhookUrl(undefined)
    await createLink(sandbox, "ord_nowhere")
    sandbox.pay("ord_nowhere", "failed")
    sandbox.setWebhookUrl(receiver.url)
    sandbox.pay("ord_nowhere", "successful")
    await sandbox.webhooksDelivered()
    expect(sandbox.undelivered).toEqual([expect.objectContaining({ reason: "no webhook url", event: "charge.completed" })])
    expect(receiver.received.map((w) => w.json.data.status)).toEqual(["successful"])
  })

  it("sends the dashboard's test event (test_assess) with the same header", async () => {
    const { sandbox, receiver } = harness
    sandbox.sendTestWebhook()
    await sandbox.webhooksDelivered()
    expect(receiver.received).toHaveLength(1)
    expect(receiver.received[0].json).toMatchObject({ event: "test_assess", data: expect.any(Object) })
    expect(receiver.received[0].headers["verif-hash"]).toBe(SECRET_HASH)
  })

  it("chargeWebhook(id): the body and headers a charge's webhook carries, byte-identical to the one sent", async () => {
    const { sandbox, receiver } = harness
    await createLink(sandbox, "ord_copy")
    const paid = sandbox.pay("ord_copy")
    await sandbox.webhooksDelivered()
    const copy = sandbox.chargeWebhook(paid.id)
    expect(copy.body).toBe(receiver.received[0].body)
    expect(copy.headers).toEqual({ "content-type": "application/json", "verif-hash": SECRET_HASH })
    expect(() => sandbox.chargeWebhook(1)).toThrow("no transaction 1")
  })
})
