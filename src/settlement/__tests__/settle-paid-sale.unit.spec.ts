import { actOnAttention, availableActions, summariseRefunds, AttentionActionError, type AttentionActionDeps, type AttentionRow } from "../attention"
import { mapWithConcurrency } from "../concurrency"
import type { LedgerSale } from "../ports"
import { orphanRefundKey, refundOrphanPayment } from "../refund-orphan-payment"
import { placementFrom, settlePaidSale, type Completion, type Placement, type SettlePaidSaleDeps } from "../settle-paid-sale"
import { FakeGate, InMemoryAttention, InMemoryLedger } from "./in-memory"

const PAY = "payses_01TEST"

async function world(options: { placement?: Placement; completions?: Completion[]; refundOrphanPayments?: boolean } = {}) {
  const ledger = new InMemoryLedger()
  const attention = new InMemoryAttention()
  const gate = new FakeGate()
  await ledger.recordSaleSent({ gatePaymentId: PAY, sessionId: PAY, amount: 107_608, currency: "NGN" })
  gate.paid(PAY, 107_608, "NGN")
  const completions = [...(options.completions ?? [{ ok: true, orderId: "order_1" }])]
  const completeCalls: string[] = []
  const deps: SettlePaidSaleDeps = {
    ledger,
    attention,
    placement: async () => options.placement ?? { state: "live", cartId: "cart_1" },
    completeOrder: async (sessionId) => {
      completeCalls.push(sessionId)
      return completions.length > 1 ? completions.shift()! : completions[0]
    },
    refundOrphan: (sale) => refundOrphanPayment({ ledger, rail: gate.asRail() }, sale),
    options: { refundOrphanPayments: options.refundOrphanPayments ?? true, maxCompletionAttempts: 3 },
    log: { warn: () => undefined, error: () => undefined },
  }
  const sale = (await ledger.findSale(PAY)) as LedgerSale
  return { ledger, attention, gate, deps, sale: { ...sale, status: "success" as const }, completeCalls }
}

describe("settlePaidSale: every paid sale ends in exactly one order or a full refund", () => {
  it("places the order when the session is live", async () => {
    const w = await world()
    await expect(settlePaidSale(w.deps, w.sale)).resolves.toEqual({ outcome: "order", orderId: "order_1" })
    expect(w.gate.refundRequests).toHaveLength(0)
    expect(w.attention.items).toHaveLength(0)
  })

  it("refunds a paid sale whose session Medusa deleted, in full, once, and tells the admin", async () => {
    const w = await world({ placement: { state: "gone" } })
    const first = await settlePaidSale(w.deps, w.sale)
    expect(first).toMatchObject({ outcome: "orphan", refund: { status: "pending", merchantKey: orphanRefundKey(PAY), amount: 107_608 } })
    // The same news again (a re-delivered callback, reconciliation): no second refund.
    await settlePaidSale(w.deps, w.sale)
    await settlePaidSale(w.deps, w.sale)
    expect(w.gate.refundRequests).toHaveLength(1)
    expect(w.gate.refundRequests[0]).toMatchObject({ paymentId: PAY, amount: 107_608, currency: "NGN", merchantRefundId: `orphan-${PAY}` })
    expect(w.gate.refundedAt(PAY)).toBe(107_608)
    expect(w.attention.items).toEqual([expect.objectContaining({ kind: "orphan_payment", gatePaymentId: PAY, state: "open" })])
    expect(w.attention.notified).toHaveLength(1)
    expect(w.completeCalls).toHaveLength(0)
  })

  it("refunds a sale whose cart already became an order through another payment", async () => {
    const w = await world({ placement: { state: "paid_elsewhere", cartId: "cart_1", orderId: "order_9" } })
    const result = await settlePaidSale(w.deps, w.sale)
    expect(result.outcome).toBe("orphan")
    expect(w.gate.refundedAt(PAY)).toBe(107_608)
    expect(w.attention.items[0]).toMatchObject({ orderId: "order_9", cartId: "cart_1" })
  })

  it("leaves orphan payments for review when automatic refunds are off", async () => {
    const w = await world({ placement: { state: "gone" }, refundOrphanPayments: false })
    expect((await settlePaidSale(w.deps, w.sale)).outcome).toBe("orphan")
    expect(w.gate.refundRequests).toHaveLength(0)
    expect(w.attention.items[0].message).toMatch(/Automatic refunds are off/)
  })

  it("refunds when the order cannot be created (stock gone), and sends nothing when Medusa's rollback already refunded", async () => {
    const w = await world({ completions: [{ ok: false, permanent: true, message: "Not enough stock available" }] })
    // Medusa's rollback refunded the whole sale through the provider (its own refund id).
    w.gate.operations.get(PAY)!.push({ id: "77", type: "refund", status: "success", sumInitial: { amount: 107_608, currency: "NGN" } })
    const result = await settlePaidSale(w.deps, w.sale)
    expect(result).toMatchObject({ outcome: "orphan", refund: { status: "nothing_left", refunded: 107_608 } })
    expect(w.gate.refundRequests).toHaveLength(0)
    expect(w.attention.items[0].message).toMatch(/Not enough stock available/)
  })

  it("tops up a partial rollback refund to the whole sale", async () => {
    const w = await world({ completions: [{ ok: false, permanent: true, message: "Promotion limit reached" }] })
    w.gate.operations.get(PAY)!.push({ id: "78", type: "refund", status: "processing", sumInitial: { amount: 7_608, currency: "NGN" } })
    await settlePaidSale(w.deps, w.sale)
    expect(w.gate.refundRequests.map((r) => r.amount)).toEqual([100_000])
  })

  it("retries a completion that fails for a passing reason, then hands it to the admin after the bound", async () => {
    const w = await world({ completions: [{ ok: false, permanent: false, message: "database went away" }] })
    expect((await settlePaidSale(w.deps, w.sale)).outcome).toBe("retry")
    expect((await settlePaidSale(w.deps, w.sale)).outcome).toBe("retry")
    const third = await settlePaidSale(w.deps, w.sale)
    expect(third.outcome).toBe("attention")
    expect(w.attention.items).toEqual([expect.objectContaining({ kind: "completion_failed", state: "open" })])
    expect(w.gate.refundRequests).toHaveLength(0)
  })
})

describe("refundOrphanPayment", () => {
  it("after an unknown outcome, asks Gate before resending: a refund that arrived is recorded, never sent twice", async () => {
    const w = await world({ placement: { state: "gone" } })
    w.gate.nextRefund = "unknown-but-processed"
    const first = await refundOrphanPayment({ ledger: w.ledger, rail: w.gate.asRail() }, w.sale)
    expect(first).toMatchObject({ status: "success", merchantKey: `orphan-${PAY}`, amount: 107_608 })
    const [row] = await w.ledger.refundsOf(PAY)
    expect(row.gateOperationId).toBe(w.gate.operations.get(PAY)!.find((op) => op.type === "refund")!.id)
    const again = await refundOrphanPayment({ ledger: w.ledger, rail: w.gate.asRail() }, w.sale)
    expect(again).toMatchObject({ status: "success", merchantKey: `orphan-${PAY}`, amount: 107_608 })
    expect(w.gate.refundRequests.map((r) => r.merchantRefundId)).toEqual([`orphan-${PAY}`])
    expect(w.gate.refundedAt(PAY)).toBe(107_608)
  })

  it("after an unknown outcome that never reached Gate, the resend refunds once", async () => {
    const w = await world()
    w.gate.nextRefund = "unknown-not-processed"
    await refundOrphanPayment({ ledger: w.ledger, rail: w.gate.asRail() }, w.sale)
    await refundOrphanPayment({ ledger: w.ledger, rail: w.gate.asRail() }, w.sale)
    await refundOrphanPayment({ ledger: w.ledger, rail: w.gate.asRail() }, w.sale)
    expect(w.gate.refundedAt(PAY)).toBe(107_608)
  })

  it("records Gate's refusal and retries later under a derived key", async () => {
    const w = await world()
    w.gate.nextRefund = { refuse: "3610", message: "Refund is unavailable" }
    const refused = await refundOrphanPayment({ ledger: w.ledger, rail: w.gate.asRail() }, w.sale)
    expect(refused).toMatchObject({ status: "decline", code: "3610" })
    const retried = await refundOrphanPayment({ ledger: w.ledger, rail: w.gate.asRail() }, w.sale)
    expect(retried).toMatchObject({ status: "pending", merchantKey: orphanRefundKey(PAY, 1) })
    expect(w.gate.refundedAt(PAY)).toBe(107_608)
  })

  it("refunds nothing for a sale Gate does not report paid", async () => {
    const w = await world()
    w.gate.operations.set(PAY, [{ id: "1", type: "sale", status: "decline", sumInitial: { amount: 107_608, currency: "NGN" } }])
    await expect(refundOrphanPayment({ ledger: w.ledger, rail: w.gate.asRail() }, w.sale)).resolves.toEqual({ status: "not_paid", gateStatus: "decline" })
    expect(w.gate.refundRequests).toHaveLength(0)
  })
})

describe("needs-attention actions", () => {
  /** The payment-level actions only: the refund actions of a Medusa refund must not be reached from these items. */
  const attentionDeps = (w: Awaited<ReturnType<typeof world>>): AttentionActionDeps => {
    const unexpected = (name: string) => async () => {
      throw new Error(`${name} must not be called for a payment-level item`)
    }
    return {
      ledger: w.ledger,
      attention: w.attention,
      refundOrphan: w.deps.refundOrphan,
      completeOrder: w.deps.completeOrder,
      retryRefund: unexpected("retryRefund"),
      markNotRefunded: unexpected("markNotRefunded"),
      recordOutsideRefund: unexpected("recordOutsideRefund"),
    }
  }
  const row = (kind: AttentionRow["kind"]): AttentionRow => ({
    id: "fwat_1",
    kind,
    state: "open",
    gate_payment_id: PAY,
    session_id: PAY,
    cart_id: null,
    order_id: null,
    amount: 107_608,
    currency_code: "NGN",
    code: null,
    message: "held",
    refund_key: null,
    subject: "",
    resolution: null,
    created_at: new Date(0),
    updated_at: new Date(0),
  })

  it("refund at Gate is idempotent: a second click finds the refund under way and sends nothing", async () => {
    const w = await world({ placement: { state: "gone" }, refundOrphanPayments: false })
    await settlePaidSale(w.deps, w.sale)
    const deps = attentionDeps(w)
    await actOnAttention(deps, row("orphan_payment"), "refund", "user_1")
    await actOnAttention(deps, { ...row("orphan_payment"), state: "resolved" }, "refund", "user_1")
    expect(w.gate.refundRequests).toHaveLength(1)
    expect(w.attention.items[0]).toMatchObject({ state: "resolved" })
  })

  it("offers no refund while one is under way, and refuses unavailable actions", async () => {
    const pending = summariseRefunds(
      [
        {
          id: "fwop_1",
          gatePaymentId: PAY,
          merchantKey: "k",
          gateOperationId: null,
          requestId: "r",
          amount: 107_608,
          currency: "NGN",
          status: "pending",
          code: null,
          message: null,
          origin: "orphan",
          medusaRefundId: null,
          medusaAmount: null,
          resolution: null,
          createdAt: new Date(0).toISOString(),
        },
      ],
      107_608,
      "NGN"
    )
    expect(pending).toMatchObject({ status: "pending", amount: "1076.08" })
    expect(availableActions(row("orphan_payment"), pending)).toEqual(["mark_reviewed"])
    expect(availableActions(row("completion_failed"), summariseRefunds([], 107_608, "NGN"))).toEqual(["retry", "refund", "mark_reviewed"])
    const w = await world()
    await expect(
      actOnAttention(attentionDeps(w), row("held_callback"), "retry", undefined)
    ).rejects.toThrow(AttentionActionError)
  })
})

describe("mapWithConcurrency", () => {
  it("keeps order and never runs more than the cap at once", async () => {
    let inFlight = 0
    let peak = 0
    const out = await mapWithConcurrency([...Array(25).keys()], 4, async (n) => {
      inFlight++
      peak = Math.max(peak, inFlight)
      await new Promise((resolve) => setTimeout(resolve, 1))
      inFlight--
      return n * 2
    })
    expect(out).toEqual([...Array(25).keys()].map((n) => n * 2))
    expect(peak).toBe(4)
  })
})

describe("the shopper's status budget", () => {
  it("lets Gate be asked at most once per interval per sale", async () => {
    const ledger = new InMemoryLedger()
    let clock = 0
    ledger.now = () => clock
    await ledger.recordSaleSent({ gatePaymentId: PAY, sessionId: PAY, amount: 1, currency: "NGN" })
    const claims = []
    for (let i = 0; i < 30; i++) {
      claims.push(await ledger.claimStatusCheck(PAY, 10_000))
      clock += 1_000
    }
    expect(claims.filter(Boolean)).toHaveLength(3)
  })
})

describe("placementFrom: where a paid sale can go", () => {
  it("a session Medusa no longer holds is gone, whatever else is known", () => {
    expect(placementFrom({ sessionLive: false, cartId: "cart_1", orderId: "order_1", ownPaymentLive: true })).toEqual({ state: "gone" })
  })

  it("a live session whose cart is not an order yet is live", () => {
    expect(placementFrom({ sessionLive: true, cartId: "cart_1", ownPaymentLive: false })).toEqual({ state: "live", cartId: "cart_1" })
    expect(placementFrom({ sessionLive: true, ownPaymentLive: false })).toEqual({ state: "live", cartId: undefined })
  })

  it("a cart that became an order through this session's payment is still live (repeated news)", () => {
    expect(placementFrom({ sessionLive: true, cartId: "cart_1", orderId: "order_1", ownPaymentLive: true })).toEqual({ state: "live", cartId: "cart_1" })
  })

  it("a cart that became an order through another payment: paid elsewhere", () => {
    expect(placementFrom({ sessionLive: true, cartId: "cart_1", orderId: "order_1", ownPaymentLive: false })).toEqual({
      state: "paid_elsewhere",
      cartId: "cart_1",
      orderId: "order_1",
    })
  })
})
