import { signParams } from "../../src/rails/ecommpay"
/**
 * Helpers for tests that drive real processes (scripts/stack.mjs) over HTTP, as a storefront, an admin and a shopper
 * would: no test runner app, no container access.
 */
export type Json = Record<string, any>
export type Answer = { status: number; json: Json }

export async function requestJson(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  })
  const text = await response.text()
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as Json }
}

export async function waitUntil<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined)
    if (value) return value
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  throw new Error(`timed out after ${timeoutMs} ms`)
}

type Stack = { appUrl: string; sandboxUrl: string; createAdminUser(email: string, password: string): Promise<void> | void }

/** Signs in as a new admin user; returns the API caller for /admin routes. */
export async function signInAdmin(stack: Stack, email: string, password: string) {
  await stack.createAdminUser(email, password)
  const login = await requestJson("POST", `${stack.appUrl}/auth/user/emailpass`, { email, password })
  const headers = { authorization: `Bearer ${login.json.token}` }
  return (method: string, path: string, body?: unknown) => requestJson(method, `${stack.appUrl}${path}`, body, headers)
}

type AdminApi = Awaited<ReturnType<typeof signInAdmin>>

/**
 * A Nigerian store with one product, a shopper who pays for it on the sandbox's Flutterwave page, and the order
 * the callback places. `pay` lets a browser test click the page itself.
 */
export async function paidNgnOrder(
  stack: Stack,
  admin: AdminApi,
  options: { email: string; price: number; pay?: (redirectUrl: string) => Promise<void> }
): Promise<{ order: Json; paymentId: string; sessionId: string }> {
  const { store, collectionId } = await ngnCart(stack, admin, options.email, options.price)
  const { json: withSession } = await store("POST", `/store/payment-collections/${collectionId}/payment-sessions`, {
    provider_id: "pp_flutterwave_flutterwave",
  })
  const sessionId = withSession.payment_collection.payment_sessions[0].id
  const redirect = await waitUntil(async () => {
    const { json } = await store("GET", `/store/flutterwave/payment-sessions/${sessionId}`)
    return json.status === "redirect" ? (json.redirect as Json) : undefined
  })
  if (options.pay) await options.pay(redirect.url)
  else await requestJson("POST", `${redirect.url}/confirm`)
  const order = await waitUntil(async () => {
    const { json } = await admin("GET", "/admin/orders?fields=id,email,payment_status,*payment_collections.payments&limit=50")
    return json.orders.find((o: Json) => o.email === options.email && o.payment_status === "captured") as Json | undefined
  })
  return { order, paymentId: order.payment_collections[0].payments[0].id, sessionId }
}

export type StoreApi = (method: string, path: string, body?: unknown) => ReturnType<typeof requestJson>

/**
 * A storefront (publishable key) with a fresh NGN cart of one product and its payment collection, not yet paid.
 * `publishableKey` is the key's token, for a storefront in a browser.
 */
export async function ngnCart(stack: Stack, admin: AdminApi, email: string, price: number) {
  const { json: channels } = await admin("GET", "/admin/sales-channels")
  const channel = channels.sales_channels[0].id
  const { json: key } = await admin("POST", "/admin/api-keys", { title: `storefront ${email}`, type: "publishable" })
  await admin("POST", `/admin/api-keys/${key.api_key.id}/sales-channels`, { add: [channel] })
  const store: StoreApi = (method, path, body) =>
    requestJson(method, `${stack.appUrl}${path}`, body, { "x-publishable-api-key": key.api_key.token })
  const { json: regions } = await admin("GET", "/admin/regions?currency_code=ngn")
  const region =
    regions.regions[0] ??
    (
      await admin("POST", "/admin/regions", {
        name: "Nigeria",
        currency_code: "ngn",
        countries: ["ng"],
        payment_providers: ["pp_flutterwave_flutterwave"],
      })
    ).json.region
  const { json: product } = await admin("POST", "/admin/products", {
    title: `Ankara for ${email}`,
    status: "published",
    options: [{ title: "Size", values: ["One"] }],
    variants: [{ title: "One", options: { Size: "One" }, manage_inventory: false, prices: [{ currency_code: "ngn", amount: price }] }],
    sales_channels: [{ id: channel }],
  })
  const { json: cart } = await store("POST", "/store/carts", {
    region_id: region.id,
    email,
    sales_channel_id: channel,
    items: [{ variant_id: product.product.variants[0].id, quantity: 1 }],
  })
  const { json: collection } = await store("POST", "/store/payment-collections", { cart_id: cart.cart.id })
  return {
    store,
    publishableKey: key.api_key.token as string,
    cartId: cart.cart.id as string,
    collectionId: collection.payment_collection.id as string,
  }
}

/**
 * Gate's success callback for a sale paid at the sandbox (the last one paid unless `sessionId`), signed with the
 * project's secret as Gate signs it: for tests that deliver a callback Gate was scripted to drop.
 */
export async function signedSaleCallback(
  stack: { sandboxUrl: string; env: Record<string, string | undefined> },
  secretKey: string,
  sessionId?: string
): Promise<{ sessionId: string; text: string }> {
  const { json } = await requestJson("GET", `${stack.sandboxUrl}/_sandbox/payments`)
  const paid = (json.payments as Json[]).filter((p) => p.type === "purchase" && p.status === "success")
  const payment = sessionId ? paid.find((p) => p.id === sessionId) : paid[paid.length - 1]
  if (!payment) throw new Error(`no paid sale ${sessionId ?? ""} at the sandbox`)
  const sale = payment.operations[0]
  const body: Json = {
    project_id: Number(stack.env.FLUTTERWAVE_PROJECT_ID),
    payment: { id: payment.id, type: "purchase", status: "success", method: "flutterwave", sum: payment.sum, description: "" },
    operation: {
      id: sale.id,
      type: "sale",
      status: "success",
      request_id: sale.requestId,
      sum_initial: sale.sumInitial,
      sum_converted: sale.sumInitial,
      code: "0",
      message: "Success",
    },
  }
  body.signature = signParams(body, secretKey)
  return { sessionId: payment.id, text: JSON.stringify(body) }
}
