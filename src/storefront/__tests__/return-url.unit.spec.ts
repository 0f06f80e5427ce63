import { PROVIDER_ID_PREFIX } from "../../providers/flutterwave/provider-id"
import { FLUTTERWAVE_PROVIDER_ID, FLUTTERWAVE_PROVIDER_PREFIX, isFlutterwave, readFlutterwaveReturn } from "../index"

describe("readFlutterwaveReturn", () => {
  it("reads the session and the result the plugin puts on the return URL", () => {
    // As the provider builds it: searchParams.set on the configured returnUrl.
    const back = new URL("https://shop.example/ng/checkout/flutterwave?step=review")
    back.searchParams.set("payment_session_id", "payses_01JD")
    back.searchParams.set("flutterwave_result", "success")

    expect(readFlutterwaveReturn(back.toString())).toEqual({ sessionId: "payses_01JD", result: "success" })
    expect(readFlutterwaveReturn(back)).toEqual({ sessionId: "payses_01JD", result: "success" })
    expect(readFlutterwaveReturn("/ng/checkout/flutterwave?payment_session_id=payses_2&flutterwave_result=return")).toEqual({ sessionId: "payses_2", result: "return" })
    expect(readFlutterwaveReturn("?payment_session_id=payses_3&flutterwave_result=decline")).toEqual({ sessionId: "payses_3", result: "decline" })
    expect(readFlutterwaveReturn(new URLSearchParams({ payment_session_id: "payses_4" }))).toEqual({ sessionId: "payses_4" })
  })

  it("leaves out a result it does not know", () => {
    expect(readFlutterwaveReturn("https://shop.example/r?payment_session_id=payses_1&flutterwave_result=maybe")).toEqual({ sessionId: "payses_1" })
  })

  it("answers null for a page not reached back from Flutterwave", () => {
    expect(readFlutterwaveReturn("https://shop.example/ng/checkout")).toBeNull()
    expect(readFlutterwaveReturn("https://shop.example/r?payment_session_id=")).toBeNull()
    expect(readFlutterwaveReturn("https://shop.example/r?payment_session_id=..%2Fadmin")).toBeNull()
    expect(readFlutterwaveReturn("http://[bad")).toBeNull()
  })
})

describe("isFlutterwave", () => {
  it("matches this plugin's provider ids, like the starter's isStripe / isManual", () => {
    expect(isFlutterwave(FLUTTERWAVE_PROVIDER_ID)).toBe(true)
    expect(isFlutterwave("pp_flutterwave_ng")).toBe(true)
    expect(isFlutterwave("pp_stripe_stripe")).toBe(false)
    expect(isFlutterwave("pp_system_default")).toBe(false)
    expect(isFlutterwave("flutterwave")).toBe(false)
    expect(isFlutterwave(undefined)).toBe(false)
    expect(isFlutterwave(null)).toBe(false)
  })

  it("uses the same prefix as the server's provider registration", () => {
    expect(FLUTTERWAVE_PROVIDER_PREFIX).toBe(PROVIDER_ID_PREFIX)
    expect(FLUTTERWAVE_PROVIDER_ID).toBe(`${PROVIDER_ID_PREFIX}flutterwave`)
  })
})
