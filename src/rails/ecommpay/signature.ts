import { createHmac, timingSafeEqual } from "node:crypto"

/**
 * ECommPay's request/callback signature: flatten the JSON tree into `path:value` lines, sort them by path in byte
 * order, join with `;`, then base64(HMAC-SHA512(secret, joined)).
 *
 * Decisions where ECommPay's SDKs disagree (see shared/docs/gate-reference.md §1.2) live here and nowhere else:
 * - Every key named `signature` or `frame_mode` is left out, at any depth (PHP and JS SDK behaviour).
 * - Lines are sorted by their full path as a UTF-8 byte string. Array indexes are therefore compared as text
 *   (`10` before `2`); PHP sorts them naturally. Our requests never hold arrays longer than 10, so the two agree on
 *   everything we send; a callback with a longer array would only fail verification, never verify wrongly.
 * - A `:` inside a key is written `::` (PHP SDK); we never send such keys.
 */

const EXCLUDED_KEYS = new Set(["signature", "frame_mode"])

/**
 * How deeply objects and arrays may nest in a signed message (the top-level object is level 1). ECommPay's messages
 * nest fewer than 10 levels; an unauthenticated body of 200 KB of `[` must not cost a stack overflow or a
 * quadratic amount of path text, so anything deeper is refused before it is walked.
 */
export const MAX_SIGNABLE_DEPTH = 64

/** A message nests objects/arrays deeper than MAX_SIGNABLE_DEPTH: it cannot be one of ECommPay's, and is not signed. */
export class SignableDepthError extends RangeError {
  constructor() {
    super(`JSON nests deeper than ${MAX_SIGNABLE_DEPTH} levels; ECommPay's messages nest fewer than 10`)
    this.name = "SignableDepthError"
  }
}

/** A JSON-like value as it reaches the signer: JSON.parse output, plus bigint for integers beyond 2^53. */
export type SignableValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | SignableValue[]
  | { [key: string]: SignableValue }

type Line = { path: string; value: string }

/** The `path:value;…` string that gets signed. Exported for tests and for debugging a mismatch with ECommPay. */
export function buildSigningString(params: object): string {
  const lines: Line[] = []
  collectLines(params as SignableValue, lines)
  lines.sort(compareLines)
  let joined = ""
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) joined += ";"
    joined += lines[i].path + ":" + lines[i].value
  }
  return joined
}

export function signParams(params: object, secretKey: string): string {
  if (!secretKey) {
    throw new TypeError("signParams: the project secret key is empty")
  }
  return hmacSha512Base64(buildSigningString(params), secretKey)
}

/**
 * base64(HMAC-SHA512(secretKey, message)) in standard base64 (`+ / =`): ECommPay's one signing primitive, shared by
 * Gate messages (signParams) and Payment Page URLs (payment-page.ts), which differ only in the string they sign.
 */
export function hmacSha512Base64(message: string, secretKey: string): string {
  return createHmac("sha512", secretKey).update(message, "utf8").digest("base64")
}

/**
 * Whether a signature we were given equals the one we computed, in time that does not depend on how much of it is
 * right. Every path, a wrong length included, goes through one crypto.timingSafeEqual of equal-length buffers.
 */
export function signaturesMatch(given: string, expected: string): boolean {
  const expectedBytes = Buffer.from(expected, "utf8")
  const givenBytes = Buffer.from(given, "utf8")
  if (givenBytes.length !== expectedBytes.length) {
    // Compare against itself so a wrong-length signature costs the same as a wrong one of the right length.
    timingSafeEqual(expectedBytes, expectedBytes)
    return false
  }
  return timingSafeEqual(givenBytes, expectedBytes)
}

/**
 * Where a payload carries its signature: top-level `signature` (callbacks, signed answers) or `general.signature`
 * (requests, some callbacks). Returns undefined when there is none.
 */
export function extractSignature(payload: object): string | undefined {
  const top = (payload as Record<string, unknown>).signature
  if (typeof top === "string" && top.length > 0) return top
  const general = (payload as Record<string, unknown>).general
  if (general && typeof general === "object" && !Array.isArray(general)) {
    const nested = (general as Record<string, unknown>).signature
    if (typeof nested === "string" && nested.length > 0) return nested
  }
  return undefined
}

/** Constant-time check of the signature the payload carries against one we compute. No signature → false. */
export function verifySignature(payload: object, secretKey: string): boolean {
  if (!payload || typeof payload !== "object" || !secretKey) return false
  const given = extractSignature(payload)
  if (given === undefined) return false
  return signaturesMatch(given, signParams(payload, secretKey))
}

/**
 * Throws SignableDepthError when `value` nests objects/arrays deeper than MAX_SIGNABLE_DEPTH (counting the top level
 * as 1), wherever the deep part is, keys excluded from signing included. Iterative: any depth costs no stack.
 */
export function assertSignableDepth(value: unknown): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }]
  while (stack.length > 0) {
    const { value: node, depth } = stack.pop()!
    if (node === null || typeof node !== "object") continue
    if (depth > MAX_SIGNABLE_DEPTH) throw new SignableDepthError()
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node)
    for (const child of children) {
      if (child !== null && typeof child === "object") stack.push({ value: child, depth: depth + 1 })
    }
  }
}

type Pending = { value: SignableValue; path: string; depth: number }

/**
 * Every `path:value` line of the tree, in the order a depth-first walk meets them (children in key/index order), so
 * lines with equal paths (possible through `::` escaping) keep a fixed order through the stable sort. Iterative, with
 * an explicit stack, and refusing more than MAX_SIGNABLE_DEPTH levels (SignableDepthError).
 *
 * The root is handled apart from `path` because a top-level key "" also has the path "": its value must still be
 * signed (as the line `:value`, like the PHP SDK), while a bare scalar handed in as the whole message has no path and
 * nothing to sign.
 */
function collectLines(root: SignableValue, out: Line[]): void {
  if (root === null || typeof root !== "object") return
  const stack: Pending[] = [{ value: root, path: "", depth: 1 }]
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!
    if (value === undefined) continue
    if (value === null || typeof value !== "object") {
      out.push({ path, value: formatSignedScalar(value) })
      continue
    }
    if (depth > MAX_SIGNABLE_DEPTH) throw new SignableDepthError()
    // Children are pushed last-first so they are popped, and their lines collected, first-first.
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i], path: path === "" ? String(i) : path + ":" + i, depth: depth + 1 })
      }
      continue
    }
    const keys = Object.keys(value)
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]
      if (EXCLUDED_KEYS.has(key)) continue
      const escaped = key.includes(":") ? key.replace(/:/g, "::") : key
      stack.push({ value: value[key], path: path === "" ? escaped : path + ":" + escaped, depth: depth + 1 })
    }
  }
}

/** How a scalar is written in the signed string: booleans 1/0, null empty, numbers in plain decimal. */
export function formatSignedScalar(value: string | number | bigint | boolean | null): string {
  if (value === null) return ""
  switch (typeof value) {
    case "string":
      return value
    case "boolean":
      return value ? "1" : "0"
    case "bigint":
      return value.toString()
    case "number":
      return toPlainDecimal(value)
    default:
      return String(value)
  }
}

/** Numbers as plain decimals: JavaScript prints 1e21 and 1e-7 in exponent form, ECommPay's signers do not. */
export function toPlainDecimal(n: number): string {
  if (!Number.isFinite(n)) {
    throw new TypeError(`cannot sign a non-finite number (${n})`)
  }
  const text = String(n)
  const e = text.indexOf("e")
  if (e === -1) return text
  const negative = text.startsWith("-")
  const mantissa = text.slice(negative ? 1 : 0, e)
  const exponent = Number(text.slice(e + 1))
  const dot = mantissa.indexOf(".")
  const digits = mantissa.replace(".", "")
  const pointAt = (dot === -1 ? mantissa.length : dot) + exponent
  let plain: string
  if (pointAt <= 0) {
    plain = "0." + "0".repeat(-pointAt) + digits
  } else if (pointAt >= digits.length) {
    plain = digits + "0".repeat(pointAt - digits.length)
  } else {
    plain = digits.slice(0, pointAt) + "." + digits.slice(pointAt)
  }
  return (negative ? "-" : "") + plain
}

/**
 * Byte order of the UTF-8 paths. UTF-16 comparison (JS `<`) matches it except for astral characters, so the slow
 * path is taken only when a surrogate is present. The slow path encodes the whole paths: slicing at the first
 * differing code unit could cut a surrogate pair in half (two emoji sharing a high surrogate), and a lone surrogate
 * encodes as U+FFFD, which made different paths compare equal and the signature depend on key order.
 */
function compareLines(a: Line, b: Line): number {
  const x = a.path
  const y = b.path
  const n = Math.min(x.length, y.length)
  for (let i = 0; i < n; i++) {
    const cx = x.charCodeAt(i)
    const cy = y.charCodeAt(i)
    if (cx === cy) continue
    if ((cx >= 0xd800 && cx <= 0xdfff) || (cy >= 0xd800 && cy <= 0xdfff)) {
      const bytes = Buffer.compare(Buffer.from(x, "utf8"), Buffer.from(y, "utf8"))
      // Only malformed text (lone surrogates) encodes two different paths to the same bytes; keep the order stable.
      return bytes !== 0 ? bytes : cx - cy
    }
    return cx - cy
  }
  return x.length - y.length
}
