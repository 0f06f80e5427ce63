import {
  buildPaymentPageUrl,
  GateClient,
  isGateNotFound,
  parseCallback,
  signPaymentPageParams,
  type PaymentPageParams,
  type PaymentPageParamSet,
} from "../../rails/ecommpay"
import { GateSandbox } from "../server"
import { CallbackReceiver } from "./callback-receiver"
import { resetSandboxUnderTest, startSandboxUnderTest, stopSandboxUnderTest } from "./sandbox-under-test"

const PROJECT_ID = 259
const SECRET = "payment-page-test-secret"
const SUCCESS_URL = "http://shop.test/checkout/return?s=ok"
const FAIL_URL = "http://shop.test/checkout/return?s=fail"

let sandbox: GateSandbox
let receiver: CallbackReceiver
let client: GateClient
let counter = 0

function pageParams(overrides: Partial<PaymentPageParams> = {}): PaymentPageParams {
  return {
    project_id: PROJECT_ID,
    payment_id: `pp_order_${++counter}`,
    payment_amount: 150050,
    payment_currency: "NGN",
    customer_id: "cus_1",
    payment_description: "Order #1",
    customer_email: "ada@example.ng",
    force_payment_method: "flutterwave",
    language_code: "en",
    merchant_success_url: SUCCESS_URL,
    merchant_fail_url: FAIL_URL,
    ...overrides,
  }
}

function pageUrl(params: PaymentPageParams, secretKey = SECRET): string {
  return buildPaymentPageUrl({ baseUrl: sandbox.url, secretKey }, params).url
}

/** A correctly signed URL for parameters buildPaymentPageUrl itself would refuse to build. */
function rawSignedUrl(params: PaymentPageParamSet): string {
  const query = new URLSearchParams(Object.entries(params).map(([key, value]): [string, string] => [key, String(value)]))
  query.set("signature", signPaymentPageParams(params, SECRET))
  return `${sandbox.url}/payment?${query}`
}

/** Opens the page as the shopper's browser would. */
async function openPage(url: string): Promise<{ status: number; html: string }> {
  const response = await fetch(url)
  return { status: response.status, html: await response.text() }
}

/** Presses one of the page's buttons: a form POST to the action the page itself names. */
async function press(html: string, testId: "pay" | "decline"): Promise<Response> {
  const form = new RegExp(`<form method="post" action="([^"]+)">(?:(?!</form>)[\\s\\S])*data-testid="${testId}"`).exec(html)
  expect(form).not.toBeNull()
  return fetch(`${sandbox.url}${form![1]}`, { method: "POST", redirect: "manual" })
}

function verify(body: string) {
  return parseCallback(body, { secretKey: SECRET, projectId: PROJECT_ID })
}

beforeAll(async () => {
  ;({ sandbox, receiver, client } = await startSandboxUnderTest(PROJECT_ID, SECRET))
})

afterAll(() => stopSandboxUnderTest({ sandbox, receiver }))

beforeEach(() => resetSandboxUnderTest({ sandbox, receiver }))

describe("GET /payment: a valid signed URL", () => {
  it("shows the page with Flutterwave preselected and Pay/Decline, and creates the payment Gate then reports", async () => {
    const params = pageParams()
    const page = await openPage(pageUrl(params))
    expect(page.status).toBe(200)
    expect(page.html).toContain('data-testid="pay"')
    expect(page.html).toContain('data-testid="decline"')
    expect(page.html).toMatch(/value="flutterwave" checked/)
    expect(page.html).toContain("1500.50 NGN")

    const status = await client.status(params.payment_id)
    expect(status.payment).toMatchObject({
      id: params.payment_id,
      type: "purchase",
      status: "processing",
      method: "flutterwave",
      sum: { amount: 150050, currency: "NGN" },
      description: "Order #1",
    })
    expect(status.operations).toHaveLength(1)
    expect(status.operations[0]).toMatchObject({ type: "sale", status: "processing" })
    expect(status.redirectData).toBeUndefined()

    const payment = sandbox.payment(params.payment_id)!
    expect(payment.channel).toBe("payment_page")
    expect(payment.returnUrl).toEqual({ success: SUCCESS_URL, decline: FAIL_URL })
    expect(payment.customer).toEqual({ id: "cus_1", email: "ada@example.ng" })
    expect(payment.pageParams).toMatchObject({ payment_id: params.payment_id, signature: "[signature]" })
    expect(sandbox.engine.pageOpenings).toEqual([
      expect.objectContaining({ paymentId: params.payment_id, httpStatus: 200, created: true }),
    ])
    // The payment's own page shows the same Payment Page, not the Flutterwave stand-in of a Gate sale.
    expect((await openPage(`${sandbox.url}/pay/${params.payment_id}`)).html).toContain('data-testid="method-flutterwave"')
  })

  it("sends no 'awaiting redirect result' callback: the shopper is already on the page", async () => {
    const params = pageParams()
    await openPage(pageUrl(params))
    await sandbox.callbacksDelivered()
    expect(receiver.bodies).toHaveLength(0)
  })

  it("creates one payment and one operation however often the same URL is opened", async () => {
    const params = pageParams()
    const url = pageUrl(params)
    for (let i = 0; i < 3; i++) expect((await openPage(url)).status).toBe(200)
    expect(sandbox.engine.payments.size).toBe(1)
    expect(sandbox.payment(params.payment_id)!.operations).toHaveLength(1)
    expect(sandbox.engine.pageOpenings.map((opening) => opening.created)).toEqual([true, false, false])
  })

  it("accepts the PHP SDK's encoding (spaces as +) and the parameters in any order", async () => {
    const params = pageParams({ payment_description: "Two words" })
    const url = new URL(pageUrl(params))
    const reordered = new URLSearchParams([...url.searchParams].reverse())
    const page = await openPage(`${sandbox.url}/payment?${reordered.toString()}`)
    expect(reordered.toString()).toContain("Two+words")
    expect(page.status).toBe(200)
  })

  it("accepts the parameters POSTed as a form, as EPayWidget.run(config, 'POST') sends them", async () => {
    const params = pageParams()
    const { widgetParams } = buildPaymentPageUrl({ baseUrl: sandbox.url, secretKey: SECRET }, params)
    const fields = Object.entries({ ...widgetParams, frame_mode: "iframe" }).map(([key, value]): [string, string] => [key, String(value)])
    const form = new URLSearchParams(fields)
    const response = await fetch(`${sandbox.url}/payment`, { method: "POST", body: form })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('data-testid="pay"')
    expect(sandbox.payment(params.payment_id)).toBeDefined()
  })

  it("sends callbacks to merchant_callback_url and the shopper to redirect_success_url when given", async () => {
    const other = new CallbackReceiver()
    await other.start()
    try {
      const params = pageParams({ merchant_callback_url: other.url, redirect_success_url: "http://shop.test/auto-ok" })
      const page = await openPage(pageUrl(params))
      const paid = await press(page.html, "pay")
      expect(paid.headers.get("location")).toBe("http://shop.test/auto-ok")
      await other.received(1)
      expect(verify(other.bodies[0]).payment.status).toBe("success")
      expect(receiver.bodies).toHaveLength(0)
    } finally {
      await other.close()
    }
  })
})

describe("GET /payment: the shopper's decision", () => {
  it("Pay: a signed success callback reaches the merchant and the shopper goes back to merchant_success_url", async () => {
    const params = pageParams()
    const page = await openPage(pageUrl(params))
    const paid = await press(page.html, "pay")
    expect(paid.status).toBe(303)
    expect(paid.headers.get("location")).toBe(SUCCESS_URL)

    await receiver.received(1)
    const callback = verify(receiver.bodies[0])
    expect(callback.payment).toMatchObject({ id: params.payment_id, status: "success", sum: { amount: 150050, currency: "NGN" } })
    expect(callback.operation).toMatchObject({ type: "sale", status: "success", code: "0" })
    expect((await client.status(params.payment_id)).payment.status).toBe("success")

    // Reopened afterwards, the page shows the final state and no buttons.
    const again = await openPage(pageUrl(params))
    expect(again.html).toContain('data-testid="final-status"')
    expect(again.html).not.toContain('data-testid="pay"')
  })

  it("Decline: a signed decline callback (20301) and the shopper goes back to merchant_fail_url", async () => {
    const params = pageParams()
    const page = await openPage(pageUrl(params))
    const declined = await press(page.html, "decline")
    expect(declined.status).toBe(303)
    expect(declined.headers.get("location")).toBe(FAIL_URL)

    await receiver.received(1)
    const callback = verify(receiver.bodies[0])
    expect(callback.payment.status).toBe("decline")
    expect(callback.operation).toMatchObject({ type: "sale", status: "decline", code: "20301" })
    expect(callback.errors).toEqual([{ code: "20301", message: expect.any(String) }])
  })

  it("follows a sale script: a scripted decline is the shopper's at once, with its code", async () => {
    const params = pageParams()
    sandbox.script({ paymentId: params.payment_id, operation: "sale", outcome: "decline", code: "20105" })
    await openPage(pageUrl(params))
    await receiver.received(1)
    expect(verify(receiver.bodies[0]).operation).toMatchObject({ status: "decline", code: "20105" })
  })

  it("declines the payment at the limit time if the shopper never decides", async () => {
    const quick = new GateSandbox({ projectId: PROJECT_ID, secretKey: SECRET, callbackUrl: receiver.url, limitTimeMs: 50 })
    await quick.start()
    try {
      const params = pageParams()
      await openPage(buildPaymentPageUrl({ baseUrl: quick.url, secretKey: SECRET }, params).url)
      await receiver.received(1)
      expect(verify(receiver.bodies[0]).operation).toMatchObject({ status: "decline", code: "20602" })
    } finally {
      await quick.close()
    }
  })
})

describe("GET /payment: URLs the page refuses", () => {
  async function expectRefused(url: string, code: string, text: RegExp): Promise<void> {
    const page = await openPage(url)
    expect(page.status).toBe(400)
    expect(page.html).toMatch(text)
    expect(page.html).toContain(`data-testid="error-code">${code}<`)
    expect(sandbox.engine.payments.size).toBe(0)
    expect(sandbox.engine.pageOpenings.at(-1)).toMatchObject({ httpStatus: 400, code, created: false })
  }

  it("a tampered amount: Invalid signature, and no payment", async () => {
    const url = pageUrl(pageParams()).replace("payment_amount=150050", "payment_amount=100")
    await expectRefused(url, "3261", /Invalid signature/)
  })

  it("a URL signed with another secret: Invalid signature", async () => {
    await expectRefused(pageUrl(pageParams(), "another-secret"), "3261", /Invalid signature/)
  })

  it("no signature: Empty signature", async () => {
    await expectRefused(pageUrl(pageParams()).replace(/&signature=.*$/, ""), "3262", /Empty signature/)
  })

  it("another project: Project ID not found", async () => {
    await expectRefused(pageUrl(pageParams({ project_id: PROJECT_ID + 1 })), "2442", /Project ID not found/)
  })

  it.each(["payment_id", "payment_currency", "customer_id", "payment_description"])(
    "a signed URL without %s: Required field not provided",
    async (key) => {
      await expectRefused(pageUrl(pageParams({ [key]: undefined })), "2004", new RegExp(`Required field not provided: ${key}`))
    }
  )

  it("a signed URL without payment_amount: Required field not provided", async () => {
    const { payment_amount: _amount, ...withoutAmount } = pageParams()
    await expectRefused(rawSignedUrl(withoutAmount), "2004", /Required field not provided: payment_amount/)
  })

  it.each([
    ["a decimal amount", "1500.50"],
    ["a zero amount", "0"],
    ["a negative amount", "-100"],
    ["an amount with a leading zero", "0150050"],
  ])("a signed URL with %s: Validation error", async (_name, amount) => {
    const url = rawSignedUrl({ ...pageParams(), payment_amount: amount })
    await expectRefused(url, "502", /payment_amount must be a positive integer/)
  })

  it("a currency the method does not support: 3121", async () => {
    await expectRefused(pageUrl(pageParams({ payment_currency: "EUR" })), "3121", /currency/i)
  })

  it("an amount above the NGN limit: 2642", async () => {
    await expectRefused(pageUrl(pageParams({ payment_amount: 50_000_001 })), "2642", /./)
  })

  it("a repeated parameter, whose signed value cannot be known", async () => {
    await expectRefused(`${pageUrl(pageParams())}&payment_amount=150050`, "702", /given more than once/)
  })

  it("a payment_id already used with another amount: 3041", async () => {
    const params = pageParams()
    expect((await openPage(pageUrl(params))).status).toBe(200)
    const page = await openPage(pageUrl({ ...params, payment_amount: 200000 }))
    expect(page.status).toBe(400)
    expect(page.html).toContain('data-testid="error-code">3041<')
    expect(sandbox.engine.payments.size).toBe(1)
    expect(sandbox.payment(params.payment_id)!.operations).toHaveLength(1)
  })

  it("a payment_id already used by a Gate sale: 3041", async () => {
    const params = pageParams()
    await client.sale({
      paymentId: params.payment_id,
      amount: params.payment_amount,
      currency: "NGN",
      customer: { id: "cus_1", ipAddress: "127.0.0.1" },
    })
    const page = await openPage(pageUrl(params))
    expect(page.status).toBe(400)
    expect(page.html).toContain('data-testid="error-code">3041<')
  })

  it("a scripted rejection: the page shows it and creates nothing", async () => {
    const params = pageParams()
    sandbox.script({ paymentId: params.payment_id, operation: "sale", rejectCode: "3358" })
    await expectRefused(pageUrl(params), "3358", /./)
  })
})

describe("Gate status before the page is opened", () => {
  it("answers 3061 (not found), as ECommPay does for a page never opened or closed unconfirmed", async () => {
    const params = pageParams()
    pageUrl(params) // signed, handed to the shopper, never opened
    const notFound = await client.status(params.payment_id).catch((error: unknown) => error)
    expect(isGateNotFound(notFound)).toBe(true)

    await openPage(pageUrl(params))
    expect((await client.status(params.payment_id)).payment.status).toBe("processing")
  })

  it("still answers 3061 after a refused URL", async () => {
    const params = pageParams()
    await openPage(pageUrl(params, "another-secret"))
    expect(isGateNotFound(await client.status(params.payment_id).catch((error: unknown) => error))).toBe(true)
  })
})

describe("GET /_sandbox/page-openings", () => {
  it("lists every opening, signature redacted", async () => {
    const params = pageParams()
    await openPage(pageUrl(params))
    await openPage(pageUrl(params, "another-secret"))
    const { pageOpenings } = (await (await fetch(`${sandbox.url}/_sandbox/page-openings`)).json()) as {
      pageOpenings: Array<Record<string, unknown>>
    }
    expect(pageOpenings).toEqual([
      expect.objectContaining({ paymentId: params.payment_id, httpStatus: 200, created: true }),
      expect.objectContaining({ paymentId: params.payment_id, httpStatus: 400, code: "3261", created: false }),
    ])
    expect(pageOpenings[0].params).toMatchObject({ signature: "[signature]", payment_amount: "150050" })
  })
})

describe("GET /payment: best_before", () => {
  it("refuses a page whose best_before has passed, and creates no payment", async () => {
    const params = { ...pageParams(), best_before: new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, "+00:00") }
    const page = await openPage(pageUrl(params))
    expect(page.status).toBe(400)
    expect(page.html).toMatch(/expired/)
    expect(sandbox.payment(params.payment_id)).toBeUndefined()
  })

  it("opens a page whose best_before is still ahead", async () => {
    const params = { ...pageParams(), best_before: new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, "+00:00") }
    expect((await openPage(pageUrl(params))).status).toBe(200)
    expect(sandbox.payment(params.payment_id)).toBeDefined()
  })
})
