// The local stack the demo and `npm run dev` run: PostgreSQL (embedded unless DATABASE_URL/DB_HOST is set), the Gate
// sandbox (or, with rail "flutterwave-v3", the Flutterwave v3 sandbox) and the Medusa app with this plugin, each a real
// process talking over loopback HTTP.
import { spawn, spawnSync } from "node:child_process"
import { cpus, platform, release, totalmem } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { freePort, startDatabase } from "./postgres.mjs"

export const ROOT = join(fileURLToPath(import.meta.url), "..", "..")
const BIN = join(ROOT, "node_modules", ".bin")

/** How much of each process's output is kept for error reports. */
const OUTPUT_KEPT = 20_000

export const DEMO_PROJECT_ID = "1001"
// A sandbox-only key: the sandbox and the app share it, as a real store shares its key with ECommPay.
export const DEMO_SECRET_KEY = "sandbox-secret-not-for-production"
// The same for a merchant's own Flutterwave account (rail "flutterwave-v3"): sandbox-only keys shared by the v3
// sandbox and the app, as a real store copies them from Flutterwave's dashboard.
export const DEMO_V3_SECRET_KEY = "FLWSECK_TEST-sandbox-not-for-production-X"
export const DEMO_V3_SECRET_HASH = "sandbox-webhook-hash-not-for-production"
export const DEMO_V3_PUBLIC_KEY = "FLWPUBK_TEST-sandbox-not-for-production-X"

export class Stack {
  /**
   * adminEnabled: serve the dashboard. With `medusa develop` (npm run dev) it is compiled on the fly; with
   * adminBuilt it is the production build in public/admin, served by `medusa start` (the browser tests).
   * env: variables for the app and the sandbox over the stack's own, e.g. a storefront's FLUTTERWAVE_RETURN_URL and
   * STORE_CORS.
   * keysInAdmin: the app starts (and migrates) without the project id and secret, as a store that enters them in
   * Settings → Flutterwave; the sandbox still has them (ECommPay's side).
   * rail: "ecommpay" (default: an ECommPay contract, the Gate sandbox) or "flutterwave-v3" (a merchant's own Flutterwave
   * account: the v3 sandbox, webhooks to /hooks/flutterwave/v3; `checkout` does not apply).
   */
  constructor({ log, databaseName, persistentDir, appPort, sandboxPort, adminEnabled = false, adminBuilt = false, checkout = "gate", env = {}, keysInAdmin = false, rail = "ecommpay" }) {
    if (rail !== "ecommpay" && rail !== "flutterwave-v3") throw new Error(`Stack: rail must be "ecommpay" or "flutterwave-v3", not ${JSON.stringify(rail)}`)
    this.rail = rail
    this.log = log
    this.keysInAdmin = keysInAdmin
    this.extraEnv = env
    // How shoppers pay: "payment_page" (the plugin's default; the demo's) or "gate" (what the test harnesses drive);
    // null leaves FLUTTERWAVE_CHECKOUT empty, so Settings → Flutterwave (POST /admin/flutterwave/settings) chooses.
    this.checkout = checkout
    this.databaseName = databaseName
    this.persistentDir = persistentDir
    this.appPort = appPort
    this.sandboxPort = sandboxPort
    this.adminEnabled = adminEnabled || adminBuilt
    this.adminBuilt = adminBuilt
    this.children = []
    this.database = undefined
  }

  async start() {
    this.database = await startDatabase({ log: this.log, persistentDir: this.persistentDir })
    const baseUrl = this.database.env.DATABASE_URL ?? process.env.DATABASE_URL ?? connectionFromEnv({})
    await ensureDatabase(baseUrl, this.databaseName)
    this.appPort ??= await freePort()
    this.sandboxPort ??= await freePort()
    this.appUrl = `http://localhost:${this.appPort}`
    this.sandboxUrl = `http://127.0.0.1:${this.sandboxPort}`

    this.env = {
      ...process.env,
      ...this.database.env,
      DATABASE_URL: `${stripDatabase(baseUrl)}/${this.databaseName}`,
      MEDUSA_DISABLE_TELEMETRY: "true",
      MEDUSA_ADMIN_DISABLED: this.adminEnabled ? "false" : "true",
      PORT: String(this.appPort),
      FLUTTERWAVE_PROJECT_ID: process.env.FLUTTERWAVE_PROJECT_ID ?? DEMO_PROJECT_ID,
      FLUTTERWAVE_SECRET_KEY: process.env.FLUTTERWAVE_SECRET_KEY ?? DEMO_SECRET_KEY,
      FLUTTERWAVE_GATE_URL: this.sandboxUrl,
      // The sandbox serves ECommPay's Payment Page as well as Gate.
      FLUTTERWAVE_PAYMENT_PAGE_URL: this.sandboxUrl,
      FLUTTERWAVE_CHECKOUT: this.checkout ?? "",
      FLUTTERWAVE_STATUS_POLL_DELAY_MS: process.env.FLUTTERWAVE_STATUS_POLL_DELAY_MS ?? "200",
      FLUTTERWAVE_RETURN_URL: process.env.FLUTTERWAVE_RETURN_URL ?? "http://localhost:8000/checkout/flutterwave",
      SANDBOX_PORT: String(this.sandboxPort),
      // The key the secret typed in Settings → Flutterwave is encrypted under (a sandbox-only value).
      FLUTTERWAVE_SETTINGS_KEY: process.env.FLUTTERWAVE_SETTINGS_KEY ?? "sandbox-settings-key-not-for-production-0123",
      ...(this.rail === "flutterwave-v3" ? this.flutterwaveV3Env() : {}),
      ...this.extraEnv,
    }

    this.log("applying database migrations (Medusa core and this plugin)")
    run(join(BIN, "medusa"), ["db:migrate"], this.appEnv(this.appPort))

    if (this.rail === "flutterwave-v3") {
      await this.startFlutterwaveV3Sandbox()
      await this.startApp()
      return
    }

    this.spawn("sandbox", join(BIN, "ts-node"), ["--transpile-only", "src/sandbox/cli.ts"], {
      ...this.env,
      FLUTTERWAVE_CALLBACK_URL: `${this.appUrl}/hooks/flutterwave`,
    })
    await waitForHttp(`${this.sandboxUrl}/health`, 60_000)
    this.log(`Gate sandbox ready on ${this.sandboxUrl}`)

    await this.startApp()
  }

  /**
   * What the app reads for a merchant's own Flutterwave account (medusa-config.ts): the rail, the dashboard's keys and
   * the v3 API (the sandbox). No ECommPay contract: its keys and URLs are empty, which medusa-config passes on as unset.
   */
  flutterwaveV3Env() {
    return {
      FLUTTERWAVE_RAIL: "flutterwave-v3",
      FLUTTERWAVE_V3_SECRET_KEY: process.env.FLUTTERWAVE_V3_SECRET_KEY || DEMO_V3_SECRET_KEY,
      FLUTTERWAVE_V3_SECRET_HASH: process.env.FLUTTERWAVE_V3_SECRET_HASH || DEMO_V3_SECRET_HASH,
      FLUTTERWAVE_V3_PUBLIC_KEY: process.env.FLUTTERWAVE_V3_PUBLIC_KEY || DEMO_V3_PUBLIC_KEY,
      FLUTTERWAVE_V3_API_URL: this.sandboxUrl,
      FLUTTERWAVE_PROJECT_ID: "",
      FLUTTERWAVE_SECRET_KEY: "",
      FLUTTERWAVE_CHECKOUT: "",
      FLUTTERWAVE_GATE_URL: "",
      FLUTTERWAVE_PAYMENT_PAGE_URL: "",
      SANDBOX_PORT: "",
      FLUTTERWAVE_V3_SANDBOX_PORT: String(this.sandboxPort),
    }
  }

  /**
   * The v3 sandbox as a command (src/sandbox/cli.ts --rail flutterwave-v3), its webhooks going to the app. Its port and
   * the keys it shares with the app come from the same variables (flutterwaveV3Env), as the Gate sandbox's do.
   */
  async startFlutterwaveV3Sandbox() {
    this.spawn("sandbox", join(BIN, "ts-node"), ["--transpile-only", "src/sandbox/cli.ts", "--rail", "flutterwave-v3"], {
      ...this.env,
      FLUTTERWAVE_V3_WEBHOOK_URL: `${this.appUrl}/hooks/flutterwave/v3`,
    })
    await waitForHttp(`${this.sandboxUrl}/health`, 60_000)
    this.log(`Flutterwave v3 sandbox ready on ${this.sandboxUrl}`)
  }

  /** The app's environment: the sandbox's project-level callback URL applies, so no per-request override. */
  appEnv(port) {
    const env = { ...this.env, PORT: String(port) }
    delete env.FLUTTERWAVE_CALLBACK_URL
    if (this.keysInAdmin) {
      // Empty: medusa-config passes them on as unset, so Settings → Flutterwave may set them.
      env.FLUTTERWAVE_PROJECT_ID = ""
      env.FLUTTERWAVE_SECRET_KEY = ""
      if (this.rail === "flutterwave-v3") {
        env.FLUTTERWAVE_V3_SECRET_KEY = ""
        env.FLUTTERWAVE_V3_SECRET_HASH = ""
      }
    }
    return env
  }

  async startApp() {
    const command = this.adminEnabled && !this.adminBuilt ? "develop" : "start"
    this.app = this.spawn("medusa", join(BIN, "medusa"), [command], this.appEnv(this.appPort))
    await waitForHttp(`${this.appUrl}/health`, 180_000)
    this.log(`Medusa ready on ${this.appUrl}`)
  }

  /**
   * A second Medusa instance on the same database, as stores that outgrow one machine run (the "many instances, one
   * truth" rule). Returns its base URL; stop() stops it with the rest.
   */
  async startAnotherApp() {
    const port = await freePort()
    this.spawn(`medusa:${port}`, join(BIN, "medusa"), ["start"], this.appEnv(port))
    const url = `http://localhost:${port}`
    await waitForHttp(`${url}/health`, 180_000)
    return url
  }

  /** The app dies at once, mid-request, as in a crash or an OOM kill: no shutdown hooks run. */
  async killApp() {
    const app = this.app
    if (!app || hasExited(app)) return
    const exited = new Promise((resolve) => app.once("exit", resolve))
    // `medusa start` runs the server in a child of its own: the whole process group goes.
    signalGroup(app, "SIGKILL")
    await exited
  }

  /**
   * Creates an admin user with `medusa user`. Asynchronous on purpose: a synchronous child (spawnSync) blocks this
   * process's event loop for the CLI's whole boot (5 s and more), so fetch's 4 s keep-alive timer cannot retire the
   * pooled /health connection while the server's 5 s one closes it; the next fetch can then be written onto the
   * closed socket ("other side closed": seen in CI on the topology spec's login, and 2 times in 5 in a reproduction).
   */
  async createAdminUser(email, password) {
    const child = spawn(join(BIN, "medusa"), ["user", "-e", email, "-p", password], {
      cwd: ROOT,
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    child.stdout.on("data", (chunk) => (output += chunk))
    child.stderr.on("data", (chunk) => (output += chunk))
    const status = await new Promise((resolve, reject) => {
      child.once("error", reject)
      child.once("close", resolve)
    })
    // An existing user (a second `npm run dev`) is fine.
    if (status !== 0 && !/already exists/i.test(output)) {
      throw new Error(`could not create the admin user: ${tail(output)}`)
    }
  }

  spawn(name, command, args, env) {
    // Own process group, so the whole tree (medusa's CLI forks the server) can be stopped or killed at once.
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true })
    // The last OUTPUT_KEPT characters the process printed, for error reports, kept as chunks and joined only when read:
    // re-joining a 20 KB string per chunk would cost this process (which also drives the benchmarks' load) time on
    // every request Medusa logs, and so slow down exactly the routes that log against those that do not.
    const chunks = []
    let kept = 0
    Object.defineProperty(child, "output", {
      get: () => Buffer.concat(chunks).toString("utf8").slice(-OUTPUT_KEPT),
    })
    const keep = (chunk) => {
      chunks.push(chunk)
      kept += chunk.length
      while (chunks.length > 1 && kept - chunks[0].length >= OUTPUT_KEPT) kept -= chunks.shift().length
      if (process.env.DEMO_VERBOSE) process.stderr.write(`[${name}] ${chunk}`)
    }
    child.stdout.on("data", keep)
    child.stderr.on("data", keep)
    child.on("exit", (code) => {
      if (!this.stopping && code !== 0 && code !== null) this.log(`${name} exited with ${code}:\n${tail(child.output)}`)
    })
    child.label = name
    this.children.push(child)
    return child
  }

  async stop() {
    this.stopping = true
    for (const child of this.children.reverse()) {
      if (!hasExited(child)) signalGroup(child, "SIGTERM")
    }
    await Promise.all(this.children.map(untilStopped))
    await this.database?.stop()
  }
}

/** One line naming the machine: a benchmark's ratios are only comparable with runs on the same kind of machine. */
export function describeMachine() {
  const cpu = cpus()
  return `machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ${platform()} ${release()}; node ${process.version}`
}

/** Ctrl-C or SIGTERM stops the stack's processes (PostgreSQL, the sandbox, Medusa) before the script exits. */
export function stopStackOnSignals(stack, log) {
  const stopOnSignal = (signal) => {
    log(`${signal}: stopping the stack`)
    void stack.stop().finally(() => process.exit(130))
  }
  process.once("SIGINT", stopOnSignal)
  process.once("SIGTERM", stopOnSignal)
}

/** Resolves when `child` has exited; one still running 5 s after it was asked to stop is killed. */
export function untilStopped(child) {
  return new Promise((resolve) => {
    if (hasExited(child)) return resolve()
    const timer = setTimeout(() => {
      signalGroup(child, "SIGKILL")
      resolve()
    }, 5_000)
    child.on("exit", () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

/** Ended by itself (exitCode) or by a signal (signalCode: a SIGKILLed app has no exit code). */
export function hasExited(child) {
  return child.exitCode !== null || child.signalCode !== null
}

export function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal)
  } catch {
    child.kill(signal)
  }
}

/** Creates the database `name` on the server `url` points at, unless it exists. */
export async function ensureDatabase(url, name) {
  const { default: pg } = await import("pg")
  const client = new pg.Client({ connectionString: `${stripDatabase(url)}/postgres` })
  await client.connect()
  try {
    const exists = await client.query("select 1 from pg_database where datname = $1", [name])
    if (exists.rowCount === 0) await client.query(`create database "${name.replace(/"/g, "")}"`)
  } finally {
    await client.end()
  }
}

export function connectionFromEnv() {
  const e = process.env
  return `postgres://${e.DB_USERNAME ?? "postgres"}:${e.DB_PASSWORD ?? ""}@${e.DB_HOST ?? "localhost"}:${e.DB_PORT ?? 5432}`
}

export function stripDatabase(url) {
  const parsed = new URL(url)
  parsed.pathname = ""
  return parsed.toString().replace(/\/$/, "")
}

function run(command, args, env) {
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: "utf8" })
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed:\n${tail(result.stdout + result.stderr)}`)
}

export async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      if (response.ok) return
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
}

function tail(text) {
  return text.split("\n").slice(-25).join("\n")
}
