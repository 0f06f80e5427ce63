import type { Knex } from "@medusajs/framework/mikro-orm/knex"

/** A pooled `pg` connection, as knex's PostgreSQL client hands it out. */
type PgConnection = {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: Array<Record<string, unknown>> }>
}
type PooledClient = {
  acquireConnection(): Promise<PgConnection>
  releaseConnection(connection: PgConnection): Promise<unknown>
  emit(event: "query", data: { sql: string; bindings: unknown[]; method: "raw" }): boolean
}

/**
 * PostgreSQL's refusals of a named statement behind a pooler that hands each statement another server connection
 * (PgBouncer in transaction mode before 1.21): "does not exist" (26000), "already exists" (42P05).
 */
const PREPARED_REFUSED = new Set(["26000", "42P05"])

/** Cleared once the server refused a named statement: from then on this process sends them unnamed. */
let namedStatementsWork = true

/**
 * Runs one statement that a hot path sends over and over, as a named prepared statement on the pooled connection:
 * PostgreSQL plans it once per connection instead of on every call, which for the callback intake's INSERT … ON
 * CONFLICT is half of what the database spends on a re-delivered callback (see BENCHMARKS.md). `text` uses $1…$n.
 * Knex's query event still fires (its observers, and the statement-count test, see it like any other), and a pooler
 * that cannot keep named statements is detected on the first refusal: the statement is sent unnamed from then on.
 */
export async function runPrepared(
  knex: Knex,
  name: string,
  text: string,
  values: unknown[],
  warn: (message: string) => void
): Promise<Array<Record<string, unknown>>> {
  const client = knex.client as unknown as PooledClient
  client.emit("query", { sql: text, bindings: values, method: "raw" })
  const connection = await client.acquireConnection()
  try {
    if (namedStatementsWork) {
      try {
        return (await connection.query({ name, text, values })).rows
      } catch (error) {
        if (!PREPARED_REFUSED.has(String((error as { code?: string }).code))) throw error
        namedStatementsWork = false
        warn(
          `flutterwave: the database refused a prepared statement (${(error as Error).message}): a connection pooler in ` +
            "transaction mode? Sending the callback intake's statements unprepared from now on"
        )
      }
    }
    return (await connection.query({ text, values })).rows
  } finally {
    await client.releaseConnection(connection)
  }
}
