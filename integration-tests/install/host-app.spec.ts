import { spawn, spawnSync, type ChildProcess } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { paidNgnOrder, signInAdmin, type Json } from "../helpers/live-app"

/**
 * The package as a store owner gets it. `npm run build` and `npm pack` make the tarball; a fresh Medusa app written
 * here (package.json, medusa-config.ts, tsconfig.json: nothing from this repository) installs Medusa 2.21.2, then the
 * tarball, as `npm install medusa-payment-flutterwave` would; `medusa db:migrate`, `medusa build` (the admin, with the
 * plugin's extensions) and `medusa start` from .medusa/server, as Medusa documents for production. The Gate sandbox is
 * the installed package's own command (`npx medusa-flutterwave-sandbox`), and the store is configured with exactly
 * the settings it prints. Then a shopper pays and the order is placed and captured.
 *
 * The host uses @medusajs/ui ^4.2.8, newer than the 4.2.6 this repository develops against, to prove the plugin's
 * peer ranges (any Medusa 2.x from 2.21.2; see `overrides` below). Installs use --prefer-offline, so the npm cache that `npm ci` filled is
 * reused; only what the cache lacks is downloaded from the registry.
 */
jest.setTimeout(1_800_000)

const ROOT = process.cwd()
const MEDUSA = "2.21.2"
// The same ranges as this repository's lock file, so the cache already holds them.
const devTools = () => {
  const own = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).devDependencies as Record<string, string>
  return Object.fromEntries(["typescript", "ts-node", "@swc/core", "@types/node"].map((name) => [name, own[name]]))
}

const timings: Array<[string, number]> = []
async function timed<T>(label: string, work: () => T | Promise<T>): Promise<T> {
  const started = Date.now()
  try {
    return await work()
  } finally {
    timings.push([label, Date.now() - started])
    process.stdout.write(`[host-app] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  }
}

/** The environment of a command a store owner types: ours, without what Jest and `npm test` add. */
function ownerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_package_|npm_lifecycle_|FLUTTERWAVE_|DB_|JEST_)/.test(name)) continue
    if (["NODE_OPTIONS", "INIT_CWD", "npm_config_local_prefix", "TEST_TYPE", "LOG_FILE", "DATABASE_URL", "NODE_ENV"].includes(name)) continue
    env[name] = value
  }
  return { ...env, MEDUSA_DISABLE_TELEMETRY: "true", ...extra }
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status ?? result.error?.message}):\n${output.slice(-6_000)}`)
  return output
}

/**
 * `run` without blocking this process's event loop, for a command run while the store's server is up: a blocked loop
 * misses the server closing an idle keep-alive connection, and the next fetch is written onto the closed socket
 * (scripts/stack.mjs createAdminUser says more).
 */
async function runInBackground(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()))
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject)
    child.once("close", resolve)
  })
  if (status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${status}):\n${output.slice(-6_000)}`)
  return output
}

function duBytes(path: string): number {
  return Number(run("du", ["-sb", path], "/", process.env).split("\t")[0])
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

type Running = { child: ChildProcess; output: () => string }
const children: Running[] = []
function start(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Running {
  // Own process group: npx and `medusa start` run their work in children; stopping the group stops them all.
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true })
  let output = ""
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-30_000))
  child.stdout?.on("data", keep)
  child.stderr?.on("data", keep)
  const running = { child, output: () => output }
  children.push(running)
  return running
}

async function stopAll(): Promise<void> {
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve()
          const kill = (signal: NodeJS.Signals) => {
            try {
              process.kill(-child.pid!, signal)
            } catch {
              child.kill(signal)
            }
          }
          const timer = setTimeout(() => {
            kill("SIGKILL")
            resolve()
          }, 10_000)
          child.once("exit", () => {
            clearTimeout(timer)
            resolve()
          })
          kill("SIGTERM")
        })
    )
  )
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, running?: Running): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await Promise.resolve(probe()).catch(() => undefined)
    if (value) return value
    if (running && running.child.exitCode !== null) throw new Error(`${what}: the process exited (${running.child.exitCode}):\n${running.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`timed out waiting for ${what}${running ? `:\n${running.output()}` : ""}`)
}

describe("the packed plugin in a fresh Medusa store", () => {
  let work: string
  let store: string
  let database: { env: Record<string, string>; embedded?: boolean; stop(): Promise<void> } | undefined
  let tarball: { path: string; size: number; unpackedSize: number; files: string[] }
  let createdDatabase: { serverUrl: string; name: string } | undefined

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "flutterwave-host-"))
    store = join(work, "store")
    mkdirSync(store)
  })

  afterAll(async () => {
    await stopAll()
    // The store's database, when the suite's server is one the environment named (an embedded one goes as a whole).
    if (createdDatabase && !database?.embedded) {
      const { default: pg } = await import("pg")
      const { stripDatabase } = await import("../../scripts/stack.mjs" as string)
      const admin = new pg.Client({ connectionString: `${stripDatabase(createdDatabase.serverUrl)}/postgres` })
      await admin.connect()
      await admin.query(`DROP DATABASE IF EXISTS "${createdDatabase.name}"`).finally(() => admin.end())
    }
    await database?.stop()
    rmSync(work, { recursive: true, force: true })
    process.stdout.write(`[host-app] timings: ${timings.map(([label, ms]) => `${label} ${(ms / 1000).toFixed(1)} s`).join("; ")}\n`)
  })

  it("packs only what a store needs", async () => {
    await timed("npm run build", () => run("npm", ["run", "build"], ROOT, ownerEnv()))
    const packed = await timed("npm pack", () => run("npm", ["pack", "--json", "--pack-destination", work], ROOT, ownerEnv()))
    const [info] = JSON.parse(packed.slice(packed.indexOf("["))) as Array<{ filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> }>
    tarball = { path: join(work, info.filename), size: info.size, unpackedSize: info.unpackedSize, files: info.files.map((f) => f.path) }
    process.stdout.write(`[host-app] tarball ${info.filename}: ${mb(info.size)} packed, ${mb(info.unpackedSize)} unpacked, ${tarball.files.length} files\n`)

    const files = tarball.files
    expect(files).toEqual(expect.arrayContaining([
      "LICENSE",
      "README.md",
      "package.json",
      ".medusa/server/src/sandbox/cli.js",
      ".medusa/server/src/workflows/index.js",
      ".medusa/server/src/workflows/index.d.ts",
      ".medusa/server/src/storefront/index.d.ts",
      ".medusa/server/src/providers/flutterwave/index.js",
      ".medusa/server/src/admin/index.mjs",
    ]))
    // No tests, no sandbox tests, no maps of them, no secrets, no dashboard build copied from public/ by Vite.
    expect(files.filter((f) => /__tests__|\.(spec|test|check)\.|\.map$|(^|\/)\.env|integration-tests|\/src\/admin\/admin\//.test(f))).toEqual([])
    expect(files.every((f) => f.startsWith(".medusa/server/") || ["LICENSE", "README.md", "package.json"].includes(f))).toBe(true)
    // The CLI runs through npm's bin link: it must start with a shebang.
    expect(readFileSync(join(ROOT, ".medusa/server/src/sandbox/cli.js"), "utf8").startsWith("#!/usr/bin/env node")).toBe(true)

    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"))
    expect(manifest.bin).toEqual({ "medusa-flutterwave-sandbox": ".medusa/server/src/sandbox/cli.js" })
    expect(Object.keys(manifest.peerDependencies)).not.toEqual(expect.arrayContaining(["@medusajs/test-utils"]))
    expect(Object.keys(manifest.peerDependencies)).not.toEqual(expect.arrayContaining(["@medusajs/cli"]))
  })

  it("installs into a Medusa 2.21.2 store with a newer @medusajs/ui, migrates, builds its admin and takes a payment", async () => {
    expect(tarball).toBeDefined()
    // A store as `create-medusa-app` lays it out, reduced to what runs it.
    writeFileSync(
      join(store, "package.json"),
      JSON.stringify(
        {
          name: "flutterwave-host-store",
          version: "0.0.1",
          private: true,
          scripts: { build: "medusa build", start: "medusa start" },
          dependencies: {
            "@medusajs/admin-sdk": MEDUSA,
            "@medusajs/cli": MEDUSA,
            // defineConfig adds the draft-order plugin to every app; create-medusa-app's package.json lists it.
            "@medusajs/draft-order": MEDUSA,
            "@medusajs/framework": MEDUSA,
            "@medusajs/medusa": MEDUSA,
            "@medusajs/ui": "^4.2.8",
            react: "^18.3.1",
            "react-dom": "^18.3.1",
          },
          devDependencies: devTools(),
          // Medusa 2.21.2 itself pins @medusajs/ui 4.2.6 (the dashboard's dependency, draft-order's optional peer), so
          // a 2.21.2 store moves to a newer ui only as a later Medusa release would move it: this override stands in for
          // that release, for Medusa's packages alone. The plugin's own peer range is not overridden: installing it
          // must hold against the store's ui 4.2.8 by itself (an exact "4.2.6" peer gave ERESOLVE warnings here).
          overrides: { "@medusajs/draft-order": { "@medusajs/ui": "$@medusajs/ui" } },
          engines: { node: ">=20" },
        },
        null,
        2
      )
    )
    writeFileSync(
      join(store, "tsconfig.json"),
      JSON.stringify(
        {
          compilerOptions: {
            target: "ES2021",
            esModuleInterop: true,
            module: "Node16",
            moduleResolution: "Node16",
            emitDecoratorMetadata: true,
            experimentalDecorators: true,
            skipLibCheck: true,
            declaration: false,
            sourceMap: false,
            inlineSourceMap: true,
            outDir: "./.medusa/server",
            rootDir: "./",
            jsx: "react-jsx",
            resolveJsonModule: true,
            strict: true,
          },
          "ts-node": { swc: true },
          include: ["**/*", ".medusa/types/*"],
          exclude: ["node_modules", ".medusa/server", ".medusa/admin", ".cache", "consumer"],
        },
        null,
        2
      )
    )
    // The README's configuration: the plugin (module, routes, jobs, admin) with its options, and its provider.
    writeFileSync(
      join(store, "medusa-config.ts"),
      `import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

const flutterwave = {
  projectId: process.env.FLUTTERWAVE_PROJECT_ID,
  secretKey: process.env.FLUTTERWAVE_SECRET_KEY,
  gateUrl: process.env.FLUTTERWAVE_GATE_URL,
  paymentPageUrl: process.env.FLUTTERWAVE_PAYMENT_PAGE_URL,
  callbackUrl: process.env.FLUTTERWAVE_CALLBACK_URL,
}

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: "http://localhost:8000",
      adminCors: "http://localhost:9000",
      authCors: "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  plugins: [{ resolve: "medusa-payment-flutterwave", options: flutterwave }],
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      dependencies: ["flutterwave"],
      options: {
        providers: [{ resolve: "medusa-payment-flutterwave/providers/flutterwave", id: "flutterwave" }],
      },
    },
  ],
})
`
    )
    // A store's own code importing the plugin's typed entry points (exports' "types", the .d.ts files).
    mkdirSync(join(store, "consumer"))
    writeFileSync(
      join(store, "consumer", "uses-plugin.ts"),
      `import { createPayoutWorkflow, payoutPaymentId, type CreatePayoutInput } from "medusa-payment-flutterwave/workflows"
import { isFlutterwave, readFlutterwaveReturn } from "medusa-payment-flutterwave/storefront"

const input: CreatePayoutInput = {
  idempotency_key: "k", amount_minor: 10000, currency_code: "ngn", bank: { id: "1", name: "Bank", country: "NG" } as CreatePayoutInput["bank"],
  account_number: "0123456789", ip_address: "127.0.0.1",
}
const id: string = payoutPaymentId(input.idempotency_key)
const flag: boolean = isFlutterwave("pp_flutterwave_flutterwave")
export const used = [createPayoutWorkflow, id, flag, readFlutterwaveReturn]
`
    )
    writeFileSync(
      join(store, "consumer", "tsconfig.json"),
      JSON.stringify({ extends: "../tsconfig.json", compilerOptions: { noEmit: true, rootDir: "..", lib: ["ES2022", "DOM"] }, include: ["*.ts"], exclude: [] })
    )

    const env = ownerEnv()
    const npmInstall = ["install", "--prefer-offline", "--no-audit", "--no-fund"]
    await timed("npm install (Medusa 2.21.2 store)", () => run("npm", npmInstall, store, env))
    const lockPackages = () => JSON.parse(readFileSync(join(store, "package-lock.json"), "utf8")).packages as Record<string, unknown>
    const lockBefore = lockPackages()
    const installOutput = await timed("npm install <plugin tarball>", () => run("npm", [...npmInstall, tarball.path], store, env))
    const lockAfter = lockPackages()
    // What installing the plugin adds to the store: the packages that were not there before (axios, its only
    // dependency, usually is: Medusa uses it too), measured on disk.
    const added = Object.keys(lockAfter).filter((p) => !(p in lockBefore))
    const removed = Object.keys(lockBefore).filter((p) => !(p in lockAfter))
    const addedBytes = added.reduce((sum, p) => sum + duBytes(join(store, p)), 0)
    const axiosClosure = ["axios", "follow-redirects", "form-data", "proxy-from-env"].filter((p) => existsSync(join(store, "node_modules", p)))
    const ownBytes = duBytes(join(store, "node_modules", "medusa-payment-flutterwave"))
    const axiosBytes = axiosClosure.reduce((sum, p) => sum + duBytes(join(store, "node_modules", p)), 0)
    process.stdout.write(
      `[host-app] installing the plugin added ${added.length} package(s) (${added.join(", ")}), ${mb(addedBytes)} on disk; removed ${removed.length} (${removed.join(", ")}). ` +
        `The plugin folder is ${mb(ownBytes)}; with axios and its direct dependencies (${axiosClosure.join(", ")}), ${mb(ownBytes + axiosBytes)}\n`
    )
    // The peer ranges hold without --legacy-peer-deps or --force, and the plugin brings no install script to approve.
    expect(installOutput).not.toMatch(/ERESOLVE|peer dep/i)
    // npm 11's install-script policy (`npm approve-scripts`, newer npm 11 releases only): nothing of ours is pending.
    if (spawnSync("npm", ["approve-scripts", "--help"], { cwd: store, env, encoding: "utf8" }).status === 0) {
      const pending = run("npm", ["approve-scripts", "--allow-scripts-pending"], store, env)
      expect(pending).not.toMatch(/medusa-payment-flutterwave|axios/)
    } else {
      process.stdout.write(`[host-app] this npm (${run("npm", ["--version"], store, env).trim()}) has no install-script policy to check\n`)
    }
    expect(added).toContain("node_modules/medusa-payment-flutterwave")
    const installedUi = JSON.parse(readFileSync(join(store, "node_modules", "@medusajs", "ui", "package.json"), "utf8")).version
    expect(installedUi).not.toBe("4.2.6")

    await timed("tsc (a store's code importing /workflows and /storefront)", () =>
      run(join(store, "node_modules", ".bin", "tsc"), ["-p", "consumer/tsconfig.json"], store, env)
    )

    // The database: the suite's own server (global setup) or one started here; a fresh database either way.
    const { startDatabase, freePort } = await import("../../scripts/postgres.mjs" as string)
    const { ensureDatabase, stripDatabase } = await import("../../scripts/stack.mjs" as string)
    const saved = { DATABASE_URL: process.env.DATABASE_URL, DB_HOST: process.env.DB_HOST }
    database = await startDatabase({ log: (line: string) => process.stdout.write(`[host-app] ${line}\n`) })
    const serverUrl = database!.env.DATABASE_URL ?? saved.DATABASE_URL ?? `postgres://${process.env.DB_USERNAME}:${process.env.DB_PASSWORD}@${process.env.DB_HOST}:${process.env.DB_PORT}`
    const databaseName = `medusa_flutterwave_host_${process.pid}`
    await ensureDatabase(serverUrl, databaseName)
    const appPort: number = await freePort()
    const sandboxPort: number = await freePort()
    const appUrl = `http://localhost:${appPort}`

    // The sandbox, from the installed package's bin, as the README's "Try it" section starts it.
    const sandbox = start(
      "npx",
      ["medusa-flutterwave-sandbox", "--port", String(sandboxPort), "--project-id", "4242", "--secret", "host-app-sandbox-secret", "--callback-url", `${appUrl}/hooks/flutterwave`],
      store,
      env
    )
    const printed = await waitFor("the sandbox's settings", () => (/FLUTTERWAVE_CALLBACK_URL=.*\n/.test(sandbox.output()) ? sandbox.output() : undefined), 60_000, sandbox)
    const settings = Object.fromEntries([...printed.matchAll(/^\s+(FLUTTERWAVE_[A-Z_]+)=(\S+)$/gm)].map((m) => [m[1], m[2]]))
    expect(Object.keys(settings).sort()).toEqual(
      ["FLUTTERWAVE_CALLBACK_URL", "FLUTTERWAVE_GATE_URL", "FLUTTERWAVE_PAYMENT_PAGE_URL", "FLUTTERWAVE_PROJECT_ID", "FLUTTERWAVE_SECRET_KEY"].sort()
    )
    expect(printed).toContain("Settings → Flutterwave")
    const sandboxUrl = settings.FLUTTERWAVE_GATE_URL

    // The README's step 2: the printed lines go into the store's .env (nothing reaches the store through this
    // process's environment: ownerEnv drops every FLUTTERWAVE_ and DATABASE_URL variable).
    const dotEnv = { ...settings, DATABASE_URL: `${stripDatabase(serverUrl)}/${databaseName}` }
    writeFileSync(join(store, ".env"), Object.entries(dotEnv).map(([name, value]) => `${name}=${value}\n`).join(""))
    createdDatabase = { serverUrl, name: databaseName }
    const storeEnv = ownerEnv({ PORT: String(appPort) })
    const npx = (args: string[], cwd = store, extra: NodeJS.ProcessEnv = {}) => run("npx", args, cwd, { ...storeEnv, ...extra })
    await timed("npx medusa db:migrate", () => npx(["medusa", "db:migrate"]))
    const { default: pg } = await import("pg")
    const client = new pg.Client({ connectionString: dotEnv.DATABASE_URL })
    await client.connect()
    const { rows } = await client.query("select tablename from pg_tables where tablename like 'fw\\_%' order by 1").finally(() => client.end())
    process.stdout.write(`[host-app] the plugin's tables: ${rows.map((r: Json) => r.tablename).join(", ")}\n`)
    expect(rows.map((r: Json) => r.tablename)).toEqual(expect.arrayContaining(["fw_gate_operation", "fw_gate_callback"]))

    await timed("npx medusa build (server and admin)", () => npx(["medusa", "build"]))
    const server = join(store, ".medusa", "server")
    const assets = join(server, "public", "admin", "assets")
    const bundles = readdirSync(assets).filter((f) => f.endsWith(".js"))
    // The plugin's Settings → Flutterwave page is part of the store's admin build.
    expect(bundles.some((f) => readFileSync(join(assets, f), "utf8").includes("/settings/flutterwave"))).toBe(true)

    // Medusa's production start: from .medusa/server, whose dependencies are the store's own (Medusa's docs run
    // `npm install` there; the store's node_modules, linked, are the same packages without a second install) and
    // whose .env is the store's, copied as the README says (Medusa reads .env from the folder it starts in).
    if (!existsSync(join(server, "node_modules"))) symlinkSync(join(store, "node_modules"), join(server, "node_modules"), "dir")
    copyFileSync(join(store, ".env"), join(server, ".env"))
    const app = await timed("npx medusa start (until /health answers)", async () => {
      const running = start("npx", ["medusa", "start"], server, { ...storeEnv, NODE_ENV: "production" })
      await waitFor("the store's /health", async () => (await fetch(`${appUrl}/health`)).ok || undefined, 240_000, running)
      return running
    })

    const stack = {
      appUrl,
      sandboxUrl,
      createAdminUser: async (email: string, password: string) => {
        await runInBackground("npx", ["medusa", "user", "-e", email, "-p", password], store, storeEnv)
      },
    }
    const admin = await signInAdmin(stack, "owner@host-store.test", "host-store-password")
    const { json: providers } = await admin("GET", "/admin/payments/payment-providers")
    expect(providers.payment_providers.map((p: Json) => p.id)).toContain("pp_flutterwave_flutterwave")
    // The built admin is served, the plugin's page included (a client-side route of the dashboard).
    expect((await fetch(`${appUrl}/app/settings/flutterwave`)).status).toBe(200)

    const { order } = await timed("checkout: cart, session, the sandbox's page, Pay, order", () =>
      paidNgnOrder(stack, admin, {
        email: `ada.${Date.now()}@host-store.test`,
        price: 12500.5,
        // The shopper opens the signed Payment Page and presses Pay: the page's own form, posted as a browser would.
        pay: async (pageUrl) => {
          const page = await fetch(pageUrl)
          const html = await page.text()
          expect(page.status).toBe(200)
          expect(html).toContain("12500.50 NGN")
          const action = /<form method="post" action="([^"]+\/confirm)"/.exec(html)?.[1]
          expect(action).toBeDefined()
          const paid = await fetch(new URL(action!, pageUrl), { method: "POST", redirect: "manual" })
          expect(paid.status).toBe(303)
        },
      })
    )
    expect(order.payment_status).toBe("captured")
    const payment = order.payment_collections[0].payments[0]
    expect(Number(payment.amount)).toBe(12500.5)
    expect(payment.captured_at).toBeTruthy()
    expect(app.child.exitCode).toBeNull()
  })
})
