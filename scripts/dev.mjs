// `npm run dev`: PostgreSQL (kept in .medusa-dev/ between runs), the Gate sandbox and Medusa with the admin
// dashboard, left running so a person can click through a checkout, refunds and payouts. Ctrl-C stops everything.
import { join } from "node:path"
import { ROOT, Stack } from "./stack.mjs"

const log = (line) => process.stdout.write(`${line}\n`)
const stack = new Stack({
  log,
  databaseName: "medusa_flutterwave_dev",
  persistentDir: process.env.DATABASE_URL || process.env.DB_HOST ? undefined : join(ROOT, ".medusa-dev", "postgres"),
  appPort: Number(process.env.PORT ?? 9000),
  sandboxPort: Number(process.env.SANDBOX_PORT ?? 8765),
  adminEnabled: true,
  // The plugin's default checkout; FLUTTERWAVE_CHECKOUT=gate for the Gate sale.
  checkout: process.env.FLUTTERWAVE_CHECKOUT || "payment_page",
})

const stop = async () => {
  log("\nstopping…")
  await stack.stop()
  process.exit(0)
}
process.on("SIGINT", stop)
process.on("SIGTERM", stop)

try {
  await stack.start()
  await stack.createAdminUser("admin@example.com", "supersecret")
  log(`
  Medusa admin     ${stack.appUrl}/app   (admin@example.com / supersecret)
  Store API        ${stack.appUrl}/store
  Gate sandbox     ${stack.sandboxUrl}   (shopper pages at /pay/<payment session id>, control API at /_sandbox)
  Callback URL     ${stack.appUrl}/hooks/flutterwave

  Ctrl-C stops everything. DEMO_VERBOSE=1 shows the app's and the sandbox's logs.`)
} catch (error) {
  log(`dev stack failed to start: ${error.message}`)
  await stack.stop()
  process.exit(1)
}
