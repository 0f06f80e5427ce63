export { FlutterwaveV3Sandbox } from "./server"
export type { SandboxV3LinkSummary } from "./server"
export {
  FlutterwaveV3Engine,
  FLUTTERWAVE_V3_MESSAGES,
  SandboxV3AlreadyPaidError,
  SandboxV3NotFoundError,
  SandboxV3ScriptError,
  chargeWebhookBody,
  payloadHashOf,
  refundData,
  transactionData,
  transferData,
  transferWebhookBody,
  validateScript,
  validateWebhookScript,
} from "./engine"
export type { FlutterwaveV3EngineOptions, SandboxV3ApiRequest } from "./engine"
export { FLUTTERWAVE_V3_RETRY_DELAYS_MS, FLUTTERWAVE_V3_WEBHOOK_TIMEOUT_MS, PendingWork, WebhookDelivery, webhookHeaders } from "./webhooks"
export { SANDBOX_V3_BANKS, findSandboxV3Bank, isSandboxV3Country } from "./banks"
export type { SandboxV3Bank, SandboxV3Country } from "./banks"
export { formatMoney, hostedCheckoutPage } from "./page"
export * from "./types"
