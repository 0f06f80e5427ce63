import {
  merchantKeyFromComments,
  pickTransfer,
  refundComments,
  refundOutcome,
  toMajorAmount,
  toMoney,
  transactionToRailPayment,
  transferToRailPayment,
} from "../transform"
import type { V3Refund, V3Transaction, V3Transfer } from "../types"

const transaction = (over: Partial<V3Transaction> = {}): V3Transaction => ({
  id: 4242,
  tx_ref: "ord_1",
  amount: 1500.5,
  currency: "NGN",
  status: "successful",
  processor_response: "Approved",
  ...over,
})
const refund = (over: Partial<V3Refund> = {}): V3Refund => ({ id: 77, tx_id: 4242, amount_refunded: 500, status: "completed", ...over })

describe("amounts", () => {
  it("convert exactly, both ways, through money", () => {
    expect(toMoney(1500.5, "NGN")).toEqual({ amount: 150050, currency: "NGN" })
    expect(toMoney(1076.08, "NGN")).toEqual({ amount: 107608, currency: "NGN" })
    expect(toMoney(12345, "UGX")).toEqual({ amount: 12345, currency: "UGX" })
    expect(toMoney(3539, "TZS")).toEqual({ amount: 353900, currency: "TZS" })
    expect(toMoney(3538.82, "tzs")).toEqual({ amount: 353882, currency: "TZS" })
    expect(toMoney("1500.50", "NGN")).toEqual({ amount: 150050, currency: "NGN" })
    expect(toMajorAmount({ amount: 150050, currency: "NGN" })).toBe(1500.5)
    expect(toMajorAmount({ amount: 12345, currency: "UGX" })).toBe(12345)
    expect(toMajorAmount({ amount: 353900, currency: "TZS" })).toBe(3539)
    expect(toMajorAmount({ amount: 1, currency: "KES" })).toBe(0.01)
    // Round trip over a range, no float drift.
    for (let minor = 0; minor < 100_000; minor += 7) expect(toMoney(toMajorAmount({ amount: minor, currency: "NGN" }), "NGN").amount).toBe(minor)
  })

  it("a fraction below the minor unit is not rounded away", () => {
    expect(() => toMoney(1500.555, "NGN")).toThrow(/minor unit/)
    expect(() => toMoney(1.5, "UGX")).toThrow(/minor unit/)
  })
})

describe("transactionToRailPayment", () => {
  it("a successful transaction: the sale, its amount in minor units", () => {
    expect(transactionToRailPayment(transaction())).toEqual({
      paymentRef: "ord_1",
      kind: "purchase",
      outcome: "success",
      status: "successful",
      amount: { amount: 150050, currency: "NGN" },
      operations: [{ id: "4242", type: "sale", outcome: "success", status: "successful", amount: { amount: 150050, currency: "NGN" } }],
    })
  })

  it("a failed one declines with a non-empty code and the processor's message; pending stays pending", () => {
    const failed = transactionToRailPayment(transaction({ status: "failed", processor_response: "Insufficient funds" }))
    expect(failed).toMatchObject({ outcome: "decline", code: "failed", message: "Insufficient funds" })
    expect(failed.operations[0]).toMatchObject({ type: "sale", outcome: "decline", code: "failed", message: "Insufficient funds" })
    const noReason = transactionToRailPayment(transaction({ status: "failed", processor_response: "" }))
    expect(noReason.operations[0].code).toBe("failed")
    expect(noReason.operations[0].message).toMatch(/\S/)
    expect(transactionToRailPayment(transaction({ status: "pending" })).outcome).toBe("pending")
    // A status word nobody documented is never read as final.
    expect(transactionToRailPayment(transaction({ status: "something-new" })).outcome).toBe("pending")
  })

  it("maps refund statuses", () => {
    expect(refundOutcome("pending")).toBe("pending")
    expect(refundOutcome("completed")).toBe("success")
    expect(refundOutcome("completed-offline")).toBe("success")
    expect(refundOutcome("completed-mpgs")).toBe("success")
    expect(refundOutcome("failed")).toBe("decline")
    expect(refundOutcome("disburse failed")).toBe("decline")
    expect(refundOutcome("whatever")).toBe("pending")
  })

  it("payment.amount is the sale less its successful refunds only; refunds carry our key", () => {
    const payment = transactionToRailPayment(transaction(), [
      refund({ id: 1, amount_refunded: 500, status: "completed", comments: refundComments("Order 1 refund", "rfk_1") }),
      refund({ id: 2, amount_refunded: 100.25, status: "completed-offline", comments: refundComments("partial · again", "rfk_2") }),
      refund({ id: 3, amount_refunded: 300, status: "pending", comments: refundComments("x", "rfk_3") }),
      refund({ id: 4, amount_refunded: 200, status: "disburse failed", comments: "made on the dashboard" }),
    ])
    expect(payment.amount).toEqual({ amount: 150050 - 50000 - 10025, currency: "NGN" })
    expect(payment.operations.map((operation) => [operation.type, operation.id, operation.outcome, operation.amount?.amount, operation.requestId])).toEqual([
      ["sale", "4242", "success", 150050, undefined],
      ["refund", "1", "success", 50000, "rfk_1"],
      ["refund", "2", "success", 10025, "rfk_2"],
      ["refund", "3", "pending", 30000, "rfk_3"],
      ["refund", "4", "decline", 20000, undefined],
    ])
    expect(payment.operations[4]).toMatchObject({ code: "disburse_failed", message: expect.stringMatching(/disburse failed/) })
  })

  it("UGX and TZS refunds", () => {
    expect(transactionToRailPayment(transaction({ amount: 50000, currency: "UGX" }), [refund({ amount_refunded: 12345 })]).amount).toEqual({
      amount: 37655,
      currency: "UGX",
    })
    expect(transactionToRailPayment(transaction({ amount: 3539, currency: "TZS" }), [refund({ amount_refunded: 1000.5 })]).amount).toEqual({
      amount: 253850,
      currency: "TZS",
    })
  })

  it("refunds beyond the sale are an answer it cannot read, never a negative amount", () => {
    expect(() => transactionToRailPayment(transaction({ amount: 10 }), [refund({ amount_refunded: 11 })])).toThrow()
  })
})

describe("merchant key in comments", () => {
  it("comes back out exactly, and only when it is ours", () => {
    expect(merchantKeyFromComments(refundComments("Refund · ref 1 of order", "rfk_abc"))).toBe("rfk_abc")
    expect(merchantKeyFromComments("refund from the dashboard")).toBeUndefined()
    expect(merchantKeyFromComments(undefined)).toBeUndefined()
    expect(merchantKeyFromComments(refundComments("x", "rfk_abc1"))).not.toBe("rfk_abc")
  })
})

describe("transfers", () => {
  const transfer = (over: Partial<V3Transfer> = {}): V3Transfer => ({
    id: 9,
    reference: "fwpo_1",
    amount: 500,
    currency: "NGN",
    status: "NEW",
    ...over,
  })

  it("become a payout with one payout operation named by our reference", () => {
    expect(transferToRailPayment(transfer({ status: "SUCCESSFUL" }))).toEqual({
      paymentRef: "fwpo_1",
      kind: "payout",
      outcome: "success",
      status: "SUCCESSFUL",
      amount: { amount: 50000, currency: "NGN" },
      operations: [{ id: "9", type: "payout", outcome: "success", status: "SUCCESSFUL", amount: { amount: 50000, currency: "NGN" }, requestId: "fwpo_1" }],
    })
    expect(transferToRailPayment(transfer({ status: "NEW" })).outcome).toBe("pending")
    expect(transferToRailPayment(transfer({ status: "PENDING" })).outcome).toBe("pending")
    const failed = transferToRailPayment(transfer({ status: "FAILED", complete_message: "DISBURSE FAILED: Insufficient funds" }))
    expect(failed).toMatchObject({ outcome: "decline", code: "failed", message: "DISBURSE FAILED: Insufficient funds" })
    expect(failed.operations[0]).toMatchObject({ outcome: "decline", code: "failed", message: "DISBURSE FAILED: Insufficient funds" })
  })

  it("several under one reference: the successful one, else one in flight, else the latest", () => {
    expect(pickTransfer([transfer({ id: 1, status: "FAILED" }), transfer({ id: 2, status: "SUCCESSFUL" }), transfer({ id: 3, status: "FAILED" })])?.id).toBe(2)
    expect(pickTransfer([transfer({ id: 1, status: "FAILED" }), transfer({ id: 2, status: "PENDING" })])?.id).toBe(2)
    expect(pickTransfer([transfer({ id: 1, status: "FAILED" }), transfer({ id: 5, status: "FAILED" })])?.id).toBe(5)
    expect(pickTransfer([])).toBeUndefined()
  })
})
