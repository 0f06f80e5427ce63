import {
  defineMiddlewares,
  validateAndTransformBody,
  validateAndTransformQuery,
  type MedusaNextFunction,
  type MedusaRequest,
  type MedusaResponse,
} from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { requestIp } from "./request-ip"
import {
  AttentionActionSchema,
  BanksQuerySchema,
  CreatePayoutSchema,
  ListAttentionSchema,
  ListPayoutsSchema,
  SettingsChangesSchema,
} from "./admin/flutterwave/validators"
import { ListOperationsSchema, OperationFiltersSchema } from "./admin/flutterwave/operations/validators"
import { isFlutterwaveProvider } from "../providers/flutterwave/provider-id"

type SessionBody = { provider_id?: string; data?: Record<string, unknown> }

/**
 * Flutterwave needs the shopper's email and IP address, which Medusa does not hand to payment providers for guest
 * carts. This fills them in from the cart and the request when the storefront did not send them, so an unchanged
 * storefront works.
 */
async function addShopperFacts(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction): Promise<void> {
  try {
    const body = req.body as SessionBody | undefined
    if (body && isFlutterwaveProvider(body.provider_id)) {
      const data = { ...(body.data ?? {}) }
      if (typeof data.email !== "string" || data.email === "") {
        const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
        const { data: collections } = await query.graph({
          entity: "payment_collection",
          fields: ["id", "cart.email"],
          filters: { id: req.params.id },
        })
        const email = (collections[0] as { cart?: { email?: string | null } } | undefined)?.cart?.email
        if (email) data.email = email
      }
      const ip = requestIp(req)
      if (data.ip_address === undefined && ip) data.ip_address = ip
      body.data = data
      const validated = (req as MedusaRequest & { validatedBody?: SessionBody }).validatedBody
      if (validated) validated.data = data
    }
    next()
  } catch (error) {
    next(error)
  }
}

/** Longest an admin's refund waits for another refund of the same payment to finish. */
const REFUND_QUEUE_TIMEOUT_S = 60
/** How long the queue stays held after an admin's client hung up mid-refund (Medusa's workflow carries on). */
const REFUND_AFTER_HANGUP_MS = 60_000

/**
 * One admin refund of a Flutterwave payment at a time. Medusa's refund workflow records the refund (and our provider
 * sends it to Gate) before it adds the order's refund credit line through an order change; a second refund of the
 * same order running meanwhile fails there ("already has an existing active order change") after its money has
 * already left, and the order's transactions then miss it. Queuing the requests per payment (Medusa's locking
 * module: across instances with locking-postgres or locking-redis) lets both complete in full.
 */
async function oneRefundAtATime(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): Promise<void> {
  try {
    const paymentId = req.params.id
    const [payment] = await req.scope.resolve(Modules.PAYMENT).listPayments({ id: paymentId }, { select: ["id", "provider_id"] })
    if (!payment || !isFlutterwaveProvider(payment.provider_id)) return next()
    const locking = req.scope.resolve(Modules.LOCKING)
    let started = false
    await locking
      .execute(
        `flutterwave:refund:${paymentId}`,
        () =>
          new Promise<void>((resolve) => {
            res.once("finish", resolve)
            // A client that hangs up does not stop Medusa's workflow: hold the queue until it has surely finished.
            res.once("close", () => setTimeout(resolve, REFUND_AFTER_HANGUP_MS).unref())
            started = true
            next()
          }),
        { timeout: REFUND_QUEUE_TIMEOUT_S }
      )
      .catch((error: Error) => {
        if (started) throw error
        throw new MedusaError(
          MedusaError.Types.CONFLICT,
          "Another refund of this payment is still being processed; try again in a moment"
        )
      })
  } catch (error) {
    if (!res.headersSent) next(error)
  }
}

export default defineMiddlewares({
  routes: [
    {
      matcher: "/hooks/flutterwave",
      method: ["POST"],
      // The route reads the exact bytes Gate sent itself (the signature is checked on them) and parses them once.
      bodyParser: false,
    },
    {
      matcher: "/hooks/flutterwave/v3",
      method: ["POST"],
      // Flutterwave's webhook: the same raw read (size-limited), the body parsed once by the rail.
      bodyParser: false,
    },
    {
      matcher: "/admin/payments/:id/refund",
      method: ["POST"],
      middlewares: [oneRefundAtATime],
    },
    {
      matcher: "/admin/flutterwave/payouts",
      method: ["POST"],
      middlewares: [validateAndTransformBody(CreatePayoutSchema)],
    },
    {
      matcher: "/admin/flutterwave/payouts",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(ListPayoutsSchema, { isList: false, defaults: [] })],
    },
    {
      matcher: "/admin/flutterwave/settings",
      method: "POST",
      middlewares: [validateAndTransformBody(SettingsChangesSchema)],
    },
    {
      matcher: "/admin/flutterwave/settings/test-connection",
      method: "POST",
      middlewares: [validateAndTransformBody(SettingsChangesSchema)],
    },
    {
      matcher: "/admin/flutterwave/banks",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(BanksQuerySchema, { isList: false, defaults: [] })],
    },
    {
      matcher: "/admin/flutterwave/operations",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(ListOperationsSchema, { isList: false, defaults: [] })],
    },
    {
      matcher: "/admin/flutterwave/operations/export",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(OperationFiltersSchema, { isList: false, defaults: [] })],
    },
    {
      matcher: "/admin/flutterwave/operations/analytics",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(OperationFiltersSchema, { isList: false, defaults: [] })],
    },
    {
      matcher: "/admin/flutterwave/attention",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(ListAttentionSchema, { isList: false, defaults: [] })],
    },
    {
      matcher: "/admin/flutterwave/attention/:id/actions",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AttentionActionSchema)],
    },
    {
      matcher: "/store/payment-collections/:id/payment-sessions",
      method: ["POST"],
      middlewares: [addShopperFacts],
    },
  ],
})
