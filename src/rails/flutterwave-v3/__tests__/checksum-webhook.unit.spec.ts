import { createHash, createHmac } from "node:crypto"
import { payloadHash } from "../checksum"
import { verifyWebhookSender } from "../webhook"

describe("payloadHash", () => {
  it("is sha256hex(amount + currency + email + tx_ref + sha256hex(secret key)), on the amount's JSON text", () => {
    const secretKey = "FLWSECK_TEST-0123456789abcdef-X"
    // Computed here independently, from the documented formula.
    const keyHash = createHash("sha256").update(secretKey).digest("hex")
    const expected = createHash("sha256").update(`1500.5NGNada@example.ngord_123${keyHash}`).digest("hex")
    expect(payloadHash({ amount: 1500.5, currency: "NGN", email: "ada@example.ng", txRef: "ord_123" }, secretKey)).toBe(expected)
    // The JSON number's text, not money's "1500.50".
    expect(JSON.stringify({ amount: 1500.5 })).toBe('{"amount":1500.5}')
    expect(payloadHash({ amount: "1500.50", currency: "NGN", email: "ada@example.ng", txRef: "ord_123" }, secretKey)).not.toBe(expected)
  })

  it("a fixed vector", () => {
    // sha256("secret") = 2bb80d53…; sha256("100NGNa@b.cref" + that).
    expect(createHash("sha256").update("secret").digest("hex")).toBe("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b")
    expect(payloadHash({ amount: 100, currency: "NGN", email: "a@b.c", txRef: "ref" }, "secret")).toBe(
      createHash("sha256").update("100NGNa@b.cref2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b").digest("hex")
    )
  })
})

describe("verifyWebhookSender", () => {
  const secretHash = "my-webhook-secret-hash"
  const body = '{"event":"charge.completed","data":{"tx_ref":"ord_1"}}'
  const hmac = (key: string, raw: string) => createHmac("sha256", key).update(raw).digest("base64")

  it("accepts verif-hash equal to the secret hash", () => {
    expect(verifyWebhookSender({ "verif-hash": secretHash }, secretHash)).toEqual({ ok: true, by: "verif-hash" })
    // Whatever the name's case.
    expect(verifyWebhookSender({ "Verif-Hash": secretHash }, secretHash)).toMatchObject({ ok: true })
  })

  it("refuses a wrong hash, one of the same length, a prefix, and a missing or empty header", () => {
    const sameLength = secretHash.slice(0, -1) + (secretHash.endsWith("h") ? "x" : "h")
    expect(sameLength).toHaveLength(secretHash.length)
    for (const value of ["wrong", sameLength, secretHash.slice(0, 5), secretHash + " ", ""]) {
      const check = verifyWebhookSender({ "verif-hash": value }, secretHash)
      expect(check.ok).toBe(false)
      if (!check.ok) expect(check.reason).toMatch(/\S/)
    }
    expect(verifyWebhookSender({}, secretHash)).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) })
    expect(verifyWebhookSender(undefined, secretHash)).toMatchObject({ ok: false })
    expect(verifyWebhookSender({ "verif-hash": undefined }, secretHash)).toMatchObject({ ok: false })
  })

  it("never verifies anything without a configured secret hash", () => {
    expect(verifyWebhookSender({ "verif-hash": "" }, "")).toMatchObject({ ok: false })
    expect(verifyWebhookSender({}, "")).toMatchObject({ ok: false })
  })

  it("takes an array header of one value, and refuses several", () => {
    expect(verifyWebhookSender({ "verif-hash": [secretHash] }, secretHash)).toMatchObject({ ok: true })
    expect(verifyWebhookSender({ "verif-hash": [secretHash, "other"] }, secretHash)).toMatchObject({ ok: false, reason: expect.stringMatching(/more than once/) })
    expect(verifyWebhookSender({ "verif-hash": [secretHash, secretHash] }, secretHash)).toMatchObject({ ok: false })
  })

  it("accepts flutterwave-signature (base64 HMAC-SHA256 of the raw body, keyed by the secret hash) only when told to", () => {
    const signature = hmac(secretHash, body)
    expect(verifyWebhookSender({ "flutterwave-signature": signature }, secretHash, { rawBody: body })).toMatchObject({ ok: false })
    expect(verifyWebhookSender({ "flutterwave-signature": signature }, secretHash, { acceptSignature: true, rawBody: body })).toEqual({
      ok: true,
      by: "signature",
    })
    expect(
      verifyWebhookSender({ "flutterwave-signature": signature }, secretHash, { acceptSignature: true, rawBody: Buffer.from(body, "utf8") })
    ).toMatchObject({ ok: true })
    // Another body, another key, or garbage: refused.
    expect(verifyWebhookSender({ "flutterwave-signature": signature }, secretHash, { acceptSignature: true, rawBody: body + " " })).toMatchObject({ ok: false })
    expect(verifyWebhookSender({ "flutterwave-signature": hmac("other", body) }, secretHash, { acceptSignature: true, rawBody: body })).toMatchObject({ ok: false })
    expect(verifyWebhookSender({ "flutterwave-signature": "AAAA" }, secretHash, { acceptSignature: true, rawBody: body })).toMatchObject({ ok: false })
    // verif-hash still works with signatures on.
    expect(verifyWebhookSender({ "verif-hash": secretHash }, secretHash, { acceptSignature: true, rawBody: body })).toMatchObject({ ok: true, by: "verif-hash" })
  })
})
