/**
 * `npm run sandbox`: a local ECommPay Gate for the Flutterwave method on 127.0.0.1.
 *   SANDBOX_PORT (default 8765), FLUTTERWAVE_PROJECT_ID (default 1001), FLUTTERWAVE_SECRET_KEY (default
 *   "sandbox-secret"), FLUTTERWAVE_CALLBACK_URL (where callbacks go; default http://localhost:9000/hooks/flutterwave),
 *   SANDBOX_CALLBACK_RETRY_MS (pauses between callback attempts, comma-separated; default six of 1000),
 *   SANDBOX_LIMIT_TIME_MS (when unfinished payments are declined; default 600000, Gate's 10 minutes).
 */
import { GateSandbox } from "./server"

async function main(): Promise<void> {
  const port = Number(process.env.SANDBOX_PORT ?? 8765)
  const projectId = Number(process.env.FLUTTERWAVE_PROJECT_ID ?? 1001)
  const secretKey = process.env.FLUTTERWAVE_SECRET_KEY ?? "sandbox-secret"
  const callbackUrl = process.env.FLUTTERWAVE_CALLBACK_URL ?? "http://localhost:9000/hooks/flutterwave"
  const callbackRetryDelaysMs = (process.env.SANDBOX_CALLBACK_RETRY_MS ?? "1000,1000,1000,1000,1000,1000")
    .split(",")
    .map((ms) => Number(ms.trim()))
    .filter((ms) => Number.isFinite(ms) && ms >= 0)
  const limitTimeMs = process.env.SANDBOX_LIMIT_TIME_MS ? Number(process.env.SANDBOX_LIMIT_TIME_MS) : undefined
  const sandbox = new GateSandbox({ port, projectId, secretKey, callbackUrl, callbackRetryDelaysMs, limitTimeMs })
  const url = await sandbox.start()
  process.stdout.write(
    [
      `ECommPay Gate sandbox (Flutterwave method) listening on ${url}`,
      `  project id ${projectId}; callbacks go to ${callbackUrl}`,
      `  Gate endpoints: POST /v2/payment/flutterwave/{sale,refund,payout}, POST /v2/payment/status`,
      `  shopper page:   GET /pay/<payment_id>`,
      `  Payment Page:   GET /payment?<signed params>&signature=<signature> (or POST the same as a form)`,
      `  control API:    GET /_sandbox/payments, /_sandbox/requests, /_sandbox/callbacks, /_sandbox/page-openings; POST /_sandbox/scripts, /_sandbox/reset`,
      `                  POST /_sandbox/payments/<payment_id>/operations/<operation_id>/settle, /_sandbox/payments/<payment_id>/dashboard-refund`,
      "",
    ].join("\n")
  )
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0))
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
}

main().catch((error: Error) => {
  process.stderr.write(`sandbox failed to start: ${error.message}\n`)
  process.exit(1)
})
