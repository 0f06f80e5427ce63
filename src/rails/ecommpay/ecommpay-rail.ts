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
import { CallbackError, parseCallback } from "./callback"
import type { GateClient, StatusBudget } from "./client"
import { GateRejectedError, GateUnknownOutcomeError, GateUnreachableError, isGateNotFound } from "./errors"
import { GATE_CODES, PAYMENT_PAGE_VALIDITY_MS } from "./flutterwave"
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
          customer_email: input.shopper.email,
          customer_first_name: input.shopper.firstName,
          customer_last_name: input.shopper.lastName,
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

  readNotification(rawBody: string | Buffer): Notification {
    try {
      const callback = parseCallback(rawBody, { secretKey: this.options.secretKey, projectId: this.options.projectId })
      const payment = toRailPayment({ payment: callback.payment, operations: callback.operation ? [callback.operation] : [], redirectData: callback.redirectData })
      return { trust: "body", payment, ...(callback.operation ? { operation: toRailOperation(callback.operation) } : {}) }
    } catch (error) {
      if (error instanceof CallbackError) return { trust: "none", reason: error.message }
      throw error
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

export function toRailPayment(status: Pick<GateStatusResult, "payment" | "operations" | "redirectData">): RailPayment {
  return {
    paymentRef: status.payment.id,
    outcome: paymentOutcome(status.payment.status),
    status: status.payment.status,
    amount: money(status.payment),
    operations: status.operations.map(toRailOperation),
    ...(status.redirectData ? { redirect: toRedirect(status.redirectData) } : {}),
  }
}

export function toRailOperation(operation: GateOperation): RailOperation {
  return {
    id: operation.id,
    type: operation.type,
    outcome: operationOutcome(operation.status),
    status: operation.status,
    ...(operation.sumInitial ? { amount: { ...operation.sumInitial } } : {}),
    ...(operation.requestId ? { requestId: operation.requestId } : {}),
    ...(operation.code ? { code: operation.code } : {}),
    ...(operation.message ? { message: operation.message } : {}),
  }
}

function money(payment: GatePayment): Money {
  return { amount: payment.sum.amount, currency: payment.sum.currency }
}

function toRedirect(data: GateRedirectData): ShopperRedirect {
  return { method: data.method === "POST" ? "POST" : "GET", url: data.url, body: data.body ?? {} }
}
