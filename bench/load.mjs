// `npm run load`: what a store feels of this plugin under load, on the real stack (embedded PostgreSQL, the Gate
// sandbox and Medusa as separate processes, see scripts/stack.mjs), each figure next to a baseline measured in the
// same run, on the same store, alternating with it so that the machine's noise hits both.
//
// a) Orders from paid callbacks: one `POST /hooks/flutterwave` carrying Gate's signed success callback of a paid
//    Flutterwave sale (answered 200 "applied": the order is placed and its payment captured inside), against Medusa's
//    own checkout with its built-in provider (`pp_system_default`): `POST /store/carts/:id/complete`, then the admin's
//    `POST /admin/payments/:id/capture`. Units/s and per-unit latency, at each concurrency, with Gate answering at
//    once and with every Gate API answer 200 ms late (the sandbox's latency).
// b) Re-deliveries of callbacks already applied, against `GET /health` (autocannon).
// c) Callbacks for payments the store never made, and callbacks with a bad signature, against `GET /health`; a bad
//    signature must change nothing in the database.
// d) The shopper's wait for Flutterwave's page: from the storefront kit's `POST .../payment-sessions` to the moment
//    `startFlutterwavePayment` has the page address (it polls `GET /store/flutterwave/payment-sessions/:id` as it
//    does in a browser), in each checkout mode, against creating a `pp_system_default` session.
// e) One reconciliation run (`POST /admin/flutterwave/reconcile`, the real reconcile()) over pending sales at 200 ms
//    Gate latency, against the floor Gate's latency alone sets at the configured concurrency.
// Every run ends with the ledger check (bench/load-database.mjs). Any failed check or missed goal: exit 1.
//
// Preparation is never measured: the carts (one item, email, Lagos address, shipping) and their payment sessions;
// each Flutterwave sale is paid at the sandbox with its callback dropped, and the run delivers that callback itself
// (the sandbox serves it, unsigned; the plugin's own signParams signs it, as Gate does).
//
// Knobs (environment): LOAD_TOPOLOGY ("single", or "production": two servers, a worker and Redis, also --topology),
// LOAD_CHECKOUT (checkout mode of the paid carts in a-c: "payment_page", the default, or "gate"), LOAD_UNITS (orders
// per provider per stage, 40), LOAD_CONCURRENCY ("1,8"), LOAD_LATENCY_MS ("0,200"), LOAD_BATCHES (batches per
// provider per stage, alternating, 2), LOAD_HTTP_CONNECTIONS (b and c, 8), LOAD_DUPLICATES (4000), LOAD_UNKNOWN
// (900), LOAD_BAD_SIGNATURES (1500), LOAD_HEALTH_REQUESTS (4000 per /health burst, three bursts),
// LOAD_REDIRECT_SAMPLES (12 per mode and latency), LOAD_RECONCILE_ITEMS (2000), LOAD_RECONCILE_LATENCY_MS (200),
// LOAD_PREPARE_CONCURRENCY (4), DEMO_VERBOSE=1 for the app's and the sandbox's own logs.
import Medusa from "@medusajs/js-sdk"
import autocannon from "autocannon"
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import pg from "pg"
import { httpClient } from "../scripts/http-client.mjs"
import { DEMO_PROJECT_ID, DEMO_SECRET_KEY, describeMachine, ROOT, Stack, stopStackOnSignals } from "../scripts/stack.mjs"
import { cartReadyToPay, setUpNigerianStore, startPaymentSession } from "../scripts/store-setup.mjs"
import { callbackFootprint, checkLedger, insertPendingSales, requireEmptyStore, retirePendingSales } from "./load-database.mjs"
import { summarise } from "./stats.mjs"

const require = createRequire(import.meta.url)
// The plugin's own code, loaded through ts-node, nothing reimplemented: its signer (Gate signs callbacks with the same
// algorithm), its Gate client (to open the pending sales reconciliation asks about) and its storefront kit.
require("ts-node").register({ transpileOnly: true })
const { signParams } = require("../src/rails/ecommpay/signature.ts")
const { GateClient } = require("../src/rails/ecommpay/client.ts")
const { startFlutterwavePayment } = require("../src/storefront/index.ts")

const FLUTTERWAVE = "pp_flutterwave_flutterwave"
const MANUAL = "pp_system_default"
const PRICE = 12_500.5
const SHIPPING = 2_500
const PROJECT_ID = Number(process.env.FLUTTERWAVE_PROJECT_ID ?? DEMO_PROJECT_ID)
const SECRET = process.env.FLUTTERWAVE_SECRET_KEY ?? DEMO_SECRET_KEY

const list = (name, fallback) => (process.env[name] ?? fallback).split(",").map((x) => whole(name, x.trim()))
function whole(name, value) {
  const number = Number(value)
  if (!Number.isSafeInteger(number) || number < 0) usage(`${name} must be whole numbers ≥ 0, not "${value}"`)
  return number
}
const count = (name, fallback) => whole(name, process.env[name] ?? fallback)
function usage(message) {
  console.error(message)
  process.exit(2)
}

const TOPOLOGY = topologyOption()
const CHECKOUT = process.env.LOAD_CHECKOUT ?? "payment_page"
if (!["payment_page", "gate"].includes(CHECKOUT)) usage('LOAD_CHECKOUT must be "payment_page" or "gate"')
const UNITS = count("LOAD_UNITS", 40)
const CONCURRENCY = list("LOAD_CONCURRENCY", "1,8")
// a) must place orders: b) and c) re-deliver and imitate their callbacks.
if (UNITS < 1 || CONCURRENCY.some((c) => c < 1)) usage("LOAD_UNITS and every LOAD_CONCURRENCY must be at least 1")
const LATENCIES = list("LOAD_LATENCY_MS", "0,200")
const BATCHES = Math.max(1, count("LOAD_BATCHES", 2))
const HTTP_CONNECTIONS = Math.max(1, count("LOAD_HTTP_CONNECTIONS", 8))
const DUPLICATES = count("LOAD_DUPLICATES", 4000)
const UNKNOWN = count("LOAD_UNKNOWN", 900)
const BAD_SIGNATURES = count("LOAD_BAD_SIGNATURES", 1500)
const HEALTH_REQUESTS = count("LOAD_HEALTH_REQUESTS", 4000)
const REDIRECT_SAMPLES = count("LOAD_REDIRECT_SAMPLES", 12)
const RECONCILE_ITEMS = count("LOAD_RECONCILE_ITEMS", 2000)
const RECONCILE_LATENCY_MS = count("LOAD_RECONCILE_LATENCY_MS", 200)
const PREPARE_CONCURRENCY = Math.max(1, count("LOAD_PREPARE_CONCURRENCY", 4))
/** Goals: (a) the plugin's orders at least as fast as Medusa's own checkout; (b) duplicates ≥ 0.6× /health; (e). */
const GOALS = { orders: 1.0, duplicates: 0.6, reconcileSeconds: 60 }
/** The plugin's default reconcileConcurrency (src/options.ts), which this stack does not override. */
const RECONCILE_CONCURRENCY = Number(process.env.FLUTTERWAVE_RECONCILE_CONCURRENCY ?? 8)
/** No measured burst may take longer than this, whatever the knobs say: the run stays bounded. */
const BURST_MAX_MS = 120_000

function topologyOption() {
  const index = process.argv.indexOf("--topology")
  const inline = process.argv.find((arg) => arg.startsWith("--topology="))
  const value = inline ? inline.slice("--topology=".length) : index >= 0 ? process.argv[index + 1] : (process.env.LOAD_TOPOLOGY ?? "single")
  if (value !== "single" && value !== "production") usage('--topology (LOAD_TOPOLOGY) must be "single" or "production"')
  return value
}

const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`.padStart(6)
const log = (line) => process.stdout.write(`${elapsed()}  ${line}\n`)

class LoadFailure extends Error {}
function check(condition, message) {
  if (!condition) throw new LoadFailure(message)
}

// ------------------------------------------------------------------ running requests
/** Runs `units` through `work`, `concurrency` at a time; each unit's latency (ms) and the wall time of the whole. */
async function runPool(units, concurrency, work) {
  const latencies = []
  let next = 0
  const startedAt = performance.now()
  const lane = async () => {
    while (next < units.length) {
      const unit = units[next++]
      const unitStart = performance.now()
      await work(unit)
      latencies.push(performance.now() - unitStart)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, units.length) }, lane))
  return { latencies, seconds: (performance.now() - startedAt) / 1000 }
}

function runAutocannon(options) {
  return new Promise((resolve, reject) => {
    let stoppedEarly = false
    const instance = autocannon({ timeout: 10, ...options }, (error, result) => {
      clearTimeout(timer)
      if (error) return reject(error)
      resolve({ result, stoppedEarly })
    })
    const timer = setTimeout(() => {
      stoppedEarly = true
      instance.stop()
    }, BURST_MAX_MS)
  })
}

/**
 * `amount` requests to `path` on every server at once: one autocannon per server with its share of the connections
 * and requests (autocannon takes one URL). `nextBody()` gives each request its body, in order across all of them;
 * `onAnswer(status, body, sent)` sees each answer. Timed from the first request sent to the last answer received:
 * autocannon's own clock ends an amount-bound run on its next whole-second tick, which would understate any burst
 * shorter than a few seconds. p50/p99: the slowest server's (autocannon keeps no samples to pool), 1 ms resolution.
 */
async function burst(servers, { path, connections, amount, nextBody, onAnswer }) {
  let firstSent
  let lastAnswered
  const runs = await Promise.all(
    servers.map((server, index) => {
      const share = (total) => Math.floor(total / servers.length) + (index < total % servers.length ? 1 : 0)
      return runAutocannon({
        url: `${server}${path}`,
        connections: Math.max(1, share(connections)),
        amount: share(amount),
        requests: [
          {
            method: nextBody ? "POST" : "GET",
            setupRequest: (request, context) => {
              firstSent ??= performance.now()
              if (!nextBody) return request
              context.sent = nextBody()
              return { ...request, method: "POST", headers: { "content-type": "application/json" }, body: context.sent.body }
            },
            onResponse: (status, body, context) => {
              lastAnswered = performance.now()
              onAnswer?.(status, body, context.sent)
            },
          },
        ],
      })
    })
  )
  for (const run of runs) check(!run.stoppedEarly, `a burst on ${path} did not finish within ${BURST_MAX_MS / 1000} s`)
  const sum = (pick) => runs.reduce((total, run) => total + pick(run.result), 0)
  const seconds = (lastAnswered - firstSent) / 1000
  return {
    ok: sum((r) => r["2xx"]),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    seconds,
    rps: sum((r) => r["2xx"]) / seconds,
    p50: Math.max(...runs.map((run) => run.result.latency.p50)),
    p99: Math.max(...runs.map((run) => run.result.latency.p99)),
  }
}

function outcomeOf(text) {
  try {
    return JSON.parse(text).outcome ?? "?"
  } catch {
    return "?"
  }
}

/** Each server in turn, request after request: in the production topology, load spreads over both servers. */
function roundRobin(servers) {
  let next = 0
  return () => servers[next++ % servers.length]
}

// ------------------------------------------------------------------ the table
const rows = []
const failures = []
let tablePrinted = false

/**
 * One measurement. `goal`: the ratio's bound (undefined: reported only), read as "at least" or, with
 * higherIsBetter false, "under"; `goalText` words it when the bound is not a plain ratio. `correctness`: the
 * measurement's failed checks (result FAIL, whatever the ratio).
 */
function addRow({ what, baseline, plugin, ratio, goal, goalText, higherIsBetter = true, note, correctness = [] }) {
  const goalMet = goal === undefined ? undefined : higherIsBetter ? ratio >= goal : ratio < goal
  const result = correctness.length > 0 ? "FAIL" : goalMet === false ? "fail" : goalMet === true ? "pass" : "info"
  const wording = goal === undefined ? "—" : (goalText ?? `${higherIsBetter ? "≥" : "<"} ${goal}×`)
  rows.push({ what, baseline, plugin, ratio, goal: wording, result, note })
  for (const problem of correctness) failures.push(`${what}: ${problem}`)
  if (goalMet === false) failures.push(`${what}: missed the goal (${ratio.toFixed(2)}×, goal ${wording})`)
}

function printTable() {
  tablePrinted = true
  const header = ["what", "baseline", "plugin", "ratio", "goal", "result"]
  const cells = rows.map((row) => [row.what, row.baseline, row.plugin, `${row.ratio.toFixed(2)}×`, row.goal, row.result])
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((cell) => cell[i].length)))
  const line = (cell) => cell.map((text, i) => (i === 3 ? text.padStart(widths[i]) : text.padEnd(widths[i]))).join(" | ")
  process.stdout.write(["", line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...cells.map(line), ""].join("\n") + "\n")
  const notes = rows.filter((row) => row.note).map((row) => `  ${row.what}: ${row.note}`)
  if (notes.length > 0) process.stdout.write(notes.join("\n") + "\n")
}

const rate = (stats) => `${stats.rps.toFixed(stats.rps < 100 ? 2 : 0)}/s (p50 ${ms(stats.p50)}, p99 ${ms(stats.p99)} ms)`
const ms = (value) => (value < 10 ? value.toFixed(1) : value.toFixed(0))

// ------------------------------------------------------------------ main
const stack = await createStack()
let exitCode = 1
let db
stopStackOnSignals(stack, log)

try {
  log(describeMachine())
  log(`date: ${new Date().toISOString()}; ${describeCode()}`)
  log(`topology: ${TOPOLOGY}; paid carts in checkout mode ${CHECKOUT}; starting PostgreSQL, the Gate sandbox and Medusa`)
  await stack.start()
  const servers = stack.serverUrls ?? [stack.appUrl]
  const sandbox = stack.sandboxUrl
  const { http, ok, waitFor } = httpClient({ base: servers[0], makeError: (message) => new LoadFailure(message) })
  db = new pg.Client({ connectionString: stack.env.DATABASE_URL })
  await db.connect()
  const notEmpty = await requireEmptyStore(db)
  check(!notEmpty, notEmpty)

  log("setting up the store: an NGN region with Flutterwave and the system provider, a product at 12,500.50 NGN shipped for 2,500 NGN")
  const store = await setUpNigerianStore({
    stack,
    ok,
    fail: (message) => new LoadFailure(message),
    email: "admin@load.local",
    password: "load-password",
    keyTitle: "load storefront",
    providers: [FLUTTERWAVE, MANUAL],
    price: PRICE,
    shippingPrice: SHIPPING,
  })
  const { admin, shop } = store
  const amountMinor = Math.round((PRICE + SHIPPING) * 100)
  const runTag = `load${Date.now().toString(36)}`
  let shoppers = 0
  const newEmail = () => `shopper.${runTag}.${++shoppers}@example.ng`

  const setLatency = async (latencyMs) => ok("POST", "/_sandbox/latency", { base: sandbox, body: { latencyMs } })
  /** Settings → Flutterwave's checkout mode, saved through the admin API, in force on every server before it returns. */
  const useCheckout = async (mode) => {
    await ok("POST", "/admin/flutterwave/settings", { headers: admin, body: { checkout: mode } })
    for (const server of servers) {
      await waitFor(`checkout mode ${mode} on ${server}`, async () => {
        const { settings } = await ok("GET", "/admin/flutterwave/settings", { base: server, headers: admin })
        return settings.checkout === mode
      }, 10_000)
    }
  }

  // ================================================================ e) one reconciliation run
  // First, while the store holds nothing else: the run then asks about exactly these pending sales.
  const reconcileIds = Array.from({ length: RECONCILE_ITEMS }, (_, i) => `${runTag}_pending_${String(i).padStart(5, "0")}`)
  if (RECONCILE_ITEMS > 0) {
    log(`e) ${RECONCILE_ITEMS} pending sales: opened at Gate (their callbacks lost), a third declined there since, none heard of`)
    await setLatency(0)
    const gate = new GateClient({ projectId: PROJECT_ID, secretKey: SECRET, baseUrl: sandbox, timeoutMs: 15_000 })
    // Lost on their way, so the ledger still holds each sale pending: what reconciliation is for.
    await ok("POST", "/_sandbox/scripts", { base: sandbox, body: { operation: "sale", times: RECONCILE_ITEMS, callback: { drop: true } } })
    await runPool(reconcileIds, 16, (id) =>
      gate.sale({ paymentId: id, amount: amountMinor, currency: "NGN", description: `Order ${id}`, customer: { id: `guest_${id}`, ipAddress: "102.89.3.14", email: "ada@example.ng" } })
    )
    const declined = new Set(reconcileIds.filter((_, i) => i % 3 === 0))
    await runPool([...declined], 16, (id) => ok("POST", `/_sandbox/payments/${id}/decline`, { base: sandbox, body: { drop: true } }))
    await insertPendingSales(db, reconcileIds, amountMinor, "NGN")
    await setLatency(RECONCILE_LATENCY_MS)
    await clearOfScheduledReconciliation()
    log(`e) POST /admin/flutterwave/reconcile with every Gate answer ${RECONCILE_LATENCY_MS} ms late`)
    const startedAt = performance.now()
    const answer = await http("POST", "/admin/flutterwave/reconcile", { headers: admin })
    const seconds = (performance.now() - startedAt) / 1000
    await setLatency(0)
    const problems = []
    if (answer.status !== 200) problems.push(`answered ${answer.status}: ${answer.text.slice(0, 300)}`)
    const report = answer.json?.reconciliation ?? { items: [] }
    const ours = new Map(report.items.filter((item) => item.gate_payment_id.startsWith(`${runTag}_pending_`)).map((item) => [item.gate_payment_id, item]))
    if (ours.size !== RECONCILE_ITEMS) problems.push(`the run reported ${ours.size} of the ${RECONCILE_ITEMS} pending sales`)
    const wrong = [...ours.values()].filter((item) => (declined.has(item.gate_payment_id) ? item.after !== "decline" : item.after === "decline" || item.after === "unknown"))
    if (wrong.length > 0) problems.push(`${wrong.length} sales reconciled wrongly, e.g. ${JSON.stringify(wrong[0])}`)
    if (report.failed) problems.push(`${report.failed} items failed`)
    const ledger = await db.query(
      `SELECT status, count(*)::int AS n FROM fw_gate_operation WHERE kind = 'sale' AND gate_payment_id = ANY($1::text[]) GROUP BY status`,
      [reconcileIds]
    )
    const byStatus = Object.fromEntries(ledger.rows.map((row) => [row.status, row.n]))
    if ((byStatus.decline ?? 0) !== declined.size || (byStatus.pending ?? 0) !== RECONCILE_ITEMS - declined.size) {
      problems.push(`the ledger holds ${JSON.stringify(byStatus)} for ${declined.size} declined and ${RECONCILE_ITEMS - declined.size} pending at Gate`)
    }
    const floor = (RECONCILE_ITEMS * RECONCILE_LATENCY_MS) / RECONCILE_CONCURRENCY / 1000
    log(`e) ${seconds.toFixed(1)} s: checked ${report.checked}, changed ${report.changed}, still pending ${report.still_pending}, failed ${report.failed}`)
    addRow({
      what: `e) reconcile ${RECONCILE_ITEMS} pending, Gate +${RECONCILE_LATENCY_MS} ms`,
      baseline: `${floor.toFixed(1)} s (Gate wait alone at ${RECONCILE_CONCURRENCY} at once)`,
      plugin: `${seconds.toFixed(1)} s (${report.checked} checked, ${report.changed} changed)`,
      ratio: seconds / floor,
      goal: GOALS.reconcileSeconds / floor,
      goalText: `< ${GOALS.reconcileSeconds} s`,
      higherIsBetter: false,
      note: `the real reconcile() through the admin route, one run; ${GOALS.reconcileSeconds} s is a ratio of ${(GOALS.reconcileSeconds / floor).toFixed(2)}×`,
      correctness: problems,
    })
    // Measured: out of the ledger, so the scheduled job does not spend the rest of the run asking about them again.
    await retirePendingSales(db, reconcileIds)
  }

  // ================================================================ a) preparation: paid carts and their callbacks
  await useCheckout(CHECKOUT)
  const stages = LATENCIES.flatMap((latencyMs) => CONCURRENCY.map((concurrency) => ({ latencyMs, concurrency })))
  log(`a) preparing ${stages.length} × ${UNITS} Flutterwave carts paid at Gate (callbacks held back) and ${stages.length} × ${UNITS} system-provider carts`)

  /** A cart paid with Flutterwave whose success callback Gate has not delivered: the run delivers it, measured. */
  const paidFlutterwaveCart = async () => {
    const { cart, collectionId } = await cartReadyToPay({ ok, store, email: newEmail() })
    const session = await startPaymentSession({ ok, store, collectionId, provider: FLUTTERWAVE })
    check(session.data.amount_minor === amountMinor, `session ${session.id} asks Gate for ${session.data.amount_minor} kobo, not ${amountMinor}`)
    if (session.data.checkout === "payment_page") {
      // The shopper opens the signed page: only then does the payment exist at Gate.
      const page = new URL(session.data.redirect_url)
      const opened = await http("GET", page.pathname + page.search, { base: page.origin })
      check(opened.status === 200, `opening the Payment Page of ${session.id} answered ${opened.status}`)
    } else {
      // Gate's "awaiting redirect result" callback hands the plugin Flutterwave's page, as before any shopper pays.
      await waitFor(`the redirect of ${session.id}`, async () => (await ok("GET", `/store/flutterwave/payment-sessions/${session.id}`, { headers: shop })).status === "redirect")
    }
    // The shopper pays; Gate's callback about it is lost on its way (drop), so the ledger still waits for it.
    const { payment } = await ok("POST", `/_sandbox/payments/${session.id}/pay`, { base: sandbox, body: { drop: true } })
    const sale = payment.operations.find((op) => op.type === "sale")
    const { callback } = await ok("GET", `/_sandbox/payments/${session.id}/operations/${sale.id}/callback`, { base: sandbox })
    check(
      callback.payment.id === session.id &&
        callback.payment.status === "success" &&
        callback.operation.status === "success" &&
        callback.operation.sum_initial.amount === amountMinor &&
        callback.payment.sum.amount === amountMinor,
      `Gate's success callback for ${session.id} is not the paid sale: ${JSON.stringify(callback).slice(0, 300)}`
    )
    return { cartId: cart.id, sessionId: session.id, amountMinor, unsigned: callback, body: JSON.stringify({ ...callback, signature: signParams(callback, SECRET) }) }
  }
  const manualCart = async () => {
    const { cart, collectionId } = await cartReadyToPay({ ok, store, email: newEmail() })
    await startPaymentSession({ ok, store, collectionId, provider: MANUAL })
    return { cartId: cart.id }
  }
  const prepareMany = async (n, make) => {
    const made = []
    await runPool(Array.from({ length: n }), PREPARE_CONCURRENCY, async () => made.push(await make()))
    return made
  }
  for (const stage of stages) {
    stage.flutterwave = await prepareMany(UNITS, paidFlutterwaveCart)
    stage.manual = await prepareMany(UNITS, manualCart)
  }
  const paidFlutterwave = stages.flatMap((stage) => stage.flutterwave)
  const paidManual = stages.flatMap((stage) => stage.manual)

  // ================================================================ a) measured: callback vs complete + capture
  const placeByCallback = (nextServer) => async (cart) => {
    const response = await fetch(`${nextServer()}/hooks/flutterwave`, { method: "POST", headers: { "content-type": "application/json" }, body: cart.body })
    const text = await response.text()
    check(response.status === 200 && outcomeOf(text) === "applied", `the success callback of ${cart.sessionId} answered ${response.status}: ${text.slice(0, 300)}`)
  }
  // Asks the completed order for its payment's id, which the admin's capture names; the storefront's fields otherwise.
  const completeFields = encodeURIComponent("*payment_collections.payments")
  const placeByCheckout = (nextServer) => async (cart) => {
    const server = nextServer()
    const completed = await ok("POST", `/store/carts/${cart.cartId}/complete?fields=${completeFields}`, { base: server, headers: shop })
    check(completed.type === "order", `completing cart ${cart.cartId} gave ${completed.type}: ${JSON.stringify(completed.error ?? {})}`)
    const paymentId = completed.order.payment_collections?.[0]?.payments?.[0]?.id
    check(paymentId, `the order of cart ${cart.cartId} names no payment`)
    await ok("POST", `/admin/payments/${paymentId}/capture`, { base: server, headers: admin, body: {} })
  }

  for (const stage of stages) {
    await setLatency(stage.latencyMs)
    const label = `c=${stage.concurrency}, Gate +${stage.latencyMs} ms`
    log(`a) ${label}: ${UNITS} orders per provider in ${BATCHES} alternating batches each`)
    const nextServer = roundRobin(servers)
    const sides = {
      manual: { work: placeByCheckout(nextServer), carts: stage.manual, latencies: [], seconds: 0 },
      flutterwave: { work: placeByCallback(nextServer), carts: stage.flutterwave, latencies: [], seconds: 0 },
    }
    // Baseline, plugin, plugin, baseline, …: drift during the stage (JIT, GC, a neighbour) weighs on both alike.
    const order = Array.from({ length: BATCHES }, (_, i) => (i % 2 === 0 ? ["manual", "flutterwave"] : ["flutterwave", "manual"])).flat()
    for (const [position, name] of order.entries()) {
      const side = sides[name]
      const batch = Math.floor(position / 2)
      const carts = side.carts.filter((_, i) => i % BATCHES === batch)
      const run = await runPool(carts, stage.concurrency, side.work)
      side.latencies.push(...run.latencies)
      side.seconds += run.seconds
    }
    const stats = (side) => ({ ...summarise(side.latencies), rps: side.latencies.length / side.seconds })
    const manual = stats(sides.manual)
    const flutterwave = stats(sides.flutterwave)
    log(`a) ${label}: complete + capture ${rate(manual)}; callback ${rate(flutterwave)}`)
    addRow({
      what: `a) order from paid callback, ${label}`,
      baseline: `${rate(manual)}`,
      plugin: `${rate(flutterwave)}`,
      ratio: flutterwave.rps / manual.rps,
      goal: GOALS.orders,
    })
  }
  await setLatency(0)

  // ================================================================ b), c) callback intake against GET /health
  const connections = HTTP_CONNECTIONS
  log(`b), c) re-deliveries, unknown payments and bad signatures against GET /health at ${connections} connections`)
  const duplicatesSent = new Map()
  let duplicateCursor = 0
  const duplicateOutcomes = new Map()
  const nextDuplicate = () => {
    const cart = paidFlutterwave[duplicateCursor++ % paidFlutterwave.length]
    duplicatesSent.set(cart.sessionId, (duplicatesSent.get(cart.sessionId) ?? 0) + 1)
    return cart
  }
  const unknownPrefix = `${runTag}_unknown_`
  let unknownCursor = 0
  const unknownOutcomes = new Map()
  // A real callback's shape for a payment this store never made: Gate's, for another shop's payment id.
  const template = paidFlutterwave[0].unsigned
  const nextUnknown = () => {
    const id = `${unknownPrefix}${String(++unknownCursor).padStart(5, "0")}`
    const unsigned = { ...template, payment: { ...template.payment, id }, customer: { id: `guest_${id}` } }
    return { body: JSON.stringify({ ...unsigned, signature: signParams(unsigned, SECRET) }) }
  }
  // Forged: the right shape, signed with a key that is not the project's.
  const forged = paidFlutterwave.map((cart) => ({ body: JSON.stringify({ ...cart.unsigned, signature: signParams(cart.unsigned, `not-${SECRET}`) }) }))
  let forgedCursor = 0
  const badStatuses = new Map()
  const tally = (map) => (status, body) => {
    const key = `${status} ${outcomeOf(body)}`
    map.set(key, (map.get(key) ?? 0) + 1)
  }

  const health = []
  const duplicates = []
  const unknown = []
  const bad = []
  const footprints = []
  const measureHealth = async () => health.push(await burst(servers, { path: "/health", connections, amount: HEALTH_REQUESTS }))
  const measureDuplicates = async () =>
    duplicates.push(await burst(servers, { path: "/hooks/flutterwave", connections, amount: Math.ceil(DUPLICATES / 2), nextBody: nextDuplicate, onAnswer: tally(duplicateOutcomes) }))
  const measureUnknown = async () =>
    unknown.push(await burst(servers, { path: "/hooks/flutterwave", connections, amount: Math.ceil(UNKNOWN / 2), nextBody: nextUnknown, onAnswer: tally(unknownOutcomes) }))
  const measureBad = async () => {
    const before = await callbackFootprint(db)
    bad.push(
      await burst(servers, {
        path: "/hooks/flutterwave",
        connections,
        amount: Math.ceil(BAD_SIGNATURES / 2),
        nextBody: () => forged[forgedCursor++ % forged.length],
        onAnswer: tally(badStatuses),
      })
    )
    footprints.push({ before, after: await callbackFootprint(db) })
  }
  // Warm-up, not measured (but sent, answered and checked like the rest): each path at low load first.
  await burst(servers, { path: "/health", connections: 2, amount: 200 })
  await burst(servers, { path: "/hooks/flutterwave", connections: 2, amount: 100, nextBody: nextDuplicate, onAnswer: tally(duplicateOutcomes) })
  await burst(servers, { path: "/hooks/flutterwave", connections: 2, amount: 50, nextBody: nextUnknown, onAnswer: tally(unknownOutcomes) })
  await burst(servers, { path: "/hooks/flutterwave", connections: 2, amount: 100, nextBody: () => forged[forgedCursor++ % forged.length], onAnswer: tally(badStatuses) })
  // /health, then each kind twice in mirrored order with /health between: the baseline brackets every measurement.
  await measureHealth()
  await measureDuplicates()
  await measureUnknown()
  await measureBad()
  await measureHealth()
  await measureBad()
  await measureUnknown()
  await measureDuplicates()
  await measureHealth()

  const pooled = (bursts) => {
    const okCount = bursts.reduce((total, b) => total + b.ok, 0)
    const seconds = bursts.reduce((total, b) => total + b.ok / b.rps, 0)
    return {
      rps: okCount / seconds,
      p50: Math.max(...bursts.map((b) => b.p50)),
      p99: Math.max(...bursts.map((b) => b.p99)),
      non2xx: bursts.reduce((total, b) => total + b.non2xx, 0),
      errors: bursts.reduce((total, b) => total + b.errors + b.timeouts, 0),
    }
  }
  const healthStats = pooled(health)
  const duplicateStats = pooled(duplicates)
  const unknownStats = pooled(unknown)
  // Their answers are 401s: counted as answers per second like the others' 2xx.
  const badStats = pooled(bad.map((b) => ({ ...b, ok: b.non2xx, rps: b.non2xx / b.seconds })))
  const show = (map) => JSON.stringify(Object.fromEntries([...map].sort()))
  log(`b), c) answers: duplicates ${show(duplicateOutcomes)}; unknown ${show(unknownOutcomes)}; bad signature ${show(badStatuses)}`)

  const healthProblems = healthStats.non2xx + healthStats.errors > 0 ? [`GET /health: ${healthStats.non2xx} non-2xx, ${healthStats.errors} errors or timeouts`] : []
  const duplicateProblems = [...healthProblems]
  const duplicateCount = [...duplicatesSent.values()].reduce((a, b) => a + b, 0)
  if ((duplicateOutcomes.get("200 duplicate") ?? 0) !== duplicateCount || duplicateStats.errors > 0) {
    duplicateProblems.push(`${duplicateCount} re-deliveries sent, answers ${show(duplicateOutcomes)}, ${duplicateStats.errors} errors or timeouts`)
  }
  addRow({
    what: `b) duplicates, ${connections} connections`,
    baseline: `GET /health ${rate(healthStats)}`,
    plugin: rate(duplicateStats),
    ratio: duplicateStats.rps / healthStats.rps,
    goal: GOALS.duplicates,
    correctness: duplicateProblems,
  })
  const unknownProblems = []
  if ((unknownOutcomes.get("200 unmatched") ?? 0) !== unknownCursor || unknownStats.errors > 0) {
    unknownProblems.push(`${unknownCursor} sent, answers ${show(unknownOutcomes)}, ${unknownStats.errors} errors or timeouts`)
  }
  addRow({
    what: `c) unknown payments, ${connections} connections`,
    baseline: `GET /health ${rate(healthStats)}`,
    plugin: rate(unknownStats),
    ratio: unknownStats.rps / healthStats.rps,
    correctness: unknownProblems,
  })
  const badProblems = []
  if ((badStatuses.get("401 rejected") ?? 0) !== forgedCursor || badStats.errors > 0) {
    badProblems.push(`${forgedCursor} sent, answers ${show(badStatuses)}, ${badStats.errors} errors or timeouts`)
  }
  for (const { before, after } of footprints) {
    if (JSON.stringify(before) !== JSON.stringify(after)) badProblems.push(`the database changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`)
  }
  addRow({
    what: `c) bad signatures, ${connections} connections`,
    baseline: `GET /health ${rate(healthStats)}`,
    plugin: `${rate(badStats)}, 401 each`,
    ratio: badStats.rps / healthStats.rps,
    note: badProblems.length === 0 ? "nothing recorded: callbacks, deliveries, ledger, attention, orders and payments counted before and after" : undefined,
    correctness: badProblems,
  })

  // ================================================================ d) the shopper's wait for Flutterwave's page
  const redirectStages = ["payment_page", "gate"].flatMap((mode) => LATENCIES.map((latencyMs) => ({ mode, latencyMs })))
  const otherSessions = []
  if (REDIRECT_SAMPLES > 0) {
    log(`d) preparing ${redirectStages.length} × ${REDIRECT_SAMPLES} carts per provider, each with its payment collection`)
    const readyCart = async () => cartReadyToPay({ ok, store, email: newEmail() })
    for (const stage of redirectStages) {
      stage.flutterwave = await prepareMany(REDIRECT_SAMPLES, readyCart)
      stage.manual = await prepareMany(REDIRECT_SAMPLES, readyCart)
    }
    const publishableKey = shop["x-publishable-api-key"]
    let currentMode
    for (const stage of redirectStages) {
      if (stage.mode !== currentMode) await useCheckout((currentMode = stage.mode))
      await setLatency(stage.latencyMs)
      const nextServer = roundRobin(servers)
      const flutterwaveMs = []
      const manualMs = []
      const flutterwaveSample = async ({ cart }) => {
        const sdk = new Medusa({ baseUrl: nextServer(), publishableKey })
        let askedAt
        // The kit's own loop, timed from its POST of the payment session: what a storefront shows as "redirecting…".
        const timed = {
          client: sdk.client,
          store: {
            cart: sdk.store.cart,
            payment: {
              initiatePaymentSession: (...args) => {
                askedAt = performance.now()
                return sdk.store.payment.initiatePaymentSession(...args)
              },
            },
          },
        }
        const start = await startFlutterwavePayment({ sdk: timed, cartId: cart.id, timeoutMs: 30_000 })
        flutterwaveMs.push(performance.now() - askedAt)
        otherSessions.push(start.sessionId)
        const expected = stage.mode === "payment_page" ? "/payment" : `/pay/${start.sessionId}`
        check(new URL(start.redirect.url).pathname === expected, `the ${stage.mode} redirect of ${start.sessionId} is ${start.redirect.url}`)
      }
      const manualSample = async ({ cart, collectionId }) => {
        const sdk = new Medusa({ baseUrl: nextServer(), publishableKey })
        const askedAt = performance.now()
        const { payment_collection } = await sdk.store.payment.initiatePaymentSession({ id: cart.id, payment_collection: { id: collectionId } }, { provider_id: MANUAL })
        manualMs.push(performance.now() - askedAt)
        check(payment_collection.payment_sessions.some((s) => s.provider_id === MANUAL), `no ${MANUAL} session for cart ${cart.id}`)
      }
      for (let i = 0; i < REDIRECT_SAMPLES; i++) {
        // One shopper at a time, alternately first: a shopper's wait, not a throughput.
        if (i % 2 === 0) {
          await manualSample(stage.manual[i])
          await flutterwaveSample(stage.flutterwave[i])
        } else {
          await flutterwaveSample(stage.flutterwave[i])
          await manualSample(stage.manual[i])
        }
      }
      const manual = summarise(manualMs)
      const flutterwave = summarise(flutterwaveMs)
      const label = `${stage.mode === "gate" ? "Gate sale" : "Payment Page"}, Gate +${stage.latencyMs} ms`
      log(`d) ${label}: system session p50 ${ms(manual.p50)} / p99 ${ms(manual.p99)} ms; Flutterwave page p50 ${ms(flutterwave.p50)} / p99 ${ms(flutterwave.p99)} ms`)
      addRow({
        what: `d) shopper's wait for the page, ${label}`,
        baseline: `${MANUAL} session p50 ${ms(manual.p50)}, p99 ${ms(manual.p99)} ms`,
        plugin: `page address p50 ${ms(flutterwave.p50)}, p99 ${ms(flutterwave.p99)} ms`,
        ratio: flutterwave.p50 / manual.p50,
      })
    }
    await setLatency(0)
  }

  // ================================================================ the ledger check
  log("ledger check: orders, payments, captures and refunds in Medusa's tables; the plugin's ledger and callbacks")
  // Work the measured requests started may still be finishing (an event, a subscriber): let it.
  await new Promise((resolve) => setTimeout(resolve, 1_000))
  const ledger = await checkLedger(db, {
    flutterwave: paidFlutterwave,
    duplicatesSent,
    manual: paidManual,
    unknownPrefix,
    unknownSent: unknownCursor,
    otherSessions,
  })
  log(
    `ledger: ${ledger.totals.orders} orders, ${ledger.totals.payments} payments, ${ledger.totals.captures} captures, ${ledger.totals.refunds} refunds ` +
      `for ${paidFlutterwave.length + paidManual.length} paid carts; ${ledger.callbackRows} callback rows; success callbacks' deliveries counted ` +
      `${ledger.deliveriesCounted} of ${ledger.deliveriesSent} sent — ${ledger.problems.length === 0 ? "OK" : "FAILED"}`
  )
  for (const problem of ledger.problems.slice(0, 20)) log(`      ✗ ${problem}`)
  for (const problem of ledger.problems) failures.push(`ledger: ${problem}`)

  printTable()
  log(
    "ratios: a) and b)–c) throughput plugin ÷ baseline (higher is better); d) p50 plugin ÷ baseline (lower is better); " +
      "e) seconds ÷ the floor Gate's latency sets"
  )
  if (failures.length > 0) throw new LoadFailure(`${failures.length} problem(s):\n  ${failures.join("\n  ")}`)
  log("load test passed: every check held and every goal was met")
  exitCode = 0
} catch (error) {
  if (rows.length > 0 && !tablePrinted) printTable()
  log(`load test FAILED: ${error instanceof LoadFailure ? error.message : (error?.stack ?? error)}`)
  if (!(error instanceof LoadFailure)) {
    for (const child of stack.children) {
      if (child.output) process.stdout.write(`\n--- last output of ${child.label} ---\n${child.output.split("\n").slice(-30).join("\n")}\n`)
    }
  }
} finally {
  await db?.end().catch(() => undefined)
  await stack.stop()
  log(`stack stopped (run took ${((Date.now() - started) / 1000).toFixed(0)} s)`)
}
process.exit(exitCode)

/** The stack of the chosen topology; the production one is scripts/production-stack.mjs. */
async function createStack() {
  // checkout null: the admin's setting decides, so the run can switch modes as a store owner does.
  // The plugin's own status-poll delay (10 s, ECommPay's minimum before a first status request), as stores run it;
  // the stack shortens it for the test harnesses, which would change what the shopper's poll in d) is answered.
  const env = { FLUTTERWAVE_STATUS_POLL_DELAY_MS: process.env.FLUTTERWAVE_STATUS_POLL_DELAY_MS ?? "" }
  const options = { log, databaseName: "medusa_flutterwave_load", checkout: null, env }
  if (TOPOLOGY === "single") return new Stack(options)
  const file = join(ROOT, "scripts", "production-stack.mjs")
  if (!existsSync(file)) {
    usage("--topology production needs scripts/production-stack.mjs (class ProductionStack extends Stack), which this checkout does not have yet")
  }
  const { ProductionStack } = await import("../scripts/production-stack.mjs")
  if (typeof ProductionStack !== "function") usage("scripts/production-stack.mjs exports no ProductionStack class")
  return new ProductionStack(options)
}

/** Which code is measured: the commit, and whether the plugin's sources differ from it (a concurrent change). */
function describeCode() {
  const git = (...args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" })
  const head = git("rev-parse", "--short", "HEAD")
  if (head.status !== 0) return "code: not a git checkout"
  const dirty = git("status", "--porcelain", "--", "src", "medusa-config.ts").stdout.trim().split("\n").filter(Boolean)
  return `code: ${head.stdout.trim()}${dirty.length > 0 ? ` with ${dirty.length} changed or new files in src/ or medusa-config.ts` : ""}`
}

/**
 * The scheduled reconciliation (every 5 minutes on the clock) takes the same lock; a run of it starting just as the
 * measured one does would make the measured one wait. Waits past such a moment when it is a few seconds away.
 */
async function clearOfScheduledReconciliation() {
  const period = 5 * 60 * 1000
  const untilNext = period - (Date.now() % period)
  if (untilNext < 10_000) {
    log(`e) waiting ${((untilNext + 10_000) / 1000).toFixed(0)} s for the scheduled reconciliation of the next 5-minute mark to pass`)
    await new Promise((resolve) => setTimeout(resolve, untilNext + 10_000))
  }
}
