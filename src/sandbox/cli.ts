#!/usr/bin/env node
/**
 * The Gate sandbox as a command: a local ECommPay Gate (and Payment Page) for the Flutterwave method on 127.0.0.1;
 * with `--rail flutterwave-v3`, a local Flutterwave v3 API (hosted checkout, verify, refunds, transfers, webhooks)
 * instead.
 *
 * - In a store that installed the plugin: `npx medusa-flutterwave-sandbox [--port …] [--secret …] …` (the package's
 *   `bin`, this file compiled to .medusa/server/src/sandbox/cli.js by `medusa plugin:build`; the shebang above lets
 *   npm's bin link run it).
 * - In this repository: `npm run sandbox` (ts-node, the same file).
 *
 * Flags win over the environment variables, which stay as fallbacks (the demo, `npm run dev` and older scripts set
 * them): SANDBOX_PORT, FLUTTERWAVE_PROJECT_ID, FLUTTERWAVE_SECRET_KEY, FLUTTERWAVE_CALLBACK_URL, plus
 * SANDBOX_LATENCY_MS, plus SANDBOX_CALLBACK_RETRY_MS (pauses between callback attempts, comma-separated; default
 * six of 1000) and SANDBOX_LIMIT_TIME_MS (when unfinished payments are declined; default 600000, Gate's 10 minutes).
 * With `--rail flutterwave-v3`: FLUTTERWAVE_V3_SANDBOX_PORT, FLUTTERWAVE_V3_SECRET_KEY, FLUTTERWAVE_V3_SECRET_HASH,
 * FLUTTERWAVE_V3_WEBHOOK_URL, SANDBOX_LATENCY_MS, plus SANDBOX_WEBHOOK_RETRY_MS (pauses between webhook attempts,
 * comma-separated; default three of 1000, where Flutterwave waits 30 minutes).
 */
import { parseArgs } from "node:util"
import { isHttpUrl } from "./flutterwave-v3/engine"
import { FlutterwaveV3Sandbox } from "./flutterwave-v3/server"
import { GateSandbox } from "./server"

const DEFAULTS = {
  port: 8765,
  projectId: 1001,
  secretKey: "sandbox-secret",
  callbackUrl: "http://localhost:9000/hooks/flutterwave",
  latencyMs: 0,
}

const V3_DEFAULTS = {
  // Next to the Gate sandbox's port, so both can run side by side.
  port: 8766,
  secretKey: "FLWSECK_TEST-sandbox",
  secretHash: "sandbox-secret-hash",
  webhookUrl: "http://localhost:9000/hooks/flutterwave/v3",
}

const USAGE = `Usage: medusa-flutterwave-sandbox [options]

A local ECommPay Gate sandbox for the Flutterwave method (Gate API and Payment Page) on 127.0.0.1,
so a Medusa store with medusa-payment-flutterwave takes test payments without an ECommPay contract.

Options:
  --port <port>          port to listen on (env SANDBOX_PORT; default ${DEFAULTS.port}; 0 picks a free one)
  --project-id <id>      the ECommPay project id the store signs with (env FLUTTERWAVE_PROJECT_ID; default ${DEFAULTS.projectId})
  --secret <key>         the project's secret key (env FLUTTERWAVE_SECRET_KEY; default "${DEFAULTS.secretKey}")
  --callback-url <url>   where the sandbox sends Gate's callbacks: your store's /hooks/flutterwave
                         (env FLUTTERWAVE_CALLBACK_URL; default ${DEFAULTS.callbackUrl})
  --latency-ms <ms>      hold back every Gate API answer this long, as a distant Gate does
                         (env SANDBOX_LATENCY_MS; default ${DEFAULTS.latencyMs}; POST /_sandbox/latency changes it later)
  --rail <rail>          "gate" (default: this ECommPay Gate sandbox) or "flutterwave-v3" (a Flutterwave v3 sandbox)
  -h, --help             print this help

With --rail flutterwave-v3 (a local Flutterwave v3 API: hosted checkout, verify, refunds, transfers, webhooks):
  --port <port>          port to listen on (env FLUTTERWAVE_V3_SANDBOX_PORT; default ${V3_DEFAULTS.port})
  --secret-key <key>     the only secret key its API accepts (env FLUTTERWAVE_V3_SECRET_KEY; default "${V3_DEFAULTS.secretKey}")
  --secret-hash <hash>   sent as verif-hash on every webhook (env FLUTTERWAVE_V3_SECRET_HASH; default "${V3_DEFAULTS.secretHash}")
  --webhook-url <url>    where webhooks go: your store's /hooks/flutterwave/v3
                         (env FLUTTERWAVE_V3_WEBHOOK_URL; default ${V3_DEFAULTS.webhookUrl})
  --latency-ms <ms>      hold back every API answer this long (env SANDBOX_LATENCY_MS; default 0)

It prints the settings to give your store. Stop it with Ctrl+C.
`

type CliSettings = { port: number; projectId: number; secretKey: string; callbackUrl: string; latencyMs: number }

/** The settings of `--rail flutterwave-v3`; the Gate's have no `rail` field, as before the v3 sandbox existed. */
export type FlutterwaveV3CliSettings = {
  rail: "flutterwave-v3"
  port: number
  secretKey: string
  secretHash: string
  webhookUrl: string
  latencyMs: number
}

const GATE_ONLY_FLAGS = ["project-id", "secret", "callback-url"] as const
const V3_ONLY_FLAGS = ["secret-key", "secret-hash", "webhook-url"] as const

/** Flags first, then the environment, then the defaults. Throws a readable message for a bad value. */
export function readSettings(argv: string[], env: NodeJS.ProcessEnv): CliSettings | FlutterwaveV3CliSettings | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      "project-id": { type: "string" },
      secret: { type: "string" },
      "callback-url": { type: "string" },
      "latency-ms": { type: "string" },
      rail: { type: "string" },
      "secret-key": { type: "string" },
      "secret-hash": { type: "string" },
      "webhook-url": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  })
  if (values.help) return "help"
  const rail = values.rail ?? "gate"
  if (rail !== "gate" && rail !== "flutterwave-v3") throw new Error('--rail must be "gate" or "flutterwave-v3"')
  // A flag of the other sandbox is a mistake worth saying, not something to ignore silently.
  const foreign = (rail === "gate" ? V3_ONLY_FLAGS : GATE_ONLY_FLAGS).find((flag) => values[flag] !== undefined)
  if (foreign) {
    throw new Error(rail === "gate" ? `--${foreign} needs --rail flutterwave-v3` : `--${foreign} is for the Gate sandbox (without --rail flutterwave-v3)`)
  }
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? (env[name] || undefined)
  const latencyMs = Number(pick(values["latency-ms"], "SANDBOX_LATENCY_MS") ?? DEFAULTS.latencyMs)
  if (!Number.isSafeInteger(latencyMs) || latencyMs < 0 || latencyMs > 600_000) {
    throw new Error("--latency-ms must be a whole number of milliseconds from 0 to 600000")
  }
  if (rail === "flutterwave-v3") {
    const port = Number(pick(values.port, "FLUTTERWAVE_V3_SANDBOX_PORT") ?? V3_DEFAULTS.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error("--port must be a port number (0-65535)")
    const webhookUrl = pick(values["webhook-url"], "FLUTTERWAVE_V3_WEBHOOK_URL") ?? V3_DEFAULTS.webhookUrl
    if (!isHttpUrl(webhookUrl)) throw new Error(`--webhook-url must be a URL, e.g. ${V3_DEFAULTS.webhookUrl}`)
    return {
      rail,
      port,
      secretKey: pick(values["secret-key"], "FLUTTERWAVE_V3_SECRET_KEY") ?? V3_DEFAULTS.secretKey,
      secretHash: pick(values["secret-hash"], "FLUTTERWAVE_V3_SECRET_HASH") ?? V3_DEFAULTS.secretHash,
      webhookUrl,
      latencyMs,
    }
  }
  const port = Number(pick(values.port, "SANDBOX_PORT") ?? DEFAULTS.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error("--port must be a port number (0-65535)")
  const projectId = Number(pick(values["project-id"], "FLUTTERWAVE_PROJECT_ID") ?? DEFAULTS.projectId)
  if (!Number.isInteger(projectId) || projectId <= 0) throw new Error("--project-id must be a positive integer")
  const secretKey = pick(values.secret, "FLUTTERWAVE_SECRET_KEY") ?? DEFAULTS.secretKey
  const callbackUrl = pick(values["callback-url"], "FLUTTERWAVE_CALLBACK_URL") ?? DEFAULTS.callbackUrl
  try {
    new URL(callbackUrl)
  } catch {
    throw new Error(`--callback-url must be a URL, e.g. ${DEFAULTS.callbackUrl}`)
  }
  return { port, projectId, secretKey, callbackUrl, latencyMs }
}

/**
 * What the store owner sets. The plugin appends `/payment` to the Payment Page URL itself (as with ECommPay's own
 * https://paymentpage.ecommpay.com), so both URLs are the sandbox's base URL.
 */
export function storeSettingsText(url: string, settings: Omit<CliSettings, "latencyMs">): string {
  return [
    "Give your Medusa store these settings (environment variables read by the medusa-config.ts in the README),",
    "then restart it:",
    "",
    `  FLUTTERWAVE_PROJECT_ID=${settings.projectId}`,
    `  FLUTTERWAVE_SECRET_KEY=${settings.secretKey}`,
    `  FLUTTERWAVE_GATE_URL=${url}`,
    `  FLUTTERWAVE_PAYMENT_PAGE_URL=${url}`,
    `  FLUTTERWAVE_CALLBACK_URL=${settings.callbackUrl}`,
    "",
    "Or enter them in the Medusa Admin under Settings → Flutterwave (project id, secret key, Gate URL, Payment Page URL).",
    "A shopper who reaches checkout pays on the sandbox's page: its Pay button succeeds, Gate's signed callback then",
    "places the order.",
  ].join("\n")
}

/** What the store owner sets to take payments through the v3 sandbox (the provider options of medusa-config.ts). */
export function flutterwaveV3StoreSettingsText(url: string, settings: Pick<FlutterwaveV3CliSettings, "secretKey" | "secretHash" | "webhookUrl">): string {
  return [
    "Give your Medusa store's Flutterwave provider these options (medusa-config.ts), then restart it:",
    "",
    `  rail: "flutterwave-v3"`,
    `  flutterwaveSecretKey: "${settings.secretKey}"`,
    `  flutterwaveSecretHash: "${settings.secretHash}"`,
    `  flutterwaveApiUrl: "${url}"`,
    "",
    `Webhooks go to ${settings.webhookUrl}, with verif-hash: ${settings.secretHash}.`,
    "A shopper who reaches checkout pays on the sandbox's hosted page: Pay succeeds, Fail fails, Cancel goes back;",
    "its charge.completed webhook follows at once.",
  ].join("\n")
}

/** Pauses between webhook attempts for the command: short, so a store that was down hears again within seconds. */
function webhookRetryDelaysMs(env: NodeJS.ProcessEnv): number[] {
  return (env.SANDBOX_WEBHOOK_RETRY_MS ?? "1000,1000,1000")
    .split(",")
    .map((ms) => Number(ms.trim()))
    .filter((ms) => Number.isSafeInteger(ms) && ms >= 0)
}

async function startFlutterwaveV3(settings: FlutterwaveV3CliSettings): Promise<void> {
  const { port, secretKey, secretHash, webhookUrl, latencyMs } = settings
  const sandbox = new FlutterwaveV3Sandbox({
    port,
    secretKey,
    secretHash,
    webhookUrl,
    latencyMs,
    webhookRetryDelaysMs: webhookRetryDelaysMs(process.env),
  })
  const url = await sandbox.start()
  serveUntilStopped(
    sandbox,
    [
      `Flutterwave v3 sandbox listening on ${url}`,
      `  webhooks go to ${webhookUrl}${latencyMs > 0 ? `; API answers held back ${latencyMs} ms` : ""}`,
      `  API:            POST /v3/payments; GET /v3/transactions/verify_by_reference?tx_ref=…, /v3/transactions/<id>/verify`,
      `                  POST /v3/transactions/<id>/refund; GET /v3/refunds/<id>, /v3/refunds?tx_id=…`,
      `                  POST /v3/transfers; GET /v3/transfers/<id>, /v3/transfers?reference=…; GET /v3/banks/<country>`,
      `  hosted page:    GET /v3/hosted/pay/flwlnk-<id>`,
      `  control API:    GET /_sandbox/transactions, /_sandbox/deliveries, /_sandbox/requests; POST /_sandbox/reset, /_sandbox/script,`,
      `                  /_sandbox/pay, /_sandbox/webhook-url, /_sandbox/refunds-enabled, /_sandbox/test-webhook, /_sandbox/latency,`,
      `                  /_sandbox/refunds/<id>/settle, /_sandbox/transfers/<id>/settle`,
    ],
    flutterwaveV3StoreSettingsText(url, settings)
  )
}

/** Prints what the sandbox serves and the settings to give the store; Ctrl+C (or SIGTERM) closes it and exits. */
function serveUntilStopped(sandbox: { close(): Promise<void> }, served: string[], storeSettings: string): void {
  process.stdout.write([...served, "", storeSettings, ""].join("\n"))
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0))
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
}

async function main(): Promise<void> {
  let settings: CliSettings | FlutterwaveV3CliSettings | "help"
  try {
    settings = readSettings(process.argv.slice(2), process.env)
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`)
    process.exit(2)
  }
  if (settings === "help") {
    process.stdout.write(USAGE)
    return
  }
  if ("rail" in settings) return startFlutterwaveV3(settings)
  const { port, projectId, secretKey, callbackUrl, latencyMs } = settings
  const callbackRetryDelaysMs = (process.env.SANDBOX_CALLBACK_RETRY_MS ?? "1000,1000,1000,1000,1000,1000")
    .split(",")
    .map((ms) => Number(ms.trim()))
    .filter((ms) => Number.isFinite(ms) && ms >= 0)
  const limitTimeMs = process.env.SANDBOX_LIMIT_TIME_MS ? Number(process.env.SANDBOX_LIMIT_TIME_MS) : undefined
  const sandbox = new GateSandbox({ port, projectId, secretKey, callbackUrl, callbackRetryDelaysMs, limitTimeMs, latencyMs })
  const url = await sandbox.start()
  serveUntilStopped(
    sandbox,
    [
      `ECommPay Gate sandbox (Flutterwave method) listening on ${url}`,
      `  project id ${projectId}; callbacks go to ${callbackUrl}${latencyMs > 0 ? `; Gate answers held back ${latencyMs} ms` : ""}`,
      `  Gate endpoints: POST /v2/payment/flutterwave/{sale,refund,payout}, POST /v2/payment/status`,
      `  shopper page:   GET /pay/<payment_id>`,
      `  Payment Page:   GET /payment?<signed params>&signature=<signature> (or POST the same as a form)`,
      `  control API:    GET /_sandbox/payments, /_sandbox/requests, /_sandbox/callbacks, /_sandbox/page-openings; POST /_sandbox/scripts, /_sandbox/reset`,
      `                  POST /_sandbox/payments/<payment_id>/operations/<operation_id>/settle, /_sandbox/payments/<payment_id>/dashboard-refund`,
      `                  POST /_sandbox/payments/<payment_id>/{pay,decline}; GET /_sandbox/payments/<payment_id>/operations/<operation_id>/callback`,
      `                  GET/POST /_sandbox/latency`,
    ],
    storeSettingsText(url, settings)
  )
}

// Run only as a command, so tests can import readSettings/storeSettingsText without starting a server.
if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`sandbox failed to start: ${error.message}\n`)
    process.exit(1)
  })
}
