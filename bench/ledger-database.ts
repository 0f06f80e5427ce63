import { readdirSync } from "node:fs"
import { join } from "node:path"
import knexFactory, { type Knex } from "knex"

/**
 * A real PostgreSQL with the plugin's ledger tables, for benchmarks that run the provider: it records every sale in
 * the ledger before it is sent, and that write is part of what a payment costs. Embedded PostgreSQL unless
 * DATABASE_URL/DB_HOST name a server (as for the demo); the ledger's tables come from the plugin's own migrations.
 */
export async function startLedgerDatabase(log: (line: string) => void): Promise<{ knex: Knex; stop(): Promise<void> }> {
  const { startDatabase } = (await import("../scripts/postgres.mjs" as string)) as {
    startDatabase(options: { log: (line: string) => void }): Promise<{ env: Record<string, string>; stop(): Promise<void> }>
  }
  const stack = (await import("../scripts/stack.mjs" as string)) as {
    ensureDatabase(url: string, name: string): Promise<void>
    connectionFromEnv(): string
    stripDatabase(url: string): string
  }
  const database = await startDatabase({ log })
  const server = database.env.DATABASE_URL ?? process.env.DATABASE_URL ?? stack.connectionFromEnv()
  const name = `flutterwave_bench_${process.pid}`
  await stack.ensureDatabase(server, name)
  const knex = knexFactory({ client: "pg", connection: `${stack.stripDatabase(server)}/${name}`, pool: { min: 0, max: 4 } })
  for (const sql of await migrationSql()) await knex.raw(sql)
  return {
    knex,
    async stop() {
      await knex.destroy()
      const admin = knexFactory({ client: "pg", connection: `${stack.stripDatabase(server)}/postgres` })
      await admin.raw(`drop database if exists "${name}"`).finally(() => admin.destroy())
      await database.stop()
    },
  }
}

/**
 * The SQL of every migration the plugin ships, in order (their names sort by time): each `up()` only adds statements,
 * so they are collected, not run by MikroORM.
 */
async function migrationSql(): Promise<string[]> {
  const dir = join(__dirname, "..", "src", "modules", "flutterwave", "migrations")
  const files = readdirSync(dir)
    .filter((name) => /^Migration\d+\.ts$/.test(name))
    .sort()
  const statements: string[] = []
  for (const file of files) {
    // require, not import(): ts-node compiles this file to CommonJS and keeps import() native, which cannot load .ts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(join(dir, file)) as Record<string, new (...args: never[]) => unknown>
    const Migration = loaded[file.replace(/\.ts$/, "")]
    const collector = Object.create(Migration.prototype) as { up(): Promise<void> | void; addSql(sql: string): void }
    collector.addSql = (sql: string) => void statements.push(sql)
    await collector.up()
  }
  return statements
}
