import * as fc from "fast-check"
import {
  buildPaymentPageUrl,
  PAYMENT_PAGE_URL,
  paymentPageStringToSign,
  signPaymentPageParams,
  verifyPaymentPageQuery,
  type PaymentPageParams,
  type PaymentPageParamSet,
} from "../payment-page"

// The core module object itself, so the spy sees the calls signature.ts makes.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = require("node:crypto") as typeof import("node:crypto")

const SECRET = "secret"

/** [SDK] ITECOMMPAY/paymentpage-sdk-php tests/PaymentPageTest.php: `new Payment(100)` adds interface_type itself. */
const PHP_SDK_PARAMS: PaymentPageParamSet = {
  project_id: 100,
  interface_type: '{"id":23}',
  payment_id: "test payment id",
  payment_description: "B&W",
}
const PHP_SDK_SIGNATURE = "97JFQpAyJ4HPfGVedJh0M1MqQDOFt/MCbdh8VrsT7DdRyTBDAF2mvUOsDANx1ZPfbvZg0+VUbF43xJnq0jEeLA=="
/** The PHP SDK's expected URL, byte for byte (http_build_query: spaces as `+`). */
const PHP_SDK_URL =
  "https://paymentpage.ecommpay.com/payment?project_id=100&interface_type=%7B%22id%22%3A23%7D" +
  "&payment_id=test+payment+id&payment_description=B%26W&signature=97JFQpAyJ4HPfGVedJh0M1MqQDOFt%2FM" +
  "Cbdh8VrsT7DdRyTBDAF2mvUOsDANx1ZPfbvZg0%2BVUbF43xJnq0jEeLA%3D%3D"

/** [DOC] en_PP_Authentication: the configObj example, rebuilt from the string the page shows. */
const DOCS_PARAMS: PaymentPageParamSet = {
  project_id: 12345,
  payment_id: "X03936",
  payment_amount: 2035,
  payment_currency: "USD",
  payment_description: "Guyliner purchase",
  customer_id: "user007",
  customer_first_name: "Jack",
  customer_last_name: "Sparrow",
  customer_phone: "02081234567",
  close_on_missclick: true,
}
const DOCS_STRING =
  "close_on_missclick:1;customer_first_name:Jack;customer_id:user007;customer_last_name:Sparrow;" +
  "customer_phone:02081234567;payment_amount:2035;payment_currency:USD;payment_description:Guyliner purchase;" +
  "payment_id:X03936;project_id:12345"
const DOCS_SIGNATURE = "SyA3cx/dmFrwjRcpbnwEK9zaklWKR9buIfTctQob/EHUTutFLpI0zWpSDFEWEwbZt/04i83395RCdEhtUMw83A=="

/** The same page's second example (3550 USD, no customer_id); its value was computed, not read off the page. */
const DOCS_SECOND_STRING =
  "customer_first_name:Jack;customer_last_name:Sparrow;customer_phone:02081234567;payment_amount:3550;" +
  "payment_currency:USD;payment_description:Guyliner purchase;payment_id:X03936;project_id:12345"
const DOCS_SECOND_SIGNATURE = "e+kuzNpbptuGG4G7WxjuT8EFh90v2eMCh2EQ4y+hq5XX/aptGzhpi7a0uk/c7HdXj7M2o33WLrMNLEKD8yl3Kg=="

/** [RUN] our Flutterwave example, reproduced by ECommPay's JS SDK signer. */
const FLUTTERWAVE_PARAMS: PaymentPageParams = {
  project_id: 102,
  payment_id: "X03936",
  payment_amount: 100000,
  payment_currency: "NGN",
  customer_id: "customer1",
  payment_description: "test PP sale",
  force_payment_method: "flutterwave",
  customer_email: "buyer@example.com",
  language_code: "en",
  merchant_success_url: "https://shop.example.com/checkout/return?s=ok",
  merchant_fail_url: "https://shop.example.com/checkout/return?s=fail",
}
const FLUTTERWAVE_SIGNATURE = "TlRuX8Ch8dCYiNjjpZUcPnCGK96d7lEOhtruv779aqgiY27pEryuFvEJHbI7lVgaHaNrIDy/1nMB2uQcPe1RKg=="

function queryOf(url: string): URLSearchParams {
  return new URL(url).searchParams
}

function flutterwaveUrl(overrides: Partial<PaymentPageParams> = {}): string {
  return buildPaymentPageUrl({ secretKey: SECRET }, { ...FLUTTERWAVE_PARAMS, ...overrides }).url
}

describe("payment-page.md §1 published test vectors", () => {
  it("reproduces the PHP SDK's signature (interface_type {\"id\":23}, a space and an & in values)", () => {
    expect(signPaymentPageParams(PHP_SDK_PARAMS, SECRET)).toBe(PHP_SDK_SIGNATURE)
  })

  it("verifies the PHP SDK's expected URL verbatim, `+` for spaces included", () => {
    expect(verifyPaymentPageQuery(queryOf(PHP_SDK_URL), SECRET)).toBe(true)
  })

  it("builds the docs example's string to sign (close_on_missclick true → 1) and its signature", () => {
    expect(paymentPageStringToSign(DOCS_PARAMS)).toBe(DOCS_STRING)
    expect(signPaymentPageParams(DOCS_PARAMS, SECRET)).toBe(DOCS_SIGNATURE)
  })

  it("builds the docs' second example (3550 USD, no customer_id) and the signature the notes computed for it", () => {
    const { customer_id: _customerId, close_on_missclick: _closeOnMissclick, ...second } = DOCS_PARAMS
    const params = { ...second, payment_amount: 3550 }
    expect(paymentPageStringToSign(params)).toBe(DOCS_SECOND_STRING)
    expect(signPaymentPageParams(params, SECRET)).toBe(DOCS_SECOND_SIGNATURE)
  })

  it("reproduces our Flutterwave example's signature", () => {
    expect(signPaymentPageParams(FLUTTERWAVE_PARAMS, SECRET)).toBe(FLUTTERWAVE_SIGNATURE)
  })

  it("builds the Flutterwave example's URL as the JS SDK does (encodeURIComponent, signature last)", () => {
    expect(flutterwaveUrl()).toBe(
      "https://paymentpage.ecommpay.com/payment?project_id=102&payment_id=X03936&payment_amount=100000" +
        "&payment_currency=NGN&customer_id=customer1&payment_description=test%20PP%20sale" +
        "&force_payment_method=flutterwave&customer_email=buyer%40example.com&language_code=en" +
        "&merchant_success_url=https%3A%2F%2Fshop.example.com%2Fcheckout%2Freturn%3Fs%3Dok" +
        "&merchant_fail_url=https%3A%2F%2Fshop.example.com%2Fcheckout%2Freturn%3Fs%3Dfail" +
        "&signature=" +
        encodeURIComponent(FLUTTERWAVE_SIGNATURE)
    )
  })
})

describe("paymentPageStringToSign", () => {
  it("leaves frame_mode out, so the storefront may choose iframe or popup without re-signing", () => {
    const withFrameMode = { ...FLUTTERWAVE_PARAMS, frame_mode: "iframe" }
    expect(paymentPageStringToSign(withFrameMode)).toBe(paymentPageStringToSign(FLUTTERWAVE_PARAMS))
    expect(paymentPageStringToSign(withFrameMode)).not.toContain("frame_mode")
    expect(signPaymentPageParams(withFrameMode, SECRET)).toBe(FLUTTERWAVE_SIGNATURE)
  })

  it("leaves signature out", () => {
    expect(signPaymentPageParams({ ...FLUTTERWAVE_PARAMS, signature: "stale" }, SECRET)).toBe(FLUTTERWAVE_SIGNATURE)
  })

  it("writes null as an empty value and signs it", () => {
    expect(paymentPageStringToSign({ b: null, a: "x" })).toBe("a:x;b:")
    expect(signPaymentPageParams({ a: "x", b: null }, SECRET)).toBe(signPaymentPageParams({ a: "x", b: "" }, SECRET))
  })

  it("drops undefined values entirely", () => {
    expect(paymentPageStringToSign({ a: "x", b: undefined })).toBe("a:x")
    expect(signPaymentPageParams({ ...FLUTTERWAVE_PARAMS, customer_phone: undefined }, SECRET)).toBe(FLUTTERWAVE_SIGNATURE)
  })

  it("writes booleans as 1/0 and numbers in plain decimal", () => {
    expect(paymentPageStringToSign({ t: true, f: false, big: 1e21, small: 1e-7 })).toBe(
      "big:1000000000000000000000;f:0;small:0.0000001;t:1"
    )
  })

  it("sorts keys in byte order: upper case before `_` before lower case, a prefix first", () => {
    expect(paymentPageStringToSign({ ab: 1, a_b: 2, aB: 3, a: 4 })).toBe("a:4;aB:3;a_b:2;ab:1")
  })

  it("refuses a nested value, which no query string can carry", () => {
    const nested = { a: { b: 1 } } as unknown as PaymentPageParamSet
    expect(() => paymentPageStringToSign(nested)).toThrow(TypeError)
  })

  it("refuses to sign with an empty secret key", () => {
    expect(() => signPaymentPageParams(FLUTTERWAVE_PARAMS, "")).toThrow(TypeError)
  })
})

describe("buildPaymentPageUrl", () => {
  it("defaults to the production Payment Page and takes another base URL, trailing slash or not", () => {
    expect(PAYMENT_PAGE_URL).toBe("https://paymentpage.ecommpay.com")
    expect(flutterwaveUrl().startsWith(`${PAYMENT_PAGE_URL}/payment?`)).toBe(true)
    const local = buildPaymentPageUrl({ baseUrl: "http://127.0.0.1:8765/", secretKey: SECRET }, FLUTTERWAVE_PARAMS)
    expect(local.url.startsWith("http://127.0.0.1:8765/payment?project_id=102&")).toBe(true)
  })

  it("sends each value as it was signed: booleans as 1/0, null as empty, undefined not at all", () => {
    const query = queryOf(
      flutterwaveUrl({ close_on_missclick: true, redirect: false, customer_state: null, customer_phone: undefined })
    )
    expect(query.get("close_on_missclick")).toBe("1")
    expect(query.get("redirect")).toBe("0")
    expect(query.get("customer_state")).toBe("")
    expect(query.has("customer_phone")).toBe(false)
    expect(verifyPaymentPageQuery(query, SECRET)).toBe(true)
  })

  it("percent-encodes the signature, whose `+`, `/` and `=` would otherwise be mangled", () => {
    const url = flutterwaveUrl()
    expect(url.endsWith(`&signature=${encodeURIComponent(FLUTTERWAVE_SIGNATURE)}`)).toBe(true)
    expect(queryOf(url).get("signature")).toBe(FLUTTERWAVE_SIGNATURE)
  })

  it("gives the widget the signed parameters plus the signature, undefined left out and null as empty", () => {
    const { widgetParams } = buildPaymentPageUrl(
      { secretKey: SECRET },
      { ...FLUTTERWAVE_PARAMS, customer_phone: undefined, customer_state: null, close_on_missclick: true }
    )
    expect(widgetParams).toEqual({
      ...FLUTTERWAVE_PARAMS,
      customer_state: "",
      close_on_missclick: true,
      signature: signPaymentPageParams({ ...FLUTTERWAVE_PARAMS, customer_state: null, close_on_missclick: true }, SECRET),
    })
    expect("customer_phone" in widgetParams).toBe(false)
    // The storefront's frame_mode does not disturb the signature.
    expect(signPaymentPageParams({ ...widgetParams, frame_mode: "popup" }, SECRET)).toBe(widgetParams.signature)
  })

  it("replaces a stale signature in the parameters instead of sending two", () => {
    const url = buildPaymentPageUrl({ secretKey: SECRET }, { ...FLUTTERWAVE_PARAMS, signature: "stale" }).url
    expect(queryOf(url).getAll("signature")).toEqual([FLUTTERWAVE_SIGNATURE])
  })

  it.each([
    ["a major-unit amount", { payment_amount: 1000.5 }],
    ["a zero amount", { payment_amount: 0 }],
    ["a negative amount", { payment_amount: -100 }],
    ["a non-integer project id", { project_id: 1.5 }],
  ])("refuses %s", (_name, overrides) => {
    expect(() => flutterwaveUrl(overrides)).toThrow(RangeError)
  })
})

describe("verifyPaymentPageQuery", () => {
  it("accepts the URL it was built from, as URLSearchParams or as a record", () => {
    const query = queryOf(flutterwaveUrl())
    expect(verifyPaymentPageQuery(query, SECRET)).toBe(true)
    expect(verifyPaymentPageQuery(Object.fromEntries(query), SECRET)).toBe(true)
  })

  it("accepts a frame_mode the storefront added after signing", () => {
    expect(verifyPaymentPageQuery(queryOf(`${flutterwaveUrl()}&frame_mode=iframe`), SECRET)).toBe(true)
  })

  it.each(Object.keys(FLUTTERWAVE_PARAMS))("rejects the URL once %s is tampered with", (key) => {
    const query = queryOf(flutterwaveUrl())
    query.set(key, `${query.get(key)}0`)
    expect(verifyPaymentPageQuery(query, SECRET)).toBe(false)
  })

  it("rejects the URL once a parameter is added or removed", () => {
    const added = queryOf(flutterwaveUrl())
    added.set("customer_phone", "2348012345678")
    expect(verifyPaymentPageQuery(added, SECRET)).toBe(false)
    const removed = queryOf(flutterwaveUrl())
    removed.delete("language_code")
    expect(verifyPaymentPageQuery(removed, SECRET)).toBe(false)
  })

  it("rejects a __proto__ parameter slipped into a signed URL (it is signed like any key)", () => {
    expect(verifyPaymentPageQuery(queryOf(`${flutterwaveUrl()}&__proto__=x`), SECRET)).toBe(false)
  })

  it("does not depend on the order of the parameters in the query", () => {
    const entries = [...queryOf(flutterwaveUrl())].reverse()
    expect(verifyPaymentPageQuery(new URLSearchParams(entries), SECRET)).toBe(true)
  })

  it("accepts spaces encoded as `+` (PHP's http_build_query) as well as `%20` (encodeURIComponent)", () => {
    const url = flutterwaveUrl({ payment_description: "two words and more" })
    expect(url).toContain("two%20words%20and%20more")
    expect(verifyPaymentPageQuery(queryOf(url.replace(/%20/g, "+")), SECRET)).toBe(true)
  })

  it("rejects a signature sent unencoded, whose `+` reads back as a space", () => {
    const raw = PHP_SDK_URL.replace(/signature=.*$/, `signature=${PHP_SDK_SIGNATURE}`)
    expect(PHP_SDK_SIGNATURE).toContain("+")
    expect(verifyPaymentPageQuery(queryOf(raw), SECRET)).toBe(false)
  })

  it.each([
    ["no signature", (url: string) => url.replace(/&signature=.*$/, "")],
    ["an empty signature", (url: string) => url.replace(/signature=.*$/, "signature=")],
    ["a second signature", (url: string) => `${url}&signature=${encodeURIComponent(FLUTTERWAVE_SIGNATURE)}`],
    ["a repeated parameter", (url: string) => `${url}&payment_amount=100000`],
  ])("rejects a URL with %s", (_name, change) => {
    expect(verifyPaymentPageQuery(queryOf(change(flutterwaveUrl())), SECRET)).toBe(false)
  })

  it("rejects another project's secret and an empty secret", () => {
    const query = queryOf(flutterwaveUrl())
    expect(verifyPaymentPageQuery(query, "another secret")).toBe(false)
    expect(verifyPaymentPageQuery(query, "")).toBe(false)
  })

  it("compares through crypto.timingSafeEqual even when the forged signature has the wrong length", () => {
    const spy = jest.spyOn(crypto, "timingSafeEqual")
    try {
      const query = queryOf(flutterwaveUrl())
      query.set("signature", "short")
      expect(verifyPaymentPageQuery(query, SECRET)).toBe(false)
      expect(spy).toHaveBeenCalledTimes(1)
      const [a, b] = spy.mock.calls[0] as [Buffer, Buffer]
      expect(a.length).toBe(b.length)
    } finally {
      spy.mockRestore()
    }
  })
})

/** Flat parameter sets as a merchant could send them: snake_case keys, every scalar kind, any text. */
const flatParams = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/),
  fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 12 }),
    fc.string({ maxLength: 12 }),
    fc.maxSafeInteger(),
    fc.boolean(),
    fc.constant(null)
  ),
  { maxKeys: 12 }
)

describe("round trip", () => {
  it("verifies every URL it builds, whatever the values", () => {
    fc.assert(
      fc.property(flatParams, (extra) => {
        const { url } = buildPaymentPageUrl({ secretKey: SECRET }, { ...extra, ...FLUTTERWAVE_PARAMS })
        return verifyPaymentPageQuery(queryOf(url), SECRET)
      })
    )
  })
})

/**
 * ECommPay's own JS SDK (npm `ecommpay`, installed for the benchmark) as an oracle. Its converter differs from the
 * recipe only where our parameters never go: it signs a `signature` key, writes numbers with String() (1e21), sorts
 * UTF-16 code units and lists integer-like keys first; the generator stays clear of those.
 */
type EcommpaySdk = { signer: (params: Record<string, unknown>, secretKey: string) => string }
const ecommpaySdk = ((): EcommpaySdk | undefined => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("ecommpay") as EcommpaySdk
  } catch {
    return undefined
  }
})()
const describeWithSdk = ecommpaySdk ? describe : describe.skip

describeWithSdk("cross-check with ECommPay's JS SDK signer", () => {
  it("reproduces our Flutterwave example with the SDK", () => {
    expect(ecommpaySdk!.signer(FLUTTERWAVE_PARAMS, SECRET)).toBe(FLUTTERWAVE_SIGNATURE)
  })

  it("signs random flat parameter sets exactly as the SDK does, frame_mode included", () => {
    const params = fc.tuple(flatParams, fc.option(fc.constantFrom("iframe", "popup"), { nil: undefined }))
    fc.assert(
      fc.property(params, ([set, frameMode]) => {
        const { signature: _ignored, ...signable } = set
        const withFrameMode = frameMode === undefined ? signable : { ...signable, frame_mode: frameMode }
        expect(signPaymentPageParams(withFrameMode, SECRET)).toBe(ecommpaySdk!.signer(withFrameMode, SECRET))
      }),
      { numRuns: 500 }
    )
  })
})
