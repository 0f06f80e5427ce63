// The small Nigerian store the demo and the benchmarks run against, set up through Medusa's admin API as a store
// owner would, and a shopper's cart in it: one of each, so all of them measure and show the same store.

/** Medusa's own fulfillment provider (`@medusajs/medusa/fulfillment-manual`, registered by defineConfig). */
const MANUAL_FULFILLMENT_PROVIDER = "manual_manual"

/**
 * An admin user signed in, a publishable key on the default sales channel, an NGN region offering `providers`, and
 * one published product at `price` NGN (Adire fabric, no inventory to manage). `ok` is an httpClient's `ok`;
 * `fail(message)` is the caller's error. Returns the headers for each side and the ids the checkout needs.
 * `shippingPrice` (NGN): the product ships from a Lagos warehouse by one flat-rate option at that price, so carts
 * carry an address and a shipping method as real orders do (`shippingOptionId` in the answer); omitted, nothing ships.
 */
export async function setUpNigerianStore({ stack, ok, fail, email, password, keyTitle, providers, price, shippingPrice }) {
  await stack.createAdminUser(email, password)
  const { token } = await ok("POST", "/auth/user/emailpass", { body: { email, password } })
  const admin = { authorization: `Bearer ${token}` }
  const { payment_providers } = await ok("GET", "/admin/payments/payment-providers", { headers: admin })
  for (const provider of providers) {
    if (!payment_providers.some((p) => p.id === provider)) throw fail(`the ${provider} provider is not registered`)
  }
  const { sales_channels } = await ok("GET", "/admin/sales-channels", { headers: admin })
  const channel = sales_channels[0].id
  const { api_key } = await ok("POST", "/admin/api-keys", { headers: admin, body: { title: keyTitle, type: "publishable" } })
  await ok("POST", `/admin/api-keys/${api_key.id}/sales-channels`, { headers: admin, body: { add: [channel] } })
  const shop = { "x-publishable-api-key": api_key.token }
  const { region } = await ok("POST", "/admin/regions", {
    headers: admin,
    body: { name: "Nigeria", currency_code: "ngn", countries: ["ng"], payment_providers: providers },
  })
  const shipping = shippingPrice === undefined ? undefined : await setUpShipping({ ok, admin, channel, price: shippingPrice })
  const { product } = await ok("POST", "/admin/products", {
    headers: admin,
    body: {
      title: "Adire indigo fabric (6 yards)",
      status: "published",
      ...(shipping ? { shipping_profile_id: shipping.profileId } : {}),
      options: [{ title: "Size", values: ["6 yards"] }],
      variants: [{ title: "6 yards", options: { Size: "6 yards" }, manage_inventory: false, prices: [{ currency_code: "ngn", amount: price }] }],
      sales_channels: [{ id: channel }],
    },
  })
  return { admin, shop, channel, region, product, shippingOptionId: shipping?.optionId }
}

/** A stock location linked to the sales channel, shipping to Nigeria by one flat-rate option of the default profile. */
async function setUpShipping({ ok, admin, channel, price }) {
  const { stock_location } = await ok("POST", "/admin/stock-locations", {
    headers: admin,
    body: { name: "Lagos warehouse", address: { address_1: "12 Adeola Odeku Street", city: "Lagos", country_code: "ng" } },
  })
  const location = stock_location.id
  await ok("POST", `/admin/stock-locations/${location}/sales-channels`, { headers: admin, body: { add: [channel] } })
  await ok("POST", `/admin/stock-locations/${location}/fulfillment-providers`, { headers: admin, body: { add: [MANUAL_FULFILLMENT_PROVIDER] } })
  const { stock_location: withSet } = await ok("POST", `/admin/stock-locations/${location}/fulfillment-sets?fields=*fulfillment_sets`, {
    headers: admin,
    body: { name: "Lagos deliveries", type: "shipping" },
  })
  const { fulfillment_set } = await ok("POST", `/admin/fulfillment-sets/${withSet.fulfillment_sets[0].id}/service-zones`, {
    headers: admin,
    body: { name: "Nigeria", geo_zones: [{ type: "country", country_code: "ng" }] },
  })
  const { shipping_profiles } = await ok("GET", "/admin/shipping-profiles?type=default", { headers: admin })
  const profileId =
    shipping_profiles[0]?.id ??
    (await ok("POST", "/admin/shipping-profiles", { headers: admin, body: { name: "Default Shipping Profile", type: "default" } })).shipping_profile.id
  const { shipping_option } = await ok("POST", "/admin/shipping-options", {
    headers: admin,
    body: {
      name: "Standard delivery",
      service_zone_id: fulfillment_set.service_zones[0].id,
      shipping_profile_id: profileId,
      provider_id: MANUAL_FULFILLMENT_PROVIDER,
      price_type: "flat",
      type: { label: "Standard", description: "Delivered in 3 to 5 days", code: "standard" },
      prices: [{ currency_code: "ngn", amount: price }],
      rules: [
        { attribute: "enabled_in_store", value: "true", operator: "eq" },
        { attribute: "is_return", value: "false", operator: "eq" },
      ],
    },
  })
  return { profileId, optionId: shipping_option.id }
}

/**
 * A shopper's cart in that store, ready for a payment session: one unit of the product, the shopper's email and,
 * when the store ships, a Lagos address and its shipping method; then the cart's payment collection. `store` is what
 * setUpNigerianStore answered. Returns the cart as created and the payment collection's id.
 */
export async function cartReadyToPay({ ok, store, email }) {
  const { shop, region, channel, product, shippingOptionId } = store
  const { cart } = await ok("POST", "/store/carts", {
    headers: shop,
    body: {
      region_id: region.id,
      email,
      sales_channel_id: channel,
      items: [{ variant_id: product.variants[0].id, quantity: 1 }],
      ...(shippingOptionId ? { shipping_address: LAGOS_ADDRESS } : {}),
    },
  })
  if (shippingOptionId) await ok("POST", `/store/carts/${cart.id}/shipping-methods`, { headers: shop, body: { option_id: shippingOptionId } })
  const { payment_collection } = await ok("POST", "/store/payment-collections", { headers: shop, body: { cart_id: cart.id } })
  return { cart, collectionId: payment_collection.id }
}

const LAGOS_ADDRESS = {
  first_name: "Chioma",
  last_name: "Okafor",
  address_1: "4 Awolowo Road",
  city: "Lagos",
  country_code: "ng",
  postal_code: "101233",
  phone: "+2348012345678",
}

/** The storefront starts paying with `provider`: the collection's new payment session of that provider. */
export async function startPaymentSession({ ok, store, collectionId, provider }) {
  const { payment_collection } = await ok("POST", `/store/payment-collections/${collectionId}/payment-sessions`, {
    headers: store.shop,
    body: { provider_id: provider },
  })
  return payment_collection.payment_sessions.find((session) => session.provider_id === provider)
}
