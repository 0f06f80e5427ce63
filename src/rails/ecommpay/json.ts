/**
 * Gate bodies are parsed without losing integers: operation ids already have 16 digits, and a larger one would be
 * rounded by JSON.parse, so its signature would no longer verify. Integers beyond 2^53 come back as bigint;
 * everything else is what JSON.parse gives. Node 20 has no source-text reviver, hence this small parser, which only
 * runs when the text holds a run of 16 or more digits.
 */

export type JsonValue = string | number | bigint | boolean | null | JsonValue[] | { [key: string]: JsonValue }

export class JsonSyntaxError extends SyntaxError {
  constructor(message: string) {
    super(message)
    this.name = "JsonSyntaxError"
  }
}

/** A number literal of 16 digits or more, where JSON puts values (after `:`, `[` or `,`). */
const LONG_NUMBER = /[:[,]\s*(-?\d{16,})(?![.\deE])/g

/**
 * Whether JSON.parse could round a number in this text. Gate's 16-digit operation ids are still below 2^53, so the
 * fast parser serves them; only a larger integer (or a false positive inside a string) takes the slow path.
 */
function mayHoldUnsafeInteger(text: string): boolean {
  LONG_NUMBER.lastIndex = 0
  for (let match = LONG_NUMBER.exec(text); match; match = LONG_NUMBER.exec(text)) {
    if (!Number.isSafeInteger(Number(match[1]))) return true
  }
  return false
}

export function parseJsonLossless(text: string): JsonValue {
  if (!mayHoldUnsafeInteger(text)) {
    try {
      return JSON.parse(text) as JsonValue
    } catch (error) {
      throw new JsonSyntaxError((error as Error).message)
    }
  }
  const parser = new LosslessParser(text)
  const value = parser.parseDocument()
  return value
}

class LosslessParser {
  private pos = 0
  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    this.skipWhitespace()
    const value = this.parseValue(0)
    this.skipWhitespace()
    if (this.pos !== this.text.length) this.fail("unexpected data after the JSON value")
    return value
  }

  private parseValue(depth: number): JsonValue {
    if (depth > 256) this.fail("nesting too deep")
    const c = this.text[this.pos]
    if (c === "{") return this.parseObject(depth)
    if (c === "[") return this.parseArray(depth)
    if (c === '"') return this.parseString()
    if (c === "-" || (c >= "0" && c <= "9")) return this.parseNumber()
    if (this.text.startsWith("true", this.pos)) return this.advance(4, true)
    if (this.text.startsWith("false", this.pos)) return this.advance(5, false)
    if (this.text.startsWith("null", this.pos)) return this.advance(4, null)
    return this.fail("unexpected character")
  }

  private parseObject(depth: number): JsonValue {
    const result: Record<string, JsonValue> = {}
    this.pos++
    this.skipWhitespace()
    if (this.text[this.pos] === "}") {
      this.pos++
      return result
    }
    for (;;) {
      this.skipWhitespace()
      if (this.text[this.pos] !== '"') this.fail("expected a key")
      const key = this.parseString()
      this.skipWhitespace()
      if (this.text[this.pos] !== ":") this.fail("expected ':'")
      this.pos++
      this.skipWhitespace()
      const value = this.parseValue(depth + 1)
      // defineProperty, not assignment: a "__proto__" key must stay data, as it does with JSON.parse.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true })
      this.skipWhitespace()
      const next = this.text[this.pos++]
      if (next === "}") return result
      if (next !== ",") this.fail("expected ',' or '}'")
    }
  }

  private parseArray(depth: number): JsonValue {
    const result: JsonValue[] = []
    this.pos++
    this.skipWhitespace()
    if (this.text[this.pos] === "]") {
      this.pos++
      return result
    }
    for (;;) {
      this.skipWhitespace()
      result.push(this.parseValue(depth + 1))
      this.skipWhitespace()
      const next = this.text[this.pos++]
      if (next === "]") return result
      if (next !== ",") this.fail("expected ',' or ']'")
    }
  }

  private parseString(): string {
    const start = this.pos
    this.pos++
    for (;;) {
      const c = this.text[this.pos]
      if (c === undefined) this.fail("unterminated string")
      if (c === "\\") {
        this.pos += 2
        continue
      }
      this.pos++
      if (c === '"') break
    }
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string
    } catch {
      return this.fail("invalid string")
    }
  }

  private parseNumber(): number | bigint {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400))
    if (!match) this.fail("invalid number")
    const literal = match![0]
    this.pos += literal.length
    const value = Number(literal)
    if (match![2] === undefined && match![3] === undefined && !Number.isSafeInteger(value)) {
      return BigInt(literal)
    }
    return value
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos)
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return
      this.pos++
    }
  }

  private advance<T>(length: number, value: T): T {
    this.pos += length
    return value
  }

  private fail(reason: string): never {
    throw new JsonSyntaxError(`Invalid JSON at position ${this.pos}: ${reason}`)
  }
}

/** JSON.stringify that writes bigint values as plain integers (the inverse of parseJsonLossless). */
export function stringifyJson(value: unknown): string {
  const marks: string[] = []
  // A per-call nonce keeps a string that merely looks like a marker from being rewritten.
  const nonce = Math.random().toString(36).slice(2, 10)
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") {
      marks.push(v.toString())
      return `__bigint_${nonce}_${marks.length - 1}__`
    }
    return v
  })
  if (marks.length === 0) return text
  const pattern = new RegExp(`"__bigint_${nonce}_(\\d+)__"`, "g")
  return text.replace(pattern, (_m, i: string) => marks[Number(i)])
}
