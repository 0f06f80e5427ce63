import { startDatabase } from "../scripts/postgres.mjs"

// Jest runs this once in the parent process before any worker starts, so the DB_* variables reach every suite.
export default async function globalSetup() {
  process.env.MEDUSA_DISABLE_TELEMETRY = "true"
  if (process.env.TEST_TYPE === "unit") return
  const database = await startDatabase({ log: (line) => process.stderr.write(`[test-db] ${line}\n`) })
  Object.assign(process.env, database.env)
  globalThis.__FLUTTERWAVE_TEST_DB__ = database
}
