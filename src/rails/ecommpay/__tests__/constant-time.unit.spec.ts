import { signParams, verifySignature } from "../signature"

// The core module object itself (an `import * as` namespace would be a copy the spy cannot reach through).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = require("node:crypto") as typeof import("node:crypto")

/**
 * Signature checks must not leak, through timing, how much of a forged signature was right. We cannot measure
 * nanoseconds reliably in CI, so we check the mechanism: every comparison goes through crypto.timingSafeEqual, even
 * when the forged signature has the wrong length, and no early string comparison short-cuts it.
 */
describe("signature comparison", () => {
  const body = { project_id: 1, payment: { id: "p", status: "success" } }
  const secret = "secret"
  const good = signParams(body, secret)

  let spy: jest.SpyInstance
  beforeEach(() => {
    spy = jest.spyOn(crypto, "timingSafeEqual")
  })
  afterEach(() => spy.mockRestore())

  it.each([
    ["the right signature", good, true],
    ["a signature wrong in its first character", (good[0] === "A" ? "B" : "A") + good.slice(1), false],
    ["a signature wrong in its last character", good.slice(0, -3) + (good.endsWith("A==") ? "B==" : "A=="), false],
    ["a signature of the wrong length", good.slice(0, 20), false],
    ["an empty-looking signature", "=", false],
  ])("compares %s in constant time", (_name, signature, expected) => {
    expect(verifySignature({ ...body, signature }, secret)).toBe(expected)
    expect(spy).toHaveBeenCalledTimes(1)
    const [a, b] = spy.mock.calls[0] as [Buffer, Buffer]
    expect(a.length).toBe(b.length)
  })
})
