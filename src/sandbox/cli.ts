/**
 * `npm run sandbox`: a local ECommPay Gate for the Flutterwave method on 127.0.0.1.
 *   SANDBOX_PORT (default 8765), FLUTTERWAVE_PROJECT_ID (default 1001), FLUTTERWAVE_SECRET_KEY (default
 *   "sandbox-secret"), FLUTTERWAVE_CALLBACK_URL (where callbacks go; default http://localhost:9000/hooks/flutterwave).
 */
import { GateSandbox } from "./server"

async function main(): Promise<void> {
  const port = Number(process.env.SANDBOX_PORT ?? 8765)
  const projectId = Number(process.env.FLUTTERWAVE_PROJECT_ID ?? 1001)
  const secretKey = process.env.FLUTTERWAVE_SECRET_KEY ?? "sandbox-secret"
  const callbackUrl = process.env.FLUTTERWAVE_CALLBACK_URL ?? "http://localhost:9000/hooks/flutterwave"
  const sandbox = new GateSandbox({ port, projectId, secretKey, callbackUrl })
  const url = await sandbox.start()
  process.stdout.write(
    [
      `ECommPay Gate sandbox (Flutterwave method) listening on ${url}`,
      `  project id ${projectId}; callbacks go to ${callbackUrl}`,
      `  Gate endpoints: POST /v2/payment/flutterwave/{sale,refund,payout}, POST /v2/payment/status`,
      `  shopper page:   GET /pay/<payment_id>`,
      `  control API:    GET /_sandbox/payments, /_sandbox/requests, /_sandbox/callbacks; POST /_sandbox/scripts, /_sandbox/reset`,
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
