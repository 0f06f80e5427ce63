import { mkdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Client } from "pg"
import { paidNgnOrder, requestJson, signedSaleCallback as signedSuccessCallback, waitUntil, type Json } from "../helpers/live-app"

/**
 * Production's topology as real processes (scripts/production-stack.mjs): two `medusa start` servers and one worker
 * (MEDUSA_WORKER_MODE), sharing PostgreSQL and one Redis for Medusa's event bus, workflow engine, locks and cache
 * (medusa-config.ts with REDIS_URL). Shoppers pay through either server; a callback stormed at both applies once;
 * reconciliation and subscribers run on the worker only; and a worker killed in the middle of a reconciliation run
 * and started again loses and doubles nothing.
 */
// Generous: three Medusa processes share two cores, and the kill test restarts the worker twice.
jest.setTimeout(900_000)

/** What a finished reconciliation run with something to report logs (src/settlement/reconcile.ts). */
const RECONCILE_LINE = "flutterwave: reconciliation checked"
/** What Medusa's Redis event bus logs where an event is consumed: only a process running the bus's worker. */
const EVENT_CONSUMED = /Processing ([\w.]+)(?: \(priority: \d+\))? which has (\d+) subscribers/g
/** The key Medusa's Redis locking provider holds reconciliation's lock under ("medusa_lock:" + the lock's key). */
const RECONCILE_LOCK_KEY = "medusa_lock:flutterwave:reconcile"
/** Sales whose callbacks Gate drops, paid while no worker runs, then reconciled across a worker's SIGKILL. */
const DROPPED_SALES = 30

type AdminApi = (method: string, path: string, body?: unknown) => ReturnType<typeof requestJson>

describe("production topology: two servers and a worker on Redis", () => {
  let stack: any
  let db: Client
  let secretKey: string
  let token: string
  const startedAt = Date.now()

  const adminOn = (server: number): AdminApi => (method, path, body) =>
    requestJson(method, `${stack.serverUrls[server]}${path}`, body, { authorization: `Bearer ${token}` })
  /** The stack as live-app's helpers see it, with server `server` as the storefront's and admin's backend. */
  const viaServer = (server: number) => ({
    appUrl: stack.serverUrls[server] as string,
    sandboxUrl: stack.sandboxUrl as string,
    createAdminUser: () => undefined,
  })
  const gate = (method: string, path: string, body?: unknown) => requestJson(method, `${stack.sandboxUrl}${path}`, body)
  const rows = async <T extends Json>(sql: string, values: unknown[] = []): Promise<T[]> => (await db.query(sql, values)).rows as T[]
  const timing = (what: string, since: number) => process.stdout.write(`[topology] ${what}: ${((Date.now() - since) / 1000).toFixed(1)} s\n`)

  beforeAll(async () => {
    const { ProductionStack } = await import("../../scripts/production-stack.mjs" as string)
    const { DEMO_SECRET_KEY } = await import("../../scripts/stack.mjs" as string)
    secretKey = DEMO_SECRET_KEY
    stack = new ProductionStack({
      log: () => undefined,
      databaseName: `medusa_flutterwave_topology_${process.pid}_${Date.now()}`,
      env: {
        // Every 5 seconds (six fields: Medusa's schedulers take seconds first), instead of every 5 minutes.
        FLUTTERWAVE_RECONCILE_SCHEDULE: "*/5 * * * * *",
        // Long enough that a test delivering a sale's callback itself does so before reconciliation may look.
        FLUTTERWAVE_RECONCILE_AFTER_MS: "10000",
      },
    })
    await stack.start()
    timing("stack up (Redis, PostgreSQL, migrations, sandbox, 2 servers, worker)", startedAt)
    await stack.createAdminUser("topology@test.local", "topology-password")
    const login = await requestJson("POST", `${stack.serverUrls[0]}/auth/user/emailpass`, {
      email: "topology@test.local",
      password: "topology-password",
    })
    token = login.json.token
    const { default: pg } = await import("pg")
    db = new pg.Client({ connectionString: stack.env.DATABASE_URL })
    await db.connect()
  })

  afterAll(async () => {
    await db?.end()
    await stack?.stop()
    // Every process's log, for a failure's post-mortem; the next run overwrites them.
    if (stack?.servers?.length) {
      const dir = join(tmpdir(), "flutterwave-test-logs", "topology")
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, "worker.log"), stack.workerOutput())
      stack.servers.forEach((_: unknown, index: number) => writeFileSync(join(dir, `server-${index + 1}.log`), stack.serverOutput(index)))
      process.stdout.write(`[topology] process logs in ${dir}\n`)
    }
    timing("whole spec", startedAt)
  })

  it("takes a shopper's paid checkout through either server, and the worker consumes the events they emit", async () => {
    const began = Date.now()
    const first = await paidNgnOrder(viaServer(0), adminOn(0), { email: "server1@example.ng", price: 2500 })
    const second = await paidNgnOrder(viaServer(1), adminOn(1), { email: "server2@example.ng", price: 3100 })
    expect(first.order.id).not.toBe(second.order.id)
    for (const { paymentId } of [first, second]) {
      const { json } = await adminOn(1)("GET", `/admin/payments/${paymentId}?fields=*captures`)
      expect(json.payment.captures).toHaveLength(1)
    }
    // Placing an order emits order.placed wherever the callback landed (a server); Medusa's Redis event bus hands
    // it to the one process that consumes events, the worker.
    await waitUntil(async () => consumedEvents(stack.workerOutput()).some(([name]) => name === "order.placed") || undefined, 30_000)
    expect(consumedEvents(stack.serverOutput(0))).toEqual([])
    expect(consumedEvents(stack.serverOutput(1))).toEqual([])
    timing("two checkouts, one per server", began)
  })

  it("applies one success callback delivered to both servers ten times each at once exactly once", async () => {
    const began = Date.now()
    await gate("POST", "/_sandbox/scripts", { operation: "sale", callback: { drop: true } })
    let sessionId = ""
    let statuses: number[] = []
    const { order, paymentId } = await paidNgnOrder(viaServer(1), adminOn(1), {
      email: "storm@example.ng",
      price: 4200,
      pay: async (redirectUrl) => {
        await requestJson("POST", `${redirectUrl}/confirm`)
        const signed = await signedSaleCallback()
        sessionId = signed.sessionId
        const deliver = (base: string) =>
          fetch(`${base}/hooks/flutterwave`, { method: "POST", headers: { "content-type": "application/json" }, body: signed.text }).then(
            (response) => response.status
          )
        statuses = await Promise.all(Array.from({ length: 10 }, () => stack.serverUrls.map(deliver)).flat())
      },
    })
    // 200: applied or a duplicate; 409: another delivery was applying it at that moment (Gate would retry).
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true)
    expect(statuses).toContain(200)

    expect(await rows(`SELECT count(*)::int AS n FROM "order" WHERE email = $1 AND deleted_at IS NULL`, ["storm@example.ng"])).toEqual([{ n: 1 }])
    const captures = await rows(`SELECT id FROM capture WHERE payment_id = $1 AND deleted_at IS NULL`, [paymentId])
    expect(captures).toHaveLength(1)
    const callbacks = await rows(
      `SELECT operation_type, operation_status, outcome, deliveries FROM fw_gate_callback WHERE gate_payment_id = $1 AND deleted_at IS NULL`,
      [sessionId]
    )
    // One row for the one callback, every delivery counted on it, applied once.
    expect(callbacks).toEqual([{ operation_type: "sale", operation_status: "success", outcome: "applied", deliveries: 20 }])
    expect(order.payment_status).toBe("captured")
    timing("callback storm on both servers", began)
  })

  it("runs reconciliation and Medusa's subscribers on the worker only", async () => {
    const began = Date.now()
    // A sale whose callbacks never come: only reconciliation, a scheduled job, can place its order.
    await gate("POST", "/_sandbox/scripts", { operation: "sale", callback: { drop: true } })
    const { sessionId } = await paidNgnOrder(viaServer(1), adminOn(1), { email: "dropped@example.ng", price: 1800 })
    // The run that placed it is recorded once it has finished, just after the order.
    await waitUntil(async () => {
      const runs = await rows<{ items: { items: Json[] } }>(`SELECT items FROM fw_reconciliation_run WHERE trigger = 'job' AND deleted_at IS NULL`)
      return runs.some((run) => run.items.items.some((item) => item.gate_payment_id === sessionId && item.before === "pending" && item.after === "success")) || undefined
    }, 30_000)
    expect(stack.workerOutput()).toContain(RECONCILE_LINE)
    expect(stack.serverOutput(0)).not.toContain(RECONCILE_LINE)
    expect(stack.serverOutput(1)).not.toContain(RECONCILE_LINE)

    // Medusa's own subscriber: its webhook route on a server emits payment.webhook_received; the worker's
    // payment-webhook handler reads it through this plugin's provider. The sale is settled already: nothing changes.
    const signed = await signedSaleCallback(sessionId)
    const response = await fetch(`${stack.serverUrls[1]}/hooks/payment/flutterwave_flutterwave`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: signed.text,
    })
    expect(response.status).toBe(200)
    // Medusa emits it with a 5 s delay.
    await waitUntil(
      async () => consumedEvents(stack.workerOutput()).some(([name, subscribers]) => name === "payment.webhook_received" && subscribers === 1) || undefined,
      30_000
    )
    expect(stack.workerOutput()).not.toContain("An error occurred while processing payment.webhook_received")
    expect(stack.workerOutput()).not.toContain("flutterwave: webhook ignored")
    expect(consumedEvents(stack.serverOutput(0))).toEqual([])
    expect(consumedEvents(stack.serverOutput(1))).toEqual([])
    expect(await rows(`SELECT count(*)::int AS n FROM "order" WHERE email = $1 AND deleted_at IS NULL`, ["dropped@example.ng"])).toEqual([{ n: 1 }])
    timing("reconciliation and a subscriber on the worker", began)
  })

  it("loses and doubles nothing when the worker is killed mid-reconciliation and started again", async () => {
    const began = Date.now()
    // No worker while the shoppers pay, so that every sale is paid before reconciliation first asks about it.
    await stack.killWorker()
    await gate("POST", "/_sandbox/scripts", { operation: "sale", callback: { drop: true }, times: DROPPED_SALES })
    const store = await storefrontSetup(adminOn(0))
    const emails = Array.from({ length: DROPPED_SALES }, (_, i) => `dropped-${i + 1}@example.ng`)
    const sessionIds = await mapInBatches(emails, 3, (email, i) => payWithoutCallback(store, i % 2, email))
    timing(`${DROPPED_SALES} sales paid with their callbacks dropped`, began)

    // Gate answers each status request slowly, so a run over all of them lasts.
    await gate("POST", "/_sandbox/scripts", { operation: "status", hangMs: 300, times: 100_000 })
    const settledCount = async () =>
      (
        await rows<{ n: number }>(
          `SELECT count(*)::int AS n FROM fw_gate_operation WHERE kind = 'sale' AND status = 'success' AND gate_payment_id = ANY($1) AND deleted_at IS NULL`,
          [sessionIds]
        )
      )[0].n
    // With no worker, nothing runs the job: past the base time and two schedule periods, still nothing is settled
    // and no run is recorded, though both servers are up.
    const workerDownSince = new Date(began)
    await new Promise((resolve) => setTimeout(resolve, 12_000))
    expect(await settledCount()).toBe(0)
    expect(await rows(`SELECT id FROM fw_reconciliation_run WHERE started_at > $1 AND deleted_at IS NULL`, [workerDownSince])).toEqual([])
    const workerStarted = Date.now()
    await stack.startWorker()
    // The run has started once its first sale is settled; kill the worker right then.
    await waitUntil(async () => (await settledCount()) > 0 || undefined, 90_000, 50)
    await stack.killWorker()
    const killedAt = Date.now()
    const settledAtKill = await settledCount()
    const ordersAtKill = (await ordersOf(emails)).filter((order) => order.n > 0).length
    // The lock the dead run held in Redis: still there, but with an expiry (the provider's lease), so not forever.
    const lockTtlMs = Number(await stack.redisCommand("PTTL", RECONCILE_LOCK_KEY))
    process.stdout.write(
      `[topology] worker killed ${((killedAt - workerStarted) / 1000).toFixed(1)} s after it started: ${settledAtKill}/${DROPPED_SALES} sales ` +
        `recorded paid, ${ordersAtKill} orders placed; reconciliation lock TTL ${lockTtlMs} ms\n`
    )
    expect(settledAtKill).toBeLessThan(DROPPED_SALES)
    expect(lockTtlMs).toBeGreaterThan(0)

    await stack.startWorker()
    const restartedAt = Date.now()
    // A run of the restarted worker (the only process running jobs after the kill) goes through: the dead run's lock
    // lapses, and a later run settles what it left.
    await waitUntil(async () => (await settledCount()) === DROPPED_SALES || undefined, 180_000, 500)
    const settledAt = Date.now()
    const laterRuns = await waitUntil(async () => {
      const runs = await rows<{ changed: number; started_at: Date }>(
        `SELECT changed, started_at FROM fw_reconciliation_run WHERE trigger = 'job' AND started_at > $1 AND changed > 0 AND deleted_at IS NULL ORDER BY started_at`,
        [new Date(killedAt)]
      )
      return runs.length ? runs : undefined
    }, 60_000)
    expect(laterRuns.reduce((sum, run) => sum + run.changed, 0)).toBeGreaterThanOrEqual(DROPPED_SALES - settledAtKill)
    process.stdout.write(
      `[topology] worker restarted ${((restartedAt - killedAt) / 1000).toFixed(1)} s after the kill; all settled ${((settledAt - killedAt) / 1000).toFixed(1)} s after it; ` +
        `first run through ${((laterRuns[0].started_at.getTime() - killedAt) / 1000).toFixed(1)} s after it\n`
    )

    // The ledger check: every paid cart exactly one order, one payment, one capture, no refund, its sale a success.
    await waitUntil(async () => (await ordersOf(emails)).every((order) => order.n === 1) || undefined, 60_000, 500)
    const orders = await ordersOf(emails)
    expect(orders.filter((order) => order.n !== 1)).toEqual([])
    const payments = await rows<{ session_id: string; payments: number; captures: number; refunds: number }>(
      `SELECT ps.id AS session_id,
              (SELECT count(*)::int FROM payment p WHERE p.payment_session_id = ps.id AND p.deleted_at IS NULL) AS payments,
              (SELECT count(*)::int FROM capture c JOIN payment p ON p.id = c.payment_id
                WHERE p.payment_session_id = ps.id AND c.deleted_at IS NULL) AS captures,
              (SELECT count(*)::int FROM refund r JOIN payment p ON p.id = r.payment_id
                WHERE p.payment_session_id = ps.id AND r.deleted_at IS NULL) AS refunds
         FROM payment_session ps WHERE ps.id = ANY($1)`,
      [sessionIds]
    )
    expect(payments).toHaveLength(DROPPED_SALES)
    expect(payments.filter((p) => p.payments !== 1 || p.captures !== 1 || p.refunds !== 0)).toEqual([])
    const ledger = await rows<{ gate_payment_id: string; kind: string; status: string }>(
      `SELECT gate_payment_id, kind, status FROM fw_gate_operation WHERE gate_payment_id = ANY($1) AND deleted_at IS NULL`,
      [sessionIds]
    )
    expect(ledger).toHaveLength(DROPPED_SALES)
    expect(ledger.filter((row) => row.kind !== "sale" || row.status !== "success")).toEqual([])
    expect(await rows(`SELECT kind, gate_payment_id FROM fw_attention WHERE gate_payment_id = ANY($1) AND deleted_at IS NULL`, [sessionIds])).toEqual([])
    // Gate's side: each paid once, nothing refunded.
    const { json } = await gate("GET", "/_sandbox/payments")
    const atGate = (json.payments as Json[]).filter((payment) => sessionIds.includes(payment.id))
    expect(atGate.map((payment) => [payment.status, payment.operations.map((op: Json) => `${op.type}:${op.status}`).join(",")])).toEqual(
      sessionIds.map(() => ["success", "sale:success"])
    )
    timing("worker killed mid-reconciliation, restarted, ledger checked", began)
  })

  /** Gate's success callback for a paid sale (the last paid one unless `sessionId`), signed as Gate signs it. */
  const signedSaleCallback = (sessionId?: string) => signedSuccessCallback(stack, secretKey, sessionId)

  async function ordersOf(emails: string[]): Promise<Array<{ email: string; n: number }>> {
    const counted = await rows<{ email: string; n: number }>(
      `SELECT email, count(*)::int AS n FROM "order" WHERE email = ANY($1) AND deleted_at IS NULL GROUP BY email`,
      [emails]
    )
    return emails.map((email) => counted.find((row) => row.email === email) ?? { email, n: 0 })
  }

  type Storefront = { key: string; regionId: string; channelId: string; variantId: string }

  /** One publishable key, the NGN region and one product, shared by the many carts of the kill test. */
  async function storefrontSetup(admin: AdminApi): Promise<Storefront> {
    const { json: channels } = await admin("GET", "/admin/sales-channels")
    const channelId = channels.sales_channels[0].id
    const { json: key } = await admin("POST", "/admin/api-keys", { title: "topology storefront", type: "publishable" })
    await admin("POST", `/admin/api-keys/${key.api_key.id}/sales-channels`, { add: [channelId] })
    const { json: regions } = await admin("GET", "/admin/regions?currency_code=ngn")
    const { json: product } = await admin("POST", "/admin/products", {
      title: "Adire for the topology test",
      status: "published",
      options: [{ title: "Size", values: ["One"] }],
      variants: [{ title: "One", options: { Size: "One" }, manage_inventory: false, prices: [{ currency_code: "ngn", amount: 1500 }] }],
      sales_channels: [{ id: channelId }],
    })
    return { key: key.api_key.token, regionId: regions.regions[0].id, channelId, variantId: product.product.variants[0].id }
  }

  /** A shopper's cart through server `server`, paid on Gate's Flutterwave page; Gate's callbacks are dropped. */
  async function payWithoutCallback(store: Storefront, server: number, email: string): Promise<string> {
    const call = (method: string, path: string, body?: unknown) =>
      requestJson(method, `${stack.serverUrls[server]}${path}`, body, { "x-publishable-api-key": store.key })
    const { json: cart } = await call("POST", "/store/carts", {
      region_id: store.regionId,
      email,
      sales_channel_id: store.channelId,
      items: [{ variant_id: store.variantId, quantity: 1 }],
    })
    const { json: collection } = await call("POST", "/store/payment-collections", { cart_id: cart.cart.id })
    const { json: withSession } = await call("POST", `/store/payment-collections/${collection.payment_collection.id}/payment-sessions`, {
      provider_id: "pp_flutterwave_flutterwave",
    })
    const sessionId: string = withSession.payment_collection.payment_sessions[0].id
    const redirect = await waitUntil(async () => {
      const { json } = await call("GET", `/store/flutterwave/payment-sessions/${sessionId}`)
      return json.status === "redirect" ? (json.redirect as Json) : undefined
    })
    const paid = await requestJson("POST", `${redirect.url}/confirm`)
    if (paid.status >= 400) throw new Error(`paying ${email} at the sandbox answered ${paid.status}`)
    return sessionId
  }
})

/** [event name, subscriber count] for each event Medusa's Redis event bus says this process consumed. */
function consumedEvents(output: string): Array<[string, number]> {
  return [...output.matchAll(EVENT_CONSUMED)].map((match) => [match[1], Number(match[2])])
}

/** `work` over `items`, at most `width` at once, results in the items' order. */
async function mapInBatches<T, R>(items: T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++
        results[index] = await work(items[index], index)
      }
    })
  )
  return results
}
