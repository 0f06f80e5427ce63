/**
 * The app process killed between the Gate call and the database write, then restarted: real processes (PostgreSQL,
 * the Gate sandbox, `medusa start`) talking over loopback, as in production. Nothing may be lost or paid twice.
 */
jest.setTimeout(300_000)

import { paidNgnOrder, requestJson, signInAdmin, waitUntil, type Json } from "../helpers/live-app"

describe("crash recovery (real processes)", () => {
  let stack: any
  let app: Awaited<ReturnType<typeof signInAdmin>>

  const gate = (method: string, path: string, body?: unknown) => requestJson(method, `${stack.sandboxUrl}${path}`, body)

  beforeAll(async () => {
    const { Stack } = await import("../../scripts/stack.mjs" as string)
    process.env.FLUTTERWAVE_RECONCILE_AFTER_MS = "0"
    // Gate keeps retrying callbacks while the app is down, as ECommPay does (there for hours; here for a minute).
    process.env.SANDBOX_CALLBACK_RETRY_MS = "500,1000,2000,3000,5000,8000,10000,15000,20000"
    stack = new Stack({ log: () => undefined, databaseName: `medusa_flutterwave_crash_${process.pid}` })
    await stack.start()
    app = await signInAdmin(stack, "crash@test.local", "crash-password")
  })

  afterAll(async () => {
    await stack?.stop()
    delete process.env.FLUTTERWAVE_RECONCILE_AFTER_MS
    delete process.env.SANDBOX_CALLBACK_RETRY_MS
  })

  it("recovers a payout whose app died while Gate was paying it: one payout, settled", async () => {
    // Gate takes the payout, then answers slowly; the app dies before it can write what Gate said.
    await gate("POST", "/_sandbox/scripts", { operation: "payout", hangMs: 6_000 })
    const sent = app("POST", "/admin/flutterwave/payouts", {
      amount: "750.00",
      currency_code: "NGN",
      bank_id: "220",
      account_number: "2034567891",
      idempotency_key: "crash-payout-1",
    }).catch(() => undefined)
    const request = await waitUntil(async () => {
      const { json } = await gate("GET", "/_sandbox/requests")
      return json.requests.find((r: Json) => r.operation === "payout")
    })
    await stack.killApp()
    await sent
    await stack.startApp()

    // The payout row was written before Gate was called, so it is there, and the retried callback or
    // reconciliation settles it.
    const { json: listed } = await app("GET", "/admin/flutterwave/payouts")
    expect(listed.payouts).toHaveLength(1)
    await app("POST", "/admin/flutterwave/reconcile")
    const settled = await waitUntil(async () => {
      const { json } = await app("GET", `/admin/flutterwave/payouts/${listed.payouts[0].id}`)
      return json.payout.status === "success" ? json : undefined
    })
    expect(settled.payout).toMatchObject({ amount: "750.00", gate_payment_id: request.paymentId })

    // The admin, unsure, sends the same request again: same payout, nothing new at Gate.
    const again = await app("POST", "/admin/flutterwave/payouts", {
      amount: "750.00",
      currency_code: "NGN",
      bank_id: "220",
      account_number: "2034567891",
      idempotency_key: "crash-payout-1",
    })
    expect(again.json.payout.id).toBe(listed.payouts[0].id)
    const { json: requests } = await gate("GET", "/_sandbox/requests")
    expect(requests.requests.filter((r: Json) => r.operation === "payout")).toHaveLength(1)
    const { json: payments } = await gate("GET", "/_sandbox/payments")
    expect(payments.payments.filter((p: Json) => p.type === "payout").map((p: Json) => p.status)).toEqual(["success"])
  })

  it("recovers a refund whose app died while Gate was refunding: Medusa and Gate agree, nothing refunded twice", async () => {
    // A paid NGN order, through the storefront API and the sandbox's payment page.
    const { order, paymentId, sessionId } = await paidNgnOrder(stack, app, { email: "tolu@example.ng", price: 4000 })

    // The refund reaches Gate, which answers slowly; the app dies before it stores Gate's answer.
    await gate("POST", "/_sandbox/scripts", { paymentId: sessionId, operation: "refund", hangMs: 6_000 })
    const refunding = app("POST", `/admin/payments/${paymentId}/refund`, { amount: 1500 }).catch(() => undefined)
    await waitUntil(async () => {
      const { json } = await gate("GET", "/_sandbox/requests")
      return json.requests.find((r: Json) => r.operation === "refund" && r.paymentId === sessionId)
    })
    await stack.killApp()
    await refunding
    await stack.startApp()

    const { json: report } = await app("POST", "/admin/flutterwave/reconcile")
    expect(report.reconciliation.failed).toBe(0)
    const { json: after } = await app("GET", `/admin/payments/${paymentId}?fields=*refunds,*captures`)
    const { json: gatePayment } = await gate("GET", `/_sandbox/payments/${sessionId}`)
    const gateRefunds = gatePayment.payment.operations.filter((op: Json) => op.type === "refund")
    expect(gateRefunds.map((op: Json) => [op.sumInitial.amount, op.status])).toEqual([[150_000, "success"]])
    const medusaRefundedKobo = after.payment.refunds.reduce((sum: number, r: Json) => sum + Number(r.amount) * 100, 0)
    expect(medusaRefundedKobo).toBe(150_000)
    expect(gatePayment.payment.sum.amount).toBe(400_000 - 150_000)

    // Our log ties Gate's refund to Medusa's refund id.
    const timeline = await waitUntil(async () => {
      const { json } = await app("GET", `/admin/flutterwave/orders/${order.id}/operations`)
      const refunds = json.payments[0].operations.filter((op: Json) => op.kind === "refund")
      return refunds.length === 1 && refunds[0].status === "success" ? refunds : undefined
    })
    expect(timeline[0].amount).toBe("1500.00")
  })
})
