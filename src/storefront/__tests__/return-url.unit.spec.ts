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

  it("reads Flutterwave's own status (a merchant's own Flutterwave account) as the same hint, over ours", () => {
    // The provider's return URL, then what Flutterwave's hosted page appends to it.
    const back = new URL("https://shop.example/checkout/flutterwave?payment_session_id=payses_9&flutterwave_result=return")
    back.searchParams.set("status", "successful")
    back.searchParams.set("tx_ref", "payses_9")
    back.searchParams.set("transaction_id", "4510021")
    expect(readFlutterwaveReturn(back)).toEqual({ sessionId: "payses_9", result: "success" })
    back.searchParams.set("status", "failed")
    expect(readFlutterwaveReturn(back)).toEqual({ sessionId: "payses_9", result: "decline" })
    back.searchParams.set("status", "cancelled")
    expect(readFlutterwaveReturn(back)).toEqual({ sessionId: "payses_9", result: "return" })
    // A status without Flutterwave's tx_ref is not Flutterwave's: our own parameter decides.
    expect(readFlutterwaveReturn("/r?payment_session_id=payses_8&flutterwave_result=return&status=successful")).toEqual({ sessionId: "payses_8", result: "return" })
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
