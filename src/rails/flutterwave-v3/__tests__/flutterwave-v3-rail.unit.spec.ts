/**
 * The rail against a tiny local v3 (./fake-v3.ts): a real HTTP server, so timeouts, refused connections, 5xx and 401
 * are the real thing.
 */
import { createHash, createHmac } from "node:crypto"
import { FlutterwaveV3Client } from "../client"
import { FlutterwaveV3AuthError, FlutterwaveV3UnknownOutcomeError } from "../errors"
import { FlutterwaveV3Rail, PAYOUT_COUNTRIES, PAYOUT_COUNTRY_CURRENCY, type FlutterwaveV3RailOptions } from "../flutterwave-v3-rail"
import type { StartPaymentInput } from "../../rail"
import { closedPortUrl, FakeFlutterwaveV3 } from "./fake-v3"

const SECRET_KEY = "FLWSECK_TEST-unit-secret-key-0123456789-X"
const SECRET_HASH = "unit-webhook-secret-hash"
const TIMEOUT_MS = 300

let fake: FakeFlutterwaveV3

beforeAll(async () => {
  fake = new FakeFlutterwaveV3(SECRET_KEY)
  await fake.start()
})

afterAll(async () => {
  await fake.close()
})

beforeEach(() => fake.reset())

function makeRail(over: Partial<FlutterwaveV3RailOptions> = {}, apiUrl = fake.url, clientOver: { secretKey?: string } = {}): FlutterwaveV3Rail {
  const options: FlutterwaveV3RailOptions = {
    secretKey: SECRET_KEY,
    secretHash: SECRET_HASH,
    apiUrl,
    timeoutMs: TIMEOUT_MS,
    storeName: "Ada's Store",
    ...over,
  }
  const client = new FlutterwaveV3Client({
    secretKey: clientOver.secretKey ?? options.secretKey,
    baseUrl: apiUrl,
    timeoutMs: TIMEOUT_MS,
    retryDelayMs: 5,
  })
  return new FlutterwaveV3Rail(options, client)
}

const startInput = (paymentRef: string, over: Partial<StartPaymentInput> = {}): StartPaymentInput => ({
  paymentRef,
  amount: { amount: 150050, currency: "NGN" },
  shopper: { id: "cus_1", email: "ada@example.ng", ipAddress: "127.0.0.1", firstName: "Ada", lastName: "Obi", phone: "+2348000000000" },
  description: `Order ${paymentRef}`,
  returnUrls: { success: "http://shop.test/ok", decline: "http://shop.test/ko" },
  ...over,
})

describe("startPayment", () => {
  it("is accepted with the hosted link to GET, sending major units and a payload_hash of that text", async () => {
    const sent = await makeRail().startPayment(startInput("ord_start"))
    expect(sent).toEqual({ kind: "accepted", redirect: { method: "GET", url: expect.stringMatching(/\/v3\/hosted\/pay\/flwlnk-\d+$/), body: {} } })

    const [request] = fake.calls("POST", "/v3/payments")
    expect(request.authorization).toBe(`Bearer ${SECRET_KEY}`)
    const keyHash = createHash("sha256").update(SECRET_KEY).digest("hex")
    expect(request.body).toEqual({
      tx_ref: "ord_start",
      amount: 1500.5,
      currency: "NGN",
      redirect_url: "http://shop.test/ok",
      customer: { email: "ada@example.ng", name: "Ada Obi", phonenumber: "+2348000000000" },
      customizations: { title: "Ada's Store", description: "Order ord_start" },
      meta: { payment_ref: "ord_start" },
      configurations: { session_duration: 30 },
      payload_hash: createHash("sha256").update(`1500.5NGNada@example.ngord_start${keyHash}`).digest("hex"),
    })
  })

  it("redirect_url: returnUrls.return, then .success, then the redirectUrl option; none is a TypeError naming the option", async () => {
    const rail = makeRail({ redirectUrl: "http://shop.test/default", sessionDurationMinutes: 90 })
    await rail.startPayment(startInput("r1", { returnUrls: { return: "http://shop.test/return", success: "http://shop.test/ok" } }))
    await rail.startPayment(startInput("r2", { returnUrls: undefined }))
    expect(fake.calls("POST", "/v3/payments").map((request) => request.body.redirect_url)).toEqual(["http://shop.test/return", "http://shop.test/default"])
    expect(fake.calls("POST", "/v3/payments")[1].body.configurations).toEqual({ session_duration: 90 })
    await expect(makeRail().startPayment(startInput("r3", { returnUrls: undefined }))).rejects.toThrow(/redirectUrl/)
    expect(() => makeRail({ sessionDurationMinutes: 1441 })).toThrow(TypeError)
  })

  it("UGX goes out in whole shillings, TZS with its two decimals", async () => {
    await makeRail().startPayment(startInput("ugx", { amount: { amount: 12345, currency: "UGX" } }))
    await makeRail().startPayment(startInput("tzs", { amount: { amount: 353900, currency: "TZS" } }))
    expect(fake.calls("POST", "/v3/payments").map((request) => request.body.amount)).toEqual([12345, 3539])
  })

  it("a 5xx is unknown, sent once (a money-moving POST never retries)", async () => {
    fake.script(/^POST \/v3\/payments$/, "server_error")
    const sent = await makeRail().startPayment(startInput("ord_5xx"))
    expect(sent).toMatchObject({ kind: "unknown", reason: expect.stringMatching(/server_error/) })
    expect(fake.calls("POST", "/v3/payments")).toHaveLength(1)
  })

  it("a timeout is unknown; an unreadable 200 is unknown", async () => {
    fake.script(/^POST \/v3\/payments$/, "hang")
    const started = Date.now()
    expect(await makeRail().startPayment(startInput("ord_hang"))).toMatchObject({ kind: "unknown", reason: expect.stringMatching(/\(timeout: no answer within/) })
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000)
    fake.script(/^POST \/v3\/payments$/, "garbage")
    expect(await makeRail().startPayment(startInput("ord_garbage"))).toMatchObject({ kind: "unknown", reason: expect.stringMatching(/invalid_response/) })
  })

  it("connection refused: refused, never sent", async () => {
    const sent = await makeRail({}, await closedPortUrl()).startPayment(startInput("ord_refused"))
    expect(sent).toMatchObject({ kind: "refused", code: "unreachable", sent: false })
  })

  it("a rejection is refused as sent, with Flutterwave's message", async () => {
    // The fake checks the hash with its own key: a rail with another key (but the right bearer) hashes wrongly.
    const rail = new FlutterwaveV3Rail(
      { secretKey: SECRET_KEY, secretHash: SECRET_HASH, apiUrl: fake.url, timeoutMs: TIMEOUT_MS, redirectUrl: "http://shop.test" },
      new FlutterwaveV3Client({ secretKey: SECRET_KEY, baseUrl: fake.url, timeoutMs: TIMEOUT_MS })
    )
    const sent = await rail.startPayment(startInput("ord_bad", { shopper: { id: "c", email: "", ipAddress: "1.1.1.1" } }))
    expect(sent).toEqual({ kind: "refused", code: "rejected", message: "customer.email is required", sent: true })
  })

  it("401: refused with code auth, and nothing anywhere carries the secret key", async () => {
    const wrongKey = "FLWSECK_TEST-the-wrong-key-X"
    const rail = makeRail({ secretKey: wrongKey })
    const sent = await rail.startPayment(startInput("ord_401"))
    expect(sent).toMatchObject({ kind: "refused", code: "auth", sent: true })
    expect(JSON.stringify(sent)).not.toContain(wrongKey)

    const client = new FlutterwaveV3Client({ secretKey: wrongKey, baseUrl: fake.url, timeoutMs: TIMEOUT_MS })
    const error = await client.verifyByReference("x").catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(FlutterwaveV3AuthError)
    expect(String((error as Error).message)).not.toContain(wrongKey)
    expect(JSON.stringify(error)).not.toContain(wrongKey)

    const lookup = await rail.lookup("ord_401")
    expect(lookup).toMatchObject({ kind: "unknown" })
    expect(JSON.stringify(lookup)).not.toContain(wrongKey)

    const check = await rail.testConnection()
    expect(check).toMatchObject({ ok: false, reason: "auth" })
    expect(JSON.stringify(check)).not.toContain(wrongKey)
  })
})

describe("lookup", () => {
  it("no transaction is not_found", async () => {
    expect(await makeRail().lookup("ord_never")).toEqual({ kind: "not_found" })
  })

  it("a paid transaction is found with its sale, and its refunds are listed", async () => {
    const transaction = fake.pay("ord_paid", 1500.5, "NGN", "successful")
    const lookup = await makeRail().lookup("ord_paid")
    expect(lookup).toEqual({
      kind: "found",
      payment: {
        paymentRef: "ord_paid",
        kind: "purchase",
        outcome: "success",
        status: "successful",
        amount: { amount: 150050, currency: "NGN" },
        operations: [{ id: String(transaction.id), type: "sale", outcome: "success", status: "successful", amount: { amount: 150050, currency: "NGN" } }],
      },
    })
    expect(fake.calls("GET", "/v3/refunds")).toHaveLength(1)
  })

  it("a failed transaction declines with a code, and its refund list is not asked for", async () => {
    fake.pay("ord_failed", 1500.5, "NGN", "failed", "Insufficient funds")
    const lookup = await makeRail().lookup("ord_failed")
    expect(lookup).toMatchObject({ kind: "found", payment: { outcome: "decline", code: "failed", operations: [{ type: "sale", code: "failed", message: "Insufficient funds" }] } })
    expect(fake.calls("GET", "/v3/refunds")).toHaveLength(0)
  })

  it("retries once on an unknown outcome; twice unknown is unknown; a budget of no retries asks once", async () => {
    fake.pay("ord_retry", 100, "NGN", "pending")
    fake.script(/verify_by_reference/, "server_error")
    expect(await makeRail().lookup("ord_retry")).toMatchObject({ kind: "found" })
    expect(fake.calls("GET", "/v3/transactions/verify_by_reference")).toHaveLength(2)

    fake.requests.length = 0
    fake.script(/verify_by_reference/, "server_error", 2)
    expect(await makeRail().lookup("ord_retry")).toMatchObject({ kind: "unknown", reason: expect.stringMatching(/\S/) })
    expect(fake.calls("GET", "/v3/transactions/verify_by_reference")).toHaveLength(2)

    fake.requests.length = 0
    fake.script(/verify_by_reference/, "server_error")
    expect(await makeRail().lookup("ord_retry", { retries: 0 })).toMatchObject({ kind: "unknown" })
    expect(fake.calls("GET", "/v3/transactions/verify_by_reference")).toHaveLength(1)
  })

  it("a hanging answer within the budget is unknown, never not_found", async () => {
    fake.script(/verify_by_reference/, "hang")
    const started = Date.now()
    expect(await makeRail().lookup("ord_hangs", { timeoutMs: 100, retries: 0 })).toMatchObject({ kind: "unknown", reason: expect.stringMatching(/\(timeout: no answer within 100 ms/) })
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  it("connection refused is unknown (and does not throw)", async () => {
    expect(await makeRail({}, await closedPortUrl()).lookup("ord_x")).toMatchObject({ kind: "unknown" })
    expect(await makeRail({}, await closedPortUrl()).lookup("fwpo_x")).toMatchObject({ kind: "unknown" })
  })

  it("a refund list that cannot be had makes the whole lookup unknown", async () => {
    fake.pay("ord_list", 100, "NGN", "successful")
    fake.script(/^GET \/v3\/refunds$/, "server_error", 2)
    expect(await makeRail().lookup("ord_list")).toMatchObject({ kind: "unknown" })
  })
})

describe("refund", () => {
  const refundInput = (paymentRef: string, merchantKey: string, amount = 50000) => ({
    paymentRef,
    merchantKey,
    amount: { amount, currency: "NGN" },
    description: "Refund for order",
  })

  it("requires a merchant key", async () => {
    await expect(makeRail().refund({ ...refundInput("ord", ""), merchantKey: "" })).rejects.toThrow(TypeError)
  })

  it("is accepted under our key, carried in comments; the same key again is already_exists and sends nothing", async () => {
    const transaction = fake.pay("ord_refund", 1500.5, "NGN", "successful")
    const rail = makeRail()
    expect(await rail.refund(refundInput("ord_refund", "rfk_1"))).toEqual({ kind: "accepted", requestId: "rfk_1" })
    expect(fake.calls("POST", `/v3/transactions/${transaction.id}/refund`).map((request) => request.body)).toEqual([
      { amount: 500, comments: "Refund for order · ref rfk_1" },
    ])

    expect(await rail.refund(refundInput("ord_refund", "rfk_1"))).toEqual({ kind: "already_exists" })
    expect(fake.calls("POST", `/v3/transactions/${transaction.id}/refund`)).toHaveLength(1)

    // Another key is another refund; a key that merely starts the same is not ours.
    expect(await rail.refund(refundInput("ord_refund", "rfk_10", 25))).toMatchObject({ kind: "accepted", requestId: "rfk_10" })

    const lookup = await rail.lookup("ord_refund")
    if (lookup.kind !== "found") throw new Error(JSON.stringify(lookup))
    expect(lookup.payment.amount).toEqual({ amount: 150050 - 50000 - 25, currency: "NGN" })
    expect(lookup.payment.operations.filter((operation) => operation.type === "refund")).toEqual([
      { id: expect.any(String), type: "refund", outcome: "success", status: "completed", amount: { amount: 50000, currency: "NGN" }, requestId: "rfk_1" },
      { id: expect.any(String), type: "refund", outcome: "success", status: "completed", amount: { amount: 25, currency: "NGN" }, requestId: "rfk_10" },
    ])
  })

  it("a pending refund does not reduce the payment yet", async () => {
    fake.pay("ord_pending_refund", 1000, "NGN", "successful")
    fake.refundStatus = "pending"
    await makeRail().refund(refundInput("ord_pending_refund", "rfk_p"))
    const lookup = await makeRail().lookup("ord_pending_refund")
    expect(lookup).toMatchObject({ kind: "found", payment: { amount: { amount: 100000 }, operations: [{ type: "sale" }, { type: "refund", outcome: "pending", requestId: "rfk_p" }] } })
  })

  it("no transaction, or one not successful: refused as not_refundable, without sending a refund", async () => {
    expect(await makeRail().refund(refundInput("ord_none", "rfk"))).toMatchObject({ kind: "refused", code: "not_refundable", sent: true })
    fake.pay("ord_unpaid", 1500.5, "NGN", "failed")
    expect(await makeRail().refund(refundInput("ord_unpaid", "rfk"))).toMatchObject({ kind: "refused", code: "not_refundable", sent: true })
    expect(fake.requests.filter((request) => request.method === "POST")).toHaveLength(0)
  })

  it("maps Flutterwave's refusals to codes: refunds disabled reads clearly; more than is left", async () => {
    fake.pay("ord_r", 1500.5, "NGN", "successful")
    fake.refundsDisabled = true
    const disabled = await makeRail().refund(refundInput("ord_r", "rfk_d"))
    expect(disabled).toMatchObject({ kind: "refused", code: "refunds_disabled", sent: true })
    if (disabled.kind === "refused") expect(disabled.message).toMatch(/^Refunds are not enabled on your Flutterwave account: ask Flutterwave support to enable them/)

    fake.refundsDisabled = false
    expect(await makeRail().refund(refundInput("ord_r", "rfk_big", 150051))).toEqual({
      kind: "refused",
      code: "amount_exceeds_balance",
      message: "Amount requested for refund is greater than refundable amount",
      sent: true,
    })
  })

  it("a 5xx on the refund itself is unknown, sent once", async () => {
    const transaction = fake.pay("ord_r5", 1500.5, "NGN", "successful")
    fake.script(/\/refund$/, "server_error")
    expect(await makeRail().refund(refundInput("ord_r5", "rfk_5"))).toMatchObject({ kind: "unknown" })
    expect(fake.calls("POST", `/v3/transactions/${transaction.id}/refund`)).toHaveLength(1)
  })

  it("a lookup before sending that cannot answer: refused, never sent, retryable", async () => {
    fake.pay("ord_rl", 1500.5, "NGN", "successful")
    fake.script(/verify_by_reference/, "server_error", 2)
    expect(await makeRail().refund(refundInput("ord_rl", "rfk"))).toMatchObject({ kind: "refused", code: "unreachable", sent: false, retryable: true })
    expect(await makeRail({}, await closedPortUrl()).refund(refundInput("ord_rl", "rfk"))).toMatchObject({
      kind: "refused",
      code: "unreachable",
      sent: false,
      retryable: true,
    })
    expect(fake.requests.filter((request) => request.method === "POST")).toHaveLength(0)
  })

  it("a refund in another currency than the payment's is never sent", async () => {
    fake.pay("ord_cur", 1500.5, "NGN", "successful")
    expect(await makeRail().refund({ ...refundInput("ord_cur", "rfk"), amount: { amount: 100, currency: "KES" } })).toMatchObject({
      kind: "refused",
      code: "currency_mismatch",
      sent: false,
    })
  })
})

describe("payout", () => {
  const payoutInput = (paymentRef: string, bankId = "044") => ({
    paymentRef,
    amount: { amount: 50000, currency: "NGN" },
    account: { number: "0690000031", bankId },
    customerId: "vendor_1",
    ipAddress: "127.0.0.1",
    narration: "Vendor payout",
  })

  it("is accepted under our reference; the reference again is already_exists; lookup finds the payout", async () => {
    const rail = makeRail()
    expect(await rail.payout(payoutInput("fwpo_abc"))).toEqual({ kind: "accepted", requestId: "fwpo_abc" })
    expect(fake.calls("POST", "/v3/transfers")[0].body).toEqual({
      account_bank: "044",
      account_number: "0690000031",
      amount: 500,
      currency: "NGN",
      debit_currency: "NGN",
      narration: "Vendor payout",
      reference: "fwpo_abc",
    })
    expect(await rail.payout(payoutInput("fwpo_abc"))).toEqual({ kind: "already_exists" })

    fake.transfers[0].status = "SUCCESSFUL"
    expect(await rail.lookup("fwpo_abc")).toMatchObject({
      kind: "found",
      payment: { paymentRef: "fwpo_abc", kind: "payout", outcome: "success", amount: { amount: 50000, currency: "NGN" }, operations: [{ type: "payout", requestId: "fwpo_abc" }] },
    })
    expect(await rail.lookup("fwpo_unknown")).toEqual({ kind: "not_found" })
    expect(fake.calls("GET", "/v3/transactions")).toHaveLength(0)
  })

  it("other refusals are refused as sent; a 5xx is unknown; a reference without the prefix is a TypeError", async () => {
    expect(await makeRail().payout(payoutInput("fwpo_bank", "999"))).toMatchObject({ kind: "refused", code: "invalid_bank", message: "Invalid bank code", sent: true })
    fake.script(/^POST \/v3\/transfers$/, "server_error")
    expect(await makeRail().payout(payoutInput("fwpo_5xx"))).toMatchObject({ kind: "unknown" })
    await expect(makeRail().payout(payoutInput("po_1"))).rejects.toThrow(/fwpo_/)
  })
})

describe("readNotification", () => {
  const charge = JSON.stringify({ event: "charge.completed", data: { id: 1, tx_ref: "ord_1", status: "successful", amount: 1 }, "event.type": "CARD_TRANSACTION" })
  const transfer = JSON.stringify({ event: "transfer.completed", "event.type": "Transfer", data: { id: 2, reference: "fwpo_1", status: "SUCCESSFUL" } })

  it("a proven sender names what to look up; the dedupe key is the sha256 of the bytes", () => {
    const rail = makeRail()
    const read = rail.readNotification(charge, { "verif-hash": SECRET_HASH, "content-type": "application/json" })
    expect(read).toEqual({
      trust: "sender",
      event: "charge.completed",
      subject: { paymentRef: "ord_1", kind: "purchase" },
      dedupeKey: createHash("sha256").update(charge).digest("hex"),
      body: JSON.parse(charge),
    })
    const again = rail.readNotification(Buffer.from(charge, "utf8"), { "verif-hash": SECRET_HASH })
    expect(again.trust === "sender" && again.dedupeKey).toBe(read.trust === "sender" && read.dedupeKey)
    expect(rail.readNotification(transfer, { "verif-hash": SECRET_HASH })).toMatchObject({
      trust: "sender",
      event: "transfer.completed",
      subject: { paymentRef: "fwpo_1", kind: "payout" },
    })
    const test = rail.readNotification('{"event":"test_assess","data":{}}', { "verif-hash": SECRET_HASH })
    expect(test).toMatchObject({ trust: "sender", event: "test_assess" })
    expect(test).not.toHaveProperty("subject")
  })

  it("an unproven sender is a signature rejection, headers or none", () => {
    const rail = makeRail()
    expect(rail.readNotification(charge)).toMatchObject({ trust: "none", rejection: "signature" })
    expect(rail.readNotification(charge, {})).toMatchObject({ trust: "none", rejection: "signature" })
    expect(rail.readNotification(charge, { "verif-hash": "nope" })).toMatchObject({ trust: "none", rejection: "signature", reason: expect.stringMatching(/\S/) })
  })

  it("the HMAC header proves the sender only when the option is on", () => {
    const signature = createHmac("sha256", SECRET_HASH).update(charge).digest("base64")
    expect(makeRail().readNotification(charge, { "flutterwave-signature": signature })).toMatchObject({ trust: "none", rejection: "signature" })
    expect(makeRail({ acceptSignatureHeader: true }).readNotification(charge, { "flutterwave-signature": signature })).toMatchObject({ trust: "sender" })
  })

  it("a proven sender with a body that is not a readable object is malformed; nothing throws", () => {
    const rail = makeRail()
    const headers = { "verif-hash": SECRET_HASH }
    for (const raw of ["", "not json", "null", "[]", "1e999", '"text"', "{".repeat(10_000), "[".repeat(10_000) + "]".repeat(10_000), Buffer.from([0xff, 0xfe, 0x7b, 0x7d])]) {
      let read
      expect(() => (read = rail.readNotification(raw, headers))).not.toThrow()
      expect(read).toMatchObject({ trust: "none", rejection: "malformed" })
    }
    expect(rail.readNotification('{"event":"charge.completed","data":{}}', headers)).toMatchObject({ trust: "none", rejection: "malformed" })
    expect(rail.readNotification('{"data":{}}', headers)).toMatchObject({ trust: "none", rejection: "malformed" })
  })
})

describe("listBanks and testConnection", () => {
  it("lists a country's banks by name, ids being bank codes; other countries are a TypeError", async () => {
    expect(await makeRail().listBanks("ng")).toEqual([
      { id: "044", name: "Access Bank" },
      { id: "023", name: "Citi Bank" },
      { id: "058", name: "GTBank Plc" },
    ])
    expect(fake.calls("GET", "/v3/banks/NG")).toHaveLength(1)
    await expect(makeRail().listBanks("US")).rejects.toThrow(TypeError)
    expect(PAYOUT_COUNTRIES).toEqual(["NG", "GH", "KE", "UG", "ZA", "TZ"])
    expect(PAYOUT_COUNTRY_CURRENCY).toEqual({ NG: "NGN", GH: "GHS", KE: "KES", UG: "UGX", ZA: "ZAR", TZ: "TZS" })
  })

  it("testConnection: ok, unreachable, unknown", async () => {
    expect(await makeRail().testConnection()).toEqual({ ok: true })
    const unreachable = await makeRail({}, await closedPortUrl()).testConnection()
    expect(unreachable).toMatchObject({ ok: false, reason: "unreachable" })
    expect(JSON.stringify(unreachable)).not.toContain(SECRET_KEY)
    fake.script(/banks/, "server_error")
    expect(await makeRail().testConnection()).toMatchObject({ ok: false, reason: "unknown" })
  })
})

describe("client", () => {
  it("an unknown outcome error says so, and names no key", async () => {
    fake.script(/^POST \/v3\/transfers$/, "hang")
    const client = new FlutterwaveV3Client({ secretKey: SECRET_KEY, baseUrl: fake.url, timeoutMs: 100 })
    const error = await client
      .createTransfer({ account_bank: "044", account_number: "1", amount: 1, currency: "NGN", debit_currency: "NGN", reference: "fwpo_t" })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(FlutterwaveV3UnknownOutcomeError)
    expect((error as FlutterwaveV3UnknownOutcomeError).reason).toBe("timeout")
    expect((error as Error).message).not.toContain(SECRET_KEY)
  })
})
