// The steps both demos share (`npm run demo` on the Gate sandbox, scripts/demo-flutterwave-v3.mjs on the v3 sandbox):
// the log, the checks, running the stack, the store and the shopper's cart, the order, the refund left pending, the
// closing table.
import { httpClient } from "./http-client.mjs"
import { setUpNigerianStore } from "./store-setup.mjs"

/** An expectation of the demo that did not hold: reported by its message alone, without a stack. */
export class DemoFailure extends Error {}

export function check(condition, message) {
  if (!condition) throw new DemoFailure(message)
}

/** The demo's log, each line after the time since it started; `step(n, line)` numbers a step out of `steps`. */
export function demoLog(steps) {
  const started = Date.now()
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`.padStart(6)
  const log = (line) => process.stdout.write(`${elapsed()}  ${line}\n`)
  const step = (n, line) => log(`[${n}/${steps}] ${line}`)
  return { log, step }
}

/**
 * Logs `starting`, starts the stack and runs the demo's steps with an HTTP client on the app (`demo(client)`); stops
 * the stack whatever happens. A failure is logged with the last output of each process. Resolves with the exit code
 * (0: every step held).
 */
export async function runDemo({ stack, log, starting }, demo) {
  try {
    log(starting)
    await stack.start()
    await demo(httpClient({ base: stack.appUrl, makeError: (message) => new DemoFailure(message) }))
    log("demo passed: every step held")
    return 0
  } catch (error) {
    log(`demo FAILED: ${error instanceof DemoFailure ? error.message : (error.stack ?? error)}`)
    for (const child of stack.children) {
      if (child.output) process.stdout.write(`\n--- last output of ${child.label} ---\n${child.output.split("\n").slice(-30).join("\n")}\n`)
    }
    return 1
  } finally {
    await stack.stop()
  }
}

/** Step 1: the admin signs in and sets up the Nigerian store, Flutterwave offered, one product at `price` NGN. */
export function setUpDemoStore(stack, ok, price) {
  return setUpNigerianStore({
    stack,
    ok,
    fail: (message) => new DemoFailure(message),
    email: "admin@demo.local",
    password: "demo-password",
    keyTitle: "demo storefront",
    providers: ["pp_flutterwave_flutterwave"],
    price,
  })
}

/** Step 2: a shopper in Lagos puts the product in a cart and chooses Flutterwave; answers their email, cart and session. */
export async function shopperChoosesFlutterwave(ok, { shop, channel, region, product }) {
  const email = `chioma.${Date.now()}@example.ng`
  const { cart } = await ok("POST", "/store/carts", {
    headers: shop,
    body: { region_id: region.id, email, sales_channel_id: channel, items: [{ variant_id: product.variants[0].id, quantity: 1 }] },
  })
  const { payment_collection } = await ok("POST", "/store/payment-collections", { headers: shop, body: { cart_id: cart.id } })
  const withSession = await ok("POST", `/store/payment-collections/${payment_collection.id}/payment-sessions`, {
    headers: shop,
    body: { provider_id: "pp_flutterwave_flutterwave" },
  })
  return { email, cart, session: withSession.payment_collection.payment_sessions[0] }
}

/** Step 5: waits for the shopper's order, placed and captured (with `fields`); answers it and its payment. */
export async function capturedOrder({ ok, waitFor }, admin, email, fields) {
  const order = await waitFor("the order", async () => {
    const { orders } = await ok("GET", `/admin/orders?fields=${fields}&limit=20`, { headers: admin })
    return orders.find((o) => o.email === email && o.payment_status === "captured")
  })
  return { order, payment: order.payment_collections[0].payments[0] }
}

/** Step 6: the shopper comes back and completes the cart again: the same order. */
export async function completeCartAgain(ok, shop, cart, order) {
  const completed = await ok("POST", `/store/carts/${cart.id}/complete`, { headers: shop })
  check(completed.type === "order" && completed.order.id === order.id, "completing the cart again did not return the same order")
}

/** What the order's Flutterwave card in the admin shows of its payment, read afresh at each call. */
export function orderCard(ok, admin, order) {
  return async () => (await ok("GET", `/admin/flutterwave/orders/${order.id}/operations`, { headers: admin })).payments[0]
}

/**
 * Step 7: the admin refunds `amount` NGN, which the backend accepts and leaves processing; the refund is recorded and
 * the card shows it pending. Answers how long the admin waited and the card's refunds.
 */
export async function refundLeftPending(ok, admin, payment, amount, card) {
  const askedAt = Date.now()
  const refunded = await ok("POST", `/admin/payments/${payment.id}/refund`, { headers: admin, body: { amount } })
  const answeredIn = Date.now() - askedAt
  check(refunded.payment.refunds.length === 1, "the refund was not recorded")
  const pending = (await card()).refunds
  check(pending.length === 1 && pending[0].state === "pending", `the order card shows ${JSON.stringify(pending)}, not one pending refund`)
  return { answeredIn, pending }
}

/** The closing table, Medusa against the backend: rows of [what, Medusa, backend], Medusa's column `width` wide. */
export function printTable(rows, width) {
  process.stdout.write("\n" + rows.map((r) => `  ${r[0].padEnd(16)}${r[1].padEnd(width)}${r[2]}`).join("\n") + "\n\n")
}
