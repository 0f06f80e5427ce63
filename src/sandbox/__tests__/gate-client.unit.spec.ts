import { createServer } from "node:net"
import {
  CallbackError,
  GateClient,
  GateRejectedError,
  GateUnknownOutcomeError,
  GateUnreachableError,
  isGateNotFound,
  parseCallback,
  signParams,
  type SaleRequest,
} from "../../rails/ecommpay"
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
    amount: 150050,
    currency: "NGN",
    customer: { id: "cus_1", ipAddress: "127.0.0.1", email: "ada@example.ng" },
    returnUrl: { success: "http://shop.test/ok", decline: "http://shop.test/ko" },
    ...overrides,
  }
}

function verify(body: string) {
  return parseCallback(body, { secretKey: SECRET, projectId: PROJECT_ID })
}

async function paidSale(request = sale()) {
  await client.sale(request)
  await receiver.received(receiver.bodies.length + 1)
  sandbox.pay(request.paymentId)
  await sandbox.callbacksDelivered()
  return request
}

beforeAll(async () => {
  ;({ sandbox, receiver, client } = await startSandboxUnderTest(PROJECT_ID, SECRET))
})

afterAll(() => stopSandboxUnderTest({ sandbox, receiver }))

beforeEach(() => resetSandboxUnderTest({ sandbox, receiver }))

describe("sale", () => {
  it("is accepted, sends a signed redirect callback, and the shopper's payment completes it", async () => {
    const request = sale()
    const accepted = await client.sale(request)
    expect(accepted).toMatchObject({ status: "success", projectId: PROJECT_ID, paymentId: request.paymentId })
    expect(accepted.requestId).toMatch(/^[0-9a-f]{40}$/)

    await receiver.received(1)
    const redirect = verify(receiver.bodies[0])
    expect(redirect.payment.status).toBe("awaiting redirect result")
    expect(redirect.redirectData).toEqual({ method: "GET", url: `${sandbox.url}/pay/${request.paymentId}`, body: {} })

    const pending = await client.status(request.paymentId)
    expect(pending.payment.status).toBe("awaiting redirect result")
    expect(pending.redirectData?.url).toBe(redirect.redirectData?.url)

    // The shopper opens Flutterwave's page and pays, exactly as a browser would.
    const page = await fetch(redirect.redirectData!.url)
    expect(await page.text()).toContain("1500.50 NGN")
    const paid = await fetch(`${redirect.redirectData!.url}/confirm`, { method: "POST", redirect: "manual" })
    expect(paid.status).toBe(303)
    expect(paid.headers.get("location")).toBe("http://shop.test/ok")

    await receiver.received(2)
    const result = verify(receiver.bodies[1])
    expect(result.payment).toMatchObject({ id: request.paymentId, status: "success", sum: { amount: 150050, currency: "NGN" } })
    expect(result.operation).toMatchObject({ type: "sale", status: "success", code: "0", message: "Success" })
    expect(result.operation!.id).toMatch(/^\d{16}$/)

    const status = await client.status(request.paymentId)
    expect(status.payment.status).toBe("success")
    expect(status.operations).toHaveLength(1)
    expect(status.redirectData).toBeUndefined()
  })

  it("reports a shopper's decline with Gate's code, message and errors block", async () => {
    const request = sale()
    sandbox.script({ paymentId: request.paymentId, operation: "sale", outcome: "decline", code: "20105" })
    await client.sale(request)
    await receiver.received(2)
    const decline = verify(receiver.bodies[1])
    expect(decline.payment.status).toBe("decline")
    expect(decline.operation).toMatchObject({ status: "decline", code: "20105", message: "Insufficient funds on customer account" })
    expect(decline.errors).toEqual([{ code: "20105", message: "Insufficient funds on customer account" }])
  })

  it("declines on the page with 'cancelled by the account owner' and sends the shopper to the decline URL", async () => {
    const request = sale()
    await client.sale(request)
    const cancelled = await fetch(`${sandbox.url}/pay/${request.paymentId}/cancel`, { method: "POST", redirect: "manual" })
    expect(cancelled.headers.get("location")).toBe("http://shop.test/ko")
    const status = await client.status(request.paymentId)
    expect(status.payment.status).toBe("decline")
    expect(status.operations[0]).toMatchObject({ status: "decline", code: "20301" })
  })

  it.each([
    ["a reused payment_id", () => sale({ paymentId: "dup" }), "3041"],
    ["an amount above the NGN limit", () => sale({ amount: 50_000_001 }), "2642"],
    ["an amount below the NGN limit", () => sale({ amount: 99 }), "3358"],
    ["an unsupported currency", () => sale({ currency: "EUR" }), "3121"],
  ])("rejects %s synchronously with Gate's code", async (_name, build, code) => {
    if (code === "3041") await client.sale(sale({ paymentId: "dup" }))
    const error = await client.sale(build()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GateRejectedError)
    expect((error as GateRejectedError).code).toBe(code)
    expect((error as GateRejectedError).httpStatus).toBe(400)
  })

  it("rejects a request signed with the wrong secret (3261) or for another project (2442), never leaking the key", async () => {
    const wrongKey = new GateClient({ projectId: PROJECT_ID, secretKey: "not-the-secret", baseUrl: sandbox.url })
    const badSignature = await wrongKey.sale(sale()).catch((e: unknown) => e)
    expect(badSignature).toBeInstanceOf(GateRejectedError)
    expect((badSignature as GateRejectedError).code).toBe("3261")
    expect((badSignature as Error).message).not.toContain("not-the-secret")

    const otherProject = new GateClient({ projectId: 999, secretKey: SECRET, baseUrl: sandbox.url })
    const foreign = await otherProject.sale(sale()).catch((e: unknown) => e)
    expect((foreign as GateRejectedError).code).toBe("2442")
    expect(sandbox.engine.payments.size).toBe(0)
  })

  it("rejects an unsigned request with 3262", async () => {
    const response = await fetch(`${sandbox.url}/v2/payment/flutterwave/sale`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ general: { project_id: PROJECT_ID, payment_id: "x" }, payment: { amount: 100, currency: "NGN" } }),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ status: "error", code: "3262" })
  })

  it("declines a payment left unfinished past the limit time (20602)", async () => {
    const quick = new GateSandbox({ projectId: PROJECT_ID, secretKey: SECRET, callbackUrl: receiver.url, limitTimeMs: 100 })
    await quick.start()
    try {
      const quickClient = new GateClient({ projectId: PROJECT_ID, secretKey: SECRET, baseUrl: quick.url })
      const request = sale()
      await quickClient.sale(request)
      await new Promise((resolve) => setTimeout(resolve, 250))
      const status = await quickClient.status(request.paymentId)
      expect(status.payment.status).toBe("decline")
      expect(status.operations[0].code).toBe("20602")
    } finally {
      await quick.close()
    }
  })
})

describe("unknown outcomes", () => {
  it("reports a timeout as an unknown outcome, and status shows the payment was created anyway", async () => {
    const request = sale()
    sandbox.script({ paymentId: request.paymentId, operation: "sale", hangMs: 600 })
    const impatient = new GateClient({ projectId: PROJECT_ID, secretKey: SECRET, baseUrl: sandbox.url, timeoutMs: 150 })
    const error = await impatient.sale(request).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GateUnknownOutcomeError)
    expect((error as GateUnknownOutcomeError).reason).toBe("timeout")
    expect(error).not.toBeInstanceOf(GateRejectedError)

    const status = await client.status(request.paymentId)
    expect(status.payment.id).toBe(request.paymentId)
    // The sale was sent once: a timeout is never retried for a money-moving request.
    expect(sandbox.engine.requests.filter((r) => r.operation === "sale")).toHaveLength(1)
  })

  it("tells 'never reached Gate' from 'in progress' after a timeout: status answers 3061", async () => {
    const request = sale()
    sandbox.script({ paymentId: request.paymentId, operation: "sale", hangMs: 400, process: false })
    const impatient = new GateClient({ projectId: PROJECT_ID, secretKey: SECRET, baseUrl: sandbox.url, timeoutMs: 100 })
    await expect(impatient.sale(request)).rejects.toBeInstanceOf(GateUnknownOutcomeError)
    const notFound = await client.status(request.paymentId).catch((e: unknown) => e)
    expect(isGateNotFound(notFound)).toBe(true)
  })

  it("reports a 5xx as an unknown outcome, not a decline, and does not resend the sale", async () => {
    const request = sale()
    sandbox.script({ paymentId: request.paymentId, operation: "sale", httpStatus: 502 })
    const error = await client.sale(request).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GateUnknownOutcomeError)
    expect((error as GateUnknownOutcomeError).reason).toBe("server_error")
    expect((error as GateUnknownOutcomeError).httpStatus).toBe(502)
    expect(sandbox.engine.requests.filter((r) => r.operation === "sale")).toHaveLength(1)
    expect((await client.status(request.paymentId)).payment.status).not.toBe("decline")
  })

  it("retries a status request after a 5xx, because asking changes nothing", async () => {
    const request = sale()
    await client.sale(request)
    sandbox.script({ operation: "status", httpStatus: 503, times: 2 })
    const status = await client.status(request.paymentId)
    expect(status.payment.id).toBe(request.paymentId)
    expect(sandbox.engine.requests.filter((r) => r.operation === "status")).toHaveLength(3)
  })

  it("reports a refused connection as unreachable after bounded retries: nothing was sent", async () => {
    const port = await closedPort()
    const offline = new GateClient({
      projectId: PROJECT_ID,
      secretKey: SECRET,
      baseUrl: `http://127.0.0.1:${port}`,
      connectRetries: 2,
      retryDelayMs: 5,
    })
    await expect(offline.sale(sale())).rejects.toBeInstanceOf(GateUnreachableError)
  })

  it("does not trust a status answer whose signature fails", async () => {
    const request = sale()
    await client.sale(request)
    const other = new GateClient({ projectId: PROJECT_ID, secretKey: SECRET, baseUrl: sandbox.url })
    // Sign the answer with another key by swapping the engine's view: a forged answer in transit.
    const original = sandbox.engine.statusBody.bind(sandbox.engine)
    sandbox.engine.statusBody = (id: string) => ({ ...original(id), signature: signParams({ forged: 1 }, SECRET) })
    try {
      const error = await other.status(request.paymentId).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(GateUnknownOutcomeError)
      expect((error as GateUnknownOutcomeError).reason).toBe("invalid_response")
    } finally {
      sandbox.engine.statusBody = original
    }
  })
})

describe("refund", () => {
  it("refunds partially, then the rest, tracking what remains", async () => {
    const request = await paidSale()
    await client.refund({ paymentId: request.paymentId, amount: 50_000, currency: "NGN", description: "first", merchantRefundId: "ref_1" })
    await sandbox.callbacksDelivered()
    let status = await client.status(request.paymentId)
    expect(status.payment).toMatchObject({ status: "partially refunded", sum: { amount: 100_050, currency: "NGN" } })

    await client.refund({ paymentId: request.paymentId, amount: 100_050, currency: "NGN", description: "rest", merchantRefundId: "ref_2" })
    await sandbox.callbacksDelivered()
    status = await client.status(request.paymentId)
    expect(status.payment).toMatchObject({ status: "refunded", sum: { amount: 0 } })
    const refunds = status.operations.filter((op) => op.type === "refund")
    expect(refunds.map((op) => [op.status, op.sumInitial?.amount])).toEqual([
      ["success", 50_000],
      ["success", 100_050],
    ])
    const last = verify(receiver.bodies[receiver.bodies.length - 1])
    expect(last.operation).toMatchObject({ type: "refund", status: "success", sumInitial: { amount: 100_050, currency: "NGN" } })
  })

  it("declines a refund above what remains with 3283, in the callback, as the guide shows", async () => {
    const request = await paidSale()
    await client.refund({ paymentId: request.paymentId, amount: 150_051, currency: "NGN", description: "too much" })
    await sandbox.callbacksDelivered()
    const decline = verify(receiver.bodies[receiver.bodies.length - 1])
    expect(decline.payment.status).toBe("success")
    expect(decline.operation).toMatchObject({ type: "refund", status: "decline", code: "3283", message: "Refund amount more than init amount" })
  })

  it("declines when refunds are not enabled on the merchant's Flutterwave account (scripted 3610)", async () => {
    const request = await paidSale()
    sandbox.script({ paymentId: request.paymentId, operation: "refund", outcome: "decline", code: "3610" })
    await client.refund({ paymentId: request.paymentId, amount: 100, currency: "NGN", description: "x" })
    await sandbox.callbacksDelivered()
    expect((await client.status(request.paymentId)).operations[1]).toMatchObject({ status: "decline", code: "3610" })
  })

  it("rejects a reused merchant_refund_id (3230), a currency mismatch (3284) and an unknown payment (3061)", async () => {
    const request = await paidSale()
    await client.refund({ paymentId: request.paymentId, amount: 100, currency: "NGN", description: "a", merchantRefundId: "ref_same" })
    const codeOf = (p: Promise<unknown>) => p.then(() => "accepted", (e: GateRejectedError) => e.code)
    expect(await codeOf(client.refund({ paymentId: request.paymentId, amount: 100, currency: "NGN", description: "a", merchantRefundId: "ref_same" }))).toBe("3230")
    expect(await codeOf(client.refund({ paymentId: request.paymentId, amount: 100, currency: "KES", description: "a" }))).toBe("3284")
    expect(await codeOf(client.refund({ paymentId: "nope", amount: 100, currency: "NGN", description: "a" }))).toBe("3061")
  })
})

describe("payout", () => {
  const payout = (overrides: Record<string, unknown> = {}) => ({
    paymentId: `payout_${++counter}`,
    amount: 50_000,
    currency: "NGN",
    description: "supplier",
    account: { number: "0017704603", bankId: "206" },
    customer: { id: "merchant", ipAddress: "127.0.0.1" },
    ...overrides,
  })

  it("pays out and reports success in a signed callback", async () => {
    const request = payout()
    await client.payout(request)
    await sandbox.callbacksDelivered()
    const callback = verify(receiver.bodies[0])
    expect(callback.payment).toMatchObject({ id: request.paymentId, type: "payout", status: "success" })
    expect(callback.account).toEqual({ number: "0017704603" })
    expect(callback.operation).toMatchObject({ type: "payout", status: "success", code: "0" })
  })

  it("declines with 3028 and the public description when the merchant balance is short", async () => {
    const request = payout()
    sandbox.script({ paymentId: request.paymentId, operation: "payout", outcome: "decline", code: "3028" })
    await client.payout(request)
    await sandbox.callbacksDelivered()
    const callback = verify(receiver.bodies[0])
    expect(callback.payment.status).toBe("decline")
    expect(callback.errors).toEqual([
      { code: "3028", message: "Insufficient funds on merchant balance", description: "public: BALANCE_INSUFFICIENT_FUNDS" },
    ])
  })

  it("enforces the NGN payout limits (100.00–1,000.00)", async () => {
    await expect(client.payout(payout({ amount: 9_999 }))).rejects.toMatchObject({ code: "3358" })
    await expect(client.payout(payout({ amount: 100_001 }))).rejects.toMatchObject({ code: "2642" })
  })
})

describe("callbacks", () => {
  it("are retried until the merchant answers 200", async () => {
    receiver.failNext = 2
    await client.sale(sale())
    await receiver.received(1)
    await sandbox.callbacksDelivered()
    expect(sandbox.engine.deliveries.map((d) => d.httpStatus)).toEqual([503, 503, 200])
  })

  it("can be duplicated, and each copy verifies", async () => {
    const request = sale()
    sandbox.script({ paymentId: request.paymentId, operation: "sale", callback: { duplicates: 4 } })
    await client.sale(request)
    await receiver.received(5)
    expect(new Set(receiver.bodies).size).toBe(1)
    expect(() => verify(receiver.bodies[4])).not.toThrow()
  })

  it("can be reordered: the final result arrives before the redirect notice", async () => {
    const request = sale()
    sandbox.script({ paymentId: request.paymentId, operation: "sale", outcome: "success", callback: { reorder: true } })
    await client.sale(request)
    await receiver.received(2)
    expect(receiver.parsed().map((b) => b.payment.status)).toEqual(["success", "awaiting redirect result"])
  })

  it("are rejected when tampered with, when for another project, or when malformed", async () => {
    await paidSale()
    const genuine = receiver.parsed()[1]
    const tampered = JSON.stringify({ ...genuine, payment: { ...genuine.payment, sum: { amount: 1, currency: "NGN" } } })
    expect(() => verify(tampered)).toThrow(CallbackError)
    expect(() => verify(tampered)).toThrow("signature does not verify")

    const foreign: Record<string, any> = { ...genuine, project_id: 777 }
    foreign.signature = signParams(foreign, SECRET)
    expect(() => verify(JSON.stringify(foreign))).toThrow(expect.objectContaining({ reason: "project" }))

    const noSum: Record<string, any> = { ...genuine, payment: { id: "x", status: "success" } }
    noSum.signature = signParams(noSum, SECRET)
    expect(() => verify(JSON.stringify(noSum))).toThrow(expect.objectContaining({ reason: "malformed" }))
    expect(() => verify("not json")).toThrow(expect.objectContaining({ reason: "malformed" }))
  })

  it("verify with operation ids beyond 2^53, kept exact", async () => {
    const body = `{"project_id":${PROJECT_ID},"payment":{"id":"p","type":"purchase","status":"success","sum":{"amount":100,"currency":"NGN"}},"operation":{"id":90071992547409931,"type":"sale","status":"success","code":"0"}}`
    const parsed = JSON.parse(body)
    // Sign the exact text form, as Gate (PHP, 64-bit ints) would.
    const exact = { ...parsed, operation: { ...parsed.operation, id: BigInt("90071992547409931") } }
    const signed = body.replace(/}$/, `,"signature":"${signParams(exact, SECRET)}"}`)
    expect(verify(signed).operation!.id).toBe("90071992547409931")
  })
})

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
