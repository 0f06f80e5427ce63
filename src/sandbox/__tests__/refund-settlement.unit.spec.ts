import { GateClient, parseCallback, type PayoutRequest, type SaleRequest } from "../../rails/ecommpay"
import { GateSandbox } from "../server"
import { CallbackReceiver } from "./callback-receiver"
import { resetSandboxUnderTest, startSandboxUnderTest, stopSandboxUnderTest } from "./sandbox-under-test"

const PROJECT_ID = 258
const SECRET = "sandbox-test-secret"

let sandbox: GateSandbox
let receiver: CallbackReceiver
let client: GateClient
let counter = 0

function sale(overrides: Partial<SaleRequest> = {}): SaleRequest {
  return {
    paymentId: `order_${++counter}`,
    amount: 150_050,
    currency: "NGN",
    customer: { id: "cus_1", ipAddress: "127.0.0.1", email: "ada@example.ng" },
    ...overrides,
  }
}

function payout(overrides: Partial<PayoutRequest> = {}): PayoutRequest {
  return {
    paymentId: `payout_${++counter}`,
    amount: 50_000,
    currency: "NGN",
    description: "supplier",
    account: { number: "0017704603", bankId: "206" },
    customer: { id: "merchant", ipAddress: "127.0.0.1" },
    ...overrides,
  }
}

function verify(body: string) {
  return parseCallback(body, { secretKey: SECRET, projectId: PROJECT_ID })
}

/** The verified callbacks received so far for one operation. */
function callbacksFor(operationId: number) {
  return receiver.bodies.map(verify).filter((callback) => callback.operation?.id === String(operationId))
}

async function paidSale(request = sale()): Promise<SaleRequest> {
  await client.sale(request)
  await sandbox.callbacksDelivered()
  sandbox.pay(request.paymentId)
  await sandbox.callbacksDelivered()
  return request
}

/** A refund Gate accepted that Flutterwave has not settled yet (a `stall` script); returns its operation id. */
async function stalledRefund(paymentId: string, amount: number, callback?: { duplicates?: number }): Promise<number> {
  sandbox.script({ paymentId, operation: "refund", stall: true, callback })
  await client.refund({ paymentId, amount, currency: "NGN", description: "late", merchantRefundId: `ref_${++counter}` })
  await sandbox.callbacksDelivered()
  const refunds = sandbox.payment(paymentId)!.operations.filter((op) => op.type === "refund")
  const refund = refunds[refunds.length - 1]
  expect(refund.status).toBe("processing")
  return refund.id
}

async function control(path: string, body: unknown): Promise<{ status: number; json: Record<string, any> }> {
  const response = await fetch(`${sandbox.url}/_sandbox${path}`, { method: "POST", body: JSON.stringify(body) })
  return { status: response.status, json: (await response.json()) as Record<string, any> }
}

beforeAll(async () => {
  // An empty NGN balance: what sales and refunds move is then visible through which payouts Gate allows.
  ;({ sandbox, receiver, client } = await startSandboxUnderTest(PROJECT_ID, SECRET, { balances: { NGN: 0 } }))
})

afterAll(() => stopSandboxUnderTest({ sandbox, receiver }))

beforeEach(() => resetSandboxUnderTest({ sandbox, receiver }))

describe("settling a stalled operation later", () => {
  it("keeps a stalled refund processing, then settles it as the unstalled path does: sum, status, balance, callback", async () => {
    const { paymentId } = await paidSale()
    const refundId = await stalledRefund(paymentId, 100_000)
    expect(sandbox.payment(paymentId)).toMatchObject({ status: "success", sum: { amount: 150_050 } })
    expect(callbacksFor(refundId)).toHaveLength(0)

    // Settled with the id as our Gate client reports it (digits as text), as a plugin-side test would have it.
    const pending = await client.status(paymentId)
    const reported = pending.operations.find((op) => op.type === "refund")!
    expect(reported.status).toBe("processing")
    const settled = sandbox.settleOperation(paymentId, reported.id, "success")
    expect(settled).toMatchObject({ id: refundId, status: "success", code: "0", message: "Success" })
    expect(settled.providerPaymentId).not.toBe("")
    await sandbox.callbacksDelivered()

    const status = await client.status(paymentId)
    expect(status.payment).toMatchObject({ status: "partially refunded", sum: { amount: 50_050, currency: "NGN" } })
    const [callback] = callbacksFor(refundId)
    expect(callbacksFor(refundId)).toHaveLength(1)
    expect(callback.payment).toMatchObject({ status: "partially refunded", sum: { amount: 50_050 } })
    expect(callback.operation).toMatchObject({ type: "refund", status: "success", sumInitial: { amount: 100_000, currency: "NGN" } })

    // The sale brought 150,050 in and the refund took 100,000 out: 50,050 is left for payouts, not 60,000.
    const tooMuch = payout({ amount: 60_000 })
    await client.payout(tooMuch)
    await sandbox.callbacksDelivered()
    expect(sandbox.payment(tooMuch.paymentId)!.operations[0]).toMatchObject({ status: "decline", code: "3028" })
    const fits = payout({ amount: 50_000 })
    await client.payout(fits)
    await sandbox.callbacksDelivered()
    expect(sandbox.payment(fits.paymentId)!.status).toBe("success")
  })

  it("marks the payment refunded when the late refund takes what was left", async () => {
    const { paymentId } = await paidSale()
    const refundId = await stalledRefund(paymentId, 150_050)
    sandbox.settleOperation(paymentId, refundId, "success")
    expect(sandbox.payment(paymentId)).toMatchObject({ status: "refunded", sum: { amount: 0 } })
  })

  it("declines after acceptance with 3610 and its meaning by default, or the given code and message; the sum stays", async () => {
    const { paymentId } = await paidSale()
    const byDefault = await stalledRefund(paymentId, 10_000)
    const coded = await stalledRefund(paymentId, 20_000)
    const worded = await stalledRefund(paymentId, 30_000)

    expect(sandbox.settleOperation(paymentId, byDefault, "decline")).toMatchObject({
      status: "decline",
      code: "3610",
      message: "Refund unavailable (refunds may not be enabled on the Flutterwave account)",
    })
    expect(sandbox.settleOperation(paymentId, coded, "decline", "20100")).toMatchObject({
      code: "20100",
      message: "Declined by external provider",
    })
    expect(sandbox.settleOperation(paymentId, worded, "decline", "100", "Flutterwave reversed the refund")).toMatchObject({
      code: "100",
      message: "Flutterwave reversed the refund",
    })
    await sandbox.callbacksDelivered()

    expect(sandbox.payment(paymentId)).toMatchObject({ status: "success", sum: { amount: 150_050 } })
    const callback = callbacksFor(coded)[0]
    expect(callback.payment.status).toBe("success")
    expect(callback.operation).toMatchObject({ type: "refund", status: "decline", code: "20100" })
    // A refund's decline is in its operation alone: the callback has no errors block.
    const raw = receiver.parsed().find((body) => String(body.operation?.id) === String(coded))
    expect(raw).not.toHaveProperty("errors")
  })

  it("declines with 3283 a late refund that no longer fits what the payment holds after refunds settled meanwhile", async () => {
    const { paymentId } = await paidSale()
    const late = await stalledRefund(paymentId, 100_000)
    await client.refund({ paymentId, amount: 100_000, currency: "NGN", description: "meanwhile", merchantRefundId: "ref_meanwhile" })
    await sandbox.callbacksDelivered()
    expect(sandbox.payment(paymentId)!.sum.amount).toBe(50_050)

    const settled = sandbox.settleOperation(paymentId, late, "success")
    expect(settled).toMatchObject({ status: "decline", code: "3283", message: "Refund amount more than init amount" })
    await sandbox.callbacksDelivered()
    expect(sandbox.payment(paymentId)).toMatchObject({ status: "partially refunded", sum: { amount: 50_050 } })
    expect(callbacksFor(late)[0].operation).toMatchObject({ status: "decline", code: "3283" })
  })

  it("honours the refund's callback script at settlement: duplicates send the same signed callback twice", async () => {
    const { paymentId } = await paidSale()
    const refundId = await stalledRefund(paymentId, 5_000, { duplicates: 1 })
    sandbox.settleOperation(paymentId, refundId, "success")
    await sandbox.callbacksDelivered()
    const bodies = receiver.bodies.filter((body) => verify(body).operation?.id === String(refundId))
    expect(bodies).toHaveLength(2)
    expect(new Set(bodies).size).toBe(1)
  })

  it("ignores settling an operation that is already final, as Gate ignores a second result: no change, no callback", async () => {
    const { paymentId } = await paidSale()
    const refundId = await stalledRefund(paymentId, 5_000)
    sandbox.settleOperation(paymentId, refundId, "success")
    await sandbox.callbacksDelivered()
    const delivered = receiver.bodies.length

    const again = sandbox.settleOperation(paymentId, refundId, "decline", "3610")
    expect(again).toMatchObject({ id: refundId, status: "success", code: "0" })
    await sandbox.callbacksDelivered()
    expect(receiver.bodies).toHaveLength(delivered)
    expect(sandbox.payment(paymentId)!.sum.amount).toBe(145_050)

    // An unstalled refund finished on its own is final too.
    await client.refund({ paymentId, amount: 1_000, currency: "NGN", description: "prompt" })
    await sandbox.callbacksDelivered()
    const prompt = sandbox.payment(paymentId)!.operations[2]
    expect(sandbox.settleOperation(paymentId, prompt.id, "decline")).toMatchObject({ status: "success" })
    expect(sandbox.payment(paymentId)!.sum.amount).toBe(144_050)
  })

  it("settles a stalled payout the same way: success takes the balance, a decline sets the payment's errors", async () => {
    await paidSale()
    const paid = payout({ amount: 100_000 })
    const declined = payout()
    sandbox.script({ operation: "payout", stall: true, times: 2 })
    await client.payout(paid)
    await client.payout(declined)
    await sandbox.callbacksDelivered()
    expect(receiver.bodies.map(verify).filter((callback) => callback.payment.type === "payout")).toHaveLength(0)

    const paidId = sandbox.payment(paid.paymentId)!.operations[0].id
    expect(sandbox.settleOperation(paid.paymentId, paidId, "success")).toMatchObject({ status: "success", code: "0" })
    const declinedId = sandbox.payment(declined.paymentId)!.operations[0].id
    // 50,050 left after the first payout: a second payout of 50,000 would fit, so this decline is the one asked for.
    expect(sandbox.settleOperation(declined.paymentId, declinedId, "decline", "3028")).toMatchObject({ status: "decline" })
    await sandbox.callbacksDelivered()

    expect(callbacksFor(paidId)[0].payment).toMatchObject({ type: "payout", status: "success" })
    const decline = callbacksFor(declinedId)[0]
    expect(decline.payment.status).toBe("decline")
    expect(decline.errors).toEqual([
      { code: "3028", message: "Insufficient funds on merchant balance", description: "public: BALANCE_INSUFFICIENT_FUNDS" },
    ])

    // The first payout took 100,000 of the sale's 150,050.
    const tooMuch = payout({ amount: 50_051 })
    await client.payout(tooMuch)
    await sandbox.callbacksDelivered()
    expect(sandbox.payment(tooMuch.paymentId)!.operations[0].code).toBe("3028")
  })

  it("settles a sale by the shopper's result, as pay and decline do", async () => {
    const request = sale()
    await client.sale(request)
    await sandbox.callbacksDelivered()
    const saleId = sandbox.payment(request.paymentId)!.operations[0].id
    expect(sandbox.settleOperation(request.paymentId, saleId, "decline")).toMatchObject({ status: "decline", code: "20301" })
    expect(sandbox.payment(request.paymentId)!.status).toBe("decline")
  })

  it("throws a clear error for an unknown payment or operation", async () => {
    const { paymentId } = await paidSale()
    expect(() => sandbox.settleOperation("no_such_payment", 1, "success")).toThrow('no payment "no_such_payment"')
    expect(() => sandbox.settleOperation(paymentId, 42, "success")).toThrow(`payment "${paymentId}" has no operation 42`)
  })

  it("is a control route: 200 with the operation and payment, 404 for unknown ids, 400 for a bad outcome", async () => {
    const { paymentId } = await paidSale()
    const refundId = await stalledRefund(paymentId, 50_000)

    const bad = await control(`/payments/${paymentId}/operations/${refundId}/settle`, { outcome: "maybe" })
    expect(bad.status).toBe(400)
    expect((await control(`/payments/${paymentId}/operations/${refundId}/settle`, {})).status).toBe(400)
    expect(sandbox.payment(paymentId)!.operations[1].status).toBe("processing")

    const unknownPayment = await control(`/payments/nope/operations/${refundId}/settle`, { outcome: "success" })
    expect(unknownPayment.status).toBe(404)
    expect(unknownPayment.json.message).toContain('no payment "nope"')
    expect((await control(`/payments/${paymentId}/operations/123/settle`, { outcome: "success" })).status).toBe(404)

    const declined = await control(`/payments/${paymentId}/operations/${refundId}/settle`, {
      outcome: "decline",
      code: "20100",
      message: "Reversed by the bank",
    })
    expect(declined.status).toBe(200)
    expect(declined.json.operation).toMatchObject({ id: refundId, type: "refund", status: "decline", code: "20100", message: "Reversed by the bank" })
    expect(declined.json.payment).toMatchObject({ id: paymentId, status: "success", sum: { amount: 150_050 } })
    await sandbox.callbacksDelivered()
    expect(callbacksFor(refundId)[0].operation).toMatchObject({ status: "decline", code: "20100" })
  })
})

describe("a refund made in ECommPay's dashboard", () => {
  it("reaches the merchant only as a signed callback: no merchant_refund_id, no API request", async () => {
    const { paymentId } = await paidSale()
    const requests = sandbox.engine.requests.length

    const refund = sandbox.dashboardRefund(paymentId, 50_000)
    expect(refund).toMatchObject({ type: "refund", status: "success", code: "0", sumInitial: { amount: 50_000, currency: "NGN" } })
    expect(refund.merchantRefundId).toBeUndefined()
    await sandbox.callbacksDelivered()

    expect(sandbox.engine.requests).toHaveLength(requests)
    expect(sandbox.payment(paymentId)).toMatchObject({ status: "partially refunded", sum: { amount: 100_050 } })
    const callbacks = callbacksFor(refund.id)
    expect(callbacks).toHaveLength(1)
    expect(callbacks[0].payment).toMatchObject({ id: paymentId, status: "partially refunded", sum: { amount: 100_050, currency: "NGN" } })
    expect(callbacks[0].operation).toMatchObject({ type: "refund", status: "success", sumInitial: { amount: 50_000 } })

    // The plugin can still refund what is left through the API.
    await client.refund({ paymentId, amount: 100_050, currency: "NGN", description: "rest", merchantRefundId: "ref_rest" })
    await sandbox.callbacksDelivered()
    expect(sandbox.payment(paymentId)).toMatchObject({ status: "refunded", sum: { amount: 0 } })
  })

  it("goes to the payment's own callback URL when its sale named one", async () => {
    const own = new CallbackReceiver()
    await own.start()
    try {
      const { paymentId } = await paidSale(sale({ callbackUrl: own.url }))
      const before = receiver.bodies.length
      const refund = sandbox.dashboardRefund(paymentId, 1_000)
      await sandbox.callbacksDelivered()
      expect(receiver.bodies).toHaveLength(before)
      expect(own.bodies.map(verify).filter((callback) => callback.operation?.id === String(refund.id))).toHaveLength(1)
    } finally {
      await own.close()
    }
  })

  it("sends its callback twice with duplicates: 1, and none with drop: true, so only a status query reveals it", async () => {
    const { paymentId } = await paidSale()
    const twice = sandbox.dashboardRefund(paymentId, 1_000, { callback: { duplicates: 1 } })
    const silent = sandbox.dashboardRefund(paymentId, 2_000, { callback: { drop: true } })
    await sandbox.callbacksDelivered()

    expect(callbacksFor(twice.id)).toHaveLength(2)
    expect(callbacksFor(silent.id)).toHaveLength(0)
    const status = await client.status(paymentId)
    expect(status.operations.find((op) => op.id === String(silent.id))).toMatchObject({ type: "refund", status: "success" })
    expect(status.payment.sum.amount).toBe(147_050)
  })

  it("is declined with 3283 above what the payment still holds, and with 3610 or the given code when told to decline", async () => {
    const { paymentId } = await paidSale()
    sandbox.dashboardRefund(paymentId, 100_000)
    const tooMuch = sandbox.dashboardRefund(paymentId, 50_051)
    expect(tooMuch).toMatchObject({ status: "decline", code: "3283", message: "Refund amount more than init amount" })
    expect(sandbox.dashboardRefund(paymentId, 1_000, { outcome: "decline" })).toMatchObject({ status: "decline", code: "3610" })
    expect(
      sandbox.dashboardRefund(paymentId, 1_000, { outcome: "decline", code: "20100", message: "Bank said no" })
    ).toMatchObject({ status: "decline", code: "20100", message: "Bank said no" })
    await sandbox.callbacksDelivered()

    expect(sandbox.payment(paymentId)).toMatchObject({ status: "partially refunded", sum: { amount: 50_050 } })
    expect(callbacksFor(tooMuch.id)[0].operation).toMatchObject({ status: "decline", code: "3283" })
  })

  it("can stall until settleOperation settles it, with the callback only then", async () => {
    const { paymentId } = await paidSale()
    const refund = sandbox.dashboardRefund(paymentId, 20_000, { outcome: "stall", callback: { duplicates: 1 } })
    expect(refund.status).toBe("processing")
    await sandbox.callbacksDelivered()
    expect(callbacksFor(refund.id)).toHaveLength(0)
    expect(sandbox.payment(paymentId)!.sum.amount).toBe(150_050)

    sandbox.settleOperation(paymentId, refund.id, "success")
    await sandbox.callbacksDelivered()
    expect(callbacksFor(refund.id)).toHaveLength(2)
    expect(sandbox.payment(paymentId)).toMatchObject({ status: "partially refunded", sum: { amount: 130_050 } })
  })

  it("is refused like Gate's 3060 for a payment not paid, fully refunded or a payout; unknown payments throw", async () => {
    const unpaid = sale()
    await client.sale(unpaid)
    const { paymentId: refunded } = await paidSale()
    sandbox.dashboardRefund(refunded, 150_050)
    sandbox.script({ operation: "payout", stall: true })
    const sent = payout()
    await client.payout(sent)
    await sandbox.callbacksDelivered()

    for (const paymentId of [unpaid.paymentId, refunded, sent.paymentId]) {
      expect(() => sandbox.dashboardRefund(paymentId, 100)).toThrow(expect.objectContaining({ code: "3060" }))
    }
    expect(() => sandbox.dashboardRefund("no_such_payment", 100)).toThrow('no payment "no_such_payment"')
    expect(() => sandbox.dashboardRefund(refunded, 0)).toThrow(RangeError)
    expect(sandbox.payment(unpaid.paymentId)!.operations).toHaveLength(1)
  })

  it("is a control route: 201 with the operation and payment, with duplicates and drop; 400, 404 and 3060 otherwise", async () => {
    const { paymentId } = await paidSale()
    const requests = sandbox.engine.requests.length

    const made = await control(`/payments/${paymentId}/dashboard-refund`, { amount: 30_000, duplicates: 1 })
    expect(made.status).toBe(201)
    expect(made.json.operation).toMatchObject({ type: "refund", status: "success", sumInitial: { amount: 30_000, currency: "NGN" } })
    expect(made.json.operation.merchantRefundId).toBeUndefined()
    expect(made.json.payment).toMatchObject({ id: paymentId, status: "partially refunded", sum: { amount: 120_050 } })

    const dropped = await control(`/payments/${paymentId}/dashboard-refund`, { amount: 1_000, outcome: "decline", code: "20100", drop: true })
    expect(dropped.status).toBe(201)
    expect(dropped.json.operation).toMatchObject({ status: "decline", code: "20100" })
    await sandbox.callbacksDelivered()
    expect(callbacksFor(made.json.operation.id)).toHaveLength(2)
    expect(callbacksFor(dropped.json.operation.id)).toHaveLength(0)
    expect(sandbox.engine.requests).toHaveLength(requests)

    const stalled = await control(`/payments/${paymentId}/dashboard-refund`, { amount: 1_000, outcome: "stall" })
    expect(stalled.json.operation.status).toBe("processing")

    const malformed = [
      {},
      { amount: 0 },
      { amount: 10.5 },
      { amount: "100" },
      { amount: 100, outcome: "later" },
      { amount: 100, duplicates: -1 },
      { amount: 100, drop: "yes" },
    ]
    for (const body of malformed) {
      expect((await control(`/payments/${paymentId}/dashboard-refund`, body)).status).toBe(400)
    }
    expect((await control("/payments/nope/dashboard-refund", { amount: 100 })).status).toBe(404)

    const unpaid = sale()
    await client.sale(unpaid)
    const refused = await control(`/payments/${unpaid.paymentId}/dashboard-refund`, { amount: 100 })
    expect(refused.status).toBe(400)
    expect(refused.json).toMatchObject({ status: "error", code: "3060", message: "Payment status does not allow this action" })
  })
})
