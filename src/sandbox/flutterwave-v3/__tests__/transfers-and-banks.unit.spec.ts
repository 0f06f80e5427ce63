import { api, useHarness } from "./harness"

describe("Flutterwave v3 sandbox: transfers and banks", () => {
  const harness = useHarness({ balances: { GHS: 100_000 } })

  const transferBody = (reference: string, extra: Record<string, unknown> = {}) => ({
    account_bank: "044",
    account_number: "0690000031",
    amount: 5500.25,
    currency: "NGN",
    debit_currency: "NGN",
    narration: "Payout to seller",
    reference,
    ...extra,
  })
  const transfer = (body: Record<string, unknown>) => api(harness.sandbox, "POST", "/v3/transfers", body)

  it("queues a transfer as NEW, settles it SUCCESSFUL after transferSettleMs, then sends transfer.completed", async () => {
    const { sandbox, receiver } = harness
    const created = await transfer(transferBody("po_1"))
    expect(created.status).toBe(200)
    expect(created.body.data).toEqual({
      id: expect.any(Number),
      account_number: "0690000031",
      bank_code: "044",
      full_name: expect.any(String),
      created_at: expect.any(String),
      currency: "NGN",
      debit_currency: "NGN",
      amount: 5500.25,
      fee: 26.88,
      status: "NEW",
      reference: "po_1",
      meta: null,
      narration: "Payout to seller",
      complete_message: "",
      requires_approval: 0,
      is_approved: 1,
      bank_name: "Access Bank",
    })
    expect(sandbox.transfers()[0]).toMatchObject({ amount: 550025, fee: 2688, status: "NEW" })

    await sandbox.webhooksDelivered()
    const fetched = await api(sandbox, "GET", `/v3/transfers/${created.body.data.id}`)
    expect(fetched.body.data).toMatchObject({ status: "SUCCESSFUL", complete_message: expect.any(String) })
    expect(receiver.received).toHaveLength(1)
    expect(receiver.received[0].json).toEqual({
      event: "transfer.completed",
      "event.type": "Transfer",
      data: expect.objectContaining({
        id: created.body.data.id,
        reference: "po_1",
        status: "SUCCESSFUL",
        amount: 5500.25,
        currency: "NGN",
        bank_code: "044",
        bank_name: "Access Bank",
        fullname: expect.any(String),
        approver: null,
      }),
    })
  })

  it("follows Flutterwave's test suffixes: _PMCK succeeds, _PMCK_ST_F fails", async () => {
    const { sandbox } = harness
    await transfer(transferBody("po_ok_PMCK"))
    await transfer(transferBody("po_ko_PMCK_ST_F"))
    await sandbox.webhooksDelivered()
    expect(sandbox.transfers().map((t) => [t.reference, t.status])).toEqual([
      ["po_ok_PMCK", "SUCCESSFUL"],
      ["po_ko_PMCK_ST_F", "FAILED"],
    ])
    expect(sandbox.transfers()[1].completeMessage).toMatch(/DISBURSE FAILED/)
    expect(harness.receiver.received.map((w) => w.json.data.status)).toEqual(["SUCCESSFUL", "FAILED"])
  })

  it("fails or stalls a transfer as scripted; a stalled one settles by hand, with its webhook then", async () => {
    const { sandbox, receiver } = harness
    sandbox.script({ operation: "transfer", reference: "po_fail", transfer: "fail" })
    sandbox.script({ operation: "transfer", transfer: "stall" })
    await transfer(transferBody("po_fail"))
    const stalled = await transfer(transferBody("po_stall"))
    await sandbox.webhooksDelivered()
    expect(sandbox.transfers().map((t) => t.status)).toEqual(["FAILED", "NEW"])
    expect(receiver.received).toHaveLength(1)

    const settled = sandbox.settleTransfer(stalled.body.data.id, "FAILED", "Beneficiary account is closed")
    expect(settled).toMatchObject({ status: "FAILED", completeMessage: "Beneficiary account is closed" })
    await sandbox.webhooksDelivered()
    expect(receiver.received[1].json.data).toMatchObject({ reference: "po_stall", status: "FAILED", complete_message: "Beneficiary account is closed" })
    expect(sandbox.settleTransfer(stalled.body.data.id, "SUCCESSFUL").status).toBe("FAILED")
  })

  it("refuses a reused reference, an unknown bank and more than the balance", async () => {
    const { sandbox } = harness
    expect((await transfer(transferBody("po_dup"))).status).toBe(200)
    expect(await transfer(transferBody("po_dup", { amount: 1 }))).toEqual({
      status: 400,
      body: { status: "error", message: "Transfer with this reference already exists", data: null },
    })
    expect(await transfer(transferBody("po_bank", { account_bank: "999" }))).toMatchObject({ status: 400, body: { message: "Invalid bank code" } })
    // A Ghanaian bank for a naira payout is not a bank of that country.
    expect((await transfer(transferBody("po_gh_ng", { account_bank: "GH280100" }))).body.message).toBe("Invalid bank code")
    const ghs = { account_bank: "GH280100", currency: "GHS", debit_currency: "GHS" }
    expect(await transfer(transferBody("po_rich", { ...ghs, amount: 1000.01 }))).toMatchObject({ status: 400, body: { message: "Insufficient balance" } })
    expect((await transfer(transferBody("po_ok", { ...ghs, amount: 1000 }))).status).toBe(200)
    expect(sandbox.transfers().map((t) => t.reference)).toEqual(["po_dup", "po_ok"])
  })

  it("finds transfers by reference", async () => {
    const { sandbox } = harness
    const created = await transfer(transferBody("po_find"))
    expect((await api(sandbox, "GET", "/v3/transfers?reference=po_find")).body.data).toEqual([
      expect.objectContaining({ id: created.body.data.id, reference: "po_find" }),
    ])
    expect((await api(sandbox, "GET", "/v3/transfers?reference=po_never")).body).toMatchObject({ status: "success", data: [] })
    expect((await api(sandbox, "GET", "/v3/transfers/1")).status).toBe(404)
  })

  it("lists banks for NG, GH, KE, UG, ZA and TZ", async () => {
    const { sandbox } = harness
    const ng = await api(sandbox, "GET", "/v3/banks/NG")
    expect(ng.status).toBe(200)
    expect(ng.body.data).toEqual(expect.arrayContaining([
      { id: expect.any(Number), code: "044", name: "Access Bank" },
      { id: expect.any(Number), code: "058", name: "GTBank" },
      { id: expect.any(Number), code: "011", name: "First Bank of Nigeria" },
      { id: expect.any(Number), code: "033", name: "United Bank for Africa" },
      { id: expect.any(Number), code: "057", name: "Zenith Bank" },
    ]))
    for (const [country, code] of [["GH", "GH280100"], ["KE", "MPS"], ["UG", "AIRTEL"], ["ZA", "ABSA"], ["TZ", "MPS"]]) {
      const answer = await api(sandbox, "GET", `/v3/banks/${country}`)
      expect(answer.body.data.length).toBeGreaterThanOrEqual(5)
      expect(answer.body.data.map((bank: any) => bank.code)).toContain(code)
    }
    expect((await api(sandbox, "GET", "/v3/banks/FR")).status).toBe(400)
    expect((await api(sandbox, "GET", "/v3/banks/NG", undefined, null)).status).toBe(401)
  })
})
