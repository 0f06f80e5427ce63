import type {
  Lookup,
  Money,
  Notification,
  PaymentRail,
  PayoutInput,
  RailName,
  RailOperation,
  RailPayment,
  RefundInput,
  Sent,
  ShopperRedirect,
  StartPaymentInput,
} from "../rail"
import { createHash } from "node:crypto"
import { CallbackError, parseCallback } from "./callback"
import type { GateClient, StatusBudget } from "./client"
import { GateRejectedError, GateUnknownOutcomeError, GateUnreachableError, isGateNotFound } from "./errors"
import { describeGateCode, GATE_CODES, PAYMENT_PAGE_VALIDITY_MS } from "./flutterwave"
import { extractSignature } from "./signature"
import { buildPaymentPageUrl } from "./payment-page"
import { operationOutcome, paymentOutcome } from "./status"
import type { GateOperation, GatePayment, GateRedirectData, GateStatusResult } from "./types"

/** What the rail needs of ECommPay's Gate: the typed client (tests may hand it a fake Gate with the same contract). */
export type GateTransport = Pick<GateClient, "sale" | "refund" | "payout" | "status">

export type EcommpayRailOptions = {
  projectId: number
  secretKey: string
  /** Sent as merchant_callback_url (Gate) or signed into the page; otherwise the project's callback URL applies. */
  callbackUrl?: string
  /** Payment Page base URL (the page rail only). */
  paymentPageUrl?: string
  languageCode?: string
  /** The clock that stamps a page's best_before (tests move it). */
  now?: () => number
}

/**
 * ECommPay as a payment rail, in its two ways of starting a payment: `ecommpay-gate` sends a signed Gate sale (the
 * merchant needs PCI DSS); `ecommpay-page` signs a Payment Page URL the shopper opens (no PCI DSS). Everything after
 * the start is the same Gate: the same signed callbacks, status requests, refunds and payouts. Gate's answers become
 * the neutral types of ../rail.ts here and nowhere else.
 */
/** Recently verified callback bodies kept per rail (a few hundred KB at most: Gate's bodies are about 1 KB). */
const VERIFIED_NOTIFICATIONS_KEPT = 512

export class EcommpayRail implements PaymentRail {
  readonly name: RailName

  constructor(
    private readonly gate: GateTransport,
    private readonly mode: "gate" | "page",
    private readonly options: EcommpayRailOptions
  ) {
    this.name = mode === "gate" ? "ecommpay-gate" : "ecommpay-page"
  }

  async startPayment(input: StartPaymentInput): Promise<Sent> {
    if (this.mode === "page") {
      const now = this.options.now?.() ?? Date.now()
      const page = buildPaymentPageUrl(
        { baseUrl: this.options.paymentPageUrl, secretKey: this.options.secretKey },
        {
          project_id: this.options.projectId,
          payment_id: input.paymentRef,
          payment_amount: input.amount.amount,
          payment_currency: input.amount.currency,
          customer_id: input.shopper.id,
          payment_description: input.description,
          // The one personal detail Flutterwave requires. The URL reaches the shopper's own browser (and session data,
          // which Medusa shows the cart's holder): names and phone stay out of it.
          customer_email: input.shopper.email,
          force_payment_method: "flutterwave",
          language_code: this.options.languageCode,
          merchant_success_url: input.returnUrls?.success,
          merchant_fail_url: input.returnUrls?.decline,
          merchant_callback_url: this.options.callbackUrl,
          // ISO 8601 as ECommPay's PHP SDK writes it (date("c")): seconds and an explicit offset.
          best_before: new Date(now + PAYMENT_PAGE_VALIDITY_MS).toISOString().replace(/\.\d{3}Z$/, "+00:00"),
        }
      )
      // Nothing is sent: ECommPay creates the payment when the shopper opens the page.
      return { kind: "accepted", redirect: { method: "GET", url: page.url, body: {} }, widgetParams: page.widgetParams }
    }
    return this.send(
      () =>
        this.gate.sale({
          paymentId: input.paymentRef,
          amount: input.amount.amount,
          currency: input.amount.currency,
          description: input.description,
          customer: { ...input.shopper },
          returnUrl: input.returnUrls,
          callbackUrl: this.options.callbackUrl,
        }),
      GATE_CODES.PAYMENT_ID_EXISTS
    )
  }

  async refund(input: RefundInput): Promise<Sent> {
    // Without our key Gate would take a resend as a second refund: never send one.
    if (!input.merchantKey) throw new TypeError("EcommpayRail.refund: a merchantKey is required (it is the refund's idempotency key)")
    return this.send(
      () =>
        this.gate.refund({
          paymentId: input.paymentRef,
          amount: input.amount.amount,
          currency: input.amount.currency,
          description: input.description,
          merchantRefundId: input.merchantKey,
          callbackUrl: this.options.callbackUrl,
        }),
      GATE_CODES.MERCHANT_REFUND_ID_EXISTS
    )
  }

  async payout(input: PayoutInput): Promise<Sent> {
    return this.send(
      () =>
        this.gate.payout({
          paymentId: input.paymentRef,
          amount: input.amount.amount,
          currency: input.amount.currency,
          description: input.narration,
          account: input.account,
          customer: { id: input.customerId, ipAddress: input.ipAddress },
          callbackUrl: this.options.callbackUrl,
        }),
      GATE_CODES.PAYMENT_ID_EXISTS
    )
  }

  async lookup(paymentRef: string, budget?: StatusBudget): Promise<Lookup> {
    try {
      return { kind: "found", payment: toRailPayment(await this.gate.status(paymentRef, budget)) }
    } catch (error) {
      if (isGateNotFound(error)) return { kind: "not_found" }
      if (error instanceof GateUnknownOutcomeError || error instanceof GateUnreachableError) return { kind: "unknown", reason: error.message }
      throw error
    }
  }

  /**
   * Gate re-sends a callback byte for byte until it gets 200: a body verified once by this rail (same secret: the
   * rail is rebuilt when the settings change) reads the same every time, so its verified reading is kept, bounded.
   * Only bodies whose signature verified are kept; anything else is read, rejected and forgotten.
   */
  private readonly verified = new Map<string, Notification>()

  readNotification(rawBody: string | Buffer): Notification {
    const bytesKey = createHash("sha256").update(rawBody).digest("base64")
    const known = this.verified.get(bytesKey)
    if (known) return known
    const notification = this.readUnseenNotification(rawBody)
    if (notification.trust === "body") {
      if (this.verified.size >= VERIFIED_NOTIFICATIONS_KEPT) this.verified.delete(this.verified.keys().next().value as string)
      // Shared by every later delivery of these bytes: frozen, so no reader can change what the next one sees.
      this.verified.set(bytesKey, deepFreeze(notification))
    }
    return notification
  }

  private readUnseenNotification(rawBody: string | Buffer): Notification {
    let callback
    try {
      callback = parseCallback(rawBody, { secretKey: this.options.secretKey, projectId: this.options.projectId })
    } catch (error) {
      // Nothing is trusted before the signature verifies: whatever breaks while reading an unverified body is the
      // sender's malformed body.
      if (error instanceof CallbackError) return { trust: "none", rejection: error.reason === "signature" ? "signature" : "malformed", reason: error.message }
      return { trust: "none", rejection: "malformed", reason: "the callback body could not be read" }
    }
    const payment = toRailPayment({
      payment: callback.payment,
      operations: callback.operation ? [callback.operation] : [],
      errors: callback.errors,
      redirectData: callback.redirectData,
    })
    return {
      trust: "body",
      payment,
      ...(payment.operations[0] ? { operation: payment.operations[0] } : {}),
      dedupeKey: createHash("sha256").update(extractSignature(callback.raw) ?? "").digest("hex"),
      body: callback.raw,
    }
  }

  /** One money-moving Gate request, its answer in neutral terms; `existsCode` is Gate's "our reference was used". */
  private async send(request: () => Promise<{ requestId: string }>, existsCode: string): Promise<Sent> {
    try {
      return { kind: "accepted", requestId: (await request()).requestId }
    } catch (error) {
      if (error instanceof GateRejectedError) {
        if (error.code === existsCode) return { kind: "already_exists" }
        // 3285: "timeout block for repeat refund": refused now, possibly before Gate looked at our reference.
        const retryable = error.code === GATE_CODES.REFUND_TOO_SOON
        return { kind: "refused", code: error.code ?? "rejected", message: error.gateMessage, sent: true, ...(retryable ? { retryable } : {}) }
      }
      if (error instanceof GateUnreachableError) return { kind: "refused", code: "unreachable", message: error.message, sent: false }
      if (error instanceof GateUnknownOutcomeError) return { kind: "unknown", reason: error.message }
      throw error
    }
  }
}

/**
 * Gate's view of a payment (a status answer, or a callback's one operation) in neutral terms. A decline's reason may
 * sit in `errors[]` rather than in the operation (the guide's 3028 payout example has both): it is carried onto the
 * declined operation that lacks one, and onto the payment.
 */
export function toRailPayment(status: Pick<GateStatusResult, "payment" | "operations" | "errors" | "redirectData">): RailPayment {
  const firstError = status.errors[0]
  const outcome = paymentOutcome(status.payment.status)
  const code = firstError?.code
  const message = firstError?.message ?? describeGateCode(code)
  return {
    paymentRef: status.payment.id,
    kind: status.payment.type === "payout" ? "payout" : "purchase",
    outcome,
    status: status.payment.status,
    ...(outcome === "decline" && code ? { code } : {}),
    ...(outcome === "decline" && message ? { message } : {}),
    amount: money(status.payment),
    operations: status.operations.map((operation) => toRailOperation(operation, firstError)),
    ...(status.redirectData ? { redirect: toRedirect(status.redirectData) } : {}),
  }
}

export function toRailOperation(operation: GateOperation, paymentError?: { code?: string; message?: string }): RailOperation {
  const outcome = operationOutcome(operation.status)
  const code = operation.code ?? (outcome === "decline" ? paymentError?.code : undefined)
  const message = operation.message ?? (outcome === "decline" ? (paymentError?.message ?? describeGateCode(code)) : undefined)
  return {
    id: operation.id,
    type: operation.type,
    outcome,
    status: operation.status,
    ...(operation.sumInitial ? { amount: { ...operation.sumInitial } } : {}),
    ...(operation.requestId ? { requestId: operation.requestId } : {}),
    ...(code ? { code } : {}),
    ...(message ? { message } : {}),
  }
}

function money(payment: GatePayment): Money {
  return { amount: payment.sum.amount, currency: payment.sum.currency }
}

function toRedirect(data: GateRedirectData): ShopperRedirect {
  return { method: data.method === "POST" ? "POST" : "GET", url: data.url, body: data.body ?? {} }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value as Record<string, unknown>)) deepFreeze(inner)
  }
  return value
}
