import * as fc from "fast-check"
import {
  buildSigningString,
  extractSignature,
  signParams,
  toPlainDecimal,
  verifySignature,
  type SignableValue,
} from "../signature"

const SECRET = "secret"

type SignableObject = { [key: string]: SignableValue }
type Segment = string | number
type Scalar = string | number | bigint | boolean | null

/** Worked example (a): a request body as in ECommPay's signature guide. */
const REQUEST_EXAMPLE = {
  general: { project_id: 258, payment_id: "TEST_155" },
  payment: { amount: 200, currency: "NGN" },
  customer: { id: "667", ip_address: "87.245.207.226" },
}
const REQUEST_EXAMPLE_STRING =
  "customer:id:667;customer:ip_address:87.245.207.226;general:payment_id:TEST_155;general:project_id:258;" +
  "payment:amount:200;payment:currency:NGN"
const REQUEST_EXAMPLE_SIGNATURE =
  "DrAewWegbfP6x+Wu82Jm0GBTzwtzdKCLLgrYIyYjYw1KwG3c2iEXzVAOzcYdYD/n0mh6jV4RVj9AtPQgrdxjxg=="

/** Worked example (b): every scalar kind, an array of mixed values, an empty object and Cyrillic text. */
const SCALARS_EXAMPLE = { a: true, b: false, c: null, d: [1, { e: "x" }], f: {}, g: "Оплата" }
const SCALARS_EXAMPLE_STRING = "a:1;b:0;c:;d:0:1;d:1:e:x;g:Оплата"
const SCALARS_EXAMPLE_SIGNATURE =
  "qmnB/Ys49ZCo5Ktnj5ZfJFgwr7p8GqxzCn6fPJgBgnp9Ugd330e8JfPkFdnwgEhuH9Xd7gZ9I4p6zG9UXmHToQ=="

/** A Gate callback as it arrives for a Flutterwave sale, after lossless JSON parsing. */
function callbackPayload(): SignableObject {
  return {
    project_id: 258,
    payment: {
      id: "order_01JD8ZK3",
      type: "purchase",
      status: "success",
      date: "2025-11-24T10:15:00+0000",
      method: "flutterwave",
      sum: { amount: 150050, currency: "NGN" },
      description: "Заказ №1 — ₦1,500.50 😀",
    },
    account: { number: "0690000031", bank_id: 206 },
    customer: { id: "cus_01", phone: "+2348000000000" },
    operation: {
      id: 5028800010128225,
      request_id: 12345678901234567890n,
      type: "sale",
      status: "success",
      date: "2025-11-24T10:15:03+0000",
      created_date: "2025-11-24T10:15:00+0000",
      sum_initial: { amount: 150050, currency: "NGN" },
      sum_converted: { amount: 150050, currency: "NGN" },
      provider: { id: 1475, payment_id: "FLW-MOCK-1", auth_code: null, date: "2025-11-24T10:15:02+0000" },
      code: "0",
      message: "Success",
      is_test: true,
      is_3ds: false,
    },
    errors: [
      { code: 3283, message: "Refund amount more than init amount", field: null },
      { code: "20105", message: "Insufficient funds on customer account", field: "payment.amount" },
    ],
    redirect_data: {},
    flags: [],
    interface_type: { id: 3 },
  }
}

/** The same object with every object's keys inserted in reverse order. */
function reverseKeys(value: SignableValue): SignableValue {
  if (Array.isArray(value)) return value.map(reverseKeys)
  if (value !== null && typeof value === "object") {
    const out: SignableObject = {}
    for (const key of Object.keys(value).reverse()) out[key] = reverseKeys(value[key])
    return out
  }
  return value
}

describe("buildSigningString and signParams: ECommPay's worked examples", () => {
  it("flattens the request example to sorted path:value lines", () => {
    expect(buildSigningString(REQUEST_EXAMPLE)).toBe(REQUEST_EXAMPLE_STRING)
  })

  it("signs the request example with the documented signature", () => {
    expect(signParams(REQUEST_EXAMPLE, SECRET)).toBe(REQUEST_EXAMPLE_SIGNATURE)
  })

  it("flattens booleans to 1/0, null to an empty value, arrays by index and drops empty objects", () => {
    expect(buildSigningString(SCALARS_EXAMPLE)).toBe(SCALARS_EXAMPLE_STRING)
  })

  it("signs the scalars example (UTF-8 text included) with the documented signature", () => {
    expect(signParams(SCALARS_EXAMPLE, SECRET)).toBe(SCALARS_EXAMPLE_SIGNATURE)
  })

  it("returns a base64 HMAC-SHA512 (88 characters, 64 bytes)", () => {
    const signature = signParams(REQUEST_EXAMPLE, SECRET)
    expect(signature).toMatch(/^[A-Za-z0-9+/]{86}==$/)
    expect(Buffer.from(signature, "base64")).toHaveLength(64)
  })
})

describe("buildSigningString: flattening rules", () => {
  it("excludes `signature` keys at the top level, inside general and at any depth", () => {
    const payload = {
      signature: "top",
      general: { project_id: 1, signature: "in-general" },
      deep: { a: { b: { signature: "deep", c: 1 } } },
      list: [{ signature: "in-array", d: 2 }],
    }
    expect(buildSigningString(payload)).toBe("deep:a:b:c:1;general:project_id:1;list:0:d:2")
  })

  it("excludes `frame_mode` keys at any depth, whatever their value", () => {
    const payload = {
      frame_mode: "iframe",
      general: { frame_mode: { nested: 1 }, id: 1 },
      list: [{ frame_mode: [1, 2], id: 2 }],
    }
    expect(buildSigningString(payload)).toBe("general:id:1;list:0:id:2")
  })

  it("still signs keys that merely contain the excluded names", () => {
    expect(buildSigningString({ signatures: 1, my_signature: 2, frame_mode_x: 3 })).toBe(
      "frame_mode_x:3;my_signature:2;signatures:1"
    )
  })

  it("writes nothing for empty objects and empty arrays, at any depth", () => {
    expect(buildSigningString({ a: {}, b: [], c: { d: {}, e: [[], {}] }, f: 1 })).toBe("f:1")
    expect(buildSigningString({})).toBe("")
  })

  it("indexes arrays of objects as path segments", () => {
    expect(buildSigningString({ items: [{ id: 1, qty: 2 }, { id: 3 }] })).toBe(
      "items:0:id:1;items:0:qty:2;items:1:id:3"
    )
  })

  it("compares array indexes as text, so index 10 sorts before index 2", () => {
    const digits = Array.from({ length: 12 }, (_, i) => i)
    expect(buildSigningString({ a: digits })).toBe(
      "a:0:0;a:1:1;a:10:10;a:11:11;a:2:2;a:3:3;a:4:4;a:5:5;a:6:6;a:7:7;a:8:8;a:9:9"
    )
  })

  it("leaves out undefined values, as JSON.stringify would", () => {
    expect(buildSigningString({ a: undefined, b: 1, c: { d: undefined } })).toBe("b:1")
  })

  it("writes a `:` inside a key as `::`", () => {
    expect(buildSigningString({ "a:b": 1, c: { "d:e:f": 2 } })).toBe("a::b:1;c:d::e::f:2")
  })

  it("signs a top-level empty key as `:value` instead of silently leaving it unsigned", () => {
    expect(buildSigningString({ "": "x", a: 1 })).toBe(":x;a:1")
    const signed = { "": "1000", a: 1, signature: signParams({ "": "1000", a: 1 }, SECRET) }
    expect(verifySignature(signed, SECRET)).toBe(true)
    expect(verifySignature({ ...signed, "": "1" }, SECRET)).toBe(false)
  })

  it("writes an empty key below the top level as an empty path segment", () => {
    expect(buildSigningString({ x: { "": 1 } })).toBe("x::1")
  })

  it("flattens a top-level array by index", () => {
    expect(buildSigningString([1, { e: "x" }])).toBe("0:1;1:e:x")
  })

  it("writes bigint values and 16-digit integers in full", () => {
    expect(buildSigningString({ id: 5028800010128225, big: 12345678901234567890123n, neg: -9007199254740993n })).toBe(
      "big:12345678901234567890123;id:5028800010128225;neg:-9007199254740993"
    )
  })

  it("signs a safe integer and the same integer as bigint identically", () => {
    expect(signParams({ id: 5028800010128225 }, SECRET)).toBe(signParams({ id: 5028800010128225n }, SECRET))
  })

  it("writes numbers in plain decimal notation, never in exponent form", () => {
    expect(buildSigningString({ big: 1e21, small: 1e-7, frac: 1500.5, neg: -0 })).toBe(
      "big:1000000000000000000000;frac:1500.5;neg:0;small:0.0000001"
    )
  })

  it("refuses to sign a non-finite number", () => {
    expect(() => signParams({ a: Number.NaN }, SECRET)).toThrow(TypeError)
    expect(() => signParams({ a: Number.POSITIVE_INFINITY }, SECRET)).toThrow(TypeError)
  })

  it("keeps unicode text as-is in the signed string", () => {
    expect(buildSigningString({ description: "Оплата заказа 😀 ₦" })).toBe("description:Оплата заказа 😀 ₦")
  })

  it("treats values that print the same as the same (true/1/'1', false/0, null/'')", () => {
    // Documented equivalences of the format, not bugs: Gate signs the text, not the JSON type.
    expect(signParams({ a: true, b: false, c: null }, SECRET)).toBe(signParams({ a: 1, b: 0, c: "" }, SECRET))
    expect(signParams({ a: "1", b: "0" }, SECRET)).toBe(signParams({ a: true, b: false }, SECRET))
  })
})

describe("buildSigningString: ordering", () => {
  it("does not depend on the order in which keys were inserted", () => {
    const payload = callbackPayload()
    const reversed = reverseKeys(payload) as SignableObject
    expect(Object.keys(reversed)).not.toEqual(Object.keys(payload))
    expect(buildSigningString(reversed)).toBe(buildSigningString(payload))
    expect(signParams(reversed, SECRET)).toBe(signParams(payload, SECRET))
  })

  it("sorts by the full path, so `a1` comes before `a:z` (`1` < `:`)", () => {
    expect(buildSigningString({ a: { z: 2 }, a1: 1 })).toBe("a1:1;a:z:2")
    expect(buildSigningString({ a1: 1, a: { z: 2 } })).toBe("a1:1;a:z:2")
  })

  it("sorts `a:z` before `ab` because `:` < `b`", () => {
    expect(buildSigningString({ ab: 1, a: { z: 2 } })).toBe("a:z:2;ab:1")
  })

  it("puts a shorter path before a longer one it is a prefix of", () => {
    expect(buildSigningString({ abc: 2, ab: 1 })).toBe("ab:1;abc:2")
  })

  it("sorts upper case before lower case (byte order, not locale order)", () => {
    expect(buildSigningString({ b: 1, B: 2, a: 3, A: 4 })).toBe("A:4;B:2;a:3;b:1")
  })

  it("sorts non-ASCII keys by their UTF-8 bytes", () => {
    // "é" is C3 A9, "z" is 7A, "Ж" is D0 96.
    expect(buildSigningString({ Ж: 1, é: 2, z: 3 })).toBe("z:3;é:2;Ж:1")
  })

  it("sorts astral characters after the top of the BMP, as UTF-8 does (UTF-16 order would not)", () => {
    // "ｚ" (U+FF5A) is EF BD 9A; "😀" (U+1F600) is F0 9F 98 80. As UTF-16, 0xD83D < 0xFF5A would put the emoji first.
    expect(buildSigningString({ "😀": 1, ｚ: 2 })).toBe("ｚ:2;😀:1")
    expect(buildSigningString({ ｚ: 2, "😀": 1 })).toBe("ｚ:2;😀:1")
  })

  it("orders two astral characters that share a high surrogate the same way whatever the insertion order", () => {
    // 😀 U+1F600 and 😁 U+1F601 are D83D DE00 and D83D DE01: they differ only in the low surrogate.
    expect(buildSigningString({ "😁": 2, "😀": 1 })).toBe("😀:1;😁:2")
    expect(buildSigningString({ "😀": 1, "😁": 2 })).toBe("😀:1;😁:2")
    expect(buildSigningString({ x: { "a😁": 2, "a😀": 1, "a\uFFFF": 3 } })).toBe("x:a\uFFFF:3;x:a😀:1;x:a😁:2")
  })
})

describe("signParams", () => {
  it("throws a TypeError when the secret key is empty", () => {
    expect(() => signParams(REQUEST_EXAMPLE, "")).toThrow(TypeError)
    expect(() => signParams(REQUEST_EXAMPLE, "")).toThrow(/secret key is empty/)
  })

  it("gives a different signature for a different secret", () => {
    expect(signParams(REQUEST_EXAMPLE, "other-secret")).not.toBe(REQUEST_EXAMPLE_SIGNATURE)
  })

  it("does not modify the payload it signs", () => {
    const payload = callbackPayload()
    const before = buildSigningString(payload)
    signParams(payload, SECRET)
    expect(payload).toEqual(callbackPayload())
    expect(buildSigningString(payload)).toBe(before)
  })

  it("ignores a signature already in the payload, so re-signing gives the same value", () => {
    const signed = { ...REQUEST_EXAMPLE, signature: REQUEST_EXAMPLE_SIGNATURE }
    expect(signParams(signed, SECRET)).toBe(REQUEST_EXAMPLE_SIGNATURE)
  })
})

describe("extractSignature", () => {
  it("reads a top-level signature", () => {
    expect(extractSignature({ signature: "abc", general: { signature: "def" } })).toBe("abc")
  })

  it("reads general.signature when there is no top-level one", () => {
    expect(extractSignature({ general: { signature: "def" } })).toBe("def")
  })

  it("falls back to general.signature when the top-level one is empty", () => {
    expect(extractSignature({ signature: "", general: { signature: "def" } })).toBe("def")
  })

  it("returns undefined when there is no usable signature", () => {
    expect(extractSignature({})).toBeUndefined()
    expect(extractSignature({ signature: "" })).toBeUndefined()
    expect(extractSignature({ signature: 123 })).toBeUndefined()
    expect(extractSignature({ general: "signature" })).toBeUndefined()
    expect(extractSignature({ general: [{ signature: "x" }] })).toBeUndefined()
    expect(extractSignature({ general: null })).toBeUndefined()
    expect(extractSignature({ payment: { signature: "nested elsewhere" } })).toBeUndefined()
  })
})

describe("verifySignature", () => {
  it("accepts a valid signature at the top level", () => {
    expect(verifySignature({ ...REQUEST_EXAMPLE, signature: REQUEST_EXAMPLE_SIGNATURE }, SECRET)).toBe(true)
  })

  it("accepts a valid signature inside general.signature", () => {
    const payload = { ...REQUEST_EXAMPLE, general: { ...REQUEST_EXAMPLE.general, signature: REQUEST_EXAMPLE_SIGNATURE } }
    expect(verifySignature(payload, SECRET)).toBe(true)
  })

  it("accepts a signed payload that also carries frame_mode and nested signature keys", () => {
    const payload = {
      ...REQUEST_EXAMPLE,
      frame_mode: "popup",
      customer: { ...REQUEST_EXAMPLE.customer, signature: "ignored", frame_mode: "ignored" },
      signature: REQUEST_EXAMPLE_SIGNATURE,
    }
    expect(verifySignature(payload, SECRET)).toBe(true)
  })

  it("accepts a signed callback with nulls, arrays of objects, empty containers, unicode, booleans and bigints", () => {
    const payload = callbackPayload()
    expect(verifySignature({ ...payload, signature: signParams(payload, SECRET) }, SECRET)).toBe(true)
  })

  it("rejects a callback whose 16-digit operation id was altered by one", () => {
    const payload = callbackPayload()
    const signature = signParams(payload, SECRET)
    const operation = { ...(payload.operation as SignableObject), id: 5028800010128226 }
    expect(verifySignature({ ...payload, operation, signature }, SECRET)).toBe(false)
  })

  it("rejects a callback whose bigint request id was altered by one", () => {
    const payload = callbackPayload()
    const signature = signParams(payload, SECRET)
    const operation = { ...(payload.operation as SignableObject), request_id: 12345678901234567891n }
    expect(verifySignature({ ...payload, operation, signature }, SECRET)).toBe(false)
  })

  it("rejects a payload whose amount was tampered with", () => {
    const tampered = { ...REQUEST_EXAMPLE, payment: { amount: 20000, currency: "NGN" }, signature: REQUEST_EXAMPLE_SIGNATURE }
    expect(verifySignature(tampered, SECRET)).toBe(false)
  })

  it("returns false when the payload carries no signature", () => {
    expect(verifySignature(REQUEST_EXAMPLE, SECRET)).toBe(false)
    expect(verifySignature({ ...REQUEST_EXAMPLE, signature: "" }, SECRET)).toBe(false)
  })

  it("returns false for a signature of the wrong length", () => {
    expect(verifySignature({ ...REQUEST_EXAMPLE, signature: REQUEST_EXAMPLE_SIGNATURE.slice(0, -2) }, SECRET)).toBe(false)
    expect(verifySignature({ ...REQUEST_EXAMPLE, signature: REQUEST_EXAMPLE_SIGNATURE + "A" }, SECRET)).toBe(false)
    expect(verifySignature({ ...REQUEST_EXAMPLE, signature: "x" }, SECRET)).toBe(false)
  })

  it("returns false for a signature of the right length with wrong content", () => {
    const first = REQUEST_EXAMPLE_SIGNATURE[0] === "A" ? "B" : "A"
    const wrong = first + REQUEST_EXAMPLE_SIGNATURE.slice(1)
    expect(wrong).toHaveLength(REQUEST_EXAMPLE_SIGNATURE.length)
    expect(verifySignature({ ...REQUEST_EXAMPLE, signature: wrong }, SECRET)).toBe(false)
  })

  it("returns false when the signature is another payload's signature", () => {
    expect(verifySignature({ ...SCALARS_EXAMPLE, signature: REQUEST_EXAMPLE_SIGNATURE }, SECRET)).toBe(false)
  })

  it("returns false for a valid signature checked with another secret", () => {
    expect(verifySignature({ ...REQUEST_EXAMPLE, signature: REQUEST_EXAMPLE_SIGNATURE }, "Secret")).toBe(false)
  })

  it("returns false (and does not throw) when the secret key is empty", () => {
    expect(verifySignature({ ...REQUEST_EXAMPLE, signature: REQUEST_EXAMPLE_SIGNATURE }, "")).toBe(false)
  })

  it("returns false for a payload that is not an object", () => {
    expect(verifySignature(null as unknown as object, SECRET)).toBe(false)
    expect(verifySignature("signature" as unknown as object, SECRET)).toBe(false)
  })
})

describe("toPlainDecimal", () => {
  it.each([
    [1e21, "1000000000000000000000"],
    [1e-7, "0.0000001"],
    [1.5e-7, "0.00000015"],
    [-2.5e22, "-25000000000000000000000"],
    [1.2345e25, "12345000000000000000000000"],
    [-1.2345e-10, "-0.00000000012345"],
  ])("writes %p as %p", (input, expected) => {
    expect(toPlainDecimal(input)).toBe(expected)
  })

  it.each([
    [0, "0"],
    [-0, "0"],
    [200, "200"],
    [-17, "-17"],
    [1500.5, "1500.5"],
    [0.1, "0.1"],
    [5028800010128225, "5028800010128225"],
    [999999999999999900000, "999999999999999900000"],
    [0.000001, "0.000001"],
  ])("leaves the ordinary number %p as %p", (input, expected) => {
    expect(toPlainDecimal(input)).toBe(expected)
  })

  it("writes the smallest positive double with all 323 zeros after the point", () => {
    expect(toPlainDecimal(5e-324)).toBe("0." + "0".repeat(323) + "5")
  })

  it("writes the largest double with all its 309 digits", () => {
    const text = toPlainDecimal(Number.MAX_VALUE)
    expect(text).toHaveLength(309)
    expect(text.startsWith("17976931348623157")).toBe(true)
  })

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])("throws a TypeError for %p", (input) => {
    expect(() => toPlainDecimal(input)).toThrow(TypeError)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Property-based tests
// ---------------------------------------------------------------------------------------------------------------

const NUM_RUNS = 200
const EXCLUDED_KEYS = ["signature", "frame_mode"]

/**
 * Keys from a small alphabet without `:` (and without `~`, which mutations append to make a key fresh). It mixes
 * ASCII, 2-byte, 3-byte and astral characters, so the UTF-8 byte order of paths differs from UTF-16 order.
 */
const keyArb = fc
  .string({
    unit: fc.constantFrom("a", "b", "z", "A", "0", "1", "9", "_", "-", ".", "é", "Ж", "\uE000", "ｚ", "😀", "😁"),
    minLength: 1,
    maxLength: 4,
  })
  .filter((key) => !EXCLUDED_KEYS.includes(key))

/** Scalars as a JSON callback (parsed losslessly) can hold them; strings are well-formed unicode. */
const leafArb: fc.Arbitrary<SignableValue> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
  fc.constantFrom(5028800010128225, 1e21, 1e-7, 0.1, 9007199254740993n)
)

const { tree: treeArb } = fc.letrec<{ tree: SignableValue; array: SignableValue[]; object: SignableObject }>(
  (tie) => ({
    tree: fc.oneof({ maxDepth: 4, depthIdentifier: "signable" }, leafArb, tie("array"), tie("object")),
    array: fc.array(tie("tree"), { maxLength: 3, depthIdentifier: "signable" }),
    object: fc.dictionary(keyArb, tie("tree"), { maxKeys: 4, depthIdentifier: "signable" }),
  })
)

/** A payload: an object with at least one leaf, so that it has something to sign and to mutate. */
const payloadArb: fc.Arbitrary<SignableObject> = fc
  .tuple(fc.dictionary(keyArb, treeArb, { maxKeys: 5 }), keyArb, leafArb)
  .map(([object, key, leaf]) => ({ ...object, [key]: leaf }))

const secretArb = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"), minLength: 1, maxLength: 40 })

/** Independent model of the signing string: flatten, sort by the paths' UTF-8 bytes, join. */
function modelSigningString(payload: SignableObject): string {
  const lines: Array<{ path: string; value: string }> = []
  const walk = (value: SignableValue, segments: string[]): void => {
    if (value === undefined) return
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, [...segments, String(index)]))
      return
    }
    if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (!EXCLUDED_KEYS.includes(key)) walk(item, [...segments, key.split(":").join("::")])
      }
      return
    }
    lines.push({ path: segments.join(":"), value: modelScalar(value) })
  }
  walk(payload, [])
  lines.sort((x, y) => Buffer.compare(Buffer.from(x.path, "utf8"), Buffer.from(y.path, "utf8")))
  return lines.map((line) => `${line.path}:${line.value}`).join(";")
}

function modelScalar(value: Scalar): string {
  if (value === null) return ""
  if (typeof value === "boolean") return value ? "1" : "0"
  if (typeof value === "number") return toPlainDecimal(value)
  return String(value)
}

function deepClone<T extends SignableValue>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => deepClone(item)) as T
  if (value !== null && typeof value === "object") {
    const out: SignableObject = {}
    for (const [key, item] of Object.entries(value)) out[key] = deepClone(item)
    return out as T
  }
  return value
}

function isContainer(value: SignableValue): value is SignableValue[] | SignableObject {
  return value !== null && typeof value === "object"
}

/** Paths (object keys as strings, array indexes as numbers) to every scalar leaf. */
function leafPaths(value: SignableValue, path: Segment[] = []): Segment[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leafPaths(item, [...path, index]))
  if (isContainer(value)) return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...path, key]))
  return value === undefined ? [] : [path]
}

function nodeAt(root: SignableValue, path: Segment[]): SignableValue {
  let node = root
  for (const segment of path) node = (node as Record<string | number, SignableValue>)[segment]
  return node
}

function setAt(root: SignableObject, path: Segment[], value: SignableValue): void {
  const parent = nodeAt(root, path.slice(0, -1)) as Record<string | number, SignableValue>
  parent[path[path.length - 1]] = value
}

/** Deterministic Fisher–Yates shuffle of every object's key order, driven by a seed. */
function shuffleKeys(value: SignableValue, seed: number): SignableValue {
  let state = seed >>> 0 || 1
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state
  }
  const visit = (node: SignableValue): SignableValue => {
    if (Array.isArray(node)) return node.map(visit)
    if (isContainer(node)) {
      const keys = Object.keys(node)
      for (let i = keys.length - 1; i > 0; i--) {
        const j = next() % (i + 1)
        ;[keys[i], keys[j]] = [keys[j], keys[i]]
      }
      const out: SignableObject = {}
      for (const key of keys) out[key] = visit(node[key])
      return out
    }
    return node
  }
  return visit(value)
}

function signed(payload: SignableObject, secret: string): SignableObject {
  return { ...payload, signature: signParams(payload, secret) }
}

function pick<T>(items: T[], index: number): T {
  return items[index % items.length]
}

describe("signature properties (fast-check)", () => {
  it("flattens every payload exactly like an independent model of the format", () => {
    fc.assert(
      fc.property(payloadArb, (payload) => {
        expect(buildSigningString(payload)).toBe(modelSigningString(payload))
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("verifies what it signs, with the signature at the top level", () => {
    fc.assert(
      fc.property(payloadArb, secretArb, (payload, secret) => {
        expect(verifySignature({ ...payload, signature: signParams(payload, secret) }, secret)).toBe(true)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("verifies what it signs, with the signature inside general", () => {
    fc.assert(
      fc.property(payloadArb, fc.dictionary(keyArb, treeArb, { maxKeys: 3 }), secretArb, (payload, general, secret) => {
        const withGeneral: SignableObject = { ...payload, general: { ...general } }
        const signature = signParams(withGeneral, secret)
        ;(withGeneral.general as SignableObject).signature = signature
        expect(verifySignature(withGeneral, secret)).toBe(true)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("does not depend on the insertion order of keys", () => {
    fc.assert(
      fc.property(payloadArb, fc.integer(), (payload, seed) => {
        const shuffled = shuffleKeys(payload, seed) as SignableObject
        expect(buildSigningString(shuffled)).toBe(buildSigningString(payload))
        expect(verifySignature({ ...shuffled, signature: signParams(payload, SECRET) }, SECRET)).toBe(true)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("ignores signature and frame_mode keys added at any depth", () => {
    fc.assert(
      fc.property(
        payloadArb,
        fc.nat(),
        fc.constantFrom(...EXCLUDED_KEYS),
        treeArb,
        (payload, where, excludedKey, junk) => {
          const copy = deepClone(payload)
          const objects: SignableObject[] = []
          const collect = (node: SignableValue): void => {
            if (Array.isArray(node)) node.forEach(collect)
            else if (isContainer(node)) {
              objects.push(node)
              Object.values(node).forEach(collect)
            }
          }
          collect(copy)
          pick(objects, where)[excludedKey] = junk
          expect(buildSigningString(copy)).toBe(buildSigningString(payload))
        }
      ),
      { numRuns: NUM_RUNS }
    )
  })

  it("fails verification with any other secret", () => {
    fc.assert(
      fc.property(payloadArb, secretArb, secretArb, (payload, secret, otherSecret) => {
        fc.pre(secret !== otherSecret)
        expect(verifySignature(signed(payload, secret), otherSecret)).toBe(false)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("fails verification when a leaf's printed value gets longer", () => {
    fc.assert(
      fc.property(payloadArb, fc.nat(), fc.string({ unit: "grapheme", minLength: 1, maxLength: 3 }), (payload, which, suffix) => {
        const signature = signParams(payload, SECRET)
        const mutated = deepClone(payload)
        const path = pick(leafPaths(mutated), which)
        setAt(mutated, path, modelScalar(nodeAt(mutated, path) as Scalar) + suffix)
        // Exactly one line grew by the suffix: the signed text must differ.
        expect(buildSigningString(mutated)).not.toBe(buildSigningString(payload))
        expect(verifySignature({ ...mutated, signature }, SECRET)).toBe(false)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("fails verification when a leaf is replaced by any value that prints differently", () => {
    fc.assert(
      fc.property(payloadArb, fc.nat(), leafArb, (payload, which, replacement) => {
        const signature = signParams(payload, SECRET)
        const mutated = deepClone(payload)
        setAt(mutated, pick(leafPaths(mutated), which), replacement)
        // true → 1 or null → "" print the same and are not changes; only real changes of the signed text count.
        fc.pre(modelSigningString(mutated) !== modelSigningString(payload))
        expect(buildSigningString(mutated)).not.toBe(buildSigningString(payload))
        expect(verifySignature({ ...mutated, signature }, SECRET)).toBe(false)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("fails verification when a key above a leaf is renamed", () => {
    fc.assert(
      fc.property(payloadArb, fc.nat(), fc.nat(), (payload, whichLeaf, whichKey) => {
        const signature = signParams(payload, SECRET)
        const mutated = deepClone(payload)
        const path = pick(leafPaths(mutated), whichLeaf)
        const keyDepths = path.flatMap((segment, depth) => (typeof segment === "string" ? [depth] : []))
        const depth = pick(keyDepths, whichKey)
        const parent = nodeAt(mutated, path.slice(0, depth)) as SignableObject
        const oldKey = path[depth] as string
        const newKey = oldKey + "~" // "~" is outside the key alphabet, so the new key is fresh
        const renamed: SignableObject = {}
        for (const key of Object.keys(parent)) renamed[key === oldKey ? newKey : key] = parent[key]
        for (const key of Object.keys(parent)) delete parent[key]
        Object.assign(parent, renamed)
        // Every line below the key grew by one character.
        expect(buildSigningString(mutated)).not.toBe(buildSigningString(payload))
        expect(verifySignature({ ...mutated, signature }, SECRET)).toBe(false)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("fails verification when a leaf moves one level deeper", () => {
    fc.assert(
      fc.property(payloadArb, fc.nat(), keyArb, (payload, which, wrapperKey) => {
        const signature = signParams(payload, SECRET)
        const mutated = deepClone(payload)
        const path = pick(leafPaths(mutated), which)
        setAt(mutated, path, { [wrapperKey]: nodeAt(mutated, path) })
        // The leaf's path grew by ":" + wrapperKey.
        expect(buildSigningString(mutated)).not.toBe(buildSigningString(payload))
        expect(verifySignature({ ...mutated, signature }, SECRET)).toBe(false)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("fails verification when a leaf moves one level shallower", () => {
    fc.assert(
      fc.property(payloadArb, fc.nat(), (payload, which) => {
        const signature = signParams(payload, SECRET)
        const mutated = deepClone(payload)
        // A leaf at …:k:w inside two objects moves up to …:w~ (fresh in its new parent).
        const movable = leafPaths(mutated).filter(
          (path) => path.length >= 2 && typeof path[path.length - 1] === "string" && typeof path[path.length - 2] === "string"
        )
        fc.pre(movable.length > 0)
        const path = pick(movable, which)
        const leafKey = path[path.length - 1] as string
        const from = nodeAt(mutated, path.slice(0, -1)) as SignableObject
        const to = nodeAt(mutated, path.slice(0, -2)) as SignableObject
        const leaf = from[leafKey]
        delete from[leafKey]
        to[leafKey + "~"] = leaf
        // One line lost the ":k" segment and gained one "~": its length changed by |k| ≥ 1.
        expect(buildSigningString(mutated)).not.toBe(buildSigningString(payload))
        expect(verifySignature({ ...mutated, signature }, SECRET)).toBe(false)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("writes every finite double as a plain decimal that reads back as the same number", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = toPlainDecimal(n)
        expect(text).toMatch(/^-?\d+(\.\d+)?$/)
        expect(Number(text)).toBe(n === 0 ? 0 : n)
      }),
      { numRuns: NUM_RUNS }
    )
  })
})
