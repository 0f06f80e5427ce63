import { createHash } from "node:crypto"
import type {
  Lookup,
  Notification,
  NotificationHeaders,
  PaymentRail,
  PayoutInput,
  RailBank,
  RailName,
  RefundInput,
  Sent,
  StartPaymentInput,
} from "../rail"
import { FlutterwaveV3Client, type LookupBudget } from "./client"
import {
  FlutterwaveV3AuthError,
  FlutterwaveV3RejectedError,
  FlutterwaveV3UnknownOutcomeError,
  FlutterwaveV3UnreachableError,
  isFlutterwaveV3NotFound,
} from "./errors"
import {
  merchantKeyFromComments,
  pickTransfer,
  refundComments,
  toMajorAmount,
  transactionToRailPayment,
  transferToRailPayment,
} from "./transform"
import { isRecord, type V3Transaction } from "./types"
import { verifyWebhookSender } from "./webhook"

export type FlutterwaveV3RailOptions = {
  secretKey: string
  secretHash: string
  apiUrl: string
  timeoutMs: number
  /** Where Flutterwave sends the shopper back when StartPaymentInput has no returnUrls (Flutterwave has one redirect_url). */
  redirectUrl?: string
  /** customizations.title on the hosted page */
  storeName?: string
  /** Also accept the newer flutterwave-signature HMAC header (default false: verif-hash only). */
  acceptSignatureHeader?: boolean
  /** How long the hosted link stays payable, minutes (default 30, max 1440) */
  sessionDurationMinutes?: number
  /** Optional `warn` (retries, unknown outcomes): the plugin's GateLogger fits as it is. */
  logger?: { warn?(message: string): void }
}

/** Payout references start with this (the plugin makes them as fwpo_<hash>): lookup tells transfers from charges by it. */
export const PAYOUT_REFERENCE_PREFIX = "fwpo_"

/** The countries Flutterwave lists banks for, and the currency a payout to each is sent in. */
export const PAYOUT_COUNTRY_CURRENCY = Object.freeze({
  NG: "NGN",
  GH: "GHS",
  KE: "KES",
  UG: "UGX",
  ZA: "ZAR",
  TZ: "TZS",
} as const)

export type PayoutCountry = keyof typeof PAYOUT_COUNTRY_CURRENCY

export const PAYOUT_COUNTRIES = Object.freeze(Object.keys(PAYOUT_COUNTRY_CURRENCY) as PayoutCountry[])

export const DEFAULT_SESSION_DURATION_MINUTES = 30
export const MAX_SESSION_DURATION_MINUTES = 1440

export type FlutterwaveV3ConnectionCheck =
  | { ok: true }
  | { ok: false; reason: "auth" | "unreachable" | "unknown"; message: string }

/** Refusal codes this rail answers with, besides "rejected" (any other refusal) and "unreachable" (never sent). */
export const REFUSAL_CODES = Object.freeze({
  refundsDisabled: "refunds_disabled",
  amountExceedsBalance: "amount_exceeds_balance",
  notRefundable: "not_refundable",
  notFound: "not_found",
  currencyMismatch: "currency_mismatch",
  invalidBank: "invalid_bank",
  insufficientBalance: "insufficient_balance",
  auth: "auth",
  rateLimited: "rate_limited",
  rejected: "rejected",
  unreachable: "unreachable",
} as const)

/**
 * Flutterwave's own v3 API as a payment rail: a Standard hosted link to start, refunds by transaction id (our merchant
 * key carried in the comments), transfers for payouts, and webhooks whose sender (never body) is proven by
 * `verif-hash`. v3's answers become the neutral types of ../rail.ts in ./transform.ts; this file decides what each
 * failure lets the caller conclude.
 */
export class FlutterwaveV3Rail implements PaymentRail {
  readonly name = "flutterwave-v3" satisfies RailName
  private readonly client: FlutterwaveV3Client
  private readonly sessionDurationMinutes: number

  constructor(
    private readonly options: FlutterwaveV3RailOptions,
    client?: FlutterwaveV3Client
  ) {
    const duration = options.sessionDurationMinutes ?? DEFAULT_SESSION_DURATION_MINUTES
    if (!Number.isSafeInteger(duration) || duration < 1 || duration > MAX_SESSION_DURATION_MINUTES) {
      throw new TypeError(`FlutterwaveV3Rail: sessionDurationMinutes must be a whole number from 1 to ${MAX_SESSION_DURATION_MINUTES}`)
    }
    this.sessionDurationMinutes = duration
    this.client =
      client ??
      new FlutterwaveV3Client({
        secretKey: options.secretKey,
        baseUrl: options.apiUrl,
        timeoutMs: options.timeoutMs,
        ...(options.logger ? { logger: options.logger } : {}),
      })
  }

  /**
   * A hosted link for our reference. Sending it again is harmless (a new link to the same payment; one successful
   * charge per tx_ref), so an answer lost on the way is `unknown` and the caller looks up, then resends.
   */
  async startPayment(input: StartPaymentInput): Promise<Sent> {
    const redirectUrl = input.returnUrls?.return ?? input.returnUrls?.success ?? this.options.redirectUrl
    if (!redirectUrl) {
      throw new TypeError("FlutterwaveV3Rail.startPayment: no return URL: pass returnUrls, or set the rail's redirectUrl option")
    }
    const name = [input.shopper.firstName, input.shopper.lastName].filter((part) => part && part.trim() !== "").join(" ")
    const customizations = {
      ...(this.options.storeName ? { title: this.options.storeName } : {}),
      ...(input.description ? { description: input.description } : {}),
    }
    try {
      const { link } = await this.client.createHostedLink({
        tx_ref: input.paymentRef,
        amount: toMajorAmount(input.amount),
        currency: input.amount.currency.toUpperCase(),
        redirect_url: redirectUrl,
        customer: {
          email: input.shopper.email,
          ...(name ? { name } : {}),
          ...(input.shopper.phone ? { phonenumber: input.shopper.phone } : {}),
        },
        ...(Object.keys(customizations).length > 0 ? { customizations } : {}),
        meta: { payment_ref: input.paymentRef },
        configurations: { session_duration: this.sessionDurationMinutes },
      })
      return { kind: "accepted", redirect: { method: "GET", url: link, body: {} } }
    } catch (error) {
      return sentFromError(error)
    }
  }

  /**
   * v3 refunds have no idempotency key: before sending, the transaction's refunds are listed, and one whose comments
   * carry our merchant key means this refund was sent before. Two refunds under one key sent at the same moment are
   * not told apart here: the caller sends one refund per payment at a time.
   */
  async refund(input: RefundInput): Promise<Sent> {
    // Without our key a resend would be a second refund: never send one.
    if (!input.merchantKey) throw new TypeError("FlutterwaveV3Rail.refund: a merchantKey is required (it is the refund's idempotency key)")

    let transaction: V3Transaction
    try {
      transaction = await this.client.verifyByReference(input.paymentRef)
    } catch (error) {
      if (isFlutterwaveV3NotFound(error)) {
        return refused(REFUSAL_CODES.notRefundable, `Flutterwave has no payment under ${input.paymentRef}: nothing to refund`)
      }
      return notSent(error, "the payment could not be looked up before the refund")
    }
    if (transaction.tx_ref !== input.paymentRef) {
      return notSent(new Error(`Flutterwave answered transaction ${transaction.id} under another tx_ref`), "the payment could not be confirmed before the refund")
    }
    if (transaction.status !== "successful") {
      return refused(REFUSAL_CODES.notRefundable, `Only successful transactions can be refunded (the payment is ${transaction.status})`)
    }
    if (transaction.currency.toUpperCase() !== input.amount.currency.toUpperCase()) {
      // Flutterwave reads the amount in the transaction's currency: a refund in another would move the wrong sum.
      return {
        kind: "refused",
        code: REFUSAL_CODES.currencyMismatch,
        message: `The refund is in ${input.amount.currency}, the payment in ${transaction.currency}`,
        sent: false,
      }
    }

    try {
      const refunds = await this.client.listRefunds(transaction.id)
      if (refunds.some((refund) => merchantKeyFromComments(refund.comments) === input.merchantKey)) return { kind: "already_exists" }
    } catch (error) {
      return notSent(error, "the payment's refunds could not be listed before the refund")
    }

    try {
      await this.client.refund(transaction.id, {
        amount: toMajorAmount(input.amount),
        comments: refundComments(input.description, input.merchantKey),
      })
      return { kind: "accepted", requestId: input.merchantKey }
    } catch (error) {
      return sentFromError(error, refundRefusal)
    }
  }

  async payout(input: PayoutInput): Promise<Sent> {
    // A payout under any other reference would be looked up as a charge, and never found.
    if (!input.paymentRef.startsWith(PAYOUT_REFERENCE_PREFIX)) {
      throw new TypeError(`FlutterwaveV3Rail.payout: a payout reference starts with "${PAYOUT_REFERENCE_PREFIX}" (got "${input.paymentRef}")`)
    }
    const currency = input.amount.currency.toUpperCase()
    try {
      await this.client.createTransfer({
        account_bank: input.account.bankId,
        account_number: input.account.number,
        amount: toMajorAmount(input.amount),
        currency,
        debit_currency: currency,
        ...(input.narration ? { narration: input.narration } : {}),
        reference: input.paymentRef,
      })
      return { kind: "accepted", requestId: input.paymentRef }
    } catch (error) {
      return sentFromError(error, transferRefusal)
    }
  }

  async lookup(paymentRef: string, budget?: LookupBudget): Promise<Lookup> {
    try {
      if (paymentRef.startsWith(PAYOUT_REFERENCE_PREFIX)) {
        const transfers = (await this.client.findTransfers(paymentRef, budget)).filter((transfer) => transfer.reference === paymentRef)
        const transfer = pickTransfer(transfers)
        return transfer ? { kind: "found", payment: transferToRailPayment(transfer) } : { kind: "not_found" }
      }
      const transaction = await this.client.verifyByReference(paymentRef, budget)
      if (transaction.tx_ref !== paymentRef) {
        return { kind: "unknown", reason: `Flutterwave answered transaction ${transaction.id} under another tx_ref for ${paymentRef}` }
      }
      // Only a successful transaction can have refunds: the others skip a request.
      const refunds =
        transaction.status === "successful"
          ? (await this.client.listRefunds(transaction.id, budget)).filter((refund) => refund.tx_id === undefined || refund.tx_id === transaction.id)
          : []
      return { kind: "found", payment: transactionToRailPayment(transaction, refunds) }
    } catch (error) {
      if (isFlutterwaveV3NotFound(error)) return { kind: "not_found" }
      // Anything else (never sent, unknown, a rejection such as a bad key, an answer we cannot convert) says nothing
      // about the payment.
      return { kind: "unknown", reason: error instanceof Error ? error.message : String(error) }
    }
  }

  /**
   * v3 proves a webhook's sender, not its body: a proven one names what to look up (`subject`), and the intake applies
   * what the API says. Nothing else in the body is trusted. Never throws.
   */
  readNotification(rawBody: string | Buffer, headers?: NotificationHeaders): Notification {
    try {
      const sender = verifyWebhookSender(headers, this.options.secretHash, {
        acceptSignature: this.options.acceptSignatureHeader ?? false,
        rawBody,
      })
      if (!sender.ok) return { trust: "none", rejection: "signature", reason: sender.reason }

      const body = parseBody(rawBody)
      if (!body) return { trust: "none", rejection: "malformed", reason: "the webhook body is not a JSON object" }
      const event = body.event
      if (typeof event !== "string" || event === "") return { trust: "none", rejection: "malformed", reason: "the webhook has no event name" }
      const data = isRecord(body.data) ? body.data : undefined
      const dedupeKey = createHash("sha256").update(rawBody).digest("hex")

      let subject: { paymentRef: string; kind: "purchase" | "payout" } | undefined
      if (event === "charge.completed" || event === "transfer.completed") {
        const reference = event === "charge.completed" ? data?.tx_ref : data?.reference
        if (typeof reference !== "string" || reference === "") {
          return { trust: "none", rejection: "malformed", reason: `the ${event} webhook names no ${event === "charge.completed" ? "tx_ref" : "reference"}` }
        }
        subject = { paymentRef: reference, kind: event === "charge.completed" ? "purchase" : "payout" }
      }
      return { trust: "sender", event, ...(subject ? { subject } : {}), dedupeKey, body }
    } catch {
      return { trust: "none", rejection: "malformed", reason: "the webhook could not be read" }
    }
  }

  /** The banks Flutterwave pays out to in a country, by name; `id` is the bank code BankAccount.bankId takes. */
  async listBanks(country: string): Promise<RailBank[]> {
    const code = country.toUpperCase()
    if (!isPayoutCountry(code)) throw new TypeError(`FlutterwaveV3Rail.listBanks: country must be one of ${PAYOUT_COUNTRIES.join(", ")} (got "${country}")`)
    const banks = await this.client.listBanks(code)
    return banks.map((bank) => ({ id: bank.code, name: bank.name })).sort((a, b) => a.name.localeCompare(b.name, "en") || a.id.localeCompare(b.id))
  }

  /** A cheap authenticated GET, no retry (the admin is waiting). The message never carries the key. */
  async testConnection(): Promise<FlutterwaveV3ConnectionCheck> {
    try {
      await this.client.listBanks("NG", { retries: 0 })
      return { ok: true }
    } catch (error) {
      if (error instanceof FlutterwaveV3AuthError) return { ok: false, reason: "auth", message: "Flutterwave refused the secret key: check it" }
      if (error instanceof FlutterwaveV3UnreachableError) {
        return { ok: false, reason: "unreachable", message: `Flutterwave could not be reached at ${this.options.apiUrl} (${error.code})` }
      }
      const detail = error instanceof Error ? error.message : String(error)
      return { ok: false, reason: "unknown", message: `Flutterwave's answer did not confirm the connection: ${detail}` }
    }
  }
}

export function isPayoutCountry(country: string): country is PayoutCountry {
  return Object.prototype.hasOwnProperty.call(PAYOUT_COUNTRY_CURRENCY, country)
}

type Refusal = { code: string; message: string }

/** A money-moving request's failure, in neutral terms; `readRejection` names a rejection, or says it is already_exists. */
function sentFromError(error: unknown, readRejection: (error: FlutterwaveV3RejectedError) => Refusal | "already_exists" = genericRefusal): Sent {
  if (error instanceof FlutterwaveV3RejectedError) {
    const refusal = error instanceof FlutterwaveV3AuthError ? { code: REFUSAL_CODES.auth, message: error.flutterwaveMessage } : readRejection(error)
    if (refusal === "already_exists") return { kind: "already_exists" }
    // 429: refused for now, before Flutterwave looked at the request.
    return { kind: "refused", ...refusal, sent: true, ...(error.httpStatus === 429 ? { retryable: true } : {}) }
  }
  if (error instanceof FlutterwaveV3UnreachableError) {
    return { kind: "refused", code: REFUSAL_CODES.unreachable, message: error.message, sent: false, retryable: true }
  }
  if (error instanceof FlutterwaveV3UnknownOutcomeError) return { kind: "unknown", reason: error.message }
  throw error
}

/** A lookup before sending failed: nothing was sent, so whatever went wrong, it may be tried again. */
function notSent(error: unknown, what: string): Sent {
  if (error instanceof FlutterwaveV3AuthError) return { kind: "refused", code: REFUSAL_CODES.auth, message: `${what}: ${error.message}`, sent: false }
  const detail = error instanceof Error ? error.message : String(error)
  return { kind: "refused", code: REFUSAL_CODES.unreachable, message: `${what}; nothing was sent: ${detail}`, sent: false, retryable: true }
}

/** Refused by this rail on what Flutterwave said (the transaction is not refundable): counted as Flutterwave's no. */
function refused(code: string, message: string): Sent {
  return { kind: "refused", code, message, sent: true }
}

function genericRefusal(error: FlutterwaveV3RejectedError): Refusal {
  return { code: error.httpStatus === 429 ? REFUSAL_CODES.rateLimited : REFUSAL_CODES.rejected, message: error.flutterwaveMessage }
}

/** Flutterwave's refund refusals (docs/flutterwave-v3-wire.md, "Refunds"), read by their message. */
function refundRefusal(error: FlutterwaveV3RejectedError): Refusal {
  const said = error.flutterwaveMessage
  if (/refunds? (are |is )?not enabled/i.test(said)) {
    return {
      code: REFUSAL_CODES.refundsDisabled,
      message: `Refunds are not enabled on your Flutterwave account: ask Flutterwave support to enable them (Flutterwave said: "${said}")`,
    }
  }
  if (/greater than (the )?refundable amount/i.test(said)) return { code: REFUSAL_CODES.amountExceedsBalance, message: said }
  if (/only successful transactions/i.test(said)) return { code: REFUSAL_CODES.notRefundable, message: said }
  if (error.httpStatus === 404 || isFlutterwaveV3NotFound(error)) return { code: REFUSAL_CODES.notFound, message: said }
  return genericRefusal(error)
}

/** Flutterwave's transfer refusals: a reused reference is our earlier payout, not a refusal. */
function transferRefusal(error: FlutterwaveV3RejectedError): Refusal | "already_exists" {
  const said = error.flutterwaveMessage
  if (/reference already exists/i.test(said)) return "already_exists"
  if (/invalid bank/i.test(said)) return { code: REFUSAL_CODES.invalidBank, message: said }
  if (/insufficient balance/i.test(said)) return { code: REFUSAL_CODES.insufficientBalance, message: said }
  return genericRefusal(error)
}

/** The body as a JSON object, or undefined: bytes that are not UTF-8, not JSON, or not an object. */
function parseBody(rawBody: string | Buffer): Record<string, unknown> | undefined {
  let text: string
  if (typeof rawBody === "string") text = rawBody
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(rawBody)
    } catch {
      return undefined
    }
  }
  try {
    const parsed: unknown = JSON.parse(text)
    return isRecord(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}
