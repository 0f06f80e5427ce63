import knexFactory, { type Knex } from "knex"
import { Migration20261125031417 } from "../src/modules/flutterwave/migrations/Migration20261125031417"
import { Migration20261125093612 } from "../src/modules/flutterwave/migrations/Migration20261125093612"
import { Migration20261125102409 } from "../src/modules/flutterwave/migrations/Migration20261125102409"

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
  for (const sql of migrationSql()) await knex.raw(sql)
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

/** The SQL of the plugin's migrations, in order: each `up()` only adds statements, so they are collected, not run by MikroORM. */
function migrationSql(): string[] {
  const statements: string[] = []
  for (const Migration of [Migration20261125031417, Migration20261125093612, Migration20261125102409]) {
    const collector = Object.create(Migration.prototype) as { up(): Promise<void> | void; addSql(sql: string): void }
    collector.addSql = (sql: string) => void statements.push(sql)
    void collector.up()
  }
  return statements
}
