import type { FetchArgs, FetchInput } from "@medusajs/js-sdk"
import type { HttpTypes } from "@medusajs/types"
import type { FlutterwaveSdk } from "../types"

/**
 * A stand-in for a Medusa server seen through its JS SDK: one cart, its payment sessions, and scripted answers of the
 * plugin's store route and of cart completion. It replaces HTTP, not any code of the kit.
 */

/** A FetchError as @medusajs/js-sdk throws it: an Error with the HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

export type RouteStep = Record<string, unknown> | Error
export type CompleteStep = HttpTypes.StoreCompleteCartResponse | Error

type Session = { id: string; provider_id: string; status: string; amount: number; currency_code: string; data: Record<string, unknown> }

export class FakeMedusa {
  cart: { id: string; total: number; currency_code: string; completed_at?: string; payment_collection?: { id: string; payment_sessions: Session[] } }
  /** Scripted answers of GET /store/flutterwave/payment-sessions/:id, per session; the last one repeats. */
  readonly route = new Map<string, RouteStep[]>()
  readonly completions: CompleteStep[] = []
  readonly calls: string[] = []
  /** Data the next created session gets (Payment Page mode puts redirect_url and widget_params here). */
  newSessionData: Record<string, unknown> = {}
  initiateError?: Error
  private nextSession = 1

  constructor(total = 1500.5) {
    this.cart = { id: "cart_1", total, currency_code: "ngn" }
  }

  addSession(session: Partial<Session> & { id: string }): Session {
    const full: Session = { provider_id: "pp_flutterwave_flutterwave", status: "pending", amount: this.cart.total, currency_code: "ngn", data: {}, ...session }
    this.cart.payment_collection ??= { id: "paycol_1", payment_sessions: [] }
    this.cart.payment_collection.payment_sessions.push(full)
    return full
  }

  script(sessionId: string, ...steps: RouteStep[]): void {
    this.route.set(sessionId, steps)
  }

  private answerRoute(sessionId: string): Record<string, unknown> {
    const steps = this.route.get(sessionId)
    if (!steps?.length) throw new HttpError(404, `No Flutterwave payment session ${sessionId}`)
    const step = steps.length > 1 ? steps.shift()! : steps[0]
    if (step instanceof Error) throw step
    return step
  }

  readonly sdk: FlutterwaveSdk = {
    client: {
      fetch: async <T>(input: FetchInput, init?: FetchArgs): Promise<T> => {
        const path = String(input)
        this.calls.push(`${init?.method ?? "GET"} ${path}`)
        const match = /^\/store\/flutterwave\/payment-sessions\/([^/?]+)$/.exec(path)
        if (!match) throw new HttpError(404, `Cannot GET ${path}`)
        return this.answerRoute(decodeURIComponent(match[1])) as T
      },
    },
    store: {
      cart: {
        retrieve: async (id: string) => {
          this.calls.push(`retrieve ${id}`)
          if (id !== this.cart.id) throw new HttpError(404, `Cart id not found: ${id}`)
          return { cart: structuredClone(this.cart) as unknown as HttpTypes.StoreCart }
        },
        complete: async (id: string) => {
          this.calls.push(`complete ${id}`)
          const step = this.completions.length > 1 ? this.completions.shift() : this.completions[0]
          if (!step) throw new Error("no completion scripted")
          if (step instanceof Error) throw step
          return step
        },
      },
      payment: {
        initiatePaymentSession: async (cart: HttpTypes.StoreCart, body: HttpTypes.StoreInitializePaymentSession) => {
          this.calls.push(`initiate ${body.provider_id}`)
          if (this.initiateError) throw this.initiateError
          // Medusa deletes the collection's sessions and creates the new one.
          this.cart.payment_collection = { id: cart.payment_collection?.id ?? "paycol_1", payment_sessions: [] }
          this.addSession({ id: `payses_new${this.nextSession++}`, provider_id: body.provider_id, data: { ...this.newSessionData, ...body.data } })
          return { payment_collection: structuredClone(this.cart.payment_collection) as unknown as HttpTypes.StorePaymentCollection }
        },
      },
    },
  }
}

export const order = (id = "order_1") => ({ type: "order", order: { id } }) as unknown as HttpTypes.StoreCompleteCartResponse
export const cartError = (message: string) =>
  ({ type: "cart", cart: {}, error: { message, name: "Error", type: "payment_authorization_error" } }) as unknown as HttpTypes.StoreCompleteCartResponse

export const GATE_REDIRECT = { status: "redirect", redirect: { method: "POST", url: "https://flutterwave.example/pay", body: { token: "t1", amount: 150050 } } }
export const pending = (ms = 5) => ({ status: "pending", retry_after_ms: ms })
