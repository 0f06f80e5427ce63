import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

/**
 * The plugin's settings, given to its module: the one source the payment provider, the callback intake and the jobs
 * read. Each value set here (an environment variable) wins over Settings → Flutterwave in the admin; leave one
 * unset to manage it there. The keys may be missing at first: the app starts and migrates without them.
 */
const flutterwaveOptions = {
  // "ecommpay" (default) or "flutterwave-v3": the merchant's own Flutterwave account.
  rail: process.env.FLUTTERWAVE_RAIL,
  projectId: process.env.FLUTTERWAVE_PROJECT_ID,
  secretKey: process.env.FLUTTERWAVE_SECRET_KEY,
  gateUrl: process.env.FLUTTERWAVE_GATE_URL,
  callbackUrl: process.env.FLUTTERWAVE_CALLBACK_URL,
  returnUrl: process.env.FLUTTERWAVE_RETURN_URL,
  checkout: process.env.FLUTTERWAVE_CHECKOUT,
  paymentPageUrl: process.env.FLUTTERWAVE_PAYMENT_PAGE_URL,
  // With rail "flutterwave-v3": the keys of Flutterwave's dashboard (Settings → API keys) and the webhook's secret hash.
  flutterwavePublicKey: process.env.FLUTTERWAVE_V3_PUBLIC_KEY,
  flutterwaveSecretKey: process.env.FLUTTERWAVE_V3_SECRET_KEY,
  flutterwaveEncryptionKey: process.env.FLUTTERWAVE_V3_ENCRYPTION_KEY,
  flutterwaveSecretHash: process.env.FLUTTERWAVE_V3_SECRET_HASH,
  flutterwaveApiUrl: process.env.FLUTTERWAVE_V3_API_URL,
  acceptSignatureHeader: process.env.FLUTTERWAVE_V3_ACCEPT_SIGNATURE_HEADER,
  languageCode: process.env.FLUTTERWAVE_LANGUAGE_CODE,
  statusPollDelayMs: process.env.FLUTTERWAVE_STATUS_POLL_DELAY_MS,
  paidSaleRecheckMs: process.env.FLUTTERWAVE_PAID_SALE_RECHECK_MS,
  timeoutMs: process.env.FLUTTERWAVE_TIMEOUT_MS,
  reconcileAfterMs: process.env.FLUTTERWAVE_RECONCILE_AFTER_MS,
  refundOrphanPayments: process.env.FLUTTERWAVE_REFUND_ORPHAN_PAYMENTS,
  maxCompletionAttempts: process.env.FLUTTERWAVE_MAX_COMPLETION_ATTEMPTS,
  reconcileConcurrency: process.env.FLUTTERWAVE_RECONCILE_CONCURRENCY,
  reconcileRunBudgetMs: process.env.FLUTTERWAVE_RECONCILE_RUN_BUDGET_MS,
}

/**
 * Which processes do what (Medusa's projectConfig.workerMode): "server" answers HTTP only, "worker" runs scheduled jobs
 * and subscribers only, "shared" both. Checked here because Medusa silently ignores a misspelt MEDUSA_WORKER_MODE, and
 * a worker that is not one runs no jobs.
 */
const workerMode = (process.env.MEDUSA_WORKER_MODE || "shared") as "shared" | "worker" | "server"
if (!["shared", "worker", "server"].includes(workerMode)) {
  throw new Error(`MEDUSA_WORKER_MODE must be "shared", "worker" or "server", not "${workerMode}"`)
}

/** One Redis shared by every server and the worker: production's topology. Unset, everything stays in one process. */
const redisUrl = process.env.REDIS_URL || undefined

/**
 * Locks held in PostgreSQL, so that several app instances on one database take turns (reconciliation, carts); the
 * in-memory default locks one process only. Events and workflows stay in process: each instance handles its own.
 */
const postgresLocking = {
  resolve: "@medusajs/medusa/locking",
  options: {
    providers: [{ resolve: "@medusajs/medusa/locking-postgres", id: "locking-postgres", is_default: true }],
  },
}

/**
 * Servers and a worker: an event emitted on a server reaches the worker's subscribers through the Redis event bus, a
 * workflow step or scheduled job queued anywhere runs on the worker (Redis workflow engine), and every process takes
 * the same locks and reads the same cache.
 */
function redisModules(url: string) {
  return [
    { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl: url } },
    { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl: url } } },
    {
      resolve: "@medusajs/medusa/locking",
      options: {
        providers: [{ resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl: url } }],
      },
    },
    {
      resolve: "@medusajs/medusa/caching",
      options: {
        providers: [{ resolve: "@medusajs/medusa/caching-redis", id: "caching-redis", is_default: true, options: { redisUrl: url } }],
      },
    },
  ]
}

/**
 * The plugin's own Medusa app, for development (`npm run dev`), the demo and the integration tests. A store that
 * installs the plugin writes the same provider entry in its own medusa-config.ts (see README).
 */
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
    workerMode,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  // The demo and CI need no dashboard; `npm run dev` serves it. A worker serves no HTTP but /health.
  admin: { disable: process.env.MEDUSA_ADMIN_DISABLED === "true" || workerMode === "worker" },
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      // The provider reads its settings from the plugin's module.
      dependencies: ["flutterwave"],
      options: {
        providers: [{ resolve: "./src/providers/flutterwave", id: "flutterwave" }],
      },
    },
    { resolve: "./src/modules/flutterwave", options: flutterwaveOptions },
    ...(redisUrl ? redisModules(redisUrl) : [postgresLocking]),
  ],
})
