/** Shapes of the plugin's admin API (/admin/flutterwave/*). Amounts are major-unit decimal strings. */

export type GateStatus = "pending" | "success" | "decline"

export type OperationKind = "sale" | "refund" | "payout"

/** A min/max pair in major units, e.g. { min: "100.00", max: "5000000.00" }. */
export type AmountLimit = { min: string; max: string }

export type FlutterwaveSettings = {
  project_id: number
  mode: "sandbox" | "live"
  gate_url: string
  callback_url: string
  secret_configured: boolean
  currencies: string[]
  payout_currencies: string[]
  sale_limits: Record<string, AmountLimit>
  payout_limits: Record<string, AmountLimit>
}

export type ConnectionTestResult = {
  ok: boolean
  latency_ms: number
  message: string
  code?: string
}

export type Bank = {
  id: string
  name: string
  country: "NG" | "KE" | "GH"
}

export type PayoutDTO = {
  id: string
  gate_payment_id: string
  bank_id: string
  bank_name: string
  account_number_masked: string
  amount: string
  amount_minor: number
  currency_code: string
  description: string | null
  status: GateStatus
  code: string | null
  message: string | null
  created_by: string | null
  created_at: string
  updated_at: string
}

export type OperationDTO = {
  id: string
  kind: OperationKind
  gate_operation_id: string | null
  status: GateStatus
  code: string | null
  message: string | null
  amount: string
  currency_code: string
  source: string
  created_at: string
  updated_at: string
}

export type OrderPaymentOperations = {
  payment_id: string
  gate_payment_id: string
  gate_status: string | null
  amount: string
  currency_code: string
  operations: OperationDTO[]
}

export type PayoutListQuery = {
  status?: GateStatus
  limit: number
  offset: number
}

export type PayoutListResponse = {
  payouts: PayoutDTO[]
  count: number
  limit: number
  offset: number
}

export type PayoutDetailResponse = {
  payout: PayoutDTO
  operations: OperationDTO[]
}

export type CreatePayoutBody = {
  amount: string
  currency_code: string
  bank_id: string
  account_number: string
  description?: string
  idempotency_key: string
}

export type ReconciliationItem = {
  gate_payment_id: string
  kind: OperationKind
  before: string
  after: string
  note?: string
}

export type ReconciliationRun = {
  id: string
  trigger: "job" | "manual"
  checked: number
  changed: number
  still_pending: number
  failed: number
  items: ReconciliationItem[]
  created_at: string
}

/** What kind of disagreement between money and orders an attention item records. */
export type AttentionKind = "held_callback" | "orphan_payment" | "completion_failed" | "refund_failed" | "payout_held"

export type AttentionState = "open" | "resolved"

/** The list's filter: one state, or both. */
export type AttentionStateFilter = AttentionState | "all"

export type AttentionAction = "refund" | "retry" | "mark_reviewed"

export type AttentionRefundStatus = "none" | "pending" | "success" | "decline"

/** Our refund of the payment at Gate, if any: merchant_key is the deterministic refund key, so it never runs twice. */
export type AttentionRefund = {
  status: AttentionRefundStatus
  merchant_key: string | null
  amount: string | null
  message: string | null
}

/** Something where money and orders disagree: a held callback, an orphan payment, a failed completion or refund. */
export type AttentionItem = {
  id: string
  kind: AttentionKind
  state: AttentionState
  title: string
  gate_payment_id: string
  amount: string
  currency_code: string
  code: string | null
  /** The facts in a sentence, with Gate's code and reason. */
  message: string
  refund: AttentionRefund
  cart_id: string | null
  order_id: string | null
  session_id: string | null
  /** What the admin can do about it now; empty when nothing is left to do. */
  actions: AttentionAction[]
  resolution: string | null
  created_at: string
  updated_at: string
}

export type AttentionListResponse = {
  items: AttentionItem[]
  count: number
}

export type AttentionActionBody = {
  action: AttentionAction
  note?: string
}
