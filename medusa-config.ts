import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

/**
 * The plugin's settings, given to its module: the one source the payment provider, the callback intake and the jobs
 * read. Each value set here (an environment variable) wins over Settings → Flutterwave in the admin; leave one
 * unset to manage it there. The keys may be missing at first: the app starts and migrates without them.
 */
const flutterwaveOptions = {
  projectId: process.env.FLUTTERWAVE_PROJECT_ID,
  secretKey: process.env.FLUTTERWAVE_SECRET_KEY,
  gateUrl: process.env.FLUTTERWAVE_GATE_URL,
  callbackUrl: process.env.FLUTTERWAVE_CALLBACK_URL,
  returnUrl: process.env.FLUTTERWAVE_RETURN_URL,
  checkout: process.env.FLUTTERWAVE_CHECKOUT,
  paymentPageUrl: process.env.FLUTTERWAVE_PAYMENT_PAGE_URL,
  languageCode: process.env.FLUTTERWAVE_LANGUAGE_CODE,
  statusPollDelayMs: process.env.FLUTTERWAVE_STATUS_POLL_DELAY_MS,
  paidSaleRecheckMs: process.env.FLUTTERWAVE_PAID_SALE_RECHECK_MS,
  timeoutMs: process.env.FLUTTERWAVE_TIMEOUT_MS,
  reconcileAfterMs: process.env.FLUTTERWAVE_RECONCILE_AFTER_MS,
  refundOrphanPayments: process.env.FLUTTERWAVE_REFUND_ORPHAN_PAYMENTS,
  maxCompletionAttempts: process.env.FLUTTERWAVE_MAX_COMPLETION_ATTEMPTS,
  reconcileConcurrency: process.env.FLUTTERWAVE_RECONCILE_CONCURRENCY,
}

/**
 * The plugin's own Medusa app, for development (`npm run dev`), the demo and the integration tests. A store that
 * installs the plugin writes the same provider entry in its own medusa-config.ts (see README).
 */
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  // The demo and CI need no dashboard; `npm run dev` serves it.
  admin: { disable: process.env.MEDUSA_ADMIN_DISABLED === "true" },
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
    // Locks held in PostgreSQL, so that several app instances on one database take turns (reconciliation, carts).
    // A store on Redis would use @medusajs/medusa/locking-redis instead; the in-memory default locks one process only.
    {
      resolve: "@medusajs/medusa/locking",
      options: {
        providers: [{ resolve: "@medusajs/medusa/locking-postgres", id: "locking-postgres", is_default: true }],
      },
    },
  ],
})
