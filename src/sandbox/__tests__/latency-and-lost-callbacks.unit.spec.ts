import { GateClient, parseCallback, signParams, type SaleRequest } from "../../rails/ecommpay"
import { stringifyJson } from "../../rails/ecommpay/json"
import { GateSandbox } from "../server"
import type { CallbackReceiver } from "./callback-receiver"
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

async function control(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> {
  const response = await fetch(`${sandbox.url}/_sandbox${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: response.status, json: (await response.json()) as Record<string, any> }
}

async function timed<T>(call: () => Promise<T>): Promise<number> {
  const startedAt = performance.now()
  await call()
  return performance.now() - startedAt
}

beforeAll(async () => {
  ;({ sandbox, receiver, client } = await startSandboxUnderTest(PROJECT_ID, SECRET))
})

afterAll(() => stopSandboxUnderTest({ sandbox, receiver }))

beforeEach(() => resetSandboxUnderTest({ sandbox, receiver }))

describe("latency: every Gate API answer held back, as a distant Gate's", () => {
  it("holds back sales and status answers by the latency set over HTTP, processing the request at once", async () => {
    expect(await control("GET", "/latency")).toEqual({ status: 200, json: { latencyMs: 0 } })
    expect(await control("POST", "/latency", { latencyMs: 250 })).toEqual({ status: 200, json: { latencyMs: 250 } })
    const request = sale()
    expect(await timed(() => client.sale(request))).toBeGreaterThanOrEqual(245)
    expect(await timed(() => client.status(request.paymentId))).toBeGreaterThanOrEqual(245)
    // Control routes and the shopper's pages are not Gate's API: they answer without it.
    expect(sandbox.payment(request.paymentId)).toBeDefined()
    expect(await control("GET", "/latency")).toEqual({ status: 200, json: { latencyMs: 250 } })
  })

  it("adds to a script's hangMs", async () => {
    sandbox.setLatency(150)
    sandbox.script({ operation: "status", hangMs: 150 })
    const request = sale()
    await client.sale(request)
    expect(await timed(() => client.status(request.paymentId))).toBeGreaterThanOrEqual(295)
  })

  it("refuses a latency that is not a whole number of ms from 0 to 600000, and reset goes back to the start-up value", async () => {
    for (const latencyMs of [-1, 1.5, "200", 600_001, undefined]) {
      const answer = await control("POST", "/latency", { latencyMs })
      expect(answer.status).toBe(400)
      expect(answer.json.message).toContain("latencyMs must be a whole number of ms")
    }
    expect(() => sandbox.setLatency(-5)).toThrow(RangeError)
    sandbox.setLatency(300)
    expect((await control("POST", "/reset")).status).toBe(200)
    expect(sandbox.latency).toBe(0)

    const slow = new GateSandbox({ projectId: PROJECT_ID, secretKey: SECRET, latencyMs: 120 })
    await slow.start()
    try {
      const slowClient = new GateClient({ projectId: PROJECT_ID, secretKey: SECRET, baseUrl: slow.url, timeoutMs: 2_000, retryDelayMs: 10 })
      const request = sale()
      expect(await timed(() => slowClient.sale(request))).toBeGreaterThanOrEqual(115)
      slow.setLatency(0)
      slow.reset()
      expect(slow.latency).toBe(120)
    } finally {
      await slow.close()
    }
  })
})

describe("a result whose callback is lost, and the callback it would have been", () => {
  it("pays with drop: the payment is paid at Gate, status says so, and no callback about it is sent", async () => {
    const request = sale()
    await client.sale(request)
    await receiver.received(1) // "awaiting redirect result", delivered as usual
    const paid = await control("POST", `/payments/${request.paymentId}/pay`, { drop: true })
    expect(paid.status).toBe(200)
    expect(paid.json.payment.status).toBe("success")
    await sandbox.callbacksDelivered()
    expect(receiver.bodies).toHaveLength(1)
    const status = await client.status(request.paymentId)
    expect(status.payment.status).toBe("success")
  })

  it("serves, unsigned, exactly the callback a delivered result carries", async () => {
    // One payment paid as usual: its delivered callback is the reference.
    const delivered = sale()
    await client.sale(delivered)
    await receiver.received(1)
    sandbox.pay(delivered.paymentId)
    await receiver.received(2)
    const sent = receiver.bodies[1]
    const saleId = sandbox.payment(delivered.paymentId)!.operations[0].id
    const served = await control("GET", `/payments/${delivered.paymentId}/operations/${saleId}/callback`)
    expect(served.status).toBe(200)
    expect(served.json.callback).not.toHaveProperty("signature")
    // Signed as Gate signs, it is the delivered callback byte for byte.
    expect(stringifyJson({ ...served.json.callback, signature: signParams(served.json.callback, SECRET) })).toBe(sent)

    // One paid with its callback lost: the served callback verifies and says paid, for that payment and amount.
    const lost = sale({ amount: 250_000 })
    await client.sale(lost)
    await receiver.received(3)
    sandbox.pay(lost.paymentId, { drop: true })
    await sandbox.callbacksDelivered()
    expect(receiver.bodies).toHaveLength(3)
    const lostSale = sandbox.payment(lost.paymentId)!.operations[0]
    const body = (await control("GET", `/payments/${lost.paymentId}/operations/${lostSale.id}/callback`)).json.callback
    const callback = parseCallback(stringifyJson({ ...body, signature: signParams(body, SECRET) }), { secretKey: SECRET, projectId: PROJECT_ID })
    expect(callback.payment).toMatchObject({ id: lost.paymentId, status: "success" })
    expect(callback.operation).toMatchObject({ id: String(lostSale.id), type: "sale", status: "success", sumInitial: { amount: 250_000, currency: "NGN" } })
  })

  it("answers 404 for an unknown payment or operation, and 400 for a drop that is not a boolean", async () => {
    const request = sale()
    await client.sale(request)
    expect((await control("GET", `/payments/nobody/operations/1/callback`)).status).toBe(404)
    expect((await control("GET", `/payments/${request.paymentId}/operations/1/callback`)).status).toBe(404)
    expect((await control("POST", `/payments/${request.paymentId}/pay`, { drop: "yes" })).status).toBe(400)
    expect(sandbox.payment(request.paymentId)!.status).not.toBe("success")
  })
})
