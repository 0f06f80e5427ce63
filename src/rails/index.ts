import { GateClient, type GateClientOptions } from "./ecommpay/client"
import { EcommpayRail } from "./ecommpay/ecommpay-rail"
import type { PaymentRail } from "./rail"

export type RailOptions = {
  /** Which way shoppers start paying: ECommPay's Payment Page (default) or a Gate sale. */
  checkout: "payment_page" | "gate"
  projectId: number
  secretKey: string
  gateUrl: string
  paymentPageUrl: string
  callbackUrl?: string
  languageCode?: string
  timeoutMs: number
  logger?: GateClientOptions["logger"]
}

/** The only place that knows every rail: the one the options choose, with the ECommPay client it runs on. */
export function railFor(options: RailOptions, gate?: GateClient): { rail: PaymentRail; gate: GateClient } {
  const client =
    gate ??
    new GateClient({
      projectId: options.projectId,
      secretKey: options.secretKey,
      baseUrl: options.gateUrl,
      timeoutMs: options.timeoutMs,
      logger: options.logger,
    })
  const rail = new EcommpayRail(client, options.checkout === "gate" ? "gate" : "page", {
    projectId: options.projectId,
    secretKey: options.secretKey,
    callbackUrl: options.callbackUrl,
    paymentPageUrl: options.paymentPageUrl,
    languageCode: options.languageCode,
  })
  return { rail, gate: client }
}

export type { PaymentRail } from "./rail"
