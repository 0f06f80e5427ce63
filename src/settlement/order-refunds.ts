import { fromMinorUnits, roundHalfUpToMinorUnits, sumExactDecimals, type AmountInput } from "../money"
import type { LedgerRefund } from "./ports"
import { isInDoubt, medusaRefundsOf, medusaRefundState, type MedusaRefundState } from "./refund-ledger"

export type RefundViewState =
  /** Gate accepted it; the money is on its way (Flutterwave quotes 3–15 working days). */
  | "pending"
  /** Sent, but Gate's answer was lost; reconciliation asks Gate (never a second refund). */
  | "unknown"
  | "success"
  /** Gate declined it after Medusa recorded it: the shopper has not been refunded. */
  | "declined"
  /** Declined, and the admin marked it as not refunded: Medusa keeps showing it. */
  | "not_refunded"

export type RefundView = {
  /** The Medusa refund, when Medusa holds one. */
  medusa_refund_id: string | null
  amount: string
  currency_code: string
  state: RefundViewState
  made_outside_medusa: boolean
  /** Gate attempts for it: 1, or more after Retry at Gate. */
  attempts: number
  /** The merchant key of the latest attempt at Gate. */
  merchant_key: string | null
  code: string | null
  message: string | null
  resolution: string | null
  /** The needs-attention item with the actions (Retry at Gate, Mark as not refunded), while one is open. */
  attention_id: string | null
  actions: Array<"retry_refund" | "mark_not_refunded">
  created_at: string
}

export type OrderRefundsInput = {
  currency: string
  ledgerRefunds: LedgerRefund[]
  /** Medusa's refunds of the payment, with their exact amounts. */
  medusaRefunds: Array<{ id: string; amount: unknown }>
  attention: Array<{ id: string; subject: string; state: string }>
}

/**
 * A payment's refunds as the order's Flutterwave card shows them, and the one comparison that matters: Medusa's
 * refunded total against what Gate refunded. Every difference is explained by refunds still pending, declined ones
 * awaiting the admin, or ones the admin marked as not refunded; anything else is a mismatch, said loudly.
 */
export function presentOrderRefunds(input: OrderRefundsInput) {
  const { currency } = input
  const open = new Map(input.attention.filter((a) => a.state === "open").map((a) => [a.subject, a.id]))
  const views: RefundView[] = []
  for (const [medusaRefundId, attempts] of medusaRefundsOf(input.ledgerRefunds)) {
    const last = attempts[attempts.length - 1]
    const state = medusaRefundState(attempts)
    const live = attempts.find((r) => r.status !== "decline")
    const attentionId = open.get(medusaRefundId) ?? null
    views.push({
      medusa_refund_id: medusaRefundId,
      amount: fromMinorUnits(last.amount, currency),
      currency_code: currency,
      state: state === "pending" && live && isInDoubt(live) ? "unknown" : state,
      made_outside_medusa: attempts[0].origin === "outside",
      attempts: attempts.filter((r) => r.origin !== "outside").length,
      merchant_key: last.merchantKey,
      code: state === "declined" || state === "not_refunded" ? last.code : null,
      message: state === "declined" || state === "not_refunded" ? last.message : null,
      resolution: last.resolution,
      attention_id: state === "declined" ? attentionId : null,
      actions: state === "declined" && attentionId ? ["retry_refund", "mark_not_refunded"] : [],
      created_at: attempts[0].createdAt,
    })
  }
  for (const row of input.ledgerRefunds) {
    if (row.medusaRefundId || row.status === "decline") continue
    // Refunds Medusa holds none for: an outside refund not recorded yet, an orphan payment's refund.
    views.push({
      medusa_refund_id: null,
      amount: fromMinorUnits(row.amount, currency),
      currency_code: currency,
      state: row.status === "success" ? "success" : isInDoubt(row) ? "unknown" : "pending",
      made_outside_medusa: row.origin === "outside",
      attempts: 1,
      merchant_key: row.merchantKey,
      code: null,
      message: null,
      resolution: null,
      attention_id: null,
      actions: [],
      created_at: row.createdAt,
    })
  }
  views.sort((a, b) => a.created_at.localeCompare(b.created_at))

  const medusaRefunded = input.medusaRefunds.length
    ? roundHalfUpToMinorUnits(sumExactDecimals(input.medusaRefunds.map((r) => r.amount as AmountInput)), currency)
    : 0
  const gateRefunded = sum(input.ledgerRefunds.filter((r) => r.status === "success"))
  // Each Medusa refund's minor amount is its latest attempt's, straight from the ledger (no round trip through text).
  const medusaRefunds = [...medusaRefundsOf(input.ledgerRefunds).values()]
  const minorIn = (state: MedusaRefundState) =>
    medusaRefunds.filter((attempts) => medusaRefundState(attempts) === state).reduce((total, attempts) => total + attempts[attempts.length - 1].amount, 0)
  const pending = minorIn("pending")
  const declined = minorIn("declined")
  const notRefunded = minorIn("not_refunded")
  const unexplained = medusaRefunded - gateRefunded - pending - declined - notRefunded
  const major = (minor: number) => `${fromMinorUnits(minor, currency)} ${currency}`
  const alerts: string[] = []
  if (declined > 0) {
    alerts.push(`Medusa shows ${major(declined)} refunded that Flutterwave declined: the shopper has not got it back. Retry at Gate, or mark it as not refunded.`)
  }
  if (notRefunded > 0) {
    alerts.push(`Medusa's refunded total overstates Flutterwave by ${major(notRefunded)}: refunds Flutterwave declined that an admin marked as not refunded (Medusa cannot reverse a recorded refund).`)
  }
  if (unexplained !== 0) {
    alerts.push(
      unexplained > 0
        ? `Medusa shows ${major(unexplained)} more refunded than Flutterwave has refunded or is refunding. Run reconciliation; if it stays, check ECommPay's dashboard.`
        : `Flutterwave has refunded ${major(-unexplained)} more than Medusa shows (a refund made outside Medusa not recorded yet). Run reconciliation.`
    )
  }
  return {
    refunds: views,
    refund_totals: {
      medusa_refunded: fromMinorUnits(medusaRefunded, currency),
      gate_refunded: fromMinorUnits(gateRefunded, currency),
      pending: fromMinorUnits(pending, currency),
      declined: fromMinorUnits(declined, currency),
      not_refunded: fromMinorUnits(notRefunded, currency),
    },
    refund_alerts: alerts,
  }
}

function sum(rows: LedgerRefund[]): number {
  return rows.reduce((total, row) => total + row.amount, 0)
}
