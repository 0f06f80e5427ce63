import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules, PaymentActions } from "@medusajs/framework/utils"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { completeCartWorkflow, processPaymentWorkflow, refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { fromMinorUnits, toExactDecimal, type AmountInput } from "../money"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import { SqlAttentionBoard, SqlLedger } from "../modules/flutterwave/ledger"
import type FlutterwaveModuleService from "../modules/flutterwave/service"
import { isFlutterwaveProvider } from "../providers/flutterwave/provider-id"
import { ATTENTION_TITLES, type AttentionActionDeps } from "./attention"
import type { AttentionBoard, Ledger, NewAttention, RefundRail } from "./ports"
import { markNotRefunded, retryRefundAtGate } from "./refund-medusa-payment"
import { recordOutsideRefund, type MedusaPaymentRef, type RefundNewsDeps } from "./refund-news"
import { refundOrphanPayment } from "./refund-orphan-payment"
import { OUTSIDE_REFUND_MARKER } from "./outside-refund-marker"
import type { SendRefundDeps } from "./send-refund"
import { placementFrom, type Completion, type Placement, type SettlePaidSaleDeps } from "./settle-paid-sale"
import { withPaidSaleHandedOff } from "./paid-sale-handoff"
import { PaidSaleIntake } from "../modules/flutterwave/paid-sale-intake"
import { CallbackDeliveries } from "../modules/flutterwave/callback-deliveries"

/** Medusa's error types that mean "this cart cannot become an order", whatever is retried. */
const PERMANENT_ERROR_TYPES = new Set<string>([
  MedusaError.Types.NOT_ALLOWED,
  MedusaError.Types.INVALID_DATA,
  MedusaError.Types.NOT_FOUND,
  MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR,
  MedusaError.Types.PAYMENT_REQUIRES_MORE_ERROR,
])

export function ledgerOf(container: MedusaContainer): Ledger {
  return new SqlLedger(() => container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION))
}

/**
 * The rail the settings in force choose, asked for on every call: a key or mode saved in the admin a moment ago is
 * what the next refund or lookup uses.
 */
export function refundRailOf(container: MedusaContainer): RefundRail {
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  return {
    refund: async (input) => (await flutterwave.connected()).rail.refund(input),
    lookup: async (paymentRef, budget) => (await flutterwave.connected()).rail.lookup(paymentRef, budget),
  }
}

export function attentionBoardOf(container: MedusaContainer): AttentionBoard {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  return new SqlAttentionBoard(
    () => container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION),
    (item) => notifyAdmins(container, logger, item)
  )
}

/** The admin's bell: Medusa's notification feed. A store without a feed provider still has the list and the log. */
async function notifyAdmins(container: MedusaContainer, logger: Logger, item: NewAttention): Promise<void> {
  try {
    const notifications = container.resolve(Modules.NOTIFICATION)
    await notifications.createNotifications({
      to: "",
      channel: "feed",
      template: "admin-ui",
      data: { title: `Flutterwave: ${ATTENTION_TITLES[item.kind]}`, description: `${item.message} (payment ${item.gatePaymentId})` },
    })
  } catch (error) {
    logger.warn(`flutterwave: could not post to the admin feed: ${(error as Error).message}`)
  }
}

/** The settlement core's dependencies, wired to this app's PostgreSQL, Gate client and Medusa modules. */
export async function settlePaidSaleDeps(container: MedusaContainer): Promise<SettlePaidSaleDeps> {
  const { options } = await container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE).settings()
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const ledger = ledgerOf(container)
  return {
    ledger,
    attention: attentionBoardOf(container),
    placement: (sessionId) => placementOf(container, sessionId),
    completeOrder: (sessionId, amount, currency, cartId) => completeOrder(container, sessionId, amount, currency, cartId),
    refundOrphan: (sale) => refundOrphanPayment({ ledger, rail: refundRailOf(container) }, sale),
    options: {
      refundOrphanPayments: options.refundOrphanPayments,
      maxCompletionAttempts: options.maxCompletionAttempts,
    },
    log: { warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  }
}

/** What sending refunds needs: the ledger and the payment rail. */
export function sendRefundDeps(container: MedusaContainer): SendRefundDeps {
  return { ledger: ledgerOf(container), rail: refundRailOf(container) }
}

export function refundNewsDeps(container: MedusaContainer): RefundNewsDeps {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  return {
    ledger: ledgerOf(container),
    attention: attentionBoardOf(container),
    paymentOfSession: (sessionId) => paymentOfSession(container, sessionId),
    recordInMedusa: async ({ paymentId, amount, ledgerRowId, note }) => {
      const { errors } = await refundPaymentWorkflow(container).run({
        input: { payment_id: paymentId, amount, note, metadata: { [OUTSIDE_REFUND_MARKER]: ledgerRowId, made_outside_medusa: true } } as never,
        throwOnError: false,
      })
      if (errors.length === 0) return { ok: true }
      return { ok: false, message: errors.map((e) => (e.error as { message?: string } | undefined)?.message ?? String(e.error)).join("; ") }
    },
    unledgeredMedusaRefunds: (paymentId) => unledgeredMedusaRefunds(container, paymentId),
    log: { warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  }
}

/** A payment's Medusa refunds that no ledger row stands for (see RefundNewsDeps). */
export async function unledgeredMedusaRefunds(
  container: MedusaContainer,
  paymentId: string
): Promise<Array<{ id: string; amount: string; marker?: string }>> {
  const payments = container.resolve(Modules.PAYMENT)
  const refunds = await payments.listRefunds({ payment_id: paymentId } as never)
  if (refunds.length === 0) return []
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const rows = await flutterwave.listGateOperations({ kind: "refund", medusa_refund_id: refunds.map((r) => r.id) } as never, {
    select: ["medusa_refund_id"],
  })
  const ledgered = new Set(rows.map((row) => (row as { medusa_refund_id?: string }).medusa_refund_id))
  return refunds
    .filter((refund) => !ledgered.has(refund.id))
    .map((refund) => {
      const marker = (refund as { metadata?: Record<string, unknown> | null }).metadata?.[OUTSIDE_REFUND_MARKER]
      return {
        id: refund.id,
        amount: toExactDecimal((refund.raw_amount ?? refund.amount) as AmountInput),
        ...(typeof marker === "string" ? { marker } : {}),
      }
    })
}

/** The admin's actions on needs-attention items, wired to this app. */
export async function attentionActionDeps(container: MedusaContainer): Promise<AttentionActionDeps> {
  const settle = await settlePaidSaleDeps(container)
  const refunds = sendRefundDeps(container)
  const news = refundNewsDeps(container)
  return {
    ledger: settle.ledger,
    attention: settle.attention,
    refundOrphan: settle.refundOrphan,
    completeOrder: settle.completeOrder,
    retryRefund: async (gatePaymentId, medusaRefundId) => {
      const sent = await retryRefundAtGate(refunds, gatePaymentId, medusaRefundId)
      switch (sent.status) {
        case "known":
        case "accepted":
        case "in_doubt":
          return { ok: true, merchantKey: sent.refund.merchantKey ?? medusaRefundId }
        case "refused":
          return { ok: false, message: `Gate refused the refund again: ${sent.message}${sent.code ? ` (code ${sent.code})` : ""}` }
        case "unreachable":
          return { ok: false, message: "Flutterwave cannot be reached right now; nothing was sent, try again" }
      }
    },
    markNotRefunded: async (gatePaymentId, medusaRefundId, note, orderId) => {
      const attempts = await markNotRefunded(refunds, gatePaymentId, medusaRefundId, note)
      if (!orderId) return
      // Medusa cannot reverse a recorded refund; its order carries the fact where exports and integrations see it.
      const orders = container.resolve(Modules.ORDER)
      const [order] = await orders.listOrders({ id: orderId }, { select: ["id", "metadata"] })
      if (!order) return
      const last = attempts[attempts.length - 1]
      const notRefunded = { ...((order.metadata?.flutterwave_not_refunded as Record<string, unknown>) ?? {}) }
      notRefunded[medusaRefundId] = `${fromMinorUnits(last.amount, last.currency)} ${last.currency}`
      await orders.updateOrders(orderId, { metadata: { ...(order.metadata ?? {}), flutterwave_not_refunded: notRefunded } })
    },
    recordOutsideRefund: async (gatePaymentId, ledgerRowId) => {
      const row = (await settle.ledger.refundsOf(gatePaymentId)).find((r) => r.id === ledgerRowId)
      if (!row) return { ok: false, message: `the ledger holds no refund ${ledgerRowId}` }
      const outcome = await recordOutsideRefund(news, row, await settle.ledger.findSale(gatePaymentId))
      if (outcome.outcome === "recorded_in_medusa") return { ok: true }
      return { ok: false, message: outcome.outcome === "attention" || outcome.outcome === "ledger_only" ? outcome.reason : outcome.outcome }
    },
  }
}

/** The live Medusa payment of a session, and the order holding it. */
async function paymentOfSession(container: MedusaContainer, sessionId: string): Promise<MedusaPaymentRef | undefined> {
  const payments = container.resolve(Modules.PAYMENT)
  const [payment] = await payments.listPayments({ payment_session_id: sessionId })
  if (!payment || payment.canceled_at) return undefined
  const { orderId } = await cartOf(container, payment.payment_collection_id)
  return { paymentId: payment.id, orderId }
}

async function cartOf(container: MedusaContainer, paymentCollectionId: string): Promise<{ cartId?: string; orderId?: string }> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: links } = await query.graph({
    entity: "cart_payment_collection",
    fields: ["cart_id"],
    filters: { payment_collection_id: paymentCollectionId },
  })
  const cartId = links[0]?.cart_id as string | undefined
  if (!cartId) return {}
  const { data: orders } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
  return { cartId, orderId: orders[0]?.order_id as string | undefined }
}

/** The order (and cart) of a live session: one statement on the intake's path, Medusa's modules otherwise. */
async function orderOfSession(container: MedusaContainer, sessionId: string): Promise<{ cartId?: string; orderId?: string }> {
  const direct = await paidSaleIntakeOf(container).orderOfSession(sessionId)
  if (direct) return direct
  const [session] = await container.resolve(Modules.PAYMENT).listPaymentSessions({ id: sessionId })
  return session ? cartOf(container, session.payment_collection_id) : {}
}

export function paidSaleIntakeOf(container: MedusaContainer): PaidSaleIntake {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  return new PaidSaleIntake(() => container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION), (m) => logger.warn(m))
}

export function callbackDeliveriesOf(container: MedusaContainer): CallbackDeliveries {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  return new CallbackDeliveries(() => container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION), (m) => logger.warn(m))
}

async function placementOf(container: MedusaContainer, sessionId: string): Promise<Placement> {
  const payments = container.resolve(Modules.PAYMENT)
  // Medusa soft-deletes replaced sessions; a live lookup does not find them.
  const [session] = await payments.listPaymentSessions({ id: sessionId })
  if (!session || !isFlutterwaveProvider(session.provider_id)) return placementFrom({ sessionLive: false, ownPaymentLive: false })
  const { cartId, orderId } = await cartOf(container, session.payment_collection_id)
  // Whose payment made the order matters only once the cart is one.
  const [own] = cartId && orderId ? await payments.listPayments({ payment_session_id: sessionId }) : []
  return placementFrom({ sessionLive: true, cartId, orderId, ownPaymentLive: !!own && !own.canceled_at })
}

/**
 * Places the order for a paid sale (the session's id is the sale's Gate payment id) with Medusa's own cart completion,
 * the workflow a storefront runs: it authorises the session through the provider, which reports the sale captured
 * (Medusa records the capture), creates the order and links it, or rolls back (and the provider refunds) if the cart
 * cannot become one. Medusa's webhook workflow (processPaymentWorkflow) would run the same completion after a second
 * lock, four lookups and a capture workflow with nothing left to capture; it is kept for a session whose collection
 * has no cart. Called only for sales the ledger records as paid, so the provider is handed that fact for the
 * authorisation instead of reading it again.
 */
async function completeOrder(
  container: MedusaContainer,
  sessionId: string,
  amount: number,
  currency: string,
  knownCartId?: string
): Promise<Completion> {
  const payments = container.resolve(Modules.PAYMENT)
  const cartId = knownCartId ?? (await orderOfSession(container, sessionId)).cartId
  const { errors, orderId } = await withPaidSaleHandedOff({ gatePaymentId: sessionId, amount, currency }, async () => {
    if (!cartId) {
      const run = await processPaymentWorkflow(container).run({
        input: { action: PaymentActions.SUCCESSFUL, data: { session_id: sessionId, amount: fromMinorUnits(amount, currency) } },
        throwOnError: false,
      })
      return { errors: run.errors, orderId: undefined }
    }
    const run = await completeCartWorkflow(container).run({ input: { id: cartId }, throwOnError: false })
    return { errors: run.errors, orderId: run.errors.length === 0 ? (run.result as { id?: string } | undefined)?.id : undefined }
  })
  // The completion answers with the cart's order (new, or the one an earlier completion placed).
  if (orderId) return { ok: true, orderId }
  // Otherwise whether an order exists is what counts (processPaymentWorkflow's cart step may fail without failing it).
  const where = await orderOfSession(container, sessionId)
  if (where.orderId) return { ok: true, orderId: where.orderId }

  const messages = errors.map((e) => (e.error as { message?: string } | undefined)?.message).filter(Boolean)
  const message = messages.join("; ") || "Medusa placed no order for the cart"
  const typed = errors.some((e) => PERMANENT_ERROR_TYPES.has(String((e.error as { type?: string } | undefined)?.type)))
  // Medusa's own rollback may have cancelled or refunded the payment: then it has given this money up for good.
  const [payment] = await payments.listPayments({ payment_session_id: sessionId }, { relations: ["refunds"] })
  const refunded = (payment?.refunds ?? []).reduce((sum, refund) => sum + Number(refund.amount), 0)
  const gaveUp = !!payment && (!!payment.canceled_at || refunded >= Number(payment.amount))
  return { ok: false, permanent: typed || gaveUp, message, cartId: where.cartId }
}
