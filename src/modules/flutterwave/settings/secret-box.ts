import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto"

/** The environment variable holding the key the admin-entered secret is encrypted under. */
export const SETTINGS_KEY_VARIABLE = "FLUTTERWAVE_SETTINGS_KEY"

/** Shorter keys are refused: `openssl rand -base64 32` gives 44 characters. */
const MIN_KEY_LENGTH = 32
const FORMAT = "v1"
/**
 * Binds a ciphertext to the one place it belongs: a value copied into another column (or another plugin using the
 * same key) fails authentication instead of decrypting.
 */
const ASSOCIATED_DATA = Buffer.from("medusa-payment-flutterwave:fw_settings.secret_key:v1")

export class SecretBoxError extends Error {
  override name = "SecretBoxError"
}

/**
 * AES-256-GCM for the one secret the admin may type (the ECommPay secret key), as Medusa's own MFA secrets are kept:
 * key = SHA-256 of the environment's key, a fresh 12-byte IV per encryption, the 16-byte tag checked on the way out.
 * Stored as `v1:<iv>:<tag>:<ciphertext>` (base64url), so a later format can sit beside it.
 */
export class SecretBox {
  private readonly key: Buffer

  private constructor(key: Buffer) {
    this.key = key
  }

  /**
   * The box for the environment's key, or why there is none (the settings page shows that reason and keeps the secret
   * field read-only). Read when needed, not at start-up: a key added later works without a code change.
   */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): SecretBox | { unavailable: string } {
    const raw = env[SETTINGS_KEY_VARIABLE]
    if (raw === undefined || raw === "") {
      return { unavailable: `${SETTINGS_KEY_VARIABLE} is not set on the server, so a secret typed here could not be stored encrypted` }
    }
    if (raw.length < MIN_KEY_LENGTH) {
      return { unavailable: `${SETTINGS_KEY_VARIABLE} is shorter than ${MIN_KEY_LENGTH} characters; generate one with \`openssl rand -base64 32\`` }
    }
    return new SecretBox(createHash("sha256").update(raw, "utf8").digest())
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv("aes-256-gcm", this.key, iv)
    cipher.setAAD(ASSOCIATED_DATA)
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
    return [FORMAT, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(":")
  }

  /** The plaintext, or a SecretBoxError that never contains it (wrong key, tampered value, unknown format). */
  open(sealed: string): string {
    const [format, iv, tag, body, ...rest] = sealed.split(":")
    if (format !== FORMAT || !iv || !tag || body === undefined || rest.length > 0) {
      throw new SecretBoxError("the stored secret is not in a format this version can read")
    }
    const ivBytes = Buffer.from(iv, "base64url")
    const tagBytes = Buffer.from(tag, "base64url")
    // A short tag would let a forger try far fewer values: only the full 16-byte tag (and a 12-byte IV) is accepted.
    if (ivBytes.length !== 12 || tagBytes.length !== 16) {
      throw new SecretBoxError("the stored secret is damaged (its IV or tag has the wrong length)")
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, ivBytes, { authTagLength: 16 })
      decipher.setAAD(ASSOCIATED_DATA)
      decipher.setAuthTag(tagBytes)
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8")
    } catch {
      throw new SecretBoxError(`the stored secret cannot be decrypted: ${SETTINGS_KEY_VARIABLE} is not the key it was saved under`)
    }
  }
}
