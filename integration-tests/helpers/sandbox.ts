import { signParams } from "../../src/rails/ecommpay"
import { GateSandbox, type GateSandboxOptions } from "../../src/sandbox"

export const TEST_PROJECT_ID = 4242
export const TEST_SECRET_KEY = "test-secret-key-never-logged-9f2c"

/**
 * Starts a Gate sandbox before Medusa boots and points the provider at it through the FLUTTERWAVE_* variables that
 * medusa-config.ts reads. Call it before medusaIntegrationTestRunner so its beforeAll runs first.
 */
/** The key the admin-entered secret is sealed under in the test app (FLUTTERWAVE_SETTINGS_KEY). */
export const TEST_SETTINGS_KEY = "test-settings-key-0123456789abcdef0123456789"

/**
 * app.keys: "environment" (default) gives the app the project id and secret through FLUTTERWAVE_* variables, as
 * most suites want; "admin" starts the app without them, as a store that enters them in Settings → Flutterwave.
 */
export function useGateSandbox(
  options: Partial<GateSandboxOptions> = {},
  app: { checkout?: "payment_page" | "gate"; keys?: "environment" | "admin" } = {}
): { sandbox: () => GateSandbox } {
  return useSuiteSandbox(
    "the Gate sandbox",
    () =>
      new GateSandbox({
        projectId: TEST_PROJECT_ID,
        secretKey: TEST_SECRET_KEY,
        // Gate's own schedule (10 s apart) shortened; long enough to outlast a simultaneous delivery's apply (409).
        callbackRetryDelaysMs: [100, 300, 600, 1200, 2000, 3000],
        callbackTimeoutMs: 5_000,
        ...options,
      }),
    (set, url) => {
      // An empty variable sets nothing: medusa-config passes it on, and the option counts as unset.
      set("FLUTTERWAVE_PROJECT_ID", app.keys === "admin" ? "" : String(TEST_PROJECT_ID))
      set("FLUTTERWAVE_SECRET_KEY", app.keys === "admin" ? "" : TEST_SECRET_KEY)
      set("FLUTTERWAVE_GATE_URL", url)
      // The sandbox serves ECommPay's Payment Page too. Suites written around Gate's sale run in Gate mode unless they
      // ask for the Payment Page (the plugin's default).
      set("FLUTTERWAVE_PAYMENT_PAGE_URL", url)
      set("FLUTTERWAVE_CHECKOUT", app.checkout ?? "gate")
    }
  )
}

/**
 * A sandbox (Gate's or Flutterwave v3's) for a suite: made and started in beforeAll, before Medusa boots, with the
 * app's environment set by `configure` from its URL, plus the settings key and the test pacing every suite shares;
 * closed, and the environment put back, in afterAll. `name` says which sandbox a test asked for too early.
 */
export function useSuiteSandbox<S extends { start(): Promise<string>; close(): Promise<void> }>(
  name: string,
  create: () => S,
  configure: (set: (name: string, value: string) => void, url: string) => void
): { sandbox: () => S } {
  let sandbox: S | undefined
  const { set, restore } = suiteEnvironment()

  beforeAll(async () => {
    sandbox = create()
    const url = await sandbox.start()
    configure(set, url)
    set("FLUTTERWAVE_SETTINGS_KEY", TEST_SETTINGS_KEY)
    setTestPacing(set)
  })

  afterAll(async () => {
    await sandbox?.close()
    restore()
  })

  return {
    sandbox: () => {
      if (!sandbox) throw new Error(`${name} is not started yet`)
      return sandbox
    },
  }
}

/** Environment variables a suite sets for its app, put back as they were when it ends. */
export function suiteEnvironment(): { set(name: string, value: string): void; restore(): void } {
  const previous: Record<string, string | undefined> = {}
  return {
    set(name, value) {
      if (!(name in previous)) previous[name] = process.env[name]
      process.env[name] = value
    },
    restore() {
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    },
  }
}

/** The plugin's pacing for tests, whichever backend the suite runs against. */
export function setTestPacing(set: (name: string, value: string) => void): void {
  // The backends' real pacing (10 s before the first status request) would only slow the suite down.
  set("FLUTTERWAVE_STATUS_POLL_DELAY_MS", "50")
  // Every reconciliation run looks for refunds made outside Medusa on every paid sale (in production: every 6 h).
  set("FLUTTERWAVE_PAID_SALE_RECHECK_MS", "0")
  set("FLUTTERWAVE_TIMEOUT_MS", "1500")
  // Reconciliation looks at anything pending, however recent: tests do not wait out the 10-minute base time.
  set("FLUTTERWAVE_RECONCILE_AFTER_MS", "0")
}

/**
 * Medusa's test runner restores the database to the seeded snapshot before each test; Gate must forget the test's
 * payments too, or the ledger check would find them paid with no order. Scripts go first (a failed test may leave
 * hanging status requests), then what Gate is still sending lands before the restore.
 */
export async function forgetGatePayments(sandbox: GateSandbox): Promise<void> {
  sandbox.engine.clearScripts()
  await sandbox.callbacksDelivered()
  sandbox.reset()
}

/**
 * A success callback as Gate would send it for a session's sale, signed with the test project's secret: for tests that
 * deliver a callback themselves. `amount` in minor units (default 150,050: the store's 1,500.50 NGN product).
 */
export function saleSuccessCallback(
  sessionId: string,
  overrides: { amount?: number; currency?: string; project?: number } = {}
): Record<string, any> {
  const sum = { amount: overrides.amount ?? 150_050, currency: overrides.currency ?? "NGN" }
  const body: Record<string, any> = {
    project_id: overrides.project ?? TEST_PROJECT_ID,
    payment: { id: sessionId, type: "purchase", status: "success", method: "flutterwave", sum, description: "" },
    operation: {
      id: 5_028_800_099_000_000 + Math.floor(Math.random() * 1000),
      type: "sale",
      status: "success",
      request_id: `req_${sessionId}`,
      sum_initial: sum,
      code: "0",
      message: "Success",
    },
  }
  body.signature = signParams(body, TEST_SECRET_KEY)
  return body
}
