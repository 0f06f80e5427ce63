import { actOnAttention, availableActions, presentAttention, summariseRefunds, type AttentionActionDeps, type AttentionRow } from "../attention"
import type { LedgerRefund } from "../ports"
import { committedRefundMinor, isInDoubt, medusaRefundsOf, medusaRefundState } from "../refund-ledger"
import { markNotRefunded, RefundActionError, refundMedusaPayment, retryRefundAtGate } from "../refund-medusa-payment"
import { onRefundNews, recordOutsideRefund, type RefundNewsDeps } from "../refund-news"
import { resolveInDoubtRefund, sendRefund, type SendRefundDeps } from "../send-refund"
import { FakeGate, InMemoryAttention, InMemoryLedger } from "./in-memory"

const PAY = "payses_01REFUNDS"

/** Lets every promise already under way run as far as it can (microtasks only, no timers). */
async function flush(rounds = 50) {
  for (let i = 0; i < rounds; i++) await Promise.resolve()
}

async function world(options: { charged?: number; currency?: string; medusaPayment?: boolean; unledgered?: Array<{ id: string; amount: string }> } = {}) {
  const charged = options.charged ?? 100_000
  const currency = options.currency ?? "NGN"
  const ledger = new InMemoryLedger()
  const attention = new InMemoryAttention()
  const gate = new FakeGate()
  await ledger.recordSaleSent({ gatePaymentId: PAY, sessionId: PAY, amount: charged, currency })
  gate.paid(PAY, charged, currency)
  const deps: SendRefundDeps = { ledger, rail: gate.asRail() }

  /** An admin's refund in Medusa, as the provider hands it over. */
  const refund = (medusaRefundId: string, medusaAmount: string) =>
    refundMedusaPayment(deps, { gatePaymentId: PAY, currency, charged, medusaRefundId, medusaAmount })
  const rows = () => ledger.refundsOf(PAY)
  const rowOf = async (merchantKey: string) => {
    const row = (await rows()).find((r) => r.merchantKey === merchantKey)
    if (!row) throw new Error(`no ledger row ${merchantKey}`)
    return row
  }
  /** Gate's verdict on a refund it accepted, and the callback recording it on the ledger row. */
  const gateSays = async (merchantKey: string, status: "success" | "decline", message?: string) => {
    const op = gate.settleAtGate(PAY, merchantKey, status, status === "success" ? "0" : "20105", message)
    await ledger.settleRefund(merchantKey, { status, gateOperationId: op.id, requestId: op.requestId, code: op.code, message: op.message })
    return rowOf(merchantKey)
  }

  const recordCalls: Array<{ paymentId: string; amount: string; ledgerRowId: string; note: string }> = []
  let recordAnswers: Array<{ ok: true } | { ok: false; message: string }> = []
  const errors: string[] = []
  const news: RefundNewsDeps = {
    ledger,
    attention,
    paymentOfSession: async (sessionId) => ((options.medusaPayment ?? true) && sessionId === PAY ? { paymentId: "pay_1", orderId: "order_1" } : undefined),
    // What Medusa's refund workflow does through the provider: a new Medusa refund, tied to the ledger row.
    recordInMedusa: async (input) => {
      recordCalls.push(input)
      await flush(3)
      const answer = recordAnswers.shift() ?? { ok: true }
      if (answer.ok) await ledger.attachOutsideRefund(input.ledgerRowId, `ref_new_${recordCalls.length}`, input.amount)
      return answer
    },
    unledgeredMedusaRefunds: async () => options.unledgered ?? [],
    log: { warn: () => undefined, error: (message) => void errors.push(message) },
  }
  const sale = await ledger.findSale(PAY)

  const retryCalls: string[] = []
  const actions: AttentionActionDeps = {
    ledger,
    attention,
    refundOrphan: async () => {
      throw new Error("refundOrphan must not be called for a Medusa refund's item")
    },
    completeOrder: async () => {
      throw new Error("completeOrder must not be called for a Medusa refund's item")
    },
    retryRefund: async (gatePaymentId, medusaRefundId) => {
      retryCalls.push(medusaRefundId)
      const sent = await retryRefundAtGate(deps, gatePaymentId, medusaRefundId)
      if (sent.status === "refused" || sent.status === "unreachable") return { ok: false, message: sent.message }
      return { ok: true, merchantKey: sent.refund.merchantKey ?? medusaRefundId }
    },
    markNotRefunded: async (gatePaymentId, medusaRefundId, note) => {
      await markNotRefunded(deps, gatePaymentId, medusaRefundId, note)
    },
    recordOutsideRefund: async (gatePaymentId, ledgerRowId) => {
      const row = (await ledger.refundsOf(gatePaymentId)).find((r) => r.id === ledgerRowId)
      if (!row) return { ok: false, message: `no row ${ledgerRowId}` }
      const outcome = await recordOutsideRefund(news, row, await ledger.findSale(gatePaymentId))
      return outcome.outcome === "recorded_in_medusa" ? { ok: true } : { ok: false, message: outcome.outcome }
    },
  }

  return {
    ledger,
    attention,
    gate,
    deps,
    news,
    actions,
    sale,
    refund,
    rows,
    rowOf,
    gateSays,
    recordCalls,
    errors,
    retryCalls,
    answerRecordingWith: (...answers: typeof recordAnswers) => void (recordAnswers = answers),
  }
}

type World = Awaited<ReturnType<typeof world>>

/** A Medusa refund Gate accepted, then declined days later (the callback recorded on the ledger). */
async function declinedAfterAcceptance(w: World, medusaRefundId = "ref_1", amount = "600", reason = "Insufficient merchant balance") {
  w.gate.nextRefund = "processing"
  expect(await w.refund(medusaRefundId, amount)).toMatchObject({ status: "accepted" })
  return w.gateSays(medusaRefundId, "decline", reason)
}

/** A needs-attention item as the admin API hands it to actOnAttention. */
function attentionRow(w: World, index = 0): AttentionRow {
  const item = w.attention.items[index]
  return {
    id: `fwat_${index + 1}`,
    kind: item.kind,
    state: item.state,
    gate_payment_id: item.gatePaymentId,
    session_id: item.sessionId ?? null,
    cart_id: item.cartId ?? null,
    order_id: item.orderId ?? null,
    amount: item.amount,
    currency_code: item.currency,
    code: item.code ?? null,
    message: item.message,
    refund_key: item.refundKey ?? null,
    subject: item.subject ?? "",
    resolution: item.resolution ?? null,
    created_at: new Date(0),
    updated_at: new Date(0),
  }
}

describe("refundMedusaPayment: an admin's refund in Medusa, sent to Gate once", () => {
  it("writes the row under Medusa's refund id before Gate hears of it", async () => {
    const w = await world()
    const seenByGate: Array<{ merchantRefundId?: string; rows: LedgerRefund[] }> = []
    w.gate.onRefund = (request) => seenByGate.push({ merchantRefundId: request.merchantRefundId, rows: w.ledger.refunds.map((r) => ({ ...r })) })
    await w.refund("ref_1", "600")
    expect(seenByGate).toHaveLength(1)
    expect(seenByGate[0].merchantRefundId).toBe("ref_1")
    expect(seenByGate[0].rows).toEqual([
      expect.objectContaining({ merchantKey: "ref_1", medusaRefundId: "ref_1", medusaAmount: "600", origin: "medusa", amount: 60_000, status: "pending" }),
    ])
  })

  it("answers accepted as soon as Gate took it, with the row pending: no waiting for Gate's verdict", async () => {
    const w = await world()
    w.gate.nextRefund = "processing"
    const answer = await w.refund("ref_1", "600")
    expect(answer).toMatchObject({ status: "accepted", refund: { merchantKey: "ref_1", status: "pending", amount: 60_000 } })
    const op = w.gate.refundOperation(PAY, "ref_1")!
    expect(op.status).toBe("processing")
    expect(await w.rowOf("ref_1")).toMatchObject({ status: "pending", requestId: op.requestId })
    expect(w.gate.refundRequests[0]).toMatchObject({ paymentId: PAY, amount: 60_000, currency: "NGN", merchantRefundId: "ref_1" })
  })

  it("sends nothing when Medusa asks again for the same refund (known)", async () => {
    const w = await world()
    const first = await w.refund("ref_1", "600")
    const again = await w.refund("ref_1", "600")
    expect(again.status).toBe("known")
    expect(again).toMatchObject({ refund: { id: (first as { refund: LedgerRefund }).refund.id } })
    expect(w.gate.refundRequests).toHaveLength(1)
    expect(await w.rows()).toHaveLength(1)
  })

  it("sends once when Medusa's same refund arrives twice at the same moment", async () => {
    const w = await world()
    const answers = await Promise.all([w.refund("ref_1", "600"), w.refund("ref_1", "600")])
    expect(answers.map((a) => a.status).sort()).toEqual(["accepted", "known"])
    expect(w.gate.refundRequests).toHaveLength(1)
    expect(w.gate.refundedAt(PAY)).toBe(60_000)
  })

  it("refuses a refund over what Gate captured, naming the captured and committed amounts, and writes nothing", async () => {
    const w = await world()
    await w.refund("ref_1", "600")
    const answer = await w.refund("ref_2", "500")
    expect(answer.status).toBe("not_allowed")
    const message = (answer as { message: string }).message
    expect(message).toContain("500.00 NGN")
    expect(message).toContain("1000.00 NGN was captured")
    expect(message).toContain("600.00 NGN is already refunded or being refunded")
    expect((await w.rows()).map((r) => r.merchantKey)).toEqual(["ref_1"])
    expect(w.gate.refundRequests).toHaveLength(1)
  })

  it("refuses a refund below the currency's smallest unit, and writes nothing", async () => {
    const w = await world()
    const answer = await w.refund("ref_1", "0.004")
    expect(answer).toMatchObject({ status: "not_allowed", message: expect.stringMatching(/below the smallest amount/) })
    expect(await w.rows()).toHaveLength(0)
    expect(w.gate.refundRequests).toHaveLength(0)
  })

  it("reports Gate's refusal at once with its code and message, and declines the row", async () => {
    const w = await world()
    w.gate.nextRefund = { refuse: "3610", message: "Refund is unavailable" }
    await expect(w.refund("ref_1", "600")).resolves.toEqual({ status: "refused", code: "3610", message: "Refund is unavailable" })
    expect(await w.rowOf("ref_1")).toMatchObject({ status: "decline", code: "3610", message: "Refund is unavailable" })
    expect(w.gate.refundOperations(PAY)).toHaveLength(0)
  })

  it("frees a refused refund's amount once Medusa drops that refund", async () => {
    const w = await world()
    w.gate.nextRefund = { refuse: "3610", message: "Refund is unavailable" }
    await w.refund("ref_1", "1000")
    await w.ledger.detachMedusaRefund("ref_1")
    await expect(w.refund("ref_2", "1000")).resolves.toMatchObject({ status: "accepted" })
    expect(w.gate.refundedAt(PAY)).toBe(100_000)
  })

  it("reports an unreachable Gate, declines the row, and sends nothing", async () => {
    const w = await world()
    w.gate.nextRefund = "unreachable"
    const answer = await w.refund("ref_1", "600")
    expect(answer.status).toBe("unreachable")
    expect(await w.rowOf("ref_1")).toMatchObject({ status: "decline", code: "unreachable" })
    expect(w.gate.refundOperations(PAY)).toHaveLength(0)
    expect(w.gate.statusRequests).toBe(0)
  })

  it("after an unknown outcome Gate processed, asks Gate and records its operation: one refund at Gate", async () => {
    const w = await world()
    w.gate.nextRefund = "unknown-but-processed"
    const answer = await w.refund("ref_1", "600")
    expect(answer.status).toBe("accepted")
    const op = w.gate.refundOperation(PAY, "ref_1")!
    expect(w.gate.statusRequests).toBe(1)
    expect(await w.rowOf("ref_1")).toMatchObject({ gateOperationId: op.id, requestId: op.requestId, status: "success" })
    expect(w.gate.refundRequests).toHaveLength(1)
    expect(w.gate.refundOperations(PAY)).toHaveLength(1)
  })

  it("after an unknown outcome Gate never saw, resends under the same merchant key: one refund at Gate", async () => {
    const w = await world()
    w.gate.nextRefund = "unknown-not-processed"
    const answer = await w.refund("ref_1", "600")
    expect(answer).toMatchObject({ status: "accepted", refund: { merchantKey: "ref_1", status: "pending" } })
    expect(w.gate.statusRequests).toBe(1)
    expect(w.gate.refundRequests.map((r) => [r.merchantRefundId, r.amount])).toEqual([
      ["ref_1", 60_000],
      ["ref_1", 60_000],
    ])
    expect(w.gate.refundOperations(PAY)).toHaveLength(1)
    expect(await w.rowOf("ref_1")).toMatchObject({ requestId: w.gate.refundOperation(PAY, "ref_1")!.requestId })
  })

  it("leaves the row in doubt when Gate's status cannot be read, and settles it later without a second refund", async () => {
    const w = await world()
    w.gate.nextRefund = "unknown-but-processed"
    w.gate.failStatus = 1
    const answer = await w.refund("ref_1", "600")
    expect(answer).toMatchObject({ status: "in_doubt", reason: expect.stringMatching(/unknown \(timeout.*the payment could not be looked up/) })
    const row = await w.rowOf("ref_1")
    expect(isInDoubt(row)).toBe(true)

    // Reconciliation, later: Gate is asked first and holds the refund.
    await expect(resolveInDoubtRefund(w.deps, row, "Refund ref_1", "timeout", { policy: "final" })).resolves.toMatchObject({ status: "accepted" })
    expect(await w.rowOf("ref_1")).toMatchObject({ gateOperationId: w.gate.refundOperation(PAY, "ref_1")!.id })
    expect(w.gate.refundRequests).toHaveLength(1)
    expect(w.gate.refundOperations(PAY)).toHaveLength(1)
  })

  it("never reports a lost refund as failed to the admin: a resend Gate refuses or cannot take leaves it in doubt", async () => {
    for (const resend of [{ refuse: "3283", message: "Refund amount more than initial" }, "unreachable"] as const) {
      const w = await world()
      w.gate.nextRefund = "unknown-not-processed"
      // After the lost answer, Gate's status shows nothing yet; the resend is refused (or Gate went away).
      w.gate.onRefund = () => {
        if (w.gate.refundRequests.length === 2) w.gate.nextRefund = resend
      }
      const answer = await w.refund("ref_1", "600")
      expect(answer.status).toBe("in_doubt")
      expect(await w.rowOf("ref_1")).toMatchObject({ status: "pending", medusaRefundId: "ref_1" })
    }
  })

  it("in reconciliation, a resend Gate refuses after its status showed no such refund is a decline", async () => {
    const w = await world()
    w.gate.nextRefund = "unknown-not-processed"
    w.gate.failStatus = 1
    await w.refund("ref_1", "600")
    const row = await w.rowOf("ref_1")
    w.gate.nextRefund = { refuse: "3610", message: "Refund unavailable" }
    await expect(resolveInDoubtRefund(w.deps, row, "Refund ref_1", "timeout", { policy: "final" })).resolves.toMatchObject({ status: "refused", code: "3610" })
    expect((await w.rowOf("ref_1")).status).toBe("decline")
  })

  it("a refund Medusa no longer holds is never resent: found at Gate, or declined as never sent", async () => {
    const w = await world()
    w.gate.nextRefund = "unknown-not-processed"
    w.gate.failStatus = 1
    await w.refund("ref_1", "600")
    await w.ledger.detachMedusaRefund("ref_1")
    const row = await w.rowOf("ref_1")
    await expect(resolveInDoubtRefund(w.deps, row, "Refund ref_1", "reconciliation", { policy: "status_only" })).resolves.toMatchObject({ status: "refused" })
    expect(w.gate.refundRequests).toHaveLength(1)
    expect((await w.rowOf("ref_1")).status).toBe("decline")
  })

  it("reports a refund Gate's status shows already declined as a refusal, while Medusa can still drop it", async () => {
    const w = await world()
    w.gate.nextRefund = "unknown-but-processed"
    w.gate.onRefund = (request) => {
      if (request.merchantRefundId === "ref_1") queueMicrotask(() => w.gate.settleAtGate(PAY, "ref_1", "decline", "3610", "Refund unavailable"))
    }
    await expect(w.refund("ref_1", "600")).resolves.toMatchObject({ status: "refused", code: "3610" })
  })

  it("sending an in-doubt row again under its key: Gate's 3230 proves it arrived, nothing is refunded twice", async () => {
    const w = await world()
    w.gate.nextRefund = "unknown-but-processed"
    w.gate.failStatus = 1
    await w.refund("ref_1", "600")
    const row = await w.rowOf("ref_1")
    await expect(sendRefund(w.deps, row, "Refund ref_1")).resolves.toMatchObject({ status: "accepted", refund: { id: row.id } })
    expect(w.gate.refundRequests.map((r) => r.merchantRefundId)).toEqual(["ref_1", "ref_1"])
    expect(w.gate.refundOperations(PAY)).toHaveLength(1)
    expect((await w.rowOf("ref_1")).status).toBe("pending")
  })
})

describe("refundMedusaPayment under concurrency: the ledger's lock keeps the total within what Gate captured", () => {
  it("of 60,000 and 50,000 started together on 100,000, accepts exactly one", async () => {
    const w = await world()
    const answers = await Promise.all([w.refund("ref_a", "600"), w.refund("ref_b", "500")])
    expect(answers.map((a) => a.status).sort()).toEqual(["accepted", "not_allowed"])
    const accepted = answers.find((a) => a.status === "accepted") as { refund: LedgerRefund }
    expect(w.gate.refundRequests).toHaveLength(1)
    expect(w.gate.refundedAt(PAY)).toBe(accepted.refund.amount)
    expect(await w.rows()).toHaveLength(1)
  })

  it("of 40,000 and 50,000 started together, accepts both: 90,000 at Gate", async () => {
    const w = await world()
    const answers = await Promise.all([w.refund("ref_a", "400"), w.refund("ref_b", "500")])
    expect(answers.map((a) => a.status)).toEqual(["accepted", "accepted"])
    expect(w.gate.refundedAt(PAY)).toBe(90_000)
    expect(committedRefundMinor(await w.rows())).toBe(90_000)
  })

  it("of twenty 10,000 refunds started together on 100,000, accepts exactly ten", async () => {
    const w = await world()
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => w.refund(`ref_${i}`, "100")))
    expect(answers.filter((a) => a.status === "accepted")).toHaveLength(10)
    expect(answers.filter((a) => a.status === "not_allowed")).toHaveLength(10)
    expect(w.gate.refundRequests).toHaveLength(10)
    expect(w.gate.refundedAt(PAY)).toBe(100_000)
    expect(await w.rows()).toHaveLength(10)
  })

  it("calls Gate outside the lock: a slow Gate answer does not hold up the next refund", async () => {
    const w = await world()
    let answer!: () => void
    w.gate.holdAnswers = new Promise<void>((resolve) => (answer = resolve))
    const both = Promise.all([w.refund("ref_a", "400"), w.refund("ref_b", "500")])
    await flush()
    const requestsWhileHeld = w.gate.refundRequests.length
    answer()
    const answers = await both
    expect(requestsWhileHeld).toBe(2)
    expect(answers.map((a) => a.status)).toEqual(["accepted", "accepted"])
  })
})

describe("refundMedusaPayment rounding: what Gate receives adds up to what it charged", () => {
  // Medusa's exact total 1076.075 NGN (7.5 % VAT on 1,001.00) was charged as 107,608 kobo.
  const taxed = () => world({ charged: 107_608 })

  it("sends the whole charge for a full refund of Medusa's exact total", async () => {
    const w = await taxed()
    await expect(w.refund("ref_1", "1076.075")).resolves.toMatchObject({ status: "accepted", refund: { amount: 107_608, medusaAmount: "1076.075" } })
    expect(w.gate.refundRequests.map((r) => r.amount)).toEqual([107_608])
    expect(w.gate.refundedAt(PAY)).toBe(107_608)
  })

  it("sends 50,000 then 57,608 for partial refunds of 500 and 576.075", async () => {
    const w = await taxed()
    await w.refund("ref_1", "500")
    await w.refund("ref_2", "576.075")
    expect(w.gate.refundRequests.map((r) => r.amount)).toEqual([50_000, 57_608])
    expect(w.gate.refundedAt(PAY)).toBe(107_608)
  })

  it("sends exactly the charge for two refunds that each carry a sub-kobo fraction", async () => {
    const w = await taxed()
    await w.refund("ref_1", "500.0025")
    await w.refund("ref_2", "576.0725")
    const sent = w.gate.refundRequests.map((r) => r.amount!)
    expect(sent.reduce((a, b) => a + b, 0)).toBe(107_608)
    expect(sent).toEqual([50_000, 57_608])
    // Nothing is left: another kobo is over what was captured.
    await expect(w.refund("ref_3", "0.01")).resolves.toMatchObject({ status: "not_allowed" })
  })

  it("charges TZS refunds in whole shillings, in Gate's two-decimal units", async () => {
    const w = await world({ charged: 353_900, currency: "TZS" })
    await w.refund("ref_1", "1000.4")
    await w.refund("ref_2", "2538.42")
    expect(w.gate.refundRequests.map((r) => r.amount)).toEqual([100_000, 253_900])
    expect(w.gate.refundedAt(PAY)).toBe(353_900)
  })
})

describe("retryRefundAtGate: Retry at Gate of a refund Gate declined after accepting it", () => {
  it("sends a new refund under <refund id>-r1 for the same amount", async () => {
    const w = await world()
    await declinedAfterAcceptance(w)
    w.gate.nextRefund = "processing"
    const retried = await retryRefundAtGate(w.deps, PAY, "ref_1")
    expect(retried).toMatchObject({ status: "accepted", refund: { merchantKey: "ref_1-r1", origin: "retry", medusaRefundId: "ref_1", amount: 60_000 } })
    expect(w.gate.refundRequests.map((r) => [r.merchantRefundId, r.amount])).toEqual([
      ["ref_1", 60_000],
      ["ref_1-r1", 60_000],
    ])
    expect((await w.rowOf("ref_1-r1")).medusaAmount).toBe("600")
    expect(medusaRefundState(medusaRefundsOf(await w.rows()).get("ref_1")!)).toBe("pending")
  })

  it("sends nothing on a second Retry while the first is under way", async () => {
    const w = await world()
    await declinedAfterAcceptance(w)
    w.gate.nextRefund = "processing"
    await retryRefundAtGate(w.deps, PAY, "ref_1")
    const again = await retryRefundAtGate(w.deps, PAY, "ref_1")
    expect(again).toMatchObject({ status: "known", refund: { merchantKey: "ref_1-r1" } })
    expect(w.gate.refundRequests).toHaveLength(2)
  })

  it("sends nothing on two Retries clicked at the same moment beyond the one retry", async () => {
    const w = await world()
    await declinedAfterAcceptance(w)
    w.gate.nextRefund = "processing"
    const answers = await Promise.all([retryRefundAtGate(w.deps, PAY, "ref_1"), retryRefundAtGate(w.deps, PAY, "ref_1")])
    expect(answers.map((a) => a.status).sort()).toEqual(["accepted", "known"])
    expect(w.gate.refundRequests.filter((r) => r.merchantRefundId === "ref_1-r1")).toHaveLength(1)
  })

  it("sends nothing for a refund still pending at Gate or already refunded", async () => {
    const w = await world()
    w.gate.nextRefund = "processing"
    await w.refund("ref_1", "600")
    await expect(retryRefundAtGate(w.deps, PAY, "ref_1")).resolves.toMatchObject({ status: "known", refund: { merchantKey: "ref_1", status: "pending" } })
    await w.gateSays("ref_1", "success")
    await expect(retryRefundAtGate(w.deps, PAY, "ref_1")).resolves.toMatchObject({ status: "known", refund: { merchantKey: "ref_1", status: "success" } })
    expect(w.gate.refundRequests).toHaveLength(1)
  })

  it("uses -r2 after the first retry is declined too", async () => {
    const w = await world()
    await declinedAfterAcceptance(w)
    w.gate.nextRefund = "processing"
    await retryRefundAtGate(w.deps, PAY, "ref_1")
    await w.gateSays("ref_1-r1", "decline", "Insufficient merchant balance")
    w.gate.nextRefund = "processing"
    await expect(retryRefundAtGate(w.deps, PAY, "ref_1")).resolves.toMatchObject({ status: "accepted", refund: { merchantKey: "ref_1-r2" } })
    expect(w.gate.refundRequests.map((r) => r.merchantRefundId)).toEqual(["ref_1", "ref_1-r1", "ref_1-r2"])
    expect(w.gate.refundRequests.map((r) => r.amount)).toEqual([60_000, 60_000, 60_000])
  })

  it("counts the declined refund once, whatever the attempts: nothing more fits beside it", async () => {
    const w = await world()
    await declinedAfterAcceptance(w)
    // Medusa counts the refund, declined or not: the rest of the payment is all that can still be refunded.
    await expect(w.refund("ref_2", "500")).resolves.toMatchObject({ status: "not_allowed" })
    w.gate.nextRefund = "processing"
    await retryRefundAtGate(w.deps, PAY, "ref_1")
    expect(committedRefundMinor(await w.rows())).toBe(60_000)
    await expect(w.refund("ref_2", "400")).resolves.toMatchObject({ status: "accepted" })
  })

  it("refuses to retry a refund marked as not refunded, or one the ledger does not hold", async () => {
    const w = await world()
    await declinedAfterAcceptance(w)
    await markNotRefunded(w.deps, PAY, "ref_1", "")
    await expect(retryRefundAtGate(w.deps, PAY, "ref_1")).rejects.toThrow(RefundActionError)
    await expect(retryRefundAtGate(w.deps, PAY, "ref_unknown")).rejects.toThrow(RefundActionError)
    expect(w.gate.refundRequests).toHaveLength(1)
  })
})

describe("markNotRefunded: the admin's decision on a refund Gate declined", () => {
  it("marks every attempt of the refund not_refunded, and the refund still counts against the payment", async () => {
    const w = await world()
    await declinedAfterAcceptance(w)
    w.gate.nextRefund = "processing"
    await retryRefundAtGate(w.deps, PAY, "ref_1")
    await w.gateSays("ref_1-r1", "decline")
    const attempts = await markNotRefunded(w.deps, PAY, "ref_1", "paid back in cash")
    expect(attempts.map((r) => r.merchantKey)).toEqual(["ref_1", "ref_1-r1"])
    for (const row of await w.rows()) expect(row.resolution).toMatch(/^not_refunded: paid back in cash$/)
    expect(medusaRefundState(medusaRefundsOf(await w.rows()).get("ref_1")!)).toBe("not_refunded")
    expect(committedRefundMinor(await w.rows())).toBe(60_000)
    await expect(w.refund("ref_2", "500")).resolves.toMatchObject({ status: "not_allowed" })
  })

  it("is idempotent: marking again changes nothing", async () => {
    const w = await world()
    await declinedAfterAcceptance(w)
    await markNotRefunded(w.deps, PAY, "ref_1", "first")
    await markNotRefunded(w.deps, PAY, "ref_1", "second")
    expect((await w.rowOf("ref_1")).resolution).toBe("not_refunded: first")
  })

  it("refuses a refund that is pending or succeeded at Gate", async () => {
    const w = await world()
    w.gate.nextRefund = "processing"
    await w.refund("ref_1", "600")
    await expect(markNotRefunded(w.deps, PAY, "ref_1", "")).rejects.toThrow(RefundActionError)
    await w.gateSays("ref_1", "success")
    await expect(markNotRefunded(w.deps, PAY, "ref_1", "")).rejects.toThrow(RefundActionError)
    await expect(markNotRefunded(w.deps, PAY, "ref_unknown", "")).rejects.toThrow(RefundActionError)
    expect((await w.rowOf("ref_1")).resolution).toBeNull()
  })
})

describe("onRefundNews: what a refund's new status means beyond its row", () => {
  it("tells the admin once when Gate declines a Medusa refund it had accepted, even when the news repeats", async () => {
    const w = await world()
    const row = await declinedAfterAcceptance(w, "ref_1", "600", "Insufficient merchant balance")
    const outcomes = [await onRefundNews(w.news, row, w.sale), await onRefundNews(w.news, row, w.sale)]
    expect(outcomes).toEqual([
      { outcome: "declined_after_acceptance", medusaRefundId: "ref_1" },
      { outcome: "declined_after_acceptance", medusaRefundId: "ref_1" },
    ])
    expect(w.attention.items).toHaveLength(1)
    expect(w.attention.notified).toHaveLength(1)
    expect(w.attention.items[0]).toMatchObject({ kind: "refund_declined", subject: "ref_1", state: "open", orderId: "order_1", amount: 60_000, refundKey: "ref_1" })
    expect(w.attention.items[0].message).toContain("Insufficient merchant balance")
    expect(w.errors).toHaveLength(2)
  })

  it("raises one item per declined Medusa refund of the same payment", async () => {
    const w = await world()
    const first = await declinedAfterAcceptance(w, "ref_1", "300")
    const second = await declinedAfterAcceptance(w, "ref_2", "300")
    await onRefundNews(w.news, first, w.sale)
    await onRefundNews(w.news, second, w.sale)
    expect(w.attention.items.map((i) => i.subject)).toEqual(["ref_1", "ref_2"])
  })

  it("says nothing for a refund still pending or one that succeeded first time", async () => {
    const w = await world()
    w.gate.nextRefund = "processing"
    await w.refund("ref_1", "600")
    await expect(onRefundNews(w.news, await w.rowOf("ref_1"), w.sale)).resolves.toEqual({ outcome: "none" })
    await expect(onRefundNews(w.news, await w.gateSays("ref_1", "success"), w.sale)).resolves.toEqual({ outcome: "none" })
    expect(w.attention.items).toHaveLength(0)
  })

  it("closes the item when a Retry at Gate succeeds, and ignores a stale decline of the first attempt meanwhile", async () => {
    const w = await world()
    const declined = await declinedAfterAcceptance(w)
    await onRefundNews(w.news, declined, w.sale)
    w.gate.nextRefund = "processing"
    await retryRefundAtGate(w.deps, PAY, "ref_1")
    // The first attempt's decline, delivered again while the retry is under way: nothing new.
    await expect(onRefundNews(w.news, declined, w.sale)).resolves.toEqual({ outcome: "none" })
    const settled = await w.gateSays("ref_1-r1", "success")
    await expect(onRefundNews(w.news, settled, w.sale)).resolves.toEqual({ outcome: "retry_settled", medusaRefundId: "ref_1" })
    expect(w.attention.items).toEqual([expect.objectContaining({ kind: "refund_declined", subject: "ref_1", state: "resolved" })])
    expect(w.attention.notified).toHaveLength(1)
  })

  it("keeps the item open when the retry is declined too", async () => {
    const w = await world()
    await onRefundNews(w.news, await declinedAfterAcceptance(w), w.sale)
    w.gate.nextRefund = "processing"
    await retryRefundAtGate(w.deps, PAY, "ref_1")
    const retryDeclined = await w.gateSays("ref_1-r1", "decline", "Still no balance")
    await expect(onRefundNews(w.news, retryDeclined, w.sale)).resolves.toMatchObject({ outcome: "declined_after_acceptance" })
    expect(w.attention.items).toEqual([expect.objectContaining({ subject: "ref_1", state: "open", message: expect.stringContaining("Still no balance") })])
    expect(w.attention.notified).toHaveLength(1)
  })

  it("records a successful outside refund in Medusa exactly once, even when the news arrives twice at once", async () => {
    const w = await world()
    const row = w.ledger.recordOutside(PAY, "9001", 20_000, "NGN", "success")
    const outcomes = await Promise.all([onRefundNews(w.news, row, w.sale), onRefundNews(w.news, row, w.sale)])
    expect(outcomes).toEqual([{ outcome: "recorded_in_medusa" }, { outcome: "recorded_in_medusa" }])
    expect(w.recordCalls).toEqual([{ paymentId: "pay_1", amount: "200.00", ledgerRowId: row.id, note: expect.stringContaining("9001") }])
    expect(await w.rows()).toEqual([expect.objectContaining({ id: row.id, medusaRefundId: "ref_new_1", medusaAmount: "200.00", origin: "outside" })])
    // Later news (reconciliation) about the same row: already recorded.
    await expect(onRefundNews(w.news, (await w.rows())[0], w.sale)).resolves.toEqual({ outcome: "recorded_in_medusa" })
    await expect(onRefundNews(w.news, row, w.sale)).resolves.toEqual({ outcome: "recorded_in_medusa" })
    expect(w.recordCalls).toHaveLength(1)
  })

  it("counts an outside refund against the payment before and after it is recorded in Medusa", async () => {
    const w = await world()
    const row = w.ledger.recordOutside(PAY, "9001", 20_000, "NGN", "success")
    expect(committedRefundMinor(await w.rows())).toBe(20_000)
    await onRefundNews(w.news, row, w.sale)
    expect(committedRefundMinor(await w.rows())).toBe(20_000)
    await expect(w.refund("ref_1", "800.01")).resolves.toMatchObject({ status: "not_allowed" })
    await expect(w.refund("ref_1", "800")).resolves.toMatchObject({ status: "accepted", refund: { amount: 80_000 } })
  })

  it("keeps an outside refund of a payment Medusa does not hold in the ledger only", async () => {
    const w = await world({ medusaPayment: false })
    const row = w.ledger.recordOutside(PAY, "9001", 20_000, "NGN", "success")
    await expect(onRefundNews(w.news, row, w.sale)).resolves.toMatchObject({ outcome: "ledger_only" })
    await expect(onRefundNews(w.news, row, undefined)).resolves.toMatchObject({ outcome: "ledger_only" })
    expect(w.recordCalls).toHaveLength(0)
    expect(w.attention.items).toHaveLength(0)
  })

  it("ties a Gate refund to the Medusa refund the ledger had no row for (the app died before writing it), and records nothing new", async () => {
    const w = await world({ unledgered: [{ id: "ref_lost", amount: "200.004" }] })
    const row = w.ledger.recordOutside(PAY, "9001", 20_000, "NGN", "success")
    await expect(onRefundNews(w.news, row, w.sale)).resolves.toEqual({ outcome: "recorded_in_medusa" })
    expect(w.recordCalls).toHaveLength(0)
    expect((await w.rows())[0]).toMatchObject({ medusaRefundId: "ref_lost", medusaAmount: "200.004", origin: "medusa" })
    // A Medusa refund of another amount is not it: that one is recorded as made outside Medusa.
    const other = await world({ unledgered: [{ id: "ref_lost", amount: "150" }] })
    const second = other.ledger.recordOutside(PAY, "9002", 20_000, "NGN", "success")
    await onRefundNews(other.news, second, other.sale)
    expect(other.recordCalls).toHaveLength(1)
  })

  it("records nothing for an outside refund not (yet) successful", async () => {
    const w = await world()
    const pending = w.ledger.recordOutside(PAY, "9001", 20_000, "NGN", "pending")
    const declined = w.ledger.recordOutside(PAY, "9002", 20_000, "NGN", "decline")
    await expect(onRefundNews(w.news, pending, w.sale)).resolves.toEqual({ outcome: "none" })
    await expect(onRefundNews(w.news, declined, w.sale)).resolves.toEqual({ outcome: "none" })
    expect(w.recordCalls).toHaveLength(0)
  })

  it("tells the admin when Medusa refuses to record an outside refund, and lets a later attempt record it", async () => {
    const w = await world()
    const row = w.ledger.recordOutside(PAY, "9001", 20_000, "NGN", "success")
    w.answerRecordingWith({ ok: false, message: "Refund amount exceeds the captured amount" })
    await expect(onRefundNews(w.news, row, w.sale)).resolves.toEqual({ outcome: "attention", reason: "Refund amount exceeds the captured amount" })
    expect(w.attention.items).toEqual([
      expect.objectContaining({ kind: "outside_refund_unrecorded", subject: row.id, state: "open", message: expect.stringContaining("Refund amount exceeds the captured amount") }),
    ])
    expect((await w.rows())[0].medusaRefundId).toBeNull()

    // The claim was released: the next news (or the admin's button) tries again.
    await expect(onRefundNews(w.news, row, w.sale)).resolves.toEqual({ outcome: "recorded_in_medusa" })
    expect(w.recordCalls).toHaveLength(2)
    expect((await w.rows())[0].medusaRefundId).toBe("ref_new_2")
    expect(w.attention.items[0]).toMatchObject({ state: "resolved", resolution: "recorded in Medusa" })
  })

  it("treats recordInMedusa throwing like a refusal: the admin is told, the claim released", async () => {
    const w = await world()
    const row = w.ledger.recordOutside(PAY, "9001", 20_000, "NGN", "success")
    const news: RefundNewsDeps = {
      ...w.news,
      recordInMedusa: async () => {
        throw new Error("database went away")
      },
    }
    await expect(onRefundNews(news, row, w.sale)).resolves.toEqual({ outcome: "attention", reason: "database went away" })
    await expect(w.ledger.claimOutsideRefund(row.id)).resolves.toBe(true)
  })
})

describe("needs-attention actions on a refund Gate declined", () => {
  async function raised() {
    const w = await world()
    await onRefundNews(w.news, await declinedAfterAcceptance(w), w.sale)
    return w
  }

  it("offers Retry at Gate and Mark as not refunded only while the refund is declined", async () => {
    const w = await raised()
    const item = attentionRow(w)
    const offered = async () => availableActions(item, summariseRefunds([], 0, "NGN"), await w.rows())
    expect(await offered()).toEqual(["retry_refund", "mark_not_refunded"])
    expect(presentAttention(item, await w.rows())).toMatchObject({ subject: "ref_1", actions: ["retry_refund", "mark_not_refunded"] })

    w.gate.nextRefund = "processing"
    await retryRefundAtGate(w.deps, PAY, "ref_1")
    expect(await offered()).toEqual([])
    await w.gateSays("ref_1-r1", "decline")
    expect(await offered()).toEqual(["retry_refund", "mark_not_refunded"])
    await markNotRefunded(w.deps, PAY, "ref_1", "")
    expect(await offered()).toEqual([])
    expect(availableActions({ ...item, state: "resolved" }, summariseRefunds([], 0, "NGN"), await w.rows())).toEqual([])
  })

  it("offers nothing for an item whose refund the ledger does not hold", async () => {
    const w = await raised()
    expect(availableActions({ ...attentionRow(w), subject: "ref_other" }, summariseRefunds([], 0, "NGN"), await w.rows())).toEqual([])
  })

  it("Retry at Gate clicked twice sends one retry, and the item stays open until Gate settles it", async () => {
    const w = await raised()
    w.gate.nextRefund = "processing"
    await actOnAttention(w.actions, attentionRow(w), "retry_refund", "user_1")
    await actOnAttention(w.actions, attentionRow(w), "retry_refund", "user_1")
    expect(w.retryCalls).toEqual(["ref_1"])
    expect(w.gate.refundRequests.map((r) => r.merchantRefundId)).toEqual(["ref_1", "ref_1-r1"])
    expect(w.attention.items[0].state).toBe("open")
  })

  it("Retry at Gate that Gate refuses at once is reported to the admin", async () => {
    const w = await raised()
    w.gate.nextRefund = { refuse: "3610", message: "Refund is unavailable" }
    await expect(actOnAttention(w.actions, attentionRow(w), "retry_refund", "user_1")).rejects.toThrow("Refund is unavailable")
    expect(w.attention.items[0].state).toBe("open")
  })

  it("Mark as not refunded records the decision and resolves the item", async () => {
    const w = await raised()
    await actOnAttention(w.actions, attentionRow(w), "mark_not_refunded", "user_1", "paid back in cash")
    expect(w.attention.items[0]).toMatchObject({ state: "resolved", resolution: expect.stringMatching(/^marked as not refunded: .*600\.00 NGN.*paid back in cash/) })
    expect((await w.rowOf("ref_1")).resolution).toBe("not_refunded: paid back in cash")
    // A later Retry click on the resolved item sends nothing.
    await actOnAttention(w.actions, attentionRow(w), "retry_refund", "user_1")
    expect(w.retryCalls).toHaveLength(0)
    expect(w.gate.refundRequests).toHaveLength(1)
  })

  it("Record in Medusa records an outside refund Medusa refused before, and resolves its item", async () => {
    const w = await world()
    const row = w.ledger.recordOutside(PAY, "9001", 20_000, "NGN", "success")
    w.answerRecordingWith({ ok: false, message: "Medusa was busy" })
    await onRefundNews(w.news, row, w.sale)
    const item = attentionRow(w)
    expect(presentAttention(item, await w.rows()).actions).toEqual(["record_in_medusa", "mark_reviewed"])
    await actOnAttention(w.actions, item, "record_in_medusa", "user_1")
    expect(w.attention.items[0]).toMatchObject({ state: "resolved", resolution: "recorded in Medusa" })
    expect(w.recordCalls).toHaveLength(2)
    expect((await w.rows())[0].medusaRefundId).toBe("ref_new_2")
  })
})
