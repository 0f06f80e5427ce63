// The small Nigerian store the demo and the refund benchmark run against, set up through Medusa's admin API as a
// store owner would: one of each, so both measure and show the same store.

/**
 * An admin user signed in, a publishable key on the default sales channel, an NGN region offering `providers`, and
 * one published product at `price` NGN (Adire fabric, no inventory to manage). `ok` is an httpClient's `ok`;
 * `fail(message)` is the caller's error. Returns the headers for each side and the ids the checkout needs.
 */
export async function setUpNigerianStore({ stack, ok, fail, email, password, keyTitle, providers, price }) {
  stack.createAdminUser(email, password)
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
  const { product } = await ok("POST", "/admin/products", {
    headers: admin,
    body: {
      title: "Adire indigo fabric (6 yards)",
      status: "published",
      options: [{ title: "Size", values: ["6 yards"] }],
      variants: [{ title: "6 yards", options: { Size: "6 yards" }, manage_inventory: false, prices: [{ currency_code: "ngn", amount: price }] }],
      sales_channels: [{ id: channel }],
    },
  })
  return { admin, shop, channel, region, product }
}
