import { FlutterwaveV3Sandbox, type FlutterwaveV3SandboxOptions } from "../../src/sandbox/flutterwave-v3"
import { useSuiteSandbox } from "./sandbox"

/** The test account's keys: what a merchant copies from Flutterwave's dashboard, shared with the v3 sandbox. */
export const V3_SECRET_KEY = "FLWSECK_TEST-4f1c2d9e8b7a6f5e4d3c2b1a09f8e7d6-X"
export const V3_SECRET_HASH = "medusa-test-webhook-hash-7c41e2"
export const V3_PUBLIC_KEY = "FLWPUBK_TEST-0a1b2c3d4e5f60718293a4b5c6d7e8f9-X"
/** The storefront's return page (Flutterwave's redirect_url). */
export const V3_RETURN_URL = "http://shop.test/checkout/flutterwave"

/**
 * Starts the Flutterwave v3 sandbox before Medusa boots and points the plugin at it with the variables medusa-config
 * reads for a merchant with their own Flutterwave account (FLUTTERWAVE_RAIL=flutterwave-v3). Call it before
 * medusaIntegrationTestRunner so its beforeAll runs first. Webhooks go to the app once the suite names its URL
 * (`webhookTarget`), as a merchant pastes it in the dashboard.
 */
export function useFlutterwaveV3Sandbox(
  options: Partial<FlutterwaveV3SandboxOptions> = {},
  app: { keys?: "environment" | "admin" } = {}
): { sandbox: () => FlutterwaveV3Sandbox } {
  return useSuiteSandbox(
    "the Flutterwave v3 sandbox",
    () =>
      new FlutterwaveV3Sandbox({
        secretKey: V3_SECRET_KEY,
        secretHash: V3_SECRET_HASH,
        // Flutterwave's schedule (3 retries, 30 minutes apart) compressed.
        webhookRetryDelaysMs: [200, 400, 800],
        webhookTimeoutMs: 10_000,
        ...options,
      }),
    (set, url) => {
      // keys "admin": the store starts with none of this, as one whose owner enters them in Settings → Flutterwave.
      const fromEnvironment = app.keys !== "admin"
      set("FLUTTERWAVE_RAIL", fromEnvironment ? "flutterwave-v3" : "")
      set("FLUTTERWAVE_V3_SECRET_KEY", fromEnvironment ? V3_SECRET_KEY : "")
      set("FLUTTERWAVE_V3_SECRET_HASH", fromEnvironment ? V3_SECRET_HASH : "")
      set("FLUTTERWAVE_V3_PUBLIC_KEY", fromEnvironment ? V3_PUBLIC_KEY : "")
      set("FLUTTERWAVE_V3_API_URL", fromEnvironment ? url : "")
      set("FLUTTERWAVE_RETURN_URL", V3_RETURN_URL)
      // No ECommPay contract: its keys are unset (an empty variable sets nothing).
      set("FLUTTERWAVE_PROJECT_ID", "")
      set("FLUTTERWAVE_SECRET_KEY", "")
      set("FLUTTERWAVE_CHECKOUT", "")
    }
  )
}

/** What seedRealisticStore calls with the app's base URL: the v3 webhook URL goes to the sandbox's dashboard. */
export function webhookTarget(sandbox: FlutterwaveV3Sandbox): { setCallbackUrl(url: string): void } {
  return { setCallbackUrl: (hooksUrl) => sandbox.setWebhookUrl(`${hooksUrl}/v3`) }
}

/** After each test (the runner restores the database): the sandbox forgets the test's payments too. */
export async function forgetV3Payments(sandbox: FlutterwaveV3Sandbox): Promise<void> {
  sandbox.clearScripts()
  await sandbox.webhooksDelivered()
  const webhookUrl = sandbox.engine.currentWebhookUrl
  sandbox.reset()
  sandbox.setWebhookUrl(webhookUrl)
}

type LedgerPayment = {
  id: string
  type: "purchase"
  status: string
  initialSum: { amount: number; currency: string }
  sum: { amount: number; currency: string }
  operations: Array<{ type: string; status: string; sumInitial?: { amount: number; currency: string }; merchantRefundId?: string }>
}

/**
 * The v3 sandbox as the ledger check (expectEveryPaidSaleSettled) reads a backend: each paid tx_ref with what it was
 * charged, its refunds (completed ones count as refunded), and what it still holds. Same check, same rules.
 */
export function v3Ledger(sandbox: FlutterwaveV3Sandbox): { engine: { payments: Map<string, LedgerPayment> }; callbacksDelivered(): Promise<void> } {
  return {
    get engine() {
      const payments = new Map<string, LedgerPayment>()
      for (const tx of sandbox.transactions()) {
        if (tx.status !== "successful") continue
        const refunds = sandbox.refunds().filter((refund) => refund.txId === tx.id)
        const completed = refunds.filter((refund) => refund.status === "completed").reduce((sum, refund) => sum + refund.amount, 0)
        payments.set(tx.txRef, {
          id: tx.txRef,
          type: "purchase",
          status: completed === 0 ? "success" : completed === tx.amount ? "refunded" : "partially refunded",
          initialSum: { amount: tx.amount, currency: tx.currency },
          sum: { amount: tx.amount - completed, currency: tx.currency },
          operations: [
            { type: "sale", status: "success", sumInitial: { amount: tx.amount, currency: tx.currency } },
            ...refunds.map((refund) => ({
              type: "refund",
              status: refund.status === "completed" ? "success" : refund.status === "failed" ? "decline" : "processing",
              sumInitial: { amount: refund.amount, currency: refund.currency },
              merchantRefundId: refund.comments,
            })),
          ],
        })
      }
      return { payments }
    },
    callbacksDelivered: () => sandbox.webhooksDelivered(),
  }
}
