/**
 * The one scenario list every payment rail passes against its sandbox (ARCHITECTURE.md, "Rules of the house"): start
 * + success, decline, not found before the shopper, unknown then lookup, duplicate reference, partial refund, refused,
 * payout, forged notification. A rail is done when it passes.
 *
 * Written once, in the neutral terms of ../rail.ts only. What differs between rails is said by the world the caller
 * builds: the rail, a backend that plays the shopper and scripts faults, and what the rail supports. No scenario
 * knows which backend it talks to.
 */
import type {
  BankAccount,
  Lookup,
  Money,
  Notification,
  NotificationHeaders,
  PaymentRail,
  RailOperation,
  RailPayment,
  Sent,
  StartPaymentInput,
} from "../rail"

/** A notification as the merchant's endpoint received it: the raw body and the headers it came with. */
export type CapturedNotification = { body: string; headers: NotificationHeaders }

/** The backend a rail talks to (a sandbox), as far as the scenarios need to drive it. */
export type RailBackend = {
  /** The shopper goes where `sent` (the start's answer) sends them, or the backend's own page, and pays or declines. */
  shopperPays(paymentRef: string, sent: Sent, outcome: "success" | "decline"): Promise<void>
  /**
   * The next request of this kind for this payment is processed but its answer hangs beyond the rail's timeout
   * (the operation exists; the rail cannot know).
   */
  scriptUnknown(operation: "start" | "refund" | "lookup", paymentRef: string): void
  /** Resolves once the backend has produced every result it has scheduled and delivered its notifications. */
  settled(): Promise<void>
  /** Every notification the backend delivered during this scenario, raw, in order of arrival. */
  capturedNotifications(): Promise<CapturedNotification[]>
}

/** What the rail can do, where rails differ legitimately. */
export type RailSupports = {
  payout: boolean
  /**
   * Whether the start sends a request (so it may be unknown, and a reused reference answers `already_exists`).
   * A start that only signs a URL sends nothing: it cannot be unknown, and starting twice leads to one payment.
   */
  unknownStart: boolean
  /** Whether startPayment gives the shopper's page at once; otherwise lookup gives it once the backend knows it. */
  redirectAtStart: boolean
  /** What lookup says between the start and the shopper: no payment yet, or a pending one. */
  beforeShopper: "not_found" | "pending"
  /**
   * What a start proves. "body" (default): a signed notification is applied as it is. "sender": only who sent it
   * (Flutterwave's verif-hash), so the core looks the payment up before applying anything.
   */
  notificationTrust?: "body" | "sender"
  /**
   * With unknownStart: what the same reference started again answers. "already_exists" (default): the backend keeps
   * one payment per reference and says so. "new_start": the start moves no money (a new hosted link to the same
   * reference), so it is simply sent again; the backend still takes one successful payment per reference.
   */
  startAgain?: "already_exists" | "new_start"
}

/** Amounts, currency and a payout account the backend accepts (minor units). */
export type RailFixtures = {
  currency: string
  saleAmount: number
  refundAmount: number
  payoutAmount: number
  account: BankAccount
  /** Turns a fresh reference into a payout reference the rail accepts (Flutterwave's: our `fwpo_` prefix). */
  payoutRef: (ref: string) => string
}

export type RailContractWorld = {
  rail: PaymentRail
  backend: RailBackend
  supports: RailSupports
  fixtures?: Partial<RailFixtures>
}

const DEFAULT_FIXTURES: RailFixtures = {
  currency: "NGN",
  saleAmount: 150050,
  refundAmount: 50000,
  payoutAmount: 50000,
  account: { number: "0690000031", bankId: "206" },
  payoutRef: (ref) => ref,
}

/**
 * Registers the scenarios under `describe(name)`. `makeWorld` runs before each scenario and gives it a fresh world
 * (a clean backend); `teardown` runs after each, with that world.
 */
export function describeRailContract(
  name: string,
  makeWorld: () => Promise<RailContractWorld>,
  teardown: (world: RailContractWorld) => Promise<void> | void = () => undefined
): void {
  describe(`rail contract: ${name}`, () => {
    let world: RailContractWorld
    let rail: PaymentRail
    let backend: RailBackend
    let fx: RailFixtures
    let counter = 0
    const run = Math.random().toString(36).slice(2, 8)

    /** A reference of our own, fresh for each use (the backend may outlive one scenario). */
    const ref = (kind: string): string => `ct_${run}_${++counter}_${kind}`
    const money = (amount: number): Money => ({ amount, currency: fx.currency })

    const startInput = (paymentRef: string): StartPaymentInput => ({
      paymentRef,
      amount: money(fx.saleAmount),
      shopper: { id: "cus_contract", email: "ada@example.ng", ipAddress: "127.0.0.1", firstName: "Ada", lastName: "Obi" },
      description: `Contract order ${paymentRef}`,
      returnUrls: { success: "http://shop.test/return?ok", decline: "http://shop.test/return?ko" },
    })

    async function start(paymentRef = ref("sale")): Promise<{ paymentRef: string; sent: Sent }> {
      const sent = await rail.startPayment(startInput(paymentRef))
      expect(sent).toMatchObject({ kind: "accepted" })
      return { paymentRef, sent }
    }

    async function paid(outcome: "success" | "decline" = "success"): Promise<string> {
      const { paymentRef, sent } = await start()
      await backend.shopperPays(paymentRef, sent, outcome)
      await backend.settled()
      return paymentRef
    }

    async function found(paymentRef: string): Promise<RailPayment> {
      const lookup: Lookup = await rail.lookup(paymentRef)
      if (lookup.kind !== "found") throw new Error(`lookup(${paymentRef}) is ${JSON.stringify(lookup)}, expected found`)
      expect(lookup.payment.paymentRef).toBe(paymentRef)
      return lookup.payment
    }

    function only(payment: RailPayment, type: string): RailOperation {
      const operations = payment.operations.filter((operation) => operation.type === type)
      expect(operations).toHaveLength(1)
      return operations[0]
    }

    function refund(paymentRef: string, merchantKey: string, amount = fx.refundAmount): Promise<Sent> {
      return rail.refund({ paymentRef, merchantKey, amount: money(amount), description: "contract refund" })
    }

    const bySender = () => world.supports.notificationTrust === "sender"

    /** The notifications of this scenario the rail trusts as to their body, for one payment. */
    async function trustedNotifications(paymentRef: string): Promise<Array<Extract<Notification, { trust: "body" }>>> {
      const read = (await backend.capturedNotifications()).map((n) => rail.readNotification(Buffer.from(n.body, "utf8"), n.headers))
      return read.filter(
        (n): n is Extract<Notification, { trust: "body" }> => n.trust === "body" && n.payment.paymentRef === paymentRef
      )
    }

    /** The notifications of this scenario whose sender the rail proved, about one payment. */
    async function provenNotifications(paymentRef: string): Promise<Array<Extract<Notification, { trust: "sender" }>>> {
      const read = (await backend.capturedNotifications()).map((n) => rail.readNotification(Buffer.from(n.body, "utf8"), n.headers))
      return read.filter(
        (n): n is Extract<Notification, { trust: "sender" }> => n.trust === "sender" && n.subject?.paymentRef === paymentRef
      )
    }

    function expectRequestIdMatches(sent: Sent, operation: RailOperation): void {
      // A rail that names the request it sent names the same one on the operation it became.
      if (sent.kind === "accepted" && sent.requestId) expect(operation.requestId).toBe(sent.requestId)
    }

    beforeEach(async () => {
      world = await makeWorld()
      rail = world.rail
      backend = world.backend
      fx = { ...DEFAULT_FIXTURES, ...world.fixtures }
    })

    afterEach(async () => {
      await teardown(world)
    })

    describe("start + success", () => {
      it("is accepted, the shopper pays, and lookup shows a successful sale of the amount started", async () => {
        const { paymentRef, sent } = await start()
        if (sent.kind !== "accepted") throw new Error("unreachable")
        if (world.supports.redirectAtStart) {
          expect(sent.redirect?.method).toBe("GET")
          expect(() => new URL(sent.redirect!.url)).not.toThrow()
        } else {
          expect(sent.redirect).toBeUndefined()
          // The shopper's page comes later, from the backend: lookup gives it while the backend waits for them.
          await backend.settled()
          const waiting = await found(paymentRef)
          expect(waiting.outcome).toBe("pending")
          expect(waiting.redirect).toBeDefined()
          expect(() => new URL(waiting.redirect!.url)).not.toThrow()
        }

        await backend.shopperPays(paymentRef, sent, "success")
        await backend.settled()

        const payment = await found(paymentRef)
        expect(payment.kind).toBe("purchase")
        expect(payment.outcome).toBe("success")
        expect(payment.amount).toEqual(money(fx.saleAmount))
        expect(payment.redirect).toBeUndefined()
        const sale = only(payment, "sale")
        expect(sale).toMatchObject({ outcome: "success", amount: money(fx.saleAmount) })
        expect(sale.id).toMatch(/\S/)
      })

      it("sends a notification the rail trusts, agreeing with lookup", async () => {
        const paymentRef = await paid("success")
        const sale = only(await found(paymentRef), "sale")
        if (bySender()) {
          // Only its sender is proven: it names the payment, never applied as it is; the lookup above is the truth.
          const proven = await provenNotifications(paymentRef)
          expect(proven.length).toBeGreaterThanOrEqual(1)
          for (const notification of proven) expect(notification.subject).toEqual({ paymentRef, kind: "purchase" })
          expect(sale).toMatchObject({ outcome: "success", amount: money(fx.saleAmount) })
          return
        }
        const notifications = await trustedNotifications(paymentRef)
        const final = notifications.filter((n) => n.operation?.outcome === "success")
        expect(final).toHaveLength(1)
        expect(final[0].payment).toMatchObject({ paymentRef, outcome: "success", amount: money(fx.saleAmount) })
        expect(final[0].operation).toMatchObject({ id: sale.id, type: "sale", outcome: "success", amount: money(fx.saleAmount) })
      })
    })

    describe("decline", () => {
      it("the shopper declines: lookup shows a declined payment whose sale carries a code", async () => {
        const paymentRef = await paid("decline")
        const payment = await found(paymentRef)
        expect(payment.outcome).toBe("decline")
        const sale = only(payment, "sale")
        expect(sale.outcome).toBe("decline")
        expect(sale.code).toMatch(/\S/)

        if (bySender()) {
          expect((await provenNotifications(paymentRef)).length).toBeGreaterThanOrEqual(1)
          return
        }
        const final = (await trustedNotifications(paymentRef)).filter((n) => n.operation?.outcome === "decline")
        expect(final).toHaveLength(1)
        expect(final[0].payment.outcome).toBe("decline")
        expect(final[0].operation).toMatchObject({ id: sale.id, type: "sale", code: sale.code })
      })
    })

    describe("before the shopper", () => {
      it("lookup between the start and the shopper says what the rail promises, never a final outcome", async () => {
        const { paymentRef } = await start()
        const lookup = await rail.lookup(paymentRef)
        if (world.supports.beforeShopper === "not_found") {
          expect(lookup).toEqual({ kind: "not_found" })
        } else {
          if (lookup.kind !== "found") throw new Error(`lookup is ${JSON.stringify(lookup)}, expected found`)
          expect(lookup.payment.outcome).toBe("pending")
          expect(only(lookup.payment, "sale").outcome).toBe("pending")
        }
      })

      it("a reference never started is not found", async () => {
        expect(await rail.lookup(ref("never"))).toEqual({ kind: "not_found" })
      })
    })

    describe("unknown then lookup", () => {
      it("a start whose answer hangs is unknown, and lookup then shows the sale it made (never a refusal)", async () => {
        const paymentRef = ref("sale")
        backend.scriptUnknown("start", paymentRef)
        const sent = await rail.startPayment(startInput(paymentRef))
        if (!world.supports.unknownStart) {
          // A start that sends nothing cannot be unknown: it is accepted whatever the backend would do, and the
          // shopper still pays through it.
          expect(sent).toMatchObject({ kind: "accepted" })
          await backend.shopperPays(paymentRef, sent, "success")
          await backend.settled()
          expect(only(await found(paymentRef), "sale").outcome).toBe("success")
          return
        }
        expect(sent.kind).toBe("unknown")
        if (sent.kind === "unknown") expect(sent.reason).toMatch(/\S/)

        if (world.supports.startAgain === "new_start") {
          // The start made no payment yet (only a page): nothing to find, and sending it again is the way on.
          expect(await rail.lookup(paymentRef)).toEqual({ kind: "not_found" })
          const again = await rail.startPayment(startInput(paymentRef))
          expect(again).toMatchObject({ kind: "accepted" })
          await backend.shopperPays(paymentRef, again, "success")
          await backend.settled()
          expect(only(await found(paymentRef), "sale").outcome).toBe("success")
          return
        }
        const payment = await found(paymentRef)
        expect(payment.outcome).toBe("pending")
        expect(only(payment, "sale")).toMatchObject({ outcome: "pending", amount: money(fx.saleAmount) })
        // It did arrive: sending it again moves nothing more.
        expect(await rail.startPayment(startInput(paymentRef))).toEqual({ kind: "already_exists" })
      })

      it("a refund whose answer hangs is unknown, and lookup then shows the refund it made", async () => {
        const paymentRef = await paid("success")
        const merchantKey = ref("refund")
        backend.scriptUnknown("refund", paymentRef)
        const sent = await refund(paymentRef, merchantKey)
        expect(sent.kind).toBe("unknown")

        await backend.settled()
        const payment = await found(paymentRef)
        expect(only(payment, "refund")).toMatchObject({ outcome: "success", amount: money(fx.refundAmount) })
        expect(payment.amount).toEqual(money(fx.saleAmount - fx.refundAmount))
        expect(await refund(paymentRef, merchantKey)).toEqual({ kind: "already_exists" })
        expect((await found(paymentRef)).operations.filter((operation) => operation.type === "refund")).toHaveLength(1)
      })

      it("a lookup the backend does not answer is unknown, never not_found", async () => {
        const budget = { timeoutMs: 300, retries: 0 }
        const paymentRef = await paid("success")
        backend.scriptUnknown("lookup", paymentRef)
        expect(await rail.lookup(paymentRef, budget)).toMatchObject({ kind: "unknown" })
        // Silence about a reference the backend has never seen is not "it has none" either.
        const never = ref("never")
        backend.scriptUnknown("lookup", never)
        expect(await rail.lookup(never, budget)).toMatchObject({ kind: "unknown" })
        // Once it answers again, the truth is back.
        expect((await found(paymentRef)).outcome).toBe("success")
      })
    })

    describe("duplicate reference", () => {
      it("the same payment reference started twice moves money once", async () => {
        const { paymentRef, sent } = await start()
        const again = await rail.startPayment(startInput(paymentRef))
        if (world.supports.unknownStart && world.supports.startAgain !== "new_start") {
          expect(again).toEqual({ kind: "already_exists" })
        } else {
          // Nothing was sent: both answers lead the shopper to the one payment.
          expect(again).toMatchObject({ kind: "accepted" })
          await backend.shopperPays(paymentRef, again, "success")
        }
        await backend.shopperPays(paymentRef, sent, "success")
        await backend.settled()
        const payment = await found(paymentRef)
        expect(payment).toMatchObject({ outcome: "success", amount: money(fx.saleAmount) })
        expect(only(payment, "sale").outcome).toBe("success")
      })

      it("the same refund merchant key twice answers already_exists and refunds once", async () => {
        const paymentRef = await paid("success")
        const merchantKey = ref("refund")
        expect(await refund(paymentRef, merchantKey)).toMatchObject({ kind: "accepted" })
        expect(await refund(paymentRef, merchantKey)).toEqual({ kind: "already_exists" })
        await backend.settled()
        const payment = await found(paymentRef)
        expect(only(payment, "refund").amount).toEqual(money(fx.refundAmount))
        expect(payment.amount).toEqual(money(fx.saleAmount - fx.refundAmount))
      })
    })

    describe("partial refund", () => {
      it("is accepted; lookup and the notification show the refund and what the payment still holds", async () => {
        const paymentRef = await paid("success")
        const sent = await refund(paymentRef, ref("refund"))
        expect(sent).toMatchObject({ kind: "accepted" })

        await backend.settled()
        const payment = await found(paymentRef)
        // A partly refunded payment is still a paid one.
        expect(payment.outcome).toBe("success")
        expect(payment.amount).toEqual(money(fx.saleAmount - fx.refundAmount))
        const operation = only(payment, "refund")
        expect(operation).toMatchObject({ outcome: "success", amount: money(fx.refundAmount) })
        expectRequestIdMatches(sent, operation)
        expect(only(payment, "sale").amount).toEqual(money(fx.saleAmount))

        // A rail whose notifications prove only their sender has no refund notification to read (Flutterwave v3
        // documents none): its lookup above is what reconciliation follows.
        if (bySender()) return
        const notified = (await trustedNotifications(paymentRef)).filter((n) => n.operation?.type === "refund")
        expect(notified).toHaveLength(1)
        expect(notified[0].operation).toMatchObject({ id: operation.id, outcome: "success", amount: money(fx.refundAmount) })
        expect(notified[0].payment.amount).toEqual(money(fx.saleAmount - fx.refundAmount))
      })
    })

    describe("refused", () => {
      it("a refund of a payment the shopper has not paid is refused with a code, as sent", async () => {
        const { paymentRef } = await start()
        const sent = await refund(paymentRef, ref("refund"))
        expect(sent).toMatchObject({ kind: "refused", sent: true })
        if (sent.kind === "refused") expect(sent.code).toMatch(/\S/)
      })

      it("a refund of a declined payment is refused and moves nothing", async () => {
        const paymentRef = await paid("decline")
        const sent = await refund(paymentRef, ref("refund"))
        expect(sent).toMatchObject({ kind: "refused", sent: true })
        if (sent.kind === "refused") expect(sent.code).toMatch(/\S/)
        const payment = await found(paymentRef)
        expect(payment.operations.filter((operation) => operation.type === "refund")).toHaveLength(0)
      })
    })

    describe("payout", () => {
      it("is accepted; lookup shows the payout; the same reference again answers already_exists", async () => {
        if (!world.supports.payout) {
          expect(rail.payout).toBeUndefined()
          return
        }
        expect(rail.payout).toBeInstanceOf(Function)
        const paymentRef = fx.payoutRef(ref("payout"))
        const input = {
          paymentRef,
          amount: money(fx.payoutAmount),
          account: fx.account,
          customerId: "vendor_contract",
          ipAddress: "127.0.0.1",
          narration: "contract payout",
        }
        const sent = await rail.payout!(input)
        expect(sent).toMatchObject({ kind: "accepted" })

        await backend.settled()
        const payment = await found(paymentRef)
        expect(payment).toMatchObject({ kind: "payout", outcome: "success", amount: money(fx.payoutAmount) })
        const operation = only(payment, "payout")
        expect(operation).toMatchObject({ outcome: "success", amount: money(fx.payoutAmount) })
        expectRequestIdMatches(sent, operation)

        expect(await rail.payout!(input)).toEqual({ kind: "already_exists" })
        expect((await found(paymentRef)).operations).toHaveLength(1)
      })
    })

    describe("notifications", () => {
      async function genuine(): Promise<{ paymentRef: string } & CapturedNotification> {
        const paymentRef = await paid("success")
        const captured = await backend.capturedNotifications()
        const found = captured.find((n) => {
          const read = rail.readNotification(n.body, n.headers)
          if (read.trust === "sender") return read.subject?.paymentRef === paymentRef
          return read.trust === "body" && read.payment.paymentRef === paymentRef && read.operation?.outcome === "success"
        })
        if (!found) throw new Error(`no trusted success notification among ${captured.length} captured`)
        return { paymentRef, ...found }
      }

      it("a genuine body is trusted as far as the rail can prove: the payment's ref, and (signed bodies) its outcome", async () => {
        const { paymentRef, body, headers } = await genuine()
        const keys = new Set<string>()
        for (const raw of [body, Buffer.from(body, "utf8")]) {
          const read = rail.readNotification(raw, headers)
          if (bySender()) {
            if (read.trust !== "sender") throw new Error(`genuine notification read as ${JSON.stringify(read)}`)
            expect(read.subject).toEqual({ paymentRef, kind: "purchase" })
            expect(read.event).toMatch(/\S/)
            keys.add(read.dedupeKey)
            continue
          }
          if (read.trust !== "body") throw new Error(`genuine notification read as ${JSON.stringify(read)}`)
          expect(read.payment).toMatchObject({ paymentRef, kind: "purchase", outcome: "success", amount: money(fx.saleAmount) })
          expect(read.operation).toMatchObject({ type: "sale", outcome: "success", amount: money(fx.saleAmount) })
          expect(read.dedupeKey).toMatch(/\S/)
          keys.add(read.dedupeKey)
        }
        // The same notification delivered again dedupes to the same key; another notification does not.
        expect(keys.size).toBe(1)
        const others = (await backend.capturedNotifications()).filter((n) => n.body !== body).map((n) => rail.readNotification(n.body, n.headers))
        for (const other of others) if (other.trust !== "none") expect(keys.has(other.dedupeKey)).toBe(false)
      })

      it("the same body with one byte changed is not trusted (and never throws)", async () => {
        const { paymentRef, body, headers } = await genuine()
        // The payment's own reference, one letter off: another payment's news if it were believed.
        expect(body).toContain(paymentRef)
        const at = body.indexOf(paymentRef) + paymentRef.length - 1
        const forged = body.slice(0, at) + (body[at] === "x" ? "y" : "x") + body.slice(at + 1)
        expect(forged).toHaveLength(body.length)
        const read = rail.readNotification(Buffer.from(forged, "utf8"), headers)
        if (bySender()) {
          // The sender is proven, the body never was: it is read as a claim to look up, never applied as it is.
          expect(read.trust).not.toBe("body")
          // What proves the sender, one byte off, proves nothing.
          for (const [name, value] of Object.entries(headers)) {
            if (typeof value !== "string" || value === "" || /^(content-|host|connection|user-agent|accept)/i.test(name)) continue
            const wrong = value.slice(0, -1) + (value.endsWith("x") ? "y" : "x")
            const rejected = rail.readNotification(body, { ...headers, [name]: wrong })
            expect(rejected).toMatchObject({ trust: "none", rejection: "signature" })
          }
          expect(rail.readNotification(body, {})).toMatchObject({ trust: "none", rejection: "signature" })
          expect(rail.readNotification(body)).toMatchObject({ trust: "none", rejection: "signature" })
        } else {
          expect(read).toMatchObject({ trust: "none", rejection: "signature" })
          if (read.trust === "none") expect(read.reason).toMatch(/\S/)
        }

        // Every other single byte too: whatever changes, nothing is trusted as a body and nothing throws.
        const bytes = Buffer.from(body, "utf8")
        const trusted: number[] = []
        for (let i = 0; i < bytes.length; i++) {
          const copy = Buffer.from(bytes)
          copy[i] = copy[i] ^ 0x01
          let read: Notification
          try {
            read = rail.readNotification(copy, headers)
          } catch (error) {
            throw new Error(`readNotification threw for byte ${i} changed: ${(error as Error).message}`)
          }
          if (read.trust === "body") trusted.push(i)
          else if (read.trust === "none") expect(["signature", "malformed"]).toContain(read.rejection)
          else if (!bySender()) trusted.push(i)
        }
        expect(trusted.map((i) => `${i}:${JSON.stringify(body.slice(Math.max(0, i - 12), i + 12))}`)).toEqual([])
      })

      it("garbage is not trusted (and never throws)", async () => {
        const garbage: Array<string | Buffer> = [
          "",
          " ",
          "not json",
          "null",
          "[]",
          "{}",
          '{"signature":""}',
          '{"signature":"AAAA","payment":{"id":"x","status":"success"}}',
          "{".repeat(10_000),
          "[".repeat(10_000) + "]".repeat(10_000),
          `{"a":${"[".repeat(5_000)}${"]".repeat(5_000)},"signature":"x"}`,
          '{"__proto__":{"signature":"x"}}',
          "1e999",
          Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x7d]),
          Buffer.alloc(0),
        ]
        // With no proof of the sender, and (for rails that check one) with a genuine notification's proof.
        const proofs: Array<NotificationHeaders | undefined> = [undefined, {}]
        if (bySender()) proofs.push((await genuine()).headers)
        for (const headers of proofs) {
          for (const raw of garbage) {
            let read: Notification | undefined
            expect(() => (read = rail.readNotification(raw, headers))).not.toThrow()
            if (headers && bySender() && Object.keys(headers).length > 0) {
              // The sender is proven; a body that is not a notification is malformed, or (an object) at most a claim.
              expect(read!.trust).not.toBe("body")
              if (read!.trust === "sender") expect(read!.subject).toBeUndefined()
            } else {
              expect(read).toMatchObject({ trust: "none", rejection: expect.stringMatching(/^(signature|malformed)$/) })
            }
          }
        }
      })
    })
  })
}
