#!/usr/bin/env node
/**
 * The Gate sandbox as a command: a local ECommPay Gate (and Payment Page) for the Flutterwave method on 127.0.0.1.
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
 */
import { parseArgs } from "node:util"
import { GateSandbox } from "./server"

const DEFAULTS = {
  port: 8765,
  projectId: 1001,
  secretKey: "sandbox-secret",
  callbackUrl: "http://localhost:9000/hooks/flutterwave",
  latencyMs: 0,
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
  -h, --help             print this help

It prints the settings to give your store. Stop it with Ctrl+C.
`

type CliSettings = { port: number; projectId: number; secretKey: string; callbackUrl: string; latencyMs: number }

/** Flags first, then the environment, then the defaults. Throws a readable message for a bad value. */
export function readSettings(argv: string[], env: NodeJS.ProcessEnv): CliSettings | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      "project-id": { type: "string" },
      secret: { type: "string" },
      "callback-url": { type: "string" },
      "latency-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  })
  if (values.help) return "help"
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? (env[name] || undefined)
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
  const latencyMs = Number(pick(values["latency-ms"], "SANDBOX_LATENCY_MS") ?? DEFAULTS.latencyMs)
  if (!Number.isSafeInteger(latencyMs) || latencyMs < 0 || latencyMs > 600_000) {
    throw new Error("--latency-ms must be a whole number of milliseconds from 0 to 600000")
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

async function main(): Promise<void> {
  let settings: CliSettings | "help"
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
  const { port, projectId, secretKey, callbackUrl, latencyMs } = settings
  const callbackRetryDelaysMs = (process.env.SANDBOX_CALLBACK_RETRY_MS ?? "1000,1000,1000,1000,1000,1000")
    .split(",")
    .map((ms) => Number(ms.trim()))
    .filter((ms) => Number.isFinite(ms) && ms >= 0)
  const limitTimeMs = process.env.SANDBOX_LIMIT_TIME_MS ? Number(process.env.SANDBOX_LIMIT_TIME_MS) : undefined
  const sandbox = new GateSandbox({ port, projectId, secretKey, callbackUrl, callbackRetryDelaysMs, limitTimeMs, latencyMs })
  const url = await sandbox.start()
  process.stdout.write(
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
      "",
      storeSettingsText(url, settings),
      "",
    ].join("\n")
  )
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0))
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
}

// Run only as a command, so tests can import readSettings/storeSettingsText without starting a server.
if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`sandbox failed to start: ${error.message}\n`)
    process.exit(1)
  })
}
