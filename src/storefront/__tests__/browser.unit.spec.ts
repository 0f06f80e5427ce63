import {
  ECOMMPAY_MERCHANT_CSS_URL,
  ECOMMPAY_MERCHANT_JS_URL,
  FlutterwavePaymentError,
  goToFlutterwave,
  openFlutterwaveWidget,
  type FlutterwaveErrorCode,
  type FlutterwaveFormLike,
  type FlutterwaveInputLike,
  type FlutterwaveRedirect,
  type FlutterwaveWindowLike,
} from "../index"

type FakeElement = { tag: string; children: FakeElement[]; submitted: boolean; method: string; action: string; type: string; name: string; value: string }

/** The smallest browser the helpers need: it records navigation, the elements made, and form submissions. */
function fakeWindow() {
  const assigned: string[] = []
  const body: FakeElement[] = []
  const ids = new Set<string>(["pay-here"])
  const runs: Array<{ config: Record<string, unknown>; method?: string }> = []
  const element = (tag: string): FakeElement => {
    const el: FakeElement = { tag, children: [], submitted: false, method: "", action: "", type: "", name: "", value: "" }
    return el
  }
  const asForm = (el: FakeElement): FlutterwaveFormLike => ({
    get method() {
      return el.method
    },
    set method(v: string) {
      el.method = v
    },
    get action() {
      return el.action
    },
    set action(v: string) {
      el.action = v
    },
    appendChild: (node: object) => el.children.push((node as { el: FakeElement }).el),
    submit: () => {
      if (!body.includes(el)) throw new Error("a form outside the document cannot be submitted")
      el.submitted = true
    },
    el,
  } as FlutterwaveFormLike & { el: FakeElement })
  const asInput = (el: FakeElement): FlutterwaveInputLike =>
    ({
      set type(v: string) {
        el.type = v
      },
      set name(v: string) {
        el.name = v
      },
      set value(v: string) {
        el.value = v
      },
      el,
    }) as unknown as FlutterwaveInputLike
  function createElement(tagName: "form"): FlutterwaveFormLike
  function createElement(tagName: "input"): FlutterwaveInputLike
  function createElement(tagName: "form" | "input"): FlutterwaveFormLike | FlutterwaveInputLike {
    return tagName === "form" ? asForm(element("form")) : asInput(element("input"))
  }
  const win: FlutterwaveWindowLike = {
    location: { assign: (url: string) => void assigned.push(url) },
    document: {
      createElement,
      getElementById: (id: string) => (ids.has(id) ? { id } : null),
      body: { appendChild: (node: object) => body.push((node as { el: FakeElement }).el) },
    },
  }
  const withWidget = (): FlutterwaveWindowLike => ({ ...win, EPayWidget: { run: (config, method) => void runs.push({ config, method }) } })
  return { win, withWidget, assigned, body, runs }
}

function codeOf(action: () => unknown): FlutterwaveErrorCode {
  try {
    action()
  } catch (error) {
    expect(error).toBeInstanceOf(FlutterwavePaymentError)
    return (error as FlutterwavePaymentError).code
  }
  throw new Error("expected a FlutterwavePaymentError, but nothing was thrown")
}

describe("goToFlutterwave", () => {
  it("follows a GET redirect with location.assign, adding its fields to the query", () => {
    const { win, assigned, body } = fakeWindow()
    goToFlutterwave({ method: "GET", url: "https://paymentpage.ecommpay.com/payment?payment_id=p1&signature=a%2Bb", body: {} }, { window: win })
    goToFlutterwave({ method: "GET", url: "https://flutterwave.example/pay?ref=1", body: { ref: "ignored", step: "2" } }, { window: win })
    expect(assigned).toEqual(["https://paymentpage.ecommpay.com/payment?payment_id=p1&signature=a%2Bb", "https://flutterwave.example/pay?ref=1&step=2"])
    expect(body).toEqual([])
  })

  it("submits a POST redirect as a hidden form in the document", () => {
    const { win, assigned, body } = fakeWindow()
    goToFlutterwave({ method: "POST", url: "https://bank.example/3ds", body: { PaReq: "eJx=", MD: "42" } }, { window: win })
    expect(assigned).toEqual([])
    expect(body).toHaveLength(1)
    const [form] = body
    expect(form).toMatchObject({ tag: "form", method: "POST", action: "https://bank.example/3ds", submitted: true })
    expect(form.children.map(({ tag, type, name, value }) => ({ tag, type, name, value }))).toEqual([
      { tag: "input", type: "hidden", name: "PaReq", value: "eJx=" },
      { tag: "input", type: "hidden", name: "MD", value: "42" },
    ])
  })

  it("refuses anything but an http(s) GET or POST, and runs only where there is a window", () => {
    const { win, assigned } = fakeWindow()
    expect(codeOf(() => goToFlutterwave({ method: "GET", url: "javascript:alert(1)", body: {} }, { window: win }))).toBe("invalid_redirect")
    expect(codeOf(() => goToFlutterwave({ method: "PUT", url: "https://x.example", body: {} } as unknown as FlutterwaveRedirect, { window: win }))).toBe(
      "invalid_redirect"
    )
    expect(assigned).toEqual([])
    expect(codeOf(() => goToFlutterwave({ method: "GET", url: "https://x.example", body: {} }))).toBe("no_window")
  })
})

describe("openFlutterwaveWidget", () => {
  const params = { project_id: 102, payment_id: "payses_1", payment_amount: 150050, target_element: "pay-here", signature: "c2ln" }

  it("runs EPayWidget with the signed parameters, the chosen frame_mode and POST", () => {
    const { withWidget, runs } = fakeWindow()
    openFlutterwaveWidget(params, { frameMode: "popup", targetElement: "pay-here", window: withWidget() })
    expect(runs).toEqual([{ config: { ...params, frame_mode: "popup" }, method: "POST" }])
  })

  it("names merchant.css and merchant.js when the widget script is not loaded", () => {
    const { win } = fakeWindow()
    let message = ""
    try {
      openFlutterwaveWidget(params, { window: win })
    } catch (error) {
      expect((error as FlutterwavePaymentError).code).toBe("widget_not_loaded")
      message = (error as Error).message
    }
    expect(message).toContain("https://paymentpage.ecommpay.com/shared/merchant.css")
    expect(message).toContain("https://paymentpage.ecommpay.com/shared/merchant.js")
    expect([ECOMMPAY_MERCHANT_CSS_URL, ECOMMPAY_MERCHANT_JS_URL]).toEqual([
      "https://paymentpage.ecommpay.com/shared/merchant.css",
      "https://paymentpage.ecommpay.com/shared/merchant.js",
    ])
  })

  it("refuses parameters it would break or cannot use: no signature, another target element, a missing element", () => {
    const { withWidget, runs } = fakeWindow()
    const window = withWidget()
    expect(codeOf(() => openFlutterwaveWidget(undefined, { window }))).toBe("invalid_widget_params")
    expect(codeOf(() => openFlutterwaveWidget({ payment_id: "p" }, { window }))).toBe("invalid_widget_params")
    expect(codeOf(() => openFlutterwaveWidget(params, { targetElement: "elsewhere", window }))).toBe("invalid_widget_params")
    expect(codeOf(() => openFlutterwaveWidget({ ...params, target_element: "gone" }, { targetElement: "gone", window }))).toBe("invalid_widget_params")
    expect(runs).toEqual([])
  })
})
