import { CallbackError, parseCallback } from "../callback"
import { stringifyJson } from "../json"
import { MAX_SIGNABLE_DEPTH, signParams } from "../signature"

const SECRET = "callback-secret"
const PROJECT_ID = 258
const OPTIONS = { secretKey: SECRET, projectId: PROJECT_ID }

/** A Flutterwave sale callback as Gate sends it, unsigned. */
function unsignedCallback(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    project_id: PROJECT_ID,
    payment: { id: "order_1", type: "purchase", status: "success", sum: { amount: 150050, currency: "NGN" } },
    operation: {
      id: 5028800010128225,
      type: "sale",
      status: "success",
      sum_initial: { amount: 150050, currency: "NGN" },
    },
    errors: [],
    ...extra,
  }
}

function signed(body: Record<string, unknown>): Record<string, unknown> {
  return { ...body, signature: signParams(body, SECRET) }
}

/** Runs parseCallback and returns the CallbackError it throws; fails on anything else. */
function rejection(body: string | Buffer | object): CallbackError {
  try {
    parseCallback(body, OPTIONS)
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackError)
    return error as CallbackError
  }
  throw new Error("expected a CallbackError, but the callback was accepted")
}

/** `{"payment":` + n nested arrays + `}`: the top-level object plus n arrays is n + 1 levels. */
function nestedArrays(levels: number, inner = ""): string {
  return "[".repeat(levels) + inner + "]".repeat(levels)
}

describe("parseCallback", () => {
  it("accepts a signed callback and reads it", () => {
    const body = signed(unsignedCallback())
    const callback = parseCallback(JSON.stringify(body), OPTIONS)
    expect(callback.projectId).toBe(PROJECT_ID)
    expect(callback.payment).toMatchObject({ id: "order_1", status: "success", sum: { amount: 150050, currency: "NGN" } })
    expect(callback.operation).toMatchObject({ id: "5028800010128225", type: "sale", status: "success" })
  })

  it("rejects an unsigned callback and a wrongly signed one as signature", () => {
    expect(rejection(JSON.stringify(unsignedCallback())).reason).toBe("signature")
    expect(rejection(JSON.stringify({ ...unsignedCallback(), signature: "forged" })).reason).toBe("signature")
  })

  describe("a body of about 200 KB of nested arrays (review #18)", () => {
    const deep = nestedArrays(100_000)

    it("is malformed when unsigned, without overflowing the stack", () => {
      const text = `{"project_id":${PROJECT_ID},"payment":${deep}}`
      expect(text.length).toBeGreaterThan(200_000)
      const error = rejection(text)
      expect(error.reason).toBe("malformed")
      expect(error.message).toContain(String(MAX_SIGNABLE_DEPTH))
    })

    it("is malformed when it carries a signature", () => {
      const text = `{"project_id":${PROJECT_ID},"signature":"c2lnbmF0dXJl","payment":${deep}}`
      expect(rejection(text).reason).toBe("malformed")
      expect(rejection(Buffer.from(text, "utf8")).reason).toBe("malformed")
    })

    it("is malformed when the deep part sits under an excluded key (frame_mode)", () => {
      const text = `{"project_id":${PROJECT_ID},"signature":"c2lnbmF0dXJl","frame_mode":${deep}}`
      expect(rejection(text).reason).toBe("malformed")
    })

    it("is malformed on the lossless parser's path too (a number beyond 2^53 in the body)", () => {
      const text = `{"project_id":${PROJECT_ID},"id":90071992547409931,"signature":"c2lnbmF0dXJl","payment":${deep}}`
      expect(rejection(text).reason).toBe("malformed")
    })

    it("is malformed when handed over already parsed", () => {
      expect(rejection({ project_id: PROJECT_ID, signature: "x", payment: JSON.parse(deep) }).reason).toBe("malformed")
    })

    it("is malformed when nested objects, not arrays, make it deep", () => {
      const objects = '{"a":'.repeat(40_000) + "1" + "}".repeat(40_000)
      expect(rejection(`{"signature":"x","payment":${objects}}`).reason).toBe("malformed")
    })
  })

  it(`verifies a signed callback nested exactly ${MAX_SIGNABLE_DEPTH} levels deep and refuses one level more`, () => {
    // The top-level object is level 1, `extra` holds the rest.
    const deepest = JSON.parse(nestedArrays(MAX_SIGNABLE_DEPTH - 1, "1"))
    const body = signed(unsignedCallback({ extra: deepest }))
    expect(parseCallback(stringifyJson(body), OPTIONS).projectId).toBe(PROJECT_ID)

    const tooDeep = { ...unsignedCallback(), extra: JSON.parse(nestedArrays(MAX_SIGNABLE_DEPTH, "1")) }
    const error = rejection(JSON.stringify({ ...tooDeep, signature: "any" }))
    expect(error.reason).toBe("malformed")
  })

  it("turns a number JSON reads as Infinity into malformed, not a TypeError from the signer", () => {
    const text = `{"project_id":${PROJECT_ID},"signature":"c2lnbmF0dXJl","payment":{"amount":1e400}}`
    const error = rejection(text)
    expect(error.reason).toBe("malformed")
    expect(error.message).toContain("non-finite")
  })

  it("turns anything thrown while reading an already parsed body into malformed", () => {
    const hostile = { signature: "x" } as Record<string, unknown>
    Object.defineProperty(hostile, "payment", {
      enumerable: true,
      get() {
        throw new RangeError("boom")
      },
    })
    const error = rejection(hostile)
    expect(error.reason).toBe("malformed")
    expect(error.message).toContain("boom")
  })

  it.each<[string, string | Buffer]>([
    ["an empty body", ""],
    ["text that is not JSON", "not json"],
    ["a JSON array", "[1,2]"],
    ["a JSON string", '"x"'],
    ["an empty Buffer", Buffer.alloc(0)],
  ])("rejects %s as malformed", (_label, body) => {
    expect(rejection(body).reason).toBe("malformed")
  })
})
