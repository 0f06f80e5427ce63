/**
 * The contract every payment rail keeps (ARCHITECTURE.md, "The contract every rail keeps"). A rail is one way of
 * talking to a payment backend: ECommPay's Gate sale, ECommPay's Payment Page, and later Flutterwave's own API. The
 * types here are neutral: minor units, our references, outcomes the core understands; each rail converts at its edge.
 * Imports nothing but money (a lint rule).
 */

export type RailName = "ecommpay-gate" | "ecommpay-page" | "flutterwave-v3"

/** An amount in the currency's minor units (kobo, cents; whole shillings for UGX). */
export type Money = { amount: number; currency: string }

/** How a rail's final answer about an operation reads to the core. */
export type RailOutcome = "pending" | "success" | "decline"

export type Shopper = {
  id: string
  email: string
  ipAddress: string
  firstName?: string
  lastName?: string
  phone?: string
}

export type ReturnUrls = { success?: string; decline?: string; return?: string }

/** Where to send the shopper: a page to GET, or a form to POST. */
export type ShopperRedirect = { method: "GET" | "POST"; url: string; body: Record<string, unknown> }

/**
 * What a money-moving request came to.
 * - `accepted`: the backend took it; the outcome comes later (a notification, or a lookup). `redirect`: the shopper's
 *   page, when the rail knows it at once (Payment Page); `widgetParams`: the same, for an embedded widget.
 * - `already_exists`: our reference was used before; this request moved nothing more.
 * - `refused`: the backend said no at once; nothing moved.
 * - `unknown`: it may have arrived (timeout, 5xx); only a lookup can tell. Never read as a refusal.
 */
export type Sent =
  | { kind: "accepted"; requestId?: string; redirect?: ShopperRedirect; widgetParams?: Record<string, string | number | boolean> }
  | { kind: "already_exists" }
  /**
   * `sent`: the backend received the request and said no (false: it never reached the backend). `retryable`: a
   * refusal for now ("too soon after the last one") that says nothing about an earlier request with the same reference.
   */
  | { kind: "refused"; code: string; message: string; sent: boolean; retryable?: boolean }
  | { kind: "unknown"; reason: string }

export type RailOperation = {
  /** The backend's id for the operation (digits as text for ECommPay). */
  id: string
  type: "sale" | "refund" | "payout" | (string & {})
  outcome: RailOutcome
  /** The backend's own status word, for the admin. */
  status: string
  amount?: Money
  requestId?: string
  code?: string
  message?: string
}

export type RailPayment = {
  /** Our reference (ECommPay's payment_id). */
  paymentRef: string
  /** A shopper's payment (with its refunds) or a payout. */
  kind: "purchase" | "payout"
  outcome: RailOutcome
  status: string
  /** Why the payment was declined, when the backend says so at payment level. */
  code?: string
  message?: string
  /** What the payment holds now (after refunds; ECommPay's `payment.sum`). */
  amount: Money
  operations: RailOperation[]
  /** Where the shopper still has to go, while the backend waits for them. */
  redirect?: ShopperRedirect
}

export type Lookup =
  | { kind: "found"; payment: RailPayment }
  /** The backend has no such payment (ECommPay 3061: a Payment Page not opened yet, or never sent). */
  | { kind: "not_found" }
  | { kind: "unknown"; reason: string }

/**
 * A notification (callback, webhook) as the rail read it. `trust` says what was proven: `body` (a valid signature
 * over the body: apply it as it is), `sender` (only who sent it: look the payment up first), `none` (forged or
 * malformed: apply nothing).
 */
export type Notification =
  | {
      trust: "body"
      payment: RailPayment
      operation?: RailOperation
      /** The same notification delivered again has the same key (ECommPay: a hash of its signature). */
      dedupeKey: string
      /** The verified body, to keep as received. */
      body: Record<string, unknown>
    }
  /**
   * Only the sender is proven (Flutterwave's `verif-hash`), not the body: the intake looks `subject` up and applies
   * what the backend's API says, never the body. `subject` is absent for events we record and ignore (the dashboard's
   * test event, subscriptions). `event` is the backend's event name (`charge.completed`, `transfer.completed`).
   */
  | {
      trust: "sender"
      subject?: { paymentRef: string; kind: "purchase" | "payout" }
      event: string
      dedupeKey: string
      body: Record<string, unknown>
    }
  /** `rejection`: a bad signature (answered 401), or a body that is malformed or another project's (400). */
  | { trust: "none"; rejection: "signature" | "malformed"; reason: string }

export type BankAccount = { number: string; bankId: string }

/** A bank a payout can go to, as the rail's backend lists it (`id` is what BankAccount.bankId takes). */
export type RailBank = { id: string; name: string }

/** A notification's headers as received (lower-case names, as Node gives them). */
export type NotificationHeaders = Record<string, string | string[] | undefined>

export type StartPaymentInput = { paymentRef: string; amount: Money; shopper: Shopper; description: string; returnUrls?: ReturnUrls }
export type RefundInput = { paymentRef: string; merchantKey: string; amount: Money; description: string }
export type PayoutInput = { paymentRef: string; amount: Money; account: BankAccount; customerId: string; ipAddress: string; narration?: string }

export interface PaymentRail {
  readonly name: RailName
  /** Starts the shopper's payment under our reference. */
  startPayment(input: StartPaymentInput): Promise<Sent>
  /** Refunds part or all of a payment, under our merchant key (resending it answers `already_exists`). */
  refund(input: RefundInput): Promise<Sent>
  /** Sends money to a bank account, under our reference. */
  payout?(input: PayoutInput): Promise<Sent>
  /** What the backend knows of a payment now. */
  lookup(paymentRef: string, budget?: { timeoutMs?: number; retries?: number }): Promise<Lookup>
  /**
   * Reads and verifies a notification's exact bytes (and, for rails that authenticate the sender by a header, its
   * headers). Never throws for bad input: `trust: "none"` says why.
   */
  readNotification(rawBody: string | Buffer, headers?: NotificationHeaders): Notification
  /** The banks payouts can go to in a country (ISO 3166 alpha-2), when the backend lists them itself. */
  listBanks?(country: string): Promise<RailBank[]>
}
