/** Typed views of Gate messages. Amounts are integers in minor units; ids Gate issues are kept as digit strings. */

export type GateSum = { amount: number; currency: string }

export type GateOperationType = "sale" | "refund" | "payout" | (string & {})

/** payment.status values Gate uses (not exhaustive: Gate may add more; unknown values are kept as they are). */
export type GatePaymentStatus =
  | "success"
  | "decline"
  | "processing"
  | "external processing"
  | "awaiting redirect result"
  | "awaiting customer"
  | "refunded"
  | "partially refunded"
  | "error"
  | "internal error"
  | "external error"
  | "expired"
  | (string & {})

export type GateOperationStatus = "success" | "decline" | "processing" | "external processing" | (string & {})

export type GateRedirectData = { method: "GET" | "POST" | (string & {}); url: string; body: Record<string, unknown> }

export type GateErrorEntry = { code?: string; message?: string; description?: string; field?: string }

export type GatePayment = {
  id: string
  type: string
  status: GatePaymentStatus
  method?: string
  date?: string
  sum: GateSum
  description?: string
}

export type GateOperation = {
  /** Gate's operation id, digits as text (they reach 16 digits and more). */
  id: string
  type: GateOperationType
  status: GateOperationStatus
  requestId?: string
  date?: string
  createdDate?: string
  sumInitial?: GateSum
  sumConverted?: GateSum
  /** "0" on success, else the decline code. */
  code?: string
  message?: string
  provider?: { id?: string; paymentId?: string; date?: string; authCode?: string }
}

export type GateCustomer = {
  id: string
  ipAddress: string
  email?: string
  firstName?: string
  lastName?: string
  phone?: string
}

export type GateReturnUrls = { success?: string; decline?: string; return?: string }

export type SaleRequest = {
  paymentId: string
  /** Minor units. */
  amount: number
  currency: string
  customer: GateCustomer
  description?: string
  returnUrl?: GateReturnUrls
  /** Per-request callback URL (`general.merchant_callback_url`), overriding the project's. */
  callbackUrl?: string
}

export type RefundRequest = {
  /** The original sale's payment_id. */
  paymentId: string
  description: string
  /** Minor units; with currency, required for a partial refund. Omitted: a full refund. */
  amount?: number
  currency?: string
  /** Our idempotency key for this refund; Gate rejects a reuse with 3230. */
  merchantRefundId?: string
  callbackUrl?: string
}

export type PayoutRequest = {
  paymentId: string
  amount: number
  currency: string
  description?: string
  account: { number: string; bankId: string }
  customer: { id: string; ipAddress: string }
  callbackUrl?: string
}

/** Gate's synchronous "accepted" answer: the request passed validation; the outcome comes later. */
export type GateAccepted = {
  status: "success"
  requestId: string
  projectId: number
  paymentId: string
}

/** Gate's answer to a status request. */
export type GateStatusResult = {
  projectId: number
  payment: GatePayment
  operations: GateOperation[]
  errors: GateErrorEntry[]
  redirectData?: GateRedirectData
  raw: Record<string, unknown>
}
