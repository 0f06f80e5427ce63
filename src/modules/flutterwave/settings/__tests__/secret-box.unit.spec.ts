import { SecretBox, SecretBoxError } from "../secret-box"

const KEY = "unit-test-settings-key-0123456789abcdef0123"
const SECRET = "ecommpay-secret-0f9e8d7c6b5a"

function box(key = KEY): SecretBox {
  const made = SecretBox.fromEnvironment({ FLUTTERWAVE_SETTINGS_KEY: key })
  if (!(made instanceof SecretBox)) throw new Error(made.unavailable)
  return made
}

describe("SecretBox (AES-256-GCM for the admin-entered secret)", () => {
  it("seals to a versioned v1:iv:tag:ciphertext that never contains the secret, with a fresh IV each time", () => {
    const first = box().seal(SECRET)
    const second = box().seal(SECRET)
    expect(first).toMatch(/^v1:[\w-]{16}:[\w-]{22}:[\w-]+$/)
    expect(first).not.toContain(SECRET)
    expect(first).not.toBe(second)
    expect(box().open(first)).toBe(SECRET)
    expect(box().open(second)).toBe(SECRET)
  })

  it("refuses a tampered ciphertext, tag or IV without saying anything about the secret", () => {
    const sealed = box().seal(SECRET)
    const [v, iv, tag, body] = sealed.split(":")
    const flip = (text: string) => (text[0] === "A" ? "B" : "A") + text.slice(1)
    for (const tampered of [
      [v, iv, tag, flip(body)].join(":"),
      [v, iv, flip(tag), body].join(":"),
      [v, flip(iv), tag, body].join(":"),
    ]) {
      expect(() => box().open(tampered)).toThrow(SecretBoxError)
    }
    expect(() => box().open(["v2", iv, tag, body].join(":"))).toThrow("not in a format this version can read")
    // A truncated tag (Node would accept 4 bytes) is refused: only the full 16-byte tag authenticates.
    const shortTag = Buffer.from(tag, "base64url").subarray(0, 4).toString("base64url")
    expect(() => box().open([v, iv, shortTag, body].join(":"))).toThrow("the stored secret is damaged (its IV or tag has the wrong length)")
    expect(() => box().open("plain text")).toThrow(SecretBoxError)
  })

  it("cannot open what another key sealed", () => {
    const sealed = box().seal(SECRET)
    let message = ""
    try {
      box("another-unit-test-key-0123456789abcdef0123").open(sealed)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toBe("the stored secret cannot be decrypted: FLUTTERWAVE_SETTINGS_KEY is not the key it was saved under")
    expect(message).not.toContain(SECRET)
  })

  it("says why there is no box when the key is missing or too short", () => {
    expect(SecretBox.fromEnvironment({})).toEqual({
      unavailable: "FLUTTERWAVE_SETTINGS_KEY is not set on the server, so a secret typed here could not be stored encrypted",
    })
    expect(SecretBox.fromEnvironment({ FLUTTERWAVE_SETTINGS_KEY: "short" })).toEqual({
      unavailable: "FLUTTERWAVE_SETTINGS_KEY is shorter than 32 characters; generate one with `openssl rand -base64 32`",
    })
  })
})
