import { randomBytes } from "node:crypto"

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/**
 * An id in Medusa's shape (`<prefix>_<ULID>`: 10 characters of milliseconds, then 16 random ones, Crockford base32),
 * for rows written on the callback intake's path. Medusa's generateEntityId draws its 80 random bits one crypto call
 * per character; this draws them in one call, which on a storm of re-delivered callbacks is a measurable share of the
 * route's time (see BENCHMARKS.md).
 */
export function newEntityId(prefix: string, now: number = Date.now()): string {
  let time = ""
  for (let i = 0, rest = now; i < 10; i++, rest = Math.floor(rest / 32)) time = CROCKFORD[rest % 32] + time
  const bytes = randomBytes(10)
  let random = ""
  // 80 bits as 16 groups of 5, most significant first.
  for (let bit = 0; bit < 80; bit += 5) {
    const byte = bit >> 3
    const offset = bit & 7
    const pair = ((bytes[byte] << 8) | (bytes[byte + 1] ?? 0)) >> (11 - offset)
    random += CROCKFORD[pair & 31]
  }
  return `${prefix}_${time}${random}`
}
