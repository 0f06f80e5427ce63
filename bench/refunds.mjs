// Part of `npm run bench`: how long the admin waits for a refund, on the real stack (embedded PostgreSQL, the Gate
// sandbox and the Medusa app as separate processes, see scripts/stack.mjs), against a baseline measured in the same run.
//
// Measured: the end-to-end time of `POST /admin/payments/:id/refund` {amount: 10.01} (send to last byte of the answer,
// performance.now()), sequential, one request at a time. For a Flutterwave payment that is Medusa's refund workflow
// (validate against the captures, record the refund, order transaction and refund credit line, event) plus what this
// plugin adds: the one-refund-per-payment queue in front of the route (a payment lookup and a lock in PostgreSQL), and
// in the provider the ledger reservation (the refund's row written under the per-payment advisory lock), one signed
// Gate refund request to the sandbox over loopback, and Gate's acceptance written on that row. The admin gets Gate's acceptance and does NOT wait for the bank:
// the sandbox keeps every refund processing, as Flutterwave does for days, and settles them only after the
// measurement, so their callbacks land outside it.
//
// Baseline: the same route and workflow for a payment of Medusa's manual provider (`pp_system_default`, present in
// every Medusa app): the route's payment lookup still runs, but no lock, no ledger and no external call.
//
// The two are interleaved (one Flutterwave refund, one manual refund, …) after an unmeasured warm-up, so drift and
// neighbours' load hit both alike. Every answer must be 200. Afterwards every Flutterwave refund is settled at Gate,
// and the run checks, once the callbacks are applied, that Gate holds exactly the refunds Medusa recorded (same
// refund ids, same sum in kobo) and that the plugin shows each one refunded. Any failure: exit 1.
//
// REFUND_BENCH_ORDERS (default 10): paid orders per provider; REFUND_BENCH_REFUNDS_PER_ORDER (default 5): measured
// refunds per order; DEMO_VERBOSE=1 for the app's and the sandbox's own logs.
import { httpClient } from "../scripts/http-client.mjs"
import { performance } from "node:perf_hooks"
import { describeMachine, Stack, stopStackOnSignals } from "../scripts/stack.mjs"
import { cartReadyToPay, setUpNigerianStore, startPaymentSession } from "../scripts/store-setup.mjs"
import { summarise } from "./stats.mjs"

const ORDERS_PER_PROVIDER = positiveInteger("REFUND_BENCH_ORDERS", 10)
const REFUNDS_PER_ORDER = positiveInteger("REFUND_BENCH_REFUNDS_PER_ORDER", 5)
/** Unmeasured refunds per provider before the measurement, on an order of their own. */
const WARMUP_REFUNDS = 3
const REFUND_AMOUNT = 10.01
const PRICE = 12_500.5
const FLUTTERWAVE = "pp_flutterwave_flutterwave"
const MANUAL = "pp_system_default"
/** Longest wait for Gate's callbacks of the settled refunds to be applied. */
const SETTLE_TIMEOUT_MS = 20_000

function positiveInteger(name, fallback) {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isSafeInteger(value) || value < 1) {
    console.error(`${name} must be a positive integer`)
    process.exit(2)
  }
  return value
}

const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`.padStart(6)
const log = (line) => process.stdout.write(`${elapsed()}  ${line}\n`)

class BenchFailure extends Error {}
function check(condition, message) {
  if (!condition) throw new BenchFailure(message)
}

const stack = new Stack({ log, databaseName: "medusa_flutterwave_refund_bench" })
let exitCode = 1
stopStackOnSignals(stack, log)

try {
  log(describeMachine())
  log(`date: ${new Date().toISOString()}`)
  log("starting PostgreSQL, the Gate sandbox and Medusa with the Flutterwave plugin")
  await stack.start()
  const app = stack.appUrl
  const sandbox = stack.sandboxUrl

  const { http, ok, waitFor } = httpClient({ base: app, makeError: (message) => new BenchFailure(message) })

  // ------------------------------------------------------------------ store: one NGN region with both providers
  log("setting up the store: an NGN region offering Flutterwave and Medusa's manual provider, one product")
  const store = await setUpNigerianStore({
    stack,
    ok,
    fail: (message) => new BenchFailure(message),
    email: "admin@bench.local",
    password: "bench-password",
    keyTitle: "refund bench storefront",
    providers: [FLUTTERWAVE, MANUAL],
    price: PRICE,
  })
  const { admin, shop } = store

  // ------------------------------------------------------------------ paid orders
  const runTag = Date.now().toString(36)
  let nextShopper = 0

  /** A cart with one item and a payment session of `provider`. */
  const cartWithSession = async (provider) => {
    const email = `shopper.${runTag}.${++nextShopper}@example.ng`
    const { cart, collectionId } = await cartReadyToPay({ ok, store, email })
    return { cart, email, session: await startPaymentSession({ ok, store, collectionId, provider }) }
  }

  /** Paid on the sandbox's Flutterwave page, as in the demo; Gate's callback places and captures the order. */
  const flutterwaveOrder = async (refundCount) => {
    const { email, session } = await cartWithSession(FLUTTERWAVE)
    // This payment's refunds stay processing at Gate, as Flutterwave's do for days, until settleFlutterwaveRefunds.
    await ok("POST", "/_sandbox/scripts", { base: sandbox, body: { paymentId: session.id, operation: "refund", stall: true, times: refundCount } })
    const redirect = await waitFor("the Flutterwave redirect", async () => {
      const answer = await ok("GET", session.data.redirect_status_url, { headers: shop })
      return answer.status === "redirect" ? answer.redirect : undefined
    })
    const paid = await http("POST", `${new URL(redirect.url).pathname}/confirm`, { base: sandbox })
    check(paid.status === 303, `paying on the Flutterwave page answered ${paid.status}`)
    const fields = "id,email,payment_status,*payment_collections.payments"
    const order = await waitFor(`the order of ${email}`, async () => {
      const { orders } = await ok("GET", `/admin/orders?fields=${fields}&order=-created_at&limit=10`, { headers: admin })
      return orders.find((o) => o.email === email && o.payment_status === "captured")
    })
    return { provider: FLUTTERWAVE, orderId: order.id, paymentId: order.payment_collections[0].payments[0].id, gatePaymentId: session.id, refundCount }
  }

  /** Completed with the manual provider (authorized), then captured by the admin so that it can be refunded. */
  const manualOrder = async (refundCount) => {
    const { cart } = await cartWithSession(MANUAL)
    const completed = await ok("POST", `/store/carts/${cart.id}/complete`, { headers: shop })
    check(completed.type === "order", `completing a manual-provider cart gave ${completed.type}: ${JSON.stringify(completed.error ?? {})}`)
    const { order } = await ok("GET", `/admin/orders/${completed.order.id}?fields=id,*payment_collections.payments`, { headers: admin })
    const paymentId = order.payment_collections[0].payments[0].id
    await ok("POST", `/admin/payments/${paymentId}/capture`, { headers: admin, body: {} })
    const { order: captured } = await ok("GET", `/admin/orders/${order.id}?fields=id,payment_status`, { headers: admin })
    check(captured.payment_status === "captured", `manual order ${order.id} is ${captured.payment_status} after the capture`)
    return { provider: MANUAL, orderId: order.id, paymentId, refundCount }
  }

  log(`placing ${ORDERS_PER_PROVIDER + 1} paid orders per provider at ${PRICE} NGN (one of each for the warm-up)`)
  const warmupFlutterwave = await flutterwaveOrder(WARMUP_REFUNDS)
  const warmupManual = await manualOrder(WARMUP_REFUNDS)
  const flutterwaveOrders = []
  const manualOrders = []
  for (let i = 0; i < ORDERS_PER_PROVIDER; i++) {
    flutterwaveOrders.push(await flutterwaveOrder(REFUNDS_PER_ORDER))
    manualOrders.push(await manualOrder(REFUNDS_PER_ORDER))
  }
  log(`orders placed: ${flutterwaveOrders.length + 1} paid with Flutterwave (captured by Gate's callback), ${manualOrders.length + 1} manual (captured by the admin)`)

  // ------------------------------------------------------------------ refunds
  /** One admin refund, timed from sending the request to the last byte of the answer. */
  const timedRefund = async (order) => {
    const startedAt = performance.now()
    const response = await fetch(`${app}/admin/payments/${order.paymentId}/refund`, {
      method: "POST",
      headers: { "content-type": "application/json", ...admin },
      body: JSON.stringify({ amount: REFUND_AMOUNT }),
    })
    const text = await response.text()
    const answeredInMs = performance.now() - startedAt
    check(response.status === 200, `refund of ${order.provider} payment ${order.paymentId} answered ${response.status}: ${text.slice(0, 300)}`)
    return answeredInMs
  }

  log(`warm-up: ${WARMUP_REFUNDS} refunds of each provider, alternately (not measured)`)
  for (let i = 0; i < WARMUP_REFUNDS; i++) {
    await timedRefund(warmupFlutterwave)
    await timedRefund(warmupManual)
  }

  log(`measuring ${ORDERS_PER_PROVIDER * REFUNDS_PER_ORDER} refunds of ${REFUND_AMOUNT} NGN per provider, one Flutterwave and one manual alternately`)
  const samples = { [FLUTTERWAVE]: [], [MANUAL]: [] }
  for (let i = 0; i < ORDERS_PER_PROVIDER; i++) {
    for (let j = 0; j < REFUNDS_PER_ORDER; j++) {
      samples[FLUTTERWAVE].push(await timedRefund(flutterwaveOrders[i]))
      samples[MANUAL].push(await timedRefund(manualOrders[i]))
    }
  }

  // ------------------------------------------------------------------ correctness: Medusa against Gate
  const allFlutterwave = [warmupFlutterwave, ...flutterwaveOrders]
  const gatePayment = async (order) => (await ok("GET", `/_sandbox/payments/${order.gatePaymentId}`, { base: sandbox })).payment
  const gateRefunds = (payment) => payment.operations.filter((op) => op.type === "refund")
  const medusaRefunds = async (order) =>
    (await ok("GET", `/admin/payments/${order.paymentId}?fields=id,amount,*refunds`, { headers: admin })).payment.refunds

  log("the bank pays the refunds out: settling every Flutterwave refund at Gate, then waiting for the callbacks")
  let settledAtGate = 0
  for (const order of allFlutterwave) {
    const stalled = gateRefunds(await gatePayment(order))
    check(
      stalled.length === order.refundCount && stalled.every((op) => op.status === "processing"),
      `Gate payment ${order.gatePaymentId} holds refunds ${stalled.map((op) => op.status).join(", ") || "none"}, expected ${order.refundCount} processing`
    )
    for (const op of stalled) {
      await ok("POST", `/_sandbox/payments/${order.gatePaymentId}/operations/${op.id}/settle`, { base: sandbox, body: { outcome: "success" } })
      settledAtGate++
    }
  }
  // The callbacks are applied once the plugin shows every refund of every Flutterwave order as refunded.
  await waitFor(
    "Gate's refund callbacks to be applied",
    async () => {
      for (const order of allFlutterwave) {
        const { payments } = await ok("GET", `/admin/flutterwave/orders/${order.orderId}/operations`, { headers: admin })
        const refunds = payments[0].refunds
        if (refunds.length !== order.refundCount || refunds.some((r) => r.state !== "success")) return false
      }
      return true
    },
    SETTLE_TIMEOUT_MS
  )

  let refundedKobo = 0
  for (const order of allFlutterwave) {
    const gate = await gatePayment(order)
    const atGate = gateRefunds(gate)
    const inMedusa = await medusaRefunds(order)
    const medusaKobo = inMedusa.reduce((sum, r) => sum + Math.round(Number(r.amount) * 100), 0)
    const gateKobo = atGate.filter((op) => op.status === "success").reduce((sum, op) => sum + op.sumInitial.amount, 0)
    const medusaIds = inMedusa.map((r) => r.id).sort()
    const gateKeys = atGate.map((op) => op.merchantRefundId).sort()
    check(inMedusa.length === order.refundCount, `Medusa records ${inMedusa.length} refunds of ${order.paymentId}, expected ${order.refundCount}`)
    check(atGate.every((op) => op.status === "success"), `Gate payment ${order.gatePaymentId} has refunds ${atGate.map((op) => op.status).join(", ")}`)
    check(JSON.stringify(gateKeys) === JSON.stringify(medusaIds), `Gate's refunds of ${order.gatePaymentId} are not Medusa's: ${gateKeys} vs ${medusaIds}`)
    check(gateKobo === medusaKobo, `Gate refunded ${gateKobo} kobo of ${order.gatePaymentId}, Medusa records ${medusaKobo}`)
    check(gate.sum.amount === gate.initialSum.amount - gateKobo, `Gate holds ${gate.sum.amount} kobo of ${order.gatePaymentId} after refunding ${gateKobo}`)
    refundedKobo += gateKobo
  }
  for (const order of [warmupManual, ...manualOrders]) {
    const count = (await medusaRefunds(order)).length
    check(count === order.refundCount, `Medusa records ${count} refunds of manual payment ${order.paymentId}, expected ${order.refundCount}`)
  }
  log(
    `Medusa = Gate: ${allFlutterwave.length} Flutterwave payments, ${settledAtGate} refunds, ${refundedKobo} kobo, ` +
      "same refund ids, all refunded; every manual payment holds its refunds"
  )

  // ------------------------------------------------------------------ report
  const baseline = summarise(samples[MANUAL])
  const rows = [
    { label: `${MANUAL} (baseline)`, stats: baseline },
    { label: FLUTTERWAVE, stats: summarise(samples[FLUTTERWAVE]) },
  ]
  const ms = (v) => v.toFixed(1)
  const ratio = (v) => `${v.toFixed(2)}×`
  const header =
    `${"provider".padEnd(30)}${"n".padStart(4)}${"p50".padStart(8)}${"p90".padStart(8)}${"p99".padStart(8)}${"max".padStart(8)}` +
    `${"× baseline (p50)".padStart(19)}${"(p99)".padStart(8)}`
  const lines = ["", header, "-".repeat(header.length)]
  for (const { label, stats } of rows) {
    lines.push(
      `${label.padEnd(30)}${String(stats.n).padStart(4)}${ms(stats.p50).padStart(8)}${ms(stats.p90).padStart(8)}` +
        `${ms(stats.p99).padStart(8)}${ms(stats.max).padStart(8)}${ratio(stats.p50 / baseline.p50).padStart(19)}${ratio(stats.p99 / baseline.p99).padStart(8)}`
    )
  }
  lines.push(
    `ms, POST /admin/payments/:id/refund end to end, sequential, interleaved; ${REFUND_AMOUNT} NGN each, ` +
      `${REFUNDS_PER_ORDER} per order; percentiles interpolated between closest ranks`
  )
  process.stdout.write(lines.join("\n") + "\n\n")
  log("refund bench passed: every refund answered 200, Medusa and Gate agree")
  exitCode = 0
} catch (error) {
  log(`refund bench FAILED: ${error instanceof BenchFailure ? error.message : (error?.stack ?? error)}`)
  for (const child of stack.children) {
    if (child.output) process.stdout.write(`\n--- last output of ${child.label} ---\n${child.output.split("\n").slice(-30).join("\n")}\n`)
  }
} finally {
  await stack.stop()
  log("stack stopped")
}
process.exit(exitCode)
