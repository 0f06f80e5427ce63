import * as fc from "fast-check"
import {
  assertSignableDepth,
  buildSigningString,
  MAX_SIGNABLE_DEPTH,
  SignableDepthError,
  signParams,
  verifySignature,
  type SignableValue,
} from "../signature"

const SECRET = "secret"

/** n nested arrays around `inner`. */
function nest(levels: number, inner: SignableValue): SignableValue {
  let value = inner
  for (let i = 0; i < levels; i++) value = [value]
  return value
}

/**
 * The recursive walk signature.ts used before review #18, kept here as the reference the iterative walk must match
 * line for line (same lines, same order before the sort, so the same string even for colliding paths).
 */
function referenceSigningString(params: object): string {
  const lines: { path: string; value: string }[] = []
  const excluded = new Set(["signature", "frame_mode"])
  const scalar = (value: string | number | bigint | boolean | null): string =>
    value === null ? "" : typeof value === "boolean" ? (value ? "1" : "0") : typeof value === "number" ? plain(value) : String(value)
  const plain = (n: number): string => buildSigningString({ n }).slice(2)
  const walk = (value: SignableValue, path: string, isRoot = false): void => {
    if (value === undefined) return
    if (value !== null && typeof value === "object") {
      if (Array.isArray(value)) {
        value.forEach((item, i) => walk(item, path === "" ? String(i) : path + ":" + i))
        return
      }
      for (const key of Object.keys(value)) {
        if (excluded.has(key)) continue
        const escaped = key.replace(/:/g, "::")
        walk(value[key], path === "" ? escaped : path + ":" + escaped)
      }
      return
    }
    if (isRoot) return
    lines.push({ path, value: scalar(value) })
  }
  walk(params as SignableValue, "", true)
  const bytes = (text: string) => Buffer.from(text, "utf8")
  // Stable sort by UTF-8 bytes of the path, as signature.ts documents.
  lines.sort((a, b) => Buffer.compare(bytes(a.path), bytes(b.path)))
  return lines.map((line) => line.path + ":" + line.value).join(";")
}

describe("signing depth limit (review #18)", () => {
  it(`signs ${MAX_SIGNABLE_DEPTH} levels (the top-level object is level 1) and refuses ${MAX_SIGNABLE_DEPTH + 1}`, () => {
    const ok = { a: nest(MAX_SIGNABLE_DEPTH - 1, 1) }
    expect(buildSigningString(ok)).toBe("a" + ":0".repeat(MAX_SIGNABLE_DEPTH - 1) + ":1")
    expect(() => assertSignableDepth(ok)).not.toThrow()

    const tooDeep = { a: nest(MAX_SIGNABLE_DEPTH, 1) }
    expect(() => buildSigningString(tooDeep)).toThrow(SignableDepthError)
    expect(() => signParams(tooDeep, SECRET)).toThrow(SignableDepthError)
    expect(() => assertSignableDepth(tooDeep)).toThrow(SignableDepthError)
  })

  it("counts empty containers as levels too", () => {
    expect(() => buildSigningString({ a: nest(MAX_SIGNABLE_DEPTH, []) })).toThrow(SignableDepthError)
    expect(() => assertSignableDepth({ a: nest(MAX_SIGNABLE_DEPTH, {}) })).toThrow(SignableDepthError)
  })

  it("refuses 100,000 levels with a clear RangeError, not a stack overflow", () => {
    const deep = { a: nest(100_000, 1) }
    let thrown: unknown
    try {
      buildSigningString(deep)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(SignableDepthError)
    expect(thrown).toBeInstanceOf(RangeError)
    expect((thrown as Error).message).toBe(
      `JSON nests deeper than ${MAX_SIGNABLE_DEPTH} levels; ECommPay's messages nest fewer than 10`
    )
    expect(() => verifySignature({ ...deep, signature: "x" }, SECRET)).toThrow(SignableDepthError)
  })

  it("assertSignableDepth also looks under keys excluded from signing, and refuses a cycle", () => {
    expect(() => assertSignableDepth({ frame_mode: nest(MAX_SIGNABLE_DEPTH, 1) })).toThrow(SignableDepthError)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => assertSignableDepth(cyclic)).toThrow(SignableDepthError)
    expect(() => buildSigningString(cyclic)).toThrow(SignableDepthError)
  })

  it("accepts scalars and shallow values", () => {
    for (const value of [null, undefined, 1, "x", [], {}, { a: [1, { b: 2 }] }]) {
      expect(() => assertSignableDepth(value)).not.toThrow()
    }
  })

  it("writes the line of a top-level empty key and nothing for a bare scalar", () => {
    expect(buildSigningString({ "": "v", a: 1 })).toBe(":v;a:1")
    expect(buildSigningString(5 as unknown as object)).toBe("")
    expect(buildSigningString(null as unknown as object)).toBe("")
  })

  it("keeps the collection order of lines whose escaped paths collide", () => {
    // "a:" + child "b" and "a" + child ":b" both give the path "a:::b"; the walk's order decides the string.
    expect(buildSigningString({ "a:": { b: 1 }, a: { ":b": 2 } })).toBe("a:::b:1;a:::b:2")
    expect(buildSigningString({ a: { ":b": 2 }, "a:": { b: 1 } })).toBe("a:::b:2;a:::b:1")
  })
})

describe("the iterative walk matches the recursive one (fast-check)", () => {
  const keyArb = fc.constantFrom("a", "b", "a:", ":b", "", "signature", "frame_mode", "10", "2", "é", "😀")
  const leafArb = fc.oneof(
    fc.string({ maxLength: 4 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt()
  )
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ maxDepth: 6, depthIdentifier: "t" }, leafArb, tie("array"), tie("object")),
    array: fc.array(tie("tree"), { maxLength: 4, depthIdentifier: "t" }),
    object: fc.dictionary(keyArb, tie("tree"), { maxKeys: 5, depthIdentifier: "t" }),
  }))

  it("gives the same signing string for any tree", () => {
    fc.assert(
      fc.property(fc.dictionary(keyArb, tree, { maxKeys: 5 }), (params) => {
        expect(buildSigningString(params)).toBe(referenceSigningString(params))
      }),
      { numRuns: 500 }
    )
  })
})
