// `npm run load`: load test of the Gate callback route on the real stack (embedded PostgreSQL, Gate sandbox and
// the Medusa app as separate processes, see scripts/stack.mjs), against Medusa's own GET /health as the baseline.
//
// Callbacks are signed success callbacks for payments the store does not know: the route verifies, records the
// callback once in fw_gate_callback (unique dedupe key = sha256 of the signature), finds no payment session and
// answers 200 "unmatched". About 30% of the requests repeat a callback sent shortly before (often while the first
// delivery is still in flight), as Gate's retries do; those are answered 409 "in_progress" so that Gate retries them.
// After every stage the database must hold exactly one row per distinct callback sent and nothing else; any other
// non-2xx answer, error or timeout fails the run (exit 1).
//
// LOAD_CONCURRENCY (default "1,8,32"), LOAD_CALLBACKS (requests per stage, default "250,700,900"),
// LOAD_HEALTH_SECONDS (default 5), LOAD_STAGE_MAX_SECONDS (default 10), LOAD_WARMUP_CALLBACKS (default 200, sent at
// concurrency 4 before the measured stages), DEMO_VERBOSE=1 for the app's own logs.
import { createHash } from "node:crypto"
import { createRequire } from "node:module"
import autocannon from "autocannon"
import pg from "pg"
import { DEMO_PROJECT_ID, DEMO_SECRET_KEY, describeMachine, Stack, stopStackOnSignals } from "../scripts/stack.mjs"

const require = createRequire(import.meta.url)
// Sign with the plugin's own signer (TypeScript), loaded through ts-node: nothing is reimplemented here.
require("ts-node").register({ transpileOnly: true })
const { signParams } = require("../src/rails/ecommpay/signature.ts")

const list = (value, fallback) => (value ?? fallback).split(",").map((x) => Number(x.trim()))
const CONCURRENCY = list(process.env.LOAD_CONCURRENCY, "1,8,32")
const CALLBACKS = list(process.env.LOAD_CALLBACKS, "250,700,900")
const HEALTH_SECONDS = Number(process.env.LOAD_HEALTH_SECONDS ?? 5)
const STAGE_MAX_MS = Number(process.env.LOAD_STAGE_MAX_SECONDS ?? 10) * 1000
const WARMUP_CALLBACKS = Number(process.env.LOAD_WARMUP_CALLBACKS ?? 200)
const DUPLICATE_SHARE = 0.3
/** Duplicates repeat one of the last this-many distinct callbacks: with 32 connections, often one still in flight. */
const DUPLICATE_WINDOW = 48
const PROJECT_ID = Number(process.env.FLUTTERWAVE_PROJECT_ID ?? DEMO_PROJECT_ID)
const SECRET = process.env.FLUTTERWAVE_SECRET_KEY ?? DEMO_SECRET_KEY

if (CALLBACKS.length !== CONCURRENCY.length) {
  console.error("LOAD_CALLBACKS needs one count per LOAD_CONCURRENCY stage")
  process.exit(2)
}

const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`.padStart(6)
const log = (line) => process.stdout.write(`${elapsed()}  ${line}\n`)

class LoadFailure extends Error {}

// ------------------------------------------------------------------ callback bodies
const RUN_TAG = `load_${Date.now().toString(36)}`
let nextPayment = 0
let nextOperation = 5_028_800_090_000_000

/** A new distinct success callback for a payment this store never created (the seed's shape, 16-digit id). */
function newCallback() {
  const n = ++nextPayment
  const paymentId = `${RUN_TAG}_${String(n).padStart(5, "0")}`
  const amount = 100_000 + ((n * 7919) % 900_000)
  const unsigned = {
    project_id: PROJECT_ID,
    payment: {
      id: paymentId,
      type: "purchase",
      status: "success",
      date: "2026-11-25T13:39:53+0000",
      method: "flutterwave",
      sum: { amount, currency: "NGN" },
      description: `Payment ${paymentId}`,
    },
    account: { number: "521178******9110" },
    customer: { id: `guest_${paymentId}` },
    operation: {
      id: ++nextOperation,
      type: "sale",
      status: "success",
      date: "2026-11-25T13:39:53+0000",
      created_date: "2026-11-25T13:35:18+0000",
      request_id: createHash("sha1").update(paymentId).digest("hex"),
      sum_initial: { amount, currency: "NGN" },
      sum_converted: { amount, currency: "NGN" },
      provider: { id: 1149, payment_id: `FLW${100_000_000 + n}`, date: "2026-11-25T13:39:07+0000", auth_code: "" },
      code: "0",
      message: "Success",
    },
  }
  const signature = signParams(unsigned, SECRET)
  return {
    paymentId,
    body: JSON.stringify({ ...unsigned, signature }),
    dedupeKey: createHash("sha256").update(signature).digest("hex"),
  }
}

/** The stage's request sequence: ~70% new callbacks, ~30% repeats of recent ones. Deterministic (seeded). */
function buildSequence(count, recent, random) {
  const sequence = []
  for (let i = 0; i < count; i++) {
    if (recent.length > 0 && random() < DUPLICATE_SHARE) {
      sequence.push(recent[Math.floor(random() * recent.length)])
    } else {
      const callback = newCallback()
      recent.push(callback)
      if (recent.length > DUPLICATE_WINDOW) recent.shift()
      sequence.push(callback)
    }
  }
  return sequence
}

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// ------------------------------------------------------------------ autocannon runs
function runAutocannon(options, maxMs) {
  return new Promise((resolve, reject) => {
    let stoppedEarly = false
    const t0 = process.hrtime.bigint()
    const instance = autocannon({ timeout: 10, ...options }, (error, result) => {
      clearTimeout(timer)
      if (error) return reject(error)
      resolve({ result, wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9, stoppedEarly })
    })
    const timer = setTimeout(() => {
      stoppedEarly = true
      instance.stop()
    }, maxMs)
  })
}

/** Sends the stage's callbacks, each exactly once in sequence order across all connections. */
async function callbackStage(url, connections, sequence) {
  let cursor = 0
  const sent = []
  const acknowledged = []
  const statuses = new Map()
  const outcomes = new Map()
  const run = await runAutocannon(
    {
      url,
      connections,
      amount: sequence.length,
      requests: [
        {
          method: "POST",
          setupRequest: (request, context) => {
            const callback = sequence[cursor++]
            if (!callback) throw new LoadFailure("autocannon asked for more requests than the stage holds")
            sent.push(callback)
            context.callback = callback
            return { ...request, method: "POST", headers: { "content-type": "application/json" }, body: callback.body }
          },
          onResponse: (status, body, context) => {
            statuses.set(status, (statuses.get(status) ?? 0) + 1)
            if (status === 200) acknowledged.push(context.callback)
            let outcome = "?"
            try {
              outcome = JSON.parse(body).outcome ?? "?"
            } catch {
              // not JSON: counted as "?"
            }
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
          },
        },
      ],
    },
    STAGE_MAX_MS
  )
  return { ...run, sent, acknowledged, statuses, outcomes }
}

async function healthStage(url, connections) {
  return runAutocannon({ url, connections, duration: HEALTH_SECONDS }, (HEALTH_SECONDS + 10) * 1000)
}

function summarise({ result, wallSeconds }) {
  const ok = result["2xx"]
  return {
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    // Completed 2xx answers per second of wall time (an amount-bound run can be shorter than a second).
    rps: ok / wallSeconds,
    mean: result.latency.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    seconds: wallSeconds,
  }
}

// ------------------------------------------------------------------ database check
async function checkDatabase(db, expectedKeys, acknowledgedKeys) {
  const { rows } = await db.query(
    `select dedupe_key, gate_payment_id, outcome, deliveries from fw_gate_callback where deleted_at is null`
  )
  const problems = []
  const byKey = new Map()
  for (const row of rows) byKey.set(row.dedupe_key, (byKey.get(row.dedupe_key) ?? 0) + 1)
  const ours = rows.filter((row) => row.gate_payment_id.startsWith(RUN_TAG))
  const others = rows.length - ours.length
  for (const [key, count] of byKey) if (count > 1) problems.push(`dedupe key ${key.slice(0, 12)}… has ${count} rows`)
  for (const row of ours) {
    if (!expectedKeys.has(row.dedupe_key)) problems.push(`row for ${row.gate_payment_id} matches no callback sent`)
    if (row.outcome !== "unmatched") problems.push(`row for ${row.gate_payment_id} has outcome ${row.outcome}, expected unmatched`)
  }
  if (others > 0) problems.push(`${others} rows that this run did not send`)
  const missing = [...acknowledgedKeys].filter((key) => !byKey.has(key))
  if (missing.length > 0) problems.push(`${missing.length} callbacks answered 200 have no row`)
  const deliveries = ours.reduce((sum, row) => sum + Number(row.deliveries), 0)
  return { rows: rows.length, ours: ours.length, problems, deliveries }
}

// ------------------------------------------------------------------ main
const stack = new Stack({ log, databaseName: "medusa_flutterwave_load" })
let exitCode = 1
let db
stopStackOnSignals(stack, log)

try {
  log(describeMachine())
  log(`date: ${new Date().toISOString()}`)
  log("starting PostgreSQL, the Gate sandbox and Medusa with the Flutterwave plugin")
  await stack.start()
  const callbackUrl = `${stack.appUrl}/hooks/flutterwave`
  const healthUrl = `${stack.appUrl}/health`
  db = new pg.Client({ connectionString: stack.env.DATABASE_URL })
  await db.connect()
  const before = await db.query("select count(*)::int as n from fw_gate_callback")
  if (before.rows[0].n !== 0) throw new LoadFailure(`fw_gate_callback already holds ${before.rows[0].n} rows`)

  // Warm-up: the first requests load routes, modules and JIT paths. Bad signatures must be answered 401, no row.
  log("warming up: GET /health, callbacks with a bad signature (401, never recorded), then valid callbacks")
  const bad = { ...JSON.parse(newCallback().body), signature: "x".repeat(88) }
  await runAutocannon({ url: healthUrl, connections: 4, amount: 200 }, 30_000)
  const warm = await runAutocannon(
    { url: callbackUrl, connections: 4, amount: 100, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(bad) },
    30_000
  )
  if (warm.result["4xx"] !== 100) throw new LoadFailure(`bad-signature warm-up: expected 100 × 401, got ${JSON.stringify({ "2xx": warm.result["2xx"], "4xx": warm.result["4xx"], "5xx": warm.result["5xx"] })}`)

  const random = mulberry32(20261125)
  const recent = []
  const expectedKeys = new Set()
  const acknowledgedKeys = new Set()
  const table = []
  let sentTotal = 0
  let failed = []

  const settle = async () => {
    const deadline = Date.now() + 15_000
    while (Date.now() < deadline) {
      const { rows } = await db.query("select count(*)::int as n from fw_gate_callback where outcome = 'received'")
      if (rows[0].n === 0) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }

  /** One callback stage: send, then check the database against everything sent so far. */
  const runCallbacks = async (label, connections, count, health) => {
    const stage = await callbackStage(callbackUrl, connections, buildSequence(count, recent, random))
    const callbacks = summarise(stage)
    const fresh = new Set(stage.sent.map((c) => c.dedupeKey).filter((key) => !expectedKeys.has(key))).size
    for (const callback of stage.sent) expectedKeys.add(callback.dedupeKey)
    for (const callback of stage.acknowledged) acknowledgedKeys.add(callback.dedupeKey)
    sentTotal += stage.sent.length
    const outcomes = Object.fromEntries([...stage.outcomes].sort())
    // A repeat that arrives while the first delivery is still being applied is answered 409 "in_progress" (Gate
    // retries it later, and the retry is a plain duplicate); it must add no row. Any other re-apply is counted here.
    const reapplied = (stage.outcomes.get("unmatched") ?? 0) - fresh
    const inFlight = stage.statuses.get(409) ?? 0
    log(
      `${label}: POST /hooks/flutterwave ${callbacks.rps.toFixed(0)} req/s, p50 ${callbacks.p50} ms, p99 ${callbacks.p99} ms; ` +
        `${stage.sent.length} sent (${fresh} new, ${stage.sent.length - fresh} repeats) in ${callbacks.seconds.toFixed(1)} s` +
        `${stage.stoppedEarly ? " (stopped at the time limit)" : ""}; answers ${JSON.stringify(Object.fromEntries(stage.statuses))}, ` +
        `outcomes ${JSON.stringify(outcomes)}${inFlight > 0 ? ` (${inFlight} repeats answered 409 while the first was in flight)` : ""}` +
        `${reapplied > 0 ? `; ${reapplied} repeats re-applied` : ""}`
    )

    // Stopped at the time limit: requests already on the wire are still being handled; let them finish first.
    if (stage.stoppedEarly) await settle()
    const check = await checkDatabase(db, expectedKeys, acknowledgedKeys)
    const problems = [...check.problems]
    if (callbacks.non2xx - inFlight > 0 || callbacks.errors > 0 || callbacks.timeouts > 0) {
      problems.push(`callbacks: ${callbacks.non2xx - inFlight} non-2xx besides 409, ${callbacks.errors} errors, ${callbacks.timeouts} timeouts`)
    }
    const unexpected = [...stage.outcomes].filter(
      ([outcome]) => outcome !== "unmatched" && outcome !== "duplicate" && outcome !== "in_progress"
    )
    if (unexpected.length > 0) problems.push(`unexpected outcomes ${JSON.stringify(Object.fromEntries(unexpected))}`)
    if (!stage.stoppedEarly && reapplied < 0) problems.push(`${-reapplied} new callbacks were not answered "unmatched"`)
    if (health && (health.non2xx > 0 || health.errors > 0 || health.timeouts > 0)) {
      problems.push(`health: ${health.non2xx} non-2xx, ${health.errors} errors, ${health.timeouts} timeouts`)
    }
    if (!stage.stoppedEarly && check.ours !== expectedKeys.size) {
      problems.push(`${check.ours} rows for ${expectedKeys.size} distinct callbacks sent`)
    }
    log(
      `${label}: database: ${check.ours} rows for ${expectedKeys.size} distinct callbacks (${sentTotal} sent so far); ` +
        `deliveries counted ${check.deliveries} of ${sentTotal} — ${problems.length === 0 ? "OK" : "FAILED"}`
    )
    for (const problem of problems) log(`      ✗ ${problem}`)
    failed = failed.concat(problems.map((p) => `${label}: ${p}`))
    return { callbacks, sent: stage.sent.length, fresh, reapplied }
  }

  // Valid callbacks warm the route's database path too; they are checked like the rest but not reported below.
  await runCallbacks("warm-up c=4", 4, WARMUP_CALLBACKS)

  for (const connections of CONCURRENCY) {
    const health = summarise(await healthStage(healthUrl, connections))
    log(`c=${connections}: GET /health ${health.rps.toFixed(0)} req/s, p50 ${health.p50} ms, p99 ${health.p99} ms`)
    const stage = await runCallbacks(`c=${connections}`, connections, CALLBACKS[CONCURRENCY.indexOf(connections)], health)
    table.push({ connections, health, ...stage })
  }

  // ------------------------------------------------------------------ report
  const pad = (v, n) => String(v).padStart(n)
  const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(1))
  const header =
    `${"conc".padEnd(5)}| ${pad("health req/s", 12)}${pad("mean", 7)}${pad("p50", 5)}${pad("p99", 5)} | ` +
    `${pad("callback req/s", 14)}${pad("mean", 7)}${pad("p50", 5)}${pad("p99", 5)}${pad("sent", 6)}${pad("new", 5)} | ` +
    `${pad("callback/health req/s", 21)}${pad("mean ratio", 11)}`
  const lines = ["", header, "-".repeat(header.length)]
  for (const row of table) {
    const h = row.health
    const c = row.callbacks
    lines.push(
      `${String(row.connections).padEnd(5)}| ${pad(h.rps.toFixed(0), 12)}${pad(ms(h.mean), 7)}${pad(h.p50, 5)}${pad(h.p99, 5)} | ` +
        `${pad(c.rps.toFixed(0), 14)}${pad(ms(c.mean), 7)}${pad(c.p50, 5)}${pad(c.p99, 5)}${pad(row.sent, 6)}${pad(row.fresh, 5)} | ` +
        `${pad((c.rps / h.rps).toFixed(3), 21)}${pad((c.mean / h.mean).toFixed(1) + "×", 11)}`
    )
  }
  lines.push(
    "latency in ms (autocannon: mean, p50, p99; 1 ms resolution); req/s = 2xx answers per second of wall time;",
    "new = callbacks sent for the first time (the rest repeat one of the last " + DUPLICATE_WINDOW + "); mean ratio = callback mean / health mean"
  )
  process.stdout.write(lines.join("\n") + "\n\n")

  if (failed.length > 0) throw new LoadFailure(`${failed.length} problem(s):\n  ${failed.join("\n  ")}`)
  log(`load test passed: ${sentTotal} callbacks (${expectedKeys.size} distinct), one row each, every answer 2xx or 409 (in flight, Gate retries)`)
  exitCode = 0
} catch (error) {
  log(`load test FAILED: ${error instanceof LoadFailure ? error.message : (error?.stack ?? error)}`)
  for (const child of stack.children) {
    if (child.output) process.stdout.write(`\n--- last output of ${child.label} ---\n${child.output.split("\n").slice(-30).join("\n")}\n`)
  }
} finally {
  await db?.end().catch(() => undefined)
  await stack.stop()
  log("stack stopped")
}
process.exit(exitCode)
