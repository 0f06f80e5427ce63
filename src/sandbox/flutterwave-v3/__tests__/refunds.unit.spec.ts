import { api, createLink, paidTransaction, useHarness } from "./harness"

describe("Flutterwave v3 sandbox: refunds", () => {
  const harness = useHarness()

  const refund = (id: number, body: Record<string, unknown>) => api(harness.sandbox, "POST", `/v3/transactions/${id}/refund`, body)

  it("refunds part, then the rest; a refund is created pending and completes after refundSettleMs", async () => {
    const { sandbox } = harness
    const txId = await paidTransaction(sandbox, "ord_refund", 1500.5)

    const partial = await refund(txId, { amount: 500, comments: "Order #1 · ref rf_1" })
    expect(partial.status).toBe(200)
    expect(partial.body).toMatchObject({ status: "success" })
    expect(partial.body.data).toEqual({
      id: expect.any(Number),
      account_id: expect.any(Number),
      tx_id: txId,
      flw_ref: expect.stringMatching(/^URF_/),
      wallet_id: expect.any(Number),
      amount_refunded: 500,
      status: "pending",
      destination: "payment_source",
      comments: "Order #1 · ref rf_1",
      meta: { source: "availablebalance" },
      created_at: expect.any(String),
    })
    expect(sandbox.transaction("ord_refund")!.refunded).toBe(50000)

    // Without an amount: the whole of what is left.
    const rest = await refund(txId, { comments: "the rest" })
    expect(rest.body.data.amount_refunded).toBe(1000.5)
    expect(sandbox.transaction("ord_refund")!.refunded).toBe(150050)

    await sandbox.webhooksDelivered()
    expect(sandbox.refunds().map((r) => [r.amount, r.status])).toEqual([
      [50000, "completed"],
      [100050, "completed"],
    ])
    const fetched = await api(sandbox, "GET", `/v3/refunds/${partial.body.data.id}`)
    expect(fetched.body.data).toMatchObject({ id: partial.body.data.id, status: "completed", amount_refunded: 500 })
    // No refund webhook: v3 documents none.
    expect(harness.receiver.received.map((w) => w.json.event)).toEqual(["charge.completed"])
  })

  it("refuses more than what is left, pending refunds counted", async () => {
    const { sandbox } = harness
    const txId = await paidTransaction(sandbox, "ord_over", 100)
    expect(await refund(txId, { amount: 100.01 })).toEqual({
      status: 400,
      body: { status: "error", message: "Amount requested for refund is greater than refundable amount", data: null },
    })
    sandbox.script({ operation: "refund", refund: "stall" })
    expect((await refund(txId, { amount: 60 })).status).toBe(200)
    expect((await refund(txId, { amount: 40.01 })).body.message).toBe("Amount requested for refund is greater than refundable amount")
    expect((await refund(txId, { amount: 40 })).status).toBe(200)
    expect((await refund(txId, {})).body.message).toBe("Amount requested for refund is greater than refundable amount")
    expect((await refund(txId, { amount: 0 })).body.message).toBe("Invalid amount")
  })

  it("refuses when refunds are disabled on the account, and again accepts once enabled", async () => {
    const { sandbox } = harness
    const txId = await paidTransaction(sandbox, "ord_disabled")
    sandbox.setRefundsEnabled(false)
    expect(await refund(txId, { amount: 10 })).toEqual({
      status: 400,
      body: { status: "error", message: "Refunds are not enabled for this account. Contact support to enable refunds", data: null },
    })
    sandbox.setRefundsEnabled(true)
    expect((await refund(txId, { amount: 10 })).status).toBe(200)
  })

  it("refuses a failed transaction and an unknown one", async () => {
    const { sandbox } = harness
    await createLink(sandbox, "ord_failed")
    const failed = sandbox.pay("ord_failed", "failed")
    expect(await refund(failed.id, { amount: 10 })).toMatchObject({ status: 400, body: { message: "Only successful transactions can be refunded" } })
    expect(await refund(987654, { amount: 10 })).toMatchObject({ status: 404, body: { message: "Transaction not found" } })
    expect(sandbox.refunds()).toEqual([])
  })

  it("settles a refund as scripted: completed at once, failed later (the amount becomes refundable again), or stalled until settled", async () => {
    const { sandbox } = harness
    const txId = await paidTransaction(sandbox, "ord_scripted", 1000)

    sandbox.script({ operation: "refund", reference: "ord_scripted", refund: "completed" })
    expect((await refund(txId, { amount: 100 })).body.data.status).toBe("completed")

    sandbox.script({ operation: "refund", refund: "failed" })
    const failing = await refund(txId, { amount: 200 })
    expect(failing.body.data.status).toBe("pending")
    expect(sandbox.transaction("ord_scripted")!.refunded).toBe(30000)
    await sandbox.webhooksDelivered()
    expect(sandbox.refunds().find((r) => r.id === failing.body.data.id)!.status).toBe("failed")
    expect(sandbox.transaction("ord_scripted")!.refunded).toBe(10000)

    sandbox.script({ operation: "refund", refund: "stall" })
    const stalled = await refund(txId, { amount: 300 })
    await sandbox.webhooksDelivered()
    expect((await api(sandbox, "GET", `/v3/refunds/${stalled.body.data.id}`)).body.data.status).toBe("pending")
    expect(sandbox.settleRefund(stalled.body.data.id, "completed").status).toBe("completed")
    expect((await api(sandbox, "GET", `/v3/refunds/${stalled.body.data.id}`)).body.data.status).toBe("completed")
    // A refund already final stays as it is.
    expect(sandbox.settleRefund(stalled.body.data.id, "failed").status).toBe("completed")
    expect(() => sandbox.settleRefund(1, "completed")).toThrow("no refund 1")
  })

  it("lists a transaction's refunds, oldest first, by tx_id", async () => {
    const { sandbox } = harness
    const txA = await paidTransaction(sandbox, "ord_list_a", 1000)
    const txB = await paidTransaction(sandbox, "ord_list_b", 1000)
    const first = await refund(txA, { amount: 1, comments: "ref rf_a1" })
    await refund(txB, { amount: 2, comments: "ref rf_b1" })
    const second = await refund(txA, { amount: 3, comments: "ref rf_a2" })

    const listed = await api(sandbox, "GET", `/v3/refunds?tx_id=${txA}`)
    expect(listed.status).toBe(200)
    expect(listed.body.data.map((r: any) => [r.id, r.comments, r.amount_refunded])).toEqual([
      [first.body.data.id, "ref rf_a1", 1],
      [second.body.data.id, "ref rf_a2", 3],
    ])
    expect((await api(sandbox, "GET", "/v3/refunds?tx_id=1")).body.data).toEqual([])
    expect(await api(sandbox, "GET", "/v3/refunds/1")).toMatchObject({ status: 404, body: { status: "error" } })
  })

  it("refunds UGX (no decimals) in whole shillings", async () => {
    const { sandbox } = harness
    const txId = await paidTransaction(sandbox, "ord_ugx", 50000, "UGX")
    expect((await refund(txId, { amount: 20000 })).body.data.amount_refunded).toBe(20000)
    expect((await refund(txId, { amount: 0.5 })).body.message).toBe("Invalid amount")
    expect(sandbox.refunds()[0]).toMatchObject({ amount: 20000, currency: "UGX" })
  })
})
