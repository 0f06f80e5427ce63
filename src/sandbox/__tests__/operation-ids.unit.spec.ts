import { signParams } from "../../rails/ecommpay/signature"
import { operationIdSource, SandboxEngine } from "../engine"

const PROJECT_ID = 258
const SECRET = "sandbox-test-secret"

function engine(): SandboxEngine {
  // No callback URL: the engine keeps its operations and sends nothing.
  return new SandboxEngine({ projectId: PROJECT_ID, secretKey: SECRET, publicUrl: () => "http://sandbox.test" })
}

let counter = 0

/** Sends a signed sale to the engine and returns the Gate operation id it created. */
function saleOperationId(gate: SandboxEngine): number {
  const paymentId = `order_${++counter}`
  const body: Record<string, unknown> = {
    general: { project_id: PROJECT_ID, payment_id: paymentId },
    payment: { amount: 150050, currency: "NGN" },
    customer: { id: "cus_1", ip_address: "127.0.0.1" },
  }
  ;(body.general as Record<string, unknown>).signature = signParams(body, SECRET)
  const answer = gate.handle("sale", body)
  expect(answer.httpStatus).toBe(200)
  const operation = gate.payments.get(paymentId)!.operations[0]
  return operation.id
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe("sandbox operation ids", () => {
  const engines: SandboxEngine[] = []
  afterAll(() => {
    for (const gate of engines) gate.close()
  })

  it("never repeat between two engines started a moment apart, and look like Gate's 16-digit ids", async () => {
    const first = engine()
    engines.push(first)
    const ids = Array.from({ length: 50 }, () => saleOperationId(first))
    await sleep(2)
    const second = engine()
    engines.push(second)
    for (let i = 0; i < 50; i++) ids.push(saleOperationId(second), saleOperationId(first))

    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) {
      expect(Number.isSafeInteger(id)).toBe(true)
      expect(String(id)).toMatch(/^\d{16}$/)
    }
  })

  it("follow the clock: an engine's first id is at least the current time in ms × 1000", () => {
    const gate = engine()
    engines.push(gate)
    const before = Date.now()
    const id = saleOperationId(gate)
    expect(id).toBeGreaterThanOrEqual(before * 1000)
    expect(id).toBeLessThan((Date.now() + 1) * 1000 + 1_000_000)
  })

  it("are unique across a restart: a new process's source starts above every id the previous one issued", () => {
    // Worst case for the old process: the highest random component, 10 ids per millisecond, for 10 seconds.
    let now = 1_764_000_000_000
    const before = operationIdSource(
      () => now,
      () => 0.999999
    )
    const issued: number[] = []
    for (let i = 0; i < 100_000; i++) {
      if (i % 10 === 0) now++
      issued.push(before())
    }
    // Restarted two milliseconds later (a real restart takes far longer), with the lowest random component.
    now += 2
    const after = operationIdSource(
      () => now,
      () => 0
    )
    const highestBefore = issued.reduce((a, b) => Math.max(a, b), 0)
    expect(after()).toBeGreaterThan(highestBefore)
    // Ten ids per millisecond take the old source at most 9 ids past its last millisecond's 999.
    expect(highestBefore).toBeLessThanOrEqual((now - 2) * 1000 + 999 + 9)
  })

  it("stay increasing within a process even when the clock stands still or goes back", () => {
    let now = 1_764_000_000_000
    const next = operationIdSource(
      () => now,
      () => 0.5
    )
    const ids = [next(), next()]
    now -= 60_000
    ids.push(next(), next())
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1] + 1)
    expect(ids[0]).toBe(1_764_000_000_000_500)
  })

  it("refuse to go beyond Number.MAX_SAFE_INTEGER", () => {
    const next = operationIdSource(
      () => 9_007_199_254_741,
      () => 0
    )
    expect(() => next()).toThrow(RangeError)
  })
})
