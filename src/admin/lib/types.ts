/** Shapes of the plugin's admin API (/admin/flutterwave/*). Amounts are major-unit decimal strings. */

export type GateStatus = "pending" | "success" | "decline"

export type OperationKind = "sale" | "refund" | "payout"

/** A min/max pair in major units, e.g. { min: "100.00", max: "5000000.00" }. */
export type AmountLimit = { min: string; max: string }

/** Where a setting's value comes from: medusa-config (an environment variable; wins), the admin, or the default. */
export type SettingSource = "config" | "admin" | "default"

/** Which backend takes the store's payments: ECommPay (Payment Page or Gate), or the merchant's own Flutterwave account. */
export type RailChoice = "ecommpay" | "flutterwave-v3"

export type SettingsFieldName =
  | "rail"
  | "checkout"
  | "project_id"
  | "secret_key"
  | "gate_url"
  | "payment_page_url"
  | "flutterwave_public_key"
  | "flutterwave_secret_key"
  | "flutterwave_encryption_key"
  | "flutterwave_secret_hash"
  | "flutterwave_api_url"
  | "sale_limits"
  | "payout_limits"

/** The write-only settings: the server says whether each is set and its last four characters, never its value. */
export type SealedFieldName = "secret_key" | "flutterwave_secret_key" | "flutterwave_encryption_key" | "flutterwave_secret_hash"

/** A box to tick in Flutterwave's dashboard (Settings → Webhooks), and why the plugin needs it. */
export type FlutterwaveWebhookOption = { id: string; label: string; why: string }

/**
 * The direct rail's settings. public_key and api_url are those in force only while "flutterwave-v3" is the rail in
 * force; otherwise the server reports null and the default URL, whatever is saved.
 */
export type FlutterwaveV3Settings = {
  public_key: string | null
  api_url: string
  mode: "live" | "sandbox"
  live_api_url: string
  /** What to paste in Flutterwave's dashboard, Settings → Webhooks. */
  webhook_url: string
  webhook_options: FlutterwaveWebhookOption[]
  /** Whether webhooks proven by the `flutterwave-signature` header are accepted besides `verif-hash`. */
  accept_signature_header: boolean
}

export type FlutterwaveSettings = {
  configured: boolean
  problem: string | null
  version: number
  /** The rail in force. */
  rail: RailChoice
  checkout: "payment_page" | "gate"
  project_id: number | null
  mode: "sandbox" | "live"
  gate_url: string
  payment_page_url: string
  live_urls: { gate_url: string; payment_page_url: string }
  callback_url: string
  secret_configured: boolean
  /** Never the secret: whether one is in force, its last four characters, and why a stored one cannot be read. */
  secret: { set: boolean; ends_with: string | null; problem: string | null }
  /** Every write-only key, as `secret` above (whose problem, if any, is about whichever stored key is unreadable). */
  secrets: Record<SealedFieldName, { set: boolean; ends_with: string | null }>
  secret_editing: { enabled: boolean; reason: string | null }
  flutterwave_v3: FlutterwaveV3Settings
  fields: Record<SettingsFieldName, { source: SettingSource; editable: boolean; variable?: string }>
  currencies: string[]
  /** The currencies payouts can be sent in with the rail in force. */
  payout_currencies: string[]
  sale_limits: Record<string, AmountLimit>
  payout_limits: Record<string, AmountLimit>
  default_sale_limits: Record<string, AmountLimit>
  default_payout_limits: Record<string, AmountLimit>
  updated_at: string | null
  updated_by: { id: string; email: string | null } | null
  changes: Array<{ id: string; at: string; version: number; fields: SettingsFieldName[]; actor: { id: string; email: string | null } | null }>
}

/** What Save and Test connection send: only the fields the admin changed; null clears one (back to its default). */
export type SettingsChangesBody = Partial<{
  rail: RailChoice
  flutterwave_public_key: string | null
  flutterwave_secret_key: string
  flutterwave_encryption_key: string
  flutterwave_secret_hash: string
  flutterwave_api_url: string | null
  checkout: "payment_page" | "gate"
  project_id: string
  secret_key: string
  gate_url: string
  payment_page_url: string
  sale_limits: Record<string, AmountLimit> | null
  payout_limits: Record<string, AmountLimit> | null
  version: number
}>

export type ConnectionTestResult = {
  ok: boolean
  latency_ms: number
  message: string
  code?: string
  checks?: Array<{ target: "gate" | "payment_page" | "flutterwave_api"; ok: boolean; message: string; latency_ms: number; code?: string }>
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

/** Where one refund of an order's payment stands, from the plugin's refund ledger (see src/settlement/order-refunds.ts). */
export type RefundViewState =
  /** Gate accepted it; the money is on its way (Flutterwave quotes 3–15 working days). */
  | "pending"
  /** Sent, but Gate's answer was lost; reconciliation asks Gate (never a second refund). */
  | "unknown"
  | "success"
  /** Gate declined it after Medusa recorded it: the shopper has not been refunded. */
  | "declined"
  /** Declined, and an admin marked it as not refunded: Medusa keeps showing it as refunded. */
  | "not_refunded"

/** What the order card offers on a declined refund; both go through the refund's needs-attention item. */
export type RefundAction = Extract<AttentionAction, "retry_refund" | "mark_not_refunded">

export type RefundView = {
  /** The Medusa refund, when Medusa holds one (an outside refund not recorded yet has none). */
  medusa_refund_id: string | null
  amount: string
  currency_code: string
  state: RefundViewState
  made_outside_medusa: boolean
  /** Gate attempts for it: 1, or more after Retry at Gate. */
  attempts: number
  /** The merchant key of the latest attempt at Gate. */
  merchant_key: string | null
  /** Gate's code and reason, for declined and not-refunded refunds only. */
  code: string | null
  message: string | null
  /** The admin's decision on a declined refund, e.g. "not_refunded: paid back by bank transfer". */
  resolution: string | null
  /** The open needs-attention item carrying the actions; null unless declined and awaiting the admin. */
  attention_id: string | null
  actions: RefundAction[]
  created_at: string
}

/** Medusa's refunded total against Gate's, and what explains the difference. Major-unit decimal strings. */
export type RefundTotals = {
  medusa_refunded: string
  gate_refunded: string
  pending: string
  declined: string
  not_refunded: string
}

export type OrderPaymentOperations = {
  payment_id: string
  gate_payment_id: string
  gate_status: string | null
  amount: string
  currency_code: string
  operations: OperationDTO[]
  /** Oldest first. */
  refunds: RefundView[]
  refund_totals: RefundTotals
  /** Sentences for the admin when Medusa's and Gate's refunded totals disagree; empty when they agree. */
  refund_alerts: string[]
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
  /** Due items the run's time budget did not reach: the next run takes them first. */
  left_for_next_run: number
  items: ReconciliationItem[]
  created_at: string
}

/** What kind of disagreement between money and orders an attention item records. */
export type AttentionKind =
  | "held_callback"
  | "orphan_payment"
  | "completion_failed"
  | "refund_failed"
  | "payout_held"
  /** A Medusa refund Gate declined after accepting it: Medusa shows it refunded, the shopper got nothing. */
  | "refund_declined"
  /** A refund made at ECommPay's dashboard that Medusa refused to record. */
  | "outside_refund_unrecorded"

export type AttentionState = "open" | "resolved"

/** The list's filter: one state, or both. */
export type AttentionStateFilter = AttentionState | "all"

export type AttentionAction =
  /** Refund a paid sale no order took, in full, at Gate. */
  | "refund"
  /** Try placing the order again. */
  | "retry"
  /** Send a Medusa refund Gate declined to Gate again (a new attempt under a derived key). */
  | "retry_refund"
  /** Record that a declined Medusa refund will not be paid back through Flutterwave. */
  | "mark_not_refunded"
  /** Try recording a refund made outside Medusa into Medusa again. */
  | "record_in_medusa"
  | "mark_reviewed"

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
  /**
   * What within the payment the item is about, when a payment can have several: the Medusa refund id for
   * refund_declined, the ledger's refund row id for outside_refund_unrecorded; null for the payment as a whole.
   */
  subject: string | null
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

/** One operation of the ledger as the operations page lists it (GET /admin/flutterwave/operations). */
export type LedgerOperation = {
  id: string
  kind: OperationKind
  /** The rail it went through, as the ledger records it ("ecommpay" unless the server wrote another). */
  rail: string
  status: GateStatus
  /** Major units, exact decimal text; null for a currency the plugin has no exponent for (see amount_minor). */
  amount: string | null
  /** Minor units, integer text. */
  amount_minor: string
  currency_code: string
  code: string | null
  message: string | null
  gate_payment_id: string
  gate_operation_id: string | null
  merchant_key: string | null
  source: string
  /** The Medusa order of a sale or refund, when a payment of it became one. */
  order_id: string | null
  /** ISO-8601 UTC, microseconds. */
  created_at: string
  updated_at: string
}

/** The operations page's filters; days are YYYY-MM-DD in UTC, both included. */
export type OperationFilters = {
  from?: string
  to?: string
  kind?: OperationKind
  status?: GateStatus
  currency?: string
}

export type OperationListResponse = {
  operations: LedgerOperation[]
  count: number
  limit: number
  offset: number
}

/** A sum per currency: exact major-unit decimal text, the minor units, and how many operations. */
export type MoneyTotal = { currency_code: string; amount: string; amount_minor: string; count: number }

export type OperationsAnalytics = {
  paid_volume: Array<MoneyTotal & { day: string }>
  paid_totals: MoneyTotal[]
  /** success_rate: percent with 2 decimals, success / (success + decline); pending sales left out. */
  sales: { success: number; decline: number; pending: number; success_rate: string | null }
  refunded: MoneyTotal[]
  decline_reasons: Array<{ code: string | null; message: string | null; count: number; kinds: OperationKind[] }>
}
