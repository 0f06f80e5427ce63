import { createHash } from "node:crypto"

/**
 * The `payload_hash` of a hosted-link request (Flutterwave's checksum): sha256 hex of the amount, currency, customer
 * email and tx_ref, followed by the sha256 hex of the secret key. It binds the amount to our reference, so a changed
 * amount is refused (400 "Invalid payload hash").
 *
 * `amount` is the JSON number sent: its text here is `String(amount)`, which is exactly what JSON.stringify writes for
 * it (1500.5, never "1500.50"), so the hash covers the same decimal text Flutterwave reads.
 */
export function payloadHash(input: { amount: number | string; currency: string; email: string; txRef: string }, secretKey: string): string {
  const secretKeyHash = sha256Hex(secretKey)
  return sha256Hex(String(input.amount) + input.currency + input.email + input.txRef + secretKeyHash)
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex")
}
