import type { MedusaContainer } from "@medusajs/framework/types"
import type { AxiosInstance } from "axios"
import { adminHeaders } from "./admin"

export const PROVIDER_ID = "pp_flutterwave_flutterwave"

/** A region per currency Flutterwave takes, plus EUR to prove the provider refuses it. */
export const REGIONS = {
  ngn: "ng",
  kes: "ke",
  ghs: "gh",
  tzs: "tz",
  ugx: "ug",
  usd: "us",
  zar: "za",
  eur: "de",
} as const
export type RegionCurrency = keyof typeof REGIONS

export type Store = {
  admin: { headers: Record<string, string> }
  store: { headers: Record<string, string> }
  regions: Record<RegionCurrency, string>
  salesChannelId: string
  /** Adds a published product priced in the given currency; returns its variant id. */
  product: (currency: RegionCurrency, amount: number) => Promise<string>
}

/** Sets up what a real store has before a shopper arrives: a publishable key, regions with our provider, products. */
export async function seedStore(api: AxiosInstance, container: MedusaContainer): Promise<Store> {
  const admin = await adminHeaders(container)
  const channels = await api.get("/admin/sales-channels", admin)
  const salesChannelId = channels.data.sales_channels[0].id
  const key = await api.post("/admin/api-keys", { title: "storefront", type: "publishable" }, admin)
  await api.post(`/admin/api-keys/${key.data.api_key.id}/sales-channels`, { add: [salesChannelId] }, admin)
  const store = { headers: { "x-publishable-api-key": key.data.api_key.token } }

  const regions = {} as Record<RegionCurrency, string>
  for (const [currency, country] of Object.entries(REGIONS)) {
    const region = await api.post(
      "/admin/regions",
      { name: currency.toUpperCase(), currency_code: currency, countries: [country], payment_providers: [PROVIDER_ID] },
      admin
    )
    regions[currency as RegionCurrency] = region.data.region.id
  }

  let n = 0
  const product = async (currency: RegionCurrency, amount: number): Promise<string> => {
    const created = await api.post(
      "/admin/products",
      {
        title: `Ankara fabric ${++n}`,
        status: "published",
        options: [{ title: "Default", values: ["Default"] }],
        variants: [
          { title: "Default", options: { Default: "Default" }, manage_inventory: false, prices: [{ currency_code: currency, amount }] },
        ],
        sales_channels: [{ id: salesChannelId }],
      },
      admin
    )
    return created.data.product.variants[0].id
  }
  return { admin, store, regions, salesChannelId, product }
}

/**
 * Every checkout suite's start: Gate's callbacks go to this app, and the store has regions, a publishable key and a
 * product at 1,500.50 NGN.
 */
export async function prepareStore(
  api: AxiosInstance,
  container: MedusaContainer,
  sandbox: { setCallbackUrl(url: string): void }
): Promise<{ store: Store; variant: string }> {
  sandbox.setCallbackUrl(`${api.defaults.baseURL}/hooks/flutterwave`)
  const store = await seedStore(api, container)
  return { store, variant: await store.product("ngn", 1500.5) }
}

export type Checkout = { cartId: string; collectionId: string; sessionId: string; session: Record<string, any> }

/** A shopper's cart up to the Flutterwave payment session (what the storefront does before redirecting). */
export async function startCheckout(
  api: AxiosInstance,
  store: Store,
  options: {
    currency: RegionCurrency
    variantId: string
    quantity?: number
    email?: string | null
    sessionData?: Record<string, unknown>
  }
): Promise<Checkout> {
  const email = options.email === null ? undefined : (options.email ?? "ada@example.ng")
  const cart = await api.post(
    "/store/carts",
    {
      region_id: store.regions[options.currency],
      ...(email ? { email } : {}),
      items: [{ variant_id: options.variantId, quantity: options.quantity ?? 1 }],
      sales_channel_id: store.salesChannelId,
    },
    store.store
  )
  const cartId = cart.data.cart.id
  const collection = await api.post("/store/payment-collections", { cart_id: cartId }, store.store)
  const collectionId = collection.data.payment_collection.id
  const withSession = await api.post(
    `/store/payment-collections/${collectionId}/payment-sessions`,
    { provider_id: PROVIDER_ID, data: { ip_address: "102.89.3.14", ...(options.sessionData ?? {}) } },
    store.store
  ).catch((error) => {
    // Keep the API's own message in the error: tests assert on it and a failure should say it.
    if (error?.response) {
      error.message = `${error.message}: ${JSON.stringify(error.response.data)}`
      error.stack = `${error.message}\n${error.stack ?? ""}`
    }
    throw error
  })
  const session = withSession.data.payment_collection.payment_sessions[0]
  return { cartId, collectionId, sessionId: session.id, session }
}

/** Polls our store route until Gate's redirect data is there, as a storefront does. */
export async function redirectFor(api: AxiosInstance, store: Store, sessionId: string): Promise<any> {
  return waitFor(async () => {
    const answer = await api.get(`/store/flutterwave/payment-sessions/${sessionId}`, store.store)
    return answer.data.status === "pending" ? undefined : answer.data
  })
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      const value = await probe()
      if (value !== undefined && value !== null && value !== false) return value
    } catch (error) {
      lastError = error
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  throw new Error(`waitFor timed out${lastError ? `: ${(lastError as Error).message}` : ""}`)
}

/** The order a cart became, with its payments, or undefined while there is none. */
export async function orderForCart(
  api: AxiosInstance,
  container: MedusaContainer,
  store: Store,
  cartId: string
): Promise<any | undefined> {
  const query = container.resolve("query") as any
  const { data } = await query.graph({ entity: "cart", fields: ["id", "completed_at", "order.id"], filters: { id: cartId } })
  const orderId = data[0]?.order?.id
  if (!orderId) return undefined
  const order = await api.get(
    `/admin/orders/${orderId}?fields=id,total,currency_code,payment_status,*payment_collections,*payment_collections.payments,*payment_collections.payments.refunds,*payment_collections.payments.captures`,
    store.admin
  )
  return order.data.order
}
