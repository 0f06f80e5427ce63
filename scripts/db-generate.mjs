// `npm run db:generate`: writes migrations for this plugin's module after a model change. Medusa's generator needs a
// live PostgreSQL; this starts a throwaway one unless DATABASE_URL/DB_HOST names one.
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { startDatabase } from "./postgres.mjs"
import { ROOT } from "./stack.mjs"

const database = await startDatabase({ log: (line) => process.stdout.write(`${line}\n`) })
const result = spawnSync(join(ROOT, "node_modules", ".bin", "medusa"), ["plugin:db:generate"], {
  cwd: ROOT,
  stdio: "inherit",
  env: {
    ...process.env,
    ...database.env,
    // No keys needed: the plugin starts (and migrates) without them.
    MEDUSA_DISABLE_TELEMETRY: "true",
  },
})
await database.stop()
process.exit(result.status ?? 1)
