import { AbstractPaymentProvider, MedusaError, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import type {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  DeletePaymentInput,
  DeletePaymentOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  Logger,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
  WebhookActionResult,
} from "@medusajs/framework/types"
import { isIP } from "node:net"
import type { ReturnUrls } from "../../rails/rail"
import { MoneyError, fromMinorUnits, normalizeCurrency, toMinorUnits, type GateCurrency } from "../../money"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { declineMessage, saleVerdict } from "../../settlement/sale-verdict"
import { checkConfiguredOptions, type ResolvedFlutterwaveOptions } from "../../options"
import type FlutterwaveModuleService from "../../modules/flutterwave/service"
import type { ConnectedSettings } from "../../modules/flutterwave/service"
import { FLUTTERWAVE_MODULE } from "../../modules/flutterwave"
import { cartTotalToMinorUnits, toExactDecimal, type AmountInput } from "../../money"
import { SqlLedger } from "../../modules/flutterwave/ledger"
import type { Ledger } from "../../settlement/ports"
import { refundMedusaPayment } from "../../settlement/refund-medusa-payment"
import { refundOrphanPayment } from "../../settlement/refund-orphan-payment"
import { handedOffPaidSale } from "../../settlement/paid-sale-handoff"
import { OUTSIDE_REFUND_MARKER } from "../../settlement/outside-refund-marker"
import type { PaymentRail, RailOperation, RailPayment, Sent, StartPaymentInput } from "../../rails/rail"
import { readSessionData, redirectStatusUrl, type FlutterwaveSessionData } from "./session-data"

/**
 * Medusa runs providers in the payment module's container, which holds the app's shared PostgreSQL connection (the
 * provider reaches the ledger through it: the same SQL our module uses) and, when medusa-config declares
 * `dependencies: ["flutterwave"]` on the payment module, our module, whose settings the provider reads.
 */
type InjectedDependencies = { logger: Logger; __pg_connection__?: Knex; [FLUTTERWAVE_MODULE]?: FlutterwaveModuleService }

/** Where a shopper or a cart completion is waiting on Gate: answer within seconds, not after Gate's full timeout. */
const WAITING_STATUS_TIMEOUT_MS = 5_000

/**
 * Flutterwave through ECommPay's Gate as a Medusa payment provider (`pp_flutterwave_<id>`).
 *
 * Flutterwave on Gate is one-step: a sale either completes or not, there is no authorisation to capture or cancel.
 * So authorizePayment reports `captured` once Gate says the sale succeeded, capturePayment confirms, and refunds are
 * Gate refunds keyed by Medusa's refund id. The shopper pays on Flutterwave's page; the storefront gets its address
 * from our store route, fed by Gate's "awaiting redirect result" callback (see README, "Storefront").
 */
class FlutterwaveProviderService extends AbstractPaymentProvider<Record<string, unknown>> {
  static override identifier = "flutterwave"

  protected readonly logger_: Logger
  protected readonly ledger: Ledger
  private readonly pg: () => Knex
  private readonly module: () => FlutterwaveModuleService

  /**
   * The provider's own options are not read: the plugin's module holds the one copy of the settings (medusa-config's
   * module options over Settings → Flutterwave), so a key rotated in one place is the key everywhere. Earlier
   * versions read options here too; a store still passing them gets them checked, and a note that they are unused.
   */
  static override validateOptions(options: Record<string, unknown>): void {
    if (options && Object.keys(options).length > 0) checkConfiguredOptions(options)
  }

  constructor(cradle: InjectedDependencies, options: Record<string, unknown>) {
    super(cradle as unknown as Record<string, unknown>, options as never)
    this.logger_ = cradle.logger
    if (options && Object.keys(options).length > 0) {
      this.logger_.warn(
        "flutterwave: the payment provider's options are not read: the plugin's module options (medusa-config) and " +
          "Settings → Flutterwave are the one source of settings; move them to the module's entry"
      )
    }
    this.module = () => {
      let module: FlutterwaveModuleService | undefined
      try {
        module = cradle[FLUTTERWAVE_MODULE]
      } catch {
        module = undefined
      }
      if (!module) {
        throw new MedusaError(
          MedusaError.Types.UNEXPECTED_STATE,
          'Flutterwave: the payment provider cannot reach the plugin\'s "flutterwave" module, which holds its settings: ' +
            'add dependencies: ["flutterwave"] to the @medusajs/medusa/payment entry of medusa-config (see the README)'
        )
      }
      return module
    }
    this.pg = () => {
      const knex = cradle.__pg_connection__
      if (!knex) throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Flutterwave: no database connection for the ledger")
      return knex
    }
    this.ledger = new SqlLedger(this.pg)
  }

  /**
   * The settings in force and the rail they choose (Payment Page or Gate sale), read per call from the module (which
   * caches them for seconds): a change saved in the admin applies to the next payment, on every instance.
   */
  private async connected(): Promise<ConnectedSettings> {
    return this.module().connected()
  }

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const storefront = input.data ?? {}
    const sessionId = stringOr(storefront.session_id) ?? input.context?.idempotency_key
    if (!sessionId) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Flutterwave: the payment session id is missing")
    }
    const { options, rail } = await this.connected()
    if (rail.name === "flutterwave-v3" && !options.returnUrl) {
      // Flutterwave's hosted page must send the shopper somewhere when they are done: the storefront's return page.
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "Flutterwave: set the storefront's return page (returnUrl, FLUTTERWAVE_RETURN_URL) to take payments through your Flutterwave account"
      )
    }
    const currency = this.currencyOf(input.currency_code)
    // Medusa does not round cart totals (7.5 % VAT, percentage promotions): the one rounding rule of src/money
    // decides what the shopper is charged, and that exact amount is what the ledger, Gate and callbacks agree on.
    const amountMinor = this.minorUnits(input.amount, currency, cartTotalToMinorUnits)
    this.checkSaleLimits(options, amountMinor, currency)

    const email = input.context?.customer?.email ?? stringOr(storefront.email)
    if (!email) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "Flutterwave: the customer's email is required to pay with Flutterwave; add an email to the cart"
      )
    }
    const ipAddress = stringOr(storefront.ip_address)
    if (ipAddress !== undefined && !isIP(ipAddress)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Flutterwave: data.ip_address must be an IP address")
    }

    const shopper = {
      id: input.context?.customer?.id ?? `guest_${sessionId}`,
      ipAddress: ipAddress ?? options.fallbackIpAddress,
      email,
      firstName: input.context?.customer?.first_name ?? undefined,
      lastName: input.context?.customer?.last_name ?? undefined,
      phone: input.context?.customer?.phone ?? undefined,
    }
    // Into the ledger before the rail hears of it: whatever Medusa later does with the session, a payment on this
    // page is ours to settle, and even the earliest callback finds what we asked for.
    await this.ledger.recordSaleSent({ gatePaymentId: sessionId, sessionId, amount: amountMinor, currency, rail: options.rail })
    const sent = await this.startPayment(rail, options, {
      paymentRef: sessionId,
      amount: { amount: amountMinor, currency },
      shopper,
      description: `Payment ${sessionId}`,
      returnUrls: this.returnUrls(options, sessionId),
    })
    const checkout = rail.name === "ecommpay-page" ? "payment_page" : rail.name === "flutterwave-v3" ? "hosted_link" : "gate"
    const data: FlutterwaveSessionData = {
      session_id: sessionId,
      gate_payment_id: sessionId,
      amount_minor: amountMinor,
      currency,
      redirect_status_url: redirectStatusUrl(sessionId),
      email: null,
      ip_address: null,
      checkout,
      ...(sent.kind === "accepted" && sent.requestId ? { gate_request_id: sent.requestId } : {}),
      // A Payment Page (its signed URL) and a hosted link are known at once; a Gate sale's page comes in a callback.
      ...(sent.kind === "accepted" && sent.redirect ? { redirect_url: sent.redirect.url } : {}),
      ...(sent.kind === "accepted" && sent.widgetParams ? { widget_params: sent.widgetParams } : {}),
      gate_status: checkout === "gate" ? "processing" : "page_not_opened",
    }
    return { id: sessionId, status: PaymentSessionStatus.PENDING, data }
  }

  /**
   * Gate cannot change a sale's amount. Medusa normally replaces sessions when a cart changes; if it asks us to
   * update one, the same amount is confirmed and a different one is refused rather than charged wrongly.
   */
  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    // Medusa hands over the caller's new data, not the stored session's (review #22): without our fields there is
    // nothing to compare, and a started Flutterwave payment cannot be changed anyway.
    let data: FlutterwaveSessionData
    try {
      data = readSessionData(input.data)
    } catch {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "Flutterwave: a started payment cannot be updated; create a new payment session for the new total"
      )
    }
    const currency = this.currencyOf(input.currency_code)
    const amountMinor = this.minorUnits(input.amount, currency, cartTotalToMinorUnits)
    if (amountMinor === data.amount_minor && currency === data.currency) return { data: input.data }
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "Flutterwave: a started payment's amount cannot change; create a new payment session for the new total"
    )
  }

  /**
   * Nothing to undo at Gate: an unpaid page is declined by Gate at its limit time. The page stays payable until
   * then; the ledger keeps the sale, so if the shopper pays it anyway the payment is settled as an orphan (refunded).
   */
  async deletePayment(input: DeletePaymentInput): Promise<DeletePaymentOutput> {
    return { data: input.data }
  }

  /**
   * Flutterwave on Gate is one-step: a "cancelled" payment whose sale succeeded has the shopper's money. Medusa
   * cancels when it rolls back a cart completion after authorising (stock gone, promotion used up): then the money
   * goes back in full, under the payment's deterministic orphan-refund key, so whichever path gets there first
   * (this, the callback, the admin) sends it once.
   */
  async cancelPayment(input: CancelPaymentInput): Promise<CancelPaymentOutput> {
    const data = readSessionData(input.data)
    const sale = await this.ledger.findSale(data.gate_payment_id)
    let refund
    try {
      refund = await refundOrphanPayment(
        { ledger: this.ledger, rail: (await this.connected()).rail },
        sale ?? {
          gatePaymentId: data.gate_payment_id,
          sessionId: data.session_id,
          amount: data.amount_minor,
          currency: data.currency,
          status: "pending",
          completionAttempts: 0,
        }
      )
    } catch (error) {
      this.logger_.error(
        `flutterwave: cancelling payment ${data.gate_payment_id}: could not refund it at Gate (${(error as Error).message}); ` +
          "the payment's callback or reconciliation will refund it"
      )
      throw error instanceof MedusaError
        ? error
        : new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Flutterwave cannot be reached right now to refund this payment; it will be refunded automatically")
    }
    if (refund.status === "decline") {
      this.logger_.error(`flutterwave: cancelling payment ${data.gate_payment_id}: Gate refused the refund: ${refund.message}`)
    } else if (refund.status === "pending" || refund.status === "success") {
      this.logger_.warn(`flutterwave: payment ${data.gate_payment_id} cancelled by Medusa after it was paid: refunded in full (${refund.merchantKey})`)
    }
    return { data: { ...data, ...("merchantKey" in refund ? { cancel_refund_key: refund.merchantKey } : {}) } }
  }

  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    const data = readSessionData(input.data)
    // The ledger first: a verified callback may already have said how the sale ended; no Gate round trip then. When
    // that callback's own intake is placing this order, it hands over what it just recorded: not even a read.
    const handedOff = handedOffPaidSale(data.gate_payment_id)
    const sale = handedOff ? { ...handedOff, status: "success" as const } : await this.ledger.findSale(data.gate_payment_id)
    if (sale?.status === "success" && sale.amount === data.amount_minor && sale.currency === data.currency) {
      return { status: PaymentSessionStatus.CAPTURED, data: { ...data, gate_status: "success" } }
    }
    const { options } = await this.connected()
    const status = await this.lookupOf(data, "authorize", { timeoutMs: Math.min(options.timeoutMs, WAITING_STATUS_TIMEOUT_MS), retries: 0 })
    if (!status) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "Flutterwave has no record of this payment yet; the shopper has to complete it on Flutterwave's page first"
      )
    }
    const verdict = saleVerdict(status, { amount: data.amount_minor, currency: data.currency })
    const updated = this.withStatus(data, status, verdict.operation)
    switch (verdict.state) {
      case "success":
        return { status: PaymentSessionStatus.CAPTURED, data: updated }
      case "pending":
        return { status: PaymentSessionStatus.PENDING, data: updated }
      case "decline":
        // Medusa records the error status on the session (so nothing asks about it again) and refuses the cart;
        // the shopper's reason stays readable in the session data and on our store route.
        return {
          status: PaymentSessionStatus.ERROR,
          data: { ...updated, decline_code: verdict.code ?? null, decline_message: declineMessage("payment", verdict.message, verdict.code) },
        }
      case "mismatch":
        this.logger_.error(`flutterwave: payment ${data.gate_payment_id} held: ${verdict.message}`)
        return { status: PaymentSessionStatus.ERROR, data: { ...updated, decline_message: "held: the amount Flutterwave reports does not match this order" } }
    }
  }

  async getPaymentStatus(input: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    const data = readSessionData(input.data)
    const status = await this.lookupOf(data, "status")
    if (!status) return { status: PaymentSessionStatus.PENDING, data: input.data }
    const verdict = saleVerdict(status, { amount: data.amount_minor, currency: data.currency })
    const mapped = {
      success: PaymentSessionStatus.CAPTURED,
      pending: PaymentSessionStatus.PENDING,
      decline: PaymentSessionStatus.ERROR,
      mismatch: PaymentSessionStatus.ERROR,
    } as const
    return { status: mapped[verdict.state], data: this.withStatus(data, status, verdict.operation) }
  }

  async retrievePayment(input: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const data = readSessionData(input.data)
    const status = await this.lookupOf(data, "retrieve")
    return { data: status ? this.withStatus(data, status) : input.data }
  }

  /** The sale already moved the money; Medusa's capture is a confirmation, safe to repeat. */
  async capturePayment(input: CapturePaymentInput): Promise<CapturePaymentOutput> {
    return { data: input.data }
  }

  /**
   * Sends Medusa's refund to Gate and answers as soon as Gate accepted or refused it: a Flutterwave refund settles
   * days later, and the order's Flutterwave card shows it pending until Gate's callback or reconciliation settles it.
   * The ledger (fw_gate_operation) is the one record of refunds; `payment.data` keeps no refund list.
   * - Gate refuses it at once (refunds not enabled, too soon after the last one): a readable error, so Medusa deletes
   *   its refund and the admin sees why. Nothing moved.
   * - The answer is lost (timeout, 5xx): Gate is asked, the same key resent only if Gate has none; if Gate still
   *   cannot tell, the refund is kept pending rather than reported failed, because a failure would make Medusa delete
   *   its refund and the admin's retry would get a new refund id (medusajs/medusa#16681): a second refund at Gate.
   * - A refund made outside Medusa that the plugin records into Medusa carries a marker: tied to its ledger row,
   *   never sent to Gate again.
   */
  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const data = readSessionData(input.data)
    const refundId = input.context?.idempotency_key
    if (!refundId) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Flutterwave: a refund needs Medusa's refund id")
    }
    const medusaAmount = this.exactAmount(input.amount)
    const mirror = withoutRefundList(data)

    const outsideRow = await this.outsideRefundMarker(refundId)
    if (outsideRow) {
      const attached = await this.ledger.attachOutsideRefund(outsideRow, refundId, medusaAmount)
      const row = attached ? undefined : (await this.ledger.refundsOf(data.gate_payment_id)).find((r) => r.id === outsideRow)
      if (!attached && row?.medusaRefundId !== refundId) {
        // Another Medusa refund records it already: this one would count it twice. Medusa drops it on this error.
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Flutterwave: the refund made outside Medusa (${outsideRow}) is already recorded`)
      }
      return { data: mirror }
    }

    const sale = await this.ledger.findSale(data.gate_payment_id)
    const { options, rail } = await this.connected()
    const answer = await refundMedusaPayment(
      { ledger: this.ledger, rail },
      {
        gatePaymentId: data.gate_payment_id,
        currency: data.currency,
        charged: sale?.amount ?? data.amount_minor,
        medusaRefundId: refundId,
        medusaAmount,
        statusBudget: { timeoutMs: Math.min(options.timeoutMs, WAITING_STATUS_TIMEOUT_MS), retries: 0 },
      }
    )
    switch (answer.status) {
      case "known":
      case "accepted":
        return { data: mirror }
      case "in_doubt":
        this.logger_.error(
          `flutterwave: refund ${refundId} of payment ${data.gate_payment_id}: outcome unknown (${answer.reason}); ` +
            "kept pending until Gate's callback or reconciliation settles it"
        )
        return { data: mirror }
      case "not_allowed":
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, answer.message)
      case "refused":
        // Medusa deletes its refund when we throw: the row no longer stands for one.
        await this.detach(refundId)
        this.logger_.warn(`flutterwave: Gate refused refund ${refundId} of payment ${data.gate_payment_id}: ${answer.message} (code ${answer.code})`)
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, declineMessage("refund", answer.message, answer.code))
      case "unreachable":
        await this.detach(refundId)
        this.logger_.error(`flutterwave: refund ${refundId}: ${answer.message}`)
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Flutterwave cannot be reached right now; nothing was refunded, please try again")
    }
  }

  /**
   * For hosts that point Gate at Medusa's standard route (/hooks/payment/flutterwave_<id>). Medusa answers Gate 200
   * before this runs, so a bad signature can only be ignored here; /hooks/flutterwave is the route that answers
   * 401, records every callback and handles refunds and payouts too.
   */
  async getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    const raw = payload.rawData ?? payload.data
    const settings = await this.module().settings()
    if (settings.problem !== undefined) {
      this.logger_.warn(`flutterwave: webhook ignored: ${settings.problem}`)
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    const notification = (await this.connected()).rail.readNotification(typeof raw === "string" || Buffer.isBuffer(raw) ? raw : JSON.stringify(raw))
    if (notification.trust !== "body") {
      this.logger_.warn(`flutterwave: webhook ignored: ${notification.trust === "none" ? notification.reason : "not a signed body"}`)
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    const { payment, operation } = notification
    if (payment.kind !== "purchase" || (operation && operation.type !== "sale")) return { action: PaymentActions.NOT_SUPPORTED }
    const sum = operation?.amount ?? payment.amount
    let amount: string
    try {
      amount = fromMinorUnits(sum.amount, sum.currency)
    } catch {
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    const data = { session_id: payment.paymentRef, amount }
    if (operation?.outcome === "success") return { action: PaymentActions.SUCCESSFUL, data }
    if (operation?.outcome === "decline") return { action: PaymentActions.FAILED, data }
    return { action: PaymentActions.PENDING, data }
  }

  /**
   * Starts the payment on the rail; after an unknown outcome, asks the rail before anything else and resends only if
   * the backend never saw it. Our reference is the session id, so a resend of one that arrived is `already_exists`.
   */
  private async startPayment(rail: PaymentRail, options: ResolvedFlutterwaveOptions, input: StartPaymentInput): Promise<Sent> {
    const first = await rail.startPayment(input)
    if (first.kind === "accepted" || first.kind === "already_exists") return first
    if (first.kind === "refused") throw this.refusedStart(first)
    this.logger_.warn(`flutterwave: sale ${input.paymentRef}: ${first.reason}; asking Gate for its status`)
    await sleep(options.statusPollDelayMs)
    const found = await rail.lookup(input.paymentRef)
    if (found.kind === "unknown") {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Flutterwave did not answer in time; please try again in a minute")
    }
    if (found.kind === "found") return { kind: "already_exists" }
    const again = await rail.startPayment(input)
    if (again.kind === "refused") throw this.refusedStart(again)
    if (again.kind === "unknown") {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Flutterwave did not answer in time; please try again in a minute")
    }
    return again
  }

  private refusedStart(refused: Extract<Sent, { kind: "refused" }>): MedusaError {
    if (!refused.sent) {
      this.logger_.error(`flutterwave: starting a payment: ${refused.message}`)
      return new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Flutterwave cannot be reached right now; please try again")
    }
    this.logger_.warn(`flutterwave: Gate refused the payment: ${refused.message} (code ${refused.code})`)
    return new MedusaError(MedusaError.Types.NOT_ALLOWED, declineMessage("payment", refused.message, refused.code))
  }

  /** What the rail knows of the payment now; null when it has none yet (a Payment Page not opened: 3061). */
  private async lookupOf(data: FlutterwaveSessionData, purpose: string, budget?: { timeoutMs?: number; retries?: number }): Promise<RailPayment | null> {
    const lookup = await (await this.connected()).rail.lookup(data.gate_payment_id, budget)
    if (lookup.kind === "unknown") {
      this.logger_.warn(`flutterwave: ${purpose} ${data.gate_payment_id}: Gate could not be reached`)
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        "Flutterwave could not be reached to confirm this payment; please try again in a moment"
      )
    }
    return lookup.kind === "found" ? lookup.payment : null
  }

  private withStatus(data: FlutterwaveSessionData, payment: RailPayment, sale?: RailOperation): Record<string, unknown> {
    return {
      ...data,
      gate_status: payment.status,
      ...(sale ? { gate_operation_id: sale.id } : {}),
    }
  }

  /**
   * The ledger row a refund made outside Medusa is being recorded under, when this Medusa refund is that record: the
   * plugin puts the row's id in the refund's metadata (refundPaymentWorkflow), and Medusa has committed the refund
   * row before it calls the provider. Read from Medusa's refund table on the shared connection: the provider is not
   * handed the refund's metadata.
   */
  private async outsideRefundMarker(refundId: string): Promise<string | undefined> {
    const knex = this.pg()
    const row = await knex("refund").where({ id: refundId }).first("metadata")
    if (!row) {
      // Medusa 2.21 commits the refund before calling us; not seeing it means it changed that, and this refund could
      // be the record of an outside one. Nothing is sent yet: fail, and Medusa drops its refund.
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Flutterwave: Medusa's refund ${refundId} is not visible to the provider; nothing was sent`)
    }
    const marker = (row.metadata as Record<string, unknown> | null | undefined)?.[OUTSIDE_REFUND_MARKER]
    return typeof marker === "string" ? marker : undefined
  }

  /** The row of a refund Medusa is about to drop no longer stands for it; reconciliation repeats this if it fails. */
  private async detach(refundId: string): Promise<void> {
    await this.ledger.detachMedusaRefund(refundId).catch((error: Error) => {
      this.logger_.error(`flutterwave: could not detach refund ${refundId} in the ledger (${error.message}); reconciliation will`)
    })
  }

  /** Medusa's exact amount as decimal text (its BigNumber's raw value), for the ledger's running total. */
  private exactAmount(amount: unknown): string {
    try {
      return toExactDecimal(amount as AmountInput)
    } catch (error) {
      if (error instanceof MoneyError) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Flutterwave: ${error.message}`)
      throw error
    }
  }

  private currencyOf(currencyCode: string): GateCurrency {
    try {
      return normalizeCurrency(currencyCode)
    } catch (error) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Flutterwave: ${(error as Error).message}`)
    }
  }

  private minorUnits(amount: unknown, currency: GateCurrency, convert: typeof toMinorUnits = toMinorUnits): number {
    try {
      return convert(amount as Parameters<typeof toMinorUnits>[0], currency)
    } catch (error) {
      if (error instanceof MoneyError) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Flutterwave: ${error.message}`)
      }
      throw error
    }
  }

  private checkSaleLimits(options: ResolvedFlutterwaveOptions, amountMinor: number, currency: GateCurrency): void {
    const limit = options.saleLimits[currency]
    if (amountMinor <= 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Flutterwave: the amount to pay must be above zero")
    }
    if (!limit) return
    if (amountMinor < limit.min || amountMinor > limit.max) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Flutterwave takes payments from ${fromMinorUnits(limit.min, currency)} to ` +
          `${fromMinorUnits(limit.max, currency)} ${currency}; this one is ${fromMinorUnits(amountMinor, currency)} ${currency}`
      )
    }
  }

  private returnUrls(options: ResolvedFlutterwaveOptions, sessionId: string): ReturnUrls | undefined {
    const base = options.returnUrl
    if (!base) return undefined
    const url = (outcome: string) => {
      const target = new URL(base)
      target.searchParams.set("payment_session_id", sessionId)
      target.searchParams.set("flutterwave_result", outcome)
      return target.toString()
    }
    return { success: url("success"), decline: url("decline"), return: url("return") }
  }
}

/** Session data without the refund list earlier versions kept there: the ledger is the one record of refunds. */
function withoutRefundList(data: FlutterwaveSessionData): Record<string, unknown> {
  const { refunds: _legacy, ...rest } = data as FlutterwaveSessionData & { refunds?: unknown }
  return rest
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()
}

export default FlutterwaveProviderService
