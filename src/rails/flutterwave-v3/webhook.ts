import { createHash, createHmac, timingSafeEqual } from "node:crypto"
import type { NotificationHeaders } from "../rail"

export const VERIF_HASH_HEADER = "verif-hash"
export const SIGNATURE_HEADER = "flutterwave-signature"

export type WebhookSenderCheck = { ok: true; by: "verif-hash" | "signature" } | { ok: false; reason: string }

/**
 * Whether a webhook comes from Flutterwave. v3 proves the sender only: `verif-hash` carries the secret hash set on the
 * dashboard, verbatim. With `acceptSignature`, the newer `flutterwave-signature` header (base64 HMAC-SHA256 of the raw
 * body, keyed with the secret hash) proves it too. Neither proves what the body says: the caller looks the payment up.
 *
 * Both comparisons are constant-time over sha256 digests, so neither the content nor the length of the secret leaks
 * through timing. A header given more than once is refused: it is not something Flutterwave sends.
 */
export function verifyWebhookSender(
  headers: NotificationHeaders | undefined,
  secretHash: string,
  options: { acceptSignature?: boolean; rawBody?: string | Buffer } = {}
): WebhookSenderCheck {
  // An empty secret would make an empty header "match": no secret configured verifies nothing.
  if (typeof secretHash !== "string" || secretHash === "") return { ok: false, reason: "no webhook secret hash is configured" }
  if (!headers) return { ok: false, reason: "the webhook came without headers" }

  const verifHash = readHeader(headers, VERIF_HASH_HEADER)
  if (verifHash.kind === "several") return { ok: false, reason: `the ${VERIF_HASH_HEADER} header was sent more than once` }
  if (verifHash.kind === "one" && equalInConstantTime(verifHash.value, secretHash)) return { ok: true, by: "verif-hash" }

  if (options.acceptSignature && options.rawBody !== undefined) {
    const signature = readHeader(headers, SIGNATURE_HEADER)
    if (signature.kind === "several") return { ok: false, reason: `the ${SIGNATURE_HEADER} header was sent more than once` }
    if (signature.kind === "one") {
      const expected = createHmac("sha256", secretHash).update(toBytes(options.rawBody)).digest("base64")
      if (equalInConstantTime(signature.value, expected)) return { ok: true, by: "signature" }
      return { ok: false, reason: `the ${SIGNATURE_HEADER} header does not match the body` }
    }
  }
  if (verifHash.kind === "one") return { ok: false, reason: `the ${VERIF_HASH_HEADER} header does not match the secret hash` }
  return {
    ok: false,
    reason: options.acceptSignature
      ? `neither ${VERIF_HASH_HEADER} nor ${SIGNATURE_HEADER} was sent`
      : `the ${VERIF_HASH_HEADER} header is missing`,
  }
}

type HeaderValue = { kind: "none" } | { kind: "one"; value: string } | { kind: "several" }

/** A header by name, whatever the case of the name (Node lower-cases them; other callers may not). */
function readHeader(headers: NotificationHeaders, name: string): HeaderValue {
  const values: string[] = []
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue
    values.push(...(Array.isArray(value) ? value : [value]))
  }
  const present = values.filter((value) => value !== "")
  if (present.length === 0) return { kind: "none" }
  if (present.length > 1) return { kind: "several" }
  return { kind: "one", value: present[0] }
}

function equalInConstantTime(received: string, expected: string): boolean {
  return timingSafeEqual(sha256(received), sha256(expected))
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest()
}

function toBytes(rawBody: string | Buffer): Buffer {
  return typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody
}
