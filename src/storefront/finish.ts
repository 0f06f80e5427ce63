import type { HttpTypes } from "@medusajs/types"
import { FlutterwavePaymentError } from "./errors"
import { isFlutterwave } from "./provider"
import { askSession, httpStatusOf, isPassing, messageOf, refusal, requireSessionId } from "./session"
import type { FlutterwaveHeaders, FlutterwaveRedirect, FlutterwaveReturnResult, FlutterwaveSdk } from "./types"
import { Waiting } from "./waiting"

/** Options of `finishFlutterwavePayment`. */
export type FinishFlutterwavePaymentOptions = {
  /** Your Medusa JS SDK instance. */
  sdk: FlutterwaveSdk
  /** The cart being paid (the one whose session `sessionId` is). */
  cartId: string
  /** `payment_session_id` from the return URL (see `readFlutterwaveReturn`). */
  sessionId: string
  /**
   * `flutterwave_result` from the return URL. With `return` (the shopper left Flutterwave's page) an unfinished
   * payment is answered `cancelled` at once instead of waited for.
   */
  result?: FlutterwaveReturnResult
  /** How long to wait for the payment's outcome, in ms. Default 60000. */
  timeoutMs?: number
  /** How often to ask while the store route gives no `retry_after_ms`, in ms. Default 2000. */
  pollIntervalMs?: number
  /** Stops waiting (e.g. when the shopper leaves the page): the call throws `aborted`. */
  signal?: AbortSignal
  /** Headers for every Medusa request, e.g. a customer's authorization when this runs on your server. */
  headers?: FlutterwaveHeaders
}

/** How a Flutterwave payment ended, as the return page shows it. */
export type FlutterwavePaymentOutcome =
  /** Paid, and Medusa placed the order (or had placed it already from Gate's callback). */
  | { status: "order"; order: HttpTypes.StoreOrder }
  /** Flutterwave refused the payment: show `message` (Gate's readable reason) and let the shopper pay again. */
  | { status: "declined"; message: string; code?: string }
  /**
   * The shopper came back without paying and nothing is charged. In Gate mode Flutterwave's page stays payable
   * until it expires: `redirect` leads back to it (`goToFlutterwave`); `startFlutterwavePayment` also reuses it.
   */
  | { status: "cancelled"; message: string; redirect?: FlutterwaveRedirect }

/** Placing the order once the payment is known paid is never cut shorter than this, whatever is left of timeoutMs. */
const PLACE_ORDER_BUDGET_MS = 15_000
/** Medusa refusing to place the order for a paid cart is asked again this often before its reason is reported. */
const PLACE_ORDER_ATTEMPTS = 3
/** With no final news, the cart is completed anyway every this many polls: Medusa then asks Gate itself. */
const COMPLETE_EVERY_POLLS = 5

/**
 * Call on your return page (the plugin's `returnUrl`). Waits until the plugin knows how the payment ended; when it
 * is paid, completes the cart (`sdk.store.cart.complete`), which returns the order Gate's callback may already have
 * placed. Resolves with `order` (show the confirmation), `declined` or `cancelled` (show the message and offer to pay
 * again).
 *
 * If Gate's result callback is late or lost, the cart is completed anyway every few polls: Medusa then asks Gate,
 * and places the order only if the sale succeeded. Throws a `FlutterwavePaymentError`: `timeout` (still unknown after
 * `timeoutMs`: the order, if paid, is still placed by Gate's callback or reconciliation), `cart_not_completed` (paid,
 * but Medusa refused to place the order, with its reason), `no_session`, `not_flutterwave`, `aborted`, `request_failed`.
 */
export async function finishFlutterwavePayment(options: FinishFlutterwavePaymentOptions): Promise<FlutterwavePaymentOutcome> {
  const { sdk, cartId, sessionId, result, headers, signal } = options
  requireSessionId(sessionId)
  const pollIntervalMs = options.pollIntervalMs ?? 2_000
  const waiting = new Waiting(options.timeoutMs ?? 60_000, "the Flutterwave payment", signal, () => sessionId)
  await checkSessionOfCart(sdk, cartId, sessionId, headers, waiting)

  let unfinished = 0
  let redirect: FlutterwaveRedirect | undefined
  for (;;) {
    let answer
    try {
      answer = await waiting.run((s) => askSession({ sdk, sessionId, headers, signal: s }))
      waiting.lastProblem = undefined
    } catch (error) {
      if (!isPassing(error)) throw refusal(error, sessionId)
      waiting.lastProblem = error
      await waiting.pause(pollIntervalMs)
      continue
    }
    switch (answer.status) {
      case "succeeded":
        return placeOrder(sdk, cartId, sessionId, headers, waiting.atLeast(PLACE_ORDER_BUDGET_MS, "placing the order"), pollIntervalMs)
      case "declined":
        return { status: "declined", message: answer.message, ...(answer.code ? { code: answer.code } : {}) }
      case "redirect":
        redirect = answer.redirect
        break
      case "pending":
        break
    }
    unfinished += 1
    // "return": the shopper left Flutterwave's page. One more look (a callback racing the shopper back), then say so.
    if (result === "return" && unfinished >= 2) {
      return {
        status: "cancelled",
        message: "The payment was not completed on Flutterwave's page, and nothing has been charged. You can go back to pay, or choose another payment method.",
        ...(redirect ? { redirect } : {}),
      }
    }
    if (result !== "return" && result !== "decline" && unfinished % COMPLETE_EVERY_POLLS === 0) {
      const order = await tryCompleting(sdk, cartId, headers, waiting)
      if (order) return { status: "order", order }
    }
    await waiting.pause(answer.status === "pending" ? answer.retry_after_ms : pollIntervalMs)
  }
}

/** Refuses a session id that is not a Flutterwave session of this cart, before anything completes the cart. */
async function checkSessionOfCart(
  sdk: FlutterwaveSdk,
  cartId: string,
  sessionId: string,
  headers: FlutterwaveHeaders | undefined,
  waiting: Waiting
): Promise<void> {
  if (typeof cartId !== "string" || cartId === "") throw new FlutterwavePaymentError("no_cart", "No cart id was given", { sessionId })
  let cart: HttpTypes.StoreCart
  try {
    cart = (await waiting.run(() => sdk.store.cart.retrieve(cartId, undefined, headers))).cart
  } catch (error) {
    if (httpStatusOf(error) === 404) throw new FlutterwavePaymentError("no_cart", `There is no cart ${cartId}`, { sessionId, cause: error })
    throw refusal(error, sessionId)
  }
  const sessions = cart.payment_collection?.payment_sessions
  if (!sessions?.length) return // a completed cart may come back without its sessions: the store route decides
  const session = sessions.find((s) => s.id === sessionId)
  if (!session) {
    throw new FlutterwavePaymentError("no_session", `Payment session ${sessionId} does not belong to cart ${cartId}`, { sessionId })
  }
  if (!isFlutterwave(session.provider_id)) {
    throw new FlutterwavePaymentError("not_flutterwave", `Payment session ${sessionId} is a ${session.provider_id} payment, not Flutterwave`, { sessionId })
  }
}

async function placeOrder(
  sdk: FlutterwaveSdk,
  cartId: string,
  sessionId: string,
  headers: FlutterwaveHeaders | undefined,
  waiting: Waiting,
  pollIntervalMs: number
): Promise<FlutterwavePaymentOutcome> {
  let refusals = 0
  for (;;) {
    let refusedWith: string
    try {
      const completed = await waiting.run(() => sdk.store.cart.complete(cartId, undefined, headers))
      if (completed.type === "order") return { status: "order", order: completed.order }
      refusedWith = completed.error?.message || "Medusa did not place the order"
    } catch (error) {
      if (error instanceof FlutterwavePaymentError) throw error
      if (isPassing(error)) {
        // Not a refusal: ask again until the budget runs out (the timeout then quotes this problem).
        waiting.lastProblem = error
        await waiting.pause(pollIntervalMs)
        continue
      }
      refusedWith = messageOf(error)
    }
    refusals += 1
    if (refusals >= PLACE_ORDER_ATTEMPTS) {
      throw new FlutterwavePaymentError("cart_not_completed", `The payment succeeded, but the order could not be placed: ${refusedWith}`, { sessionId })
    }
    await waiting.pause(pollIntervalMs)
  }
}

/** Completing an unpaid cart is harmless: Medusa asks Gate and refuses. Only an order is news here. */
async function tryCompleting(
  sdk: FlutterwaveSdk,
  cartId: string,
  headers: FlutterwaveHeaders | undefined,
  waiting: Waiting
): Promise<HttpTypes.StoreOrder | undefined> {
  try {
    const completed = await waiting.run(() => sdk.store.cart.complete(cartId, undefined, headers))
    return completed.type === "order" ? completed.order : undefined
  } catch (error) {
    if (error instanceof FlutterwavePaymentError) throw error
    return undefined
  }
}
