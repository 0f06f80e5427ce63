import { paidNgnOrder, requestJson, signedSaleCallback, signInAdmin, type Json } from "../helpers/live-app"

/**
 * Many instances, one truth: two Medusa processes on one PostgreSQL. The same callback delivered to both at once,
 * many times, and reconciliation started on both at once, still apply exactly once: dedupe and state changes rest on
 * the database (unique keys, conditional updates) and Medusa's lock, not on process memory.
 */
jest.setTimeout(300_000)

describe("two app instances on one database", () => {
  let stack: any
  let secondUrl: string
  let secretKey: string
  let app: Awaited<ReturnType<typeof signInAdmin>>

  beforeAll(async () => {
    const { Stack, DEMO_SECRET_KEY } = await import("../../scripts/stack.mjs" as string)
    process.env.FLUTTERWAVE_RECONCILE_AFTER_MS = "0"
    stack = new Stack({ log: () => undefined, databaseName: `medusa_flutterwave_two_${process.pid}` })
    secretKey = DEMO_SECRET_KEY
    await stack.start()
    secondUrl = await stack.startAnotherApp()
    app = await signInAdmin(stack, "two@test.local", "two-password")
  })

  afterAll(async () => {
    await stack?.stop()
    delete process.env.FLUTTERWAVE_RECONCILE_AFTER_MS
  })

  it("applies one callback sent to both instances ten times at once exactly once", async () => {
    // A sale whose callbacks Gate never delivers by itself: the test delivers them, to both instances.
    await requestJson("POST", `${stack.sandboxUrl}/_sandbox/scripts`, { operation: "sale", callback: { drop: true } })
    let sessionId = ""
    const paid = paidNgnOrder(stack, app, {
      email: "amaka@example.ng",
      price: 2500,
      pay: async (redirectUrl) => {
        // The shopper pays; Gate's own callback is dropped. Deliver the result to both instances, ten times each, at once.
        await requestJson("POST", `${redirectUrl}/confirm`)
        const signed = await signedSaleCallback(stack, secretKey)
        sessionId = signed.sessionId
        const text = signed.text
        const deliver = (base: string) =>
          fetch(`${base}/hooks/flutterwave`, { method: "POST", headers: { "content-type": "application/json" }, body: text }).then((r) => r.status)
        const statuses = await Promise.all(Array.from({ length: 10 }, () => [deliver(stack.appUrl), deliver(secondUrl)]).flat())
        expect(statuses.every((status) => status === 200 || status === 409)).toBe(true)
        expect(statuses).toContain(200)
      },
    })
    // With the callbacks dropped, the storefront's redirect comes from Gate's status answer; then the order follows.
    const { order, paymentId } = await paid

    const { json: payment } = await app("GET", `/admin/payments/${paymentId}?fields=*captures`)
    expect(payment.payment.captures).toHaveLength(1)
    const { json: orders } = await app("GET", "/admin/orders?fields=id,email&limit=50")
    expect(orders.orders.filter((o: Json) => o.email === "amaka@example.ng")).toHaveLength(1)
    const { json: timeline } = await app("GET", `/admin/flutterwave/orders/${order.id}/operations`)
    expect(timeline.payments[0].operations.map((op: Json) => [op.kind, op.status])).toEqual([["sale", "success"]])
    expect(timeline.payments[0].gate_payment_id).toBe(sessionId)
  })

  it("runs reconciliation on one instance at a time when both start it at once", async () => {
    // Something to reconcile, and a Gate that answers status slowly: two unlocked runs would overlap.
    await requestJson("POST", `${stack.sandboxUrl}/_sandbox/scripts`, { operation: "payout", stall: true })
    await app("POST", "/admin/flutterwave/payouts", {
      amount: "300.00",
      currency_code: "NGN",
      bank_id: "206",
      account_number: "0123456789",
      idempotency_key: "two-instances-stalled-payout",
    })
    await requestJson("POST", `${stack.sandboxUrl}/_sandbox/scripts`, { operation: "status", hangMs: 800, times: 2 })

    const [first, second] = await Promise.all([
      app("POST", "/admin/flutterwave/reconcile"),
      requestJson("POST", `${secondUrl}/admin/flutterwave/reconcile`, undefined, await adminHeaders()),
    ])
    expect([first.status, second.status]).toEqual([200, 200])
    const { json } = await app("GET", "/admin/flutterwave/reconciliations")
    const [later, earlier] = json.reconciliations.slice(0, 2)
    expect(earlier.checked).toBeGreaterThanOrEqual(1)
    // Serialised by the PostgreSQL lock: the second run started only after the first had finished.
    expect(new Date(later.started_at).getTime()).toBeGreaterThanOrEqual(new Date(earlier.finished_at).getTime())
  })

  async function adminHeaders(): Promise<Record<string, string>> {
    const login = await requestJson("POST", `${secondUrl}/auth/user/emailpass`, { email: "two@test.local", password: "two-password" })
    return { authorization: `Bearer ${login.json.token}` }
  }
})
