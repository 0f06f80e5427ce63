import { JsonSyntaxError, parseJsonLossless, stringifyJson } from "../json"

describe("parseJsonLossless", () => {
  it("keeps Gate's 16-digit operation ids as numbers (they are below 2^53)", () => {
    expect(parseJsonLossless('{"operation":{"id":5028800010128225}}')).toEqual({ operation: { id: 5028800010128225 } })
  })

  it("keeps integers beyond 2^53 exact, as bigint", () => {
    const parsed = parseJsonLossless('{"id":90071992547409931,"list":[9007199254740993,1],"n":-12345678901234567890}') as any
    expect(parsed.id).toBe(BigInt("90071992547409931"))
    expect(parsed.list).toEqual([BigInt("9007199254740993"), 1])
    expect(parsed.n).toBe(BigInt("-12345678901234567890"))
  })

  it("parses the same as JSON.parse otherwise, including digits inside strings, floats and unicode", () => {
    const text = '{"a":"90071992547409931","b":1.5,"c":[true,false,null],"d":{"e":"Оплата \\u00e9"},"f":12345678901234567.5}'
    const lossy = JSON.parse(text)
    expect(parseJsonLossless(text)).toEqual(lossy)
    const forcedSlow = `{"big":90071992547409931,${text.slice(1)}`
    expect(parseJsonLossless(forcedSlow)).toEqual({ big: BigInt("90071992547409931"), ...lossy })
  })

  it("keeps a __proto__ key as data, as JSON.parse does", () => {
    const parsed = parseJsonLossless('{"__proto__":{"polluted":1},"id":90071992547409931}') as any
    expect(Object.keys(parsed)).toEqual(["__proto__", "id"])
    expect(({} as any).polluted).toBeUndefined()
  })

  it.each(['{"a":', '{"a":1} x', "[1,2", '{"a":90071992547409931,}', ""])("rejects malformed JSON %p", (text) => {
    expect(() => parseJsonLossless(text)).toThrow(JsonSyntaxError)
  })

  it("round-trips through stringifyJson", () => {
    const text = '{"id":90071992547409931,"s":"__bigint_x_0__","n":[1,2]}'
    expect(stringifyJson(parseJsonLossless(text))).toBe(text)
  })
})
