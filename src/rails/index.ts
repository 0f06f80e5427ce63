import { GateClient, type GateClientOptions } from "./ecommpay/client"
import { EcommpayRail } from "./ecommpay/ecommpay-rail"
import { FlutterwaveV3Rail } from "./flutterwave-v3/flutterwave-v3-rail"
import type { PaymentRail } from "./rail"

export type RailOptions = {
  /** Which backend: ECommPay (default) or the merchant's own Flutterwave account (v3). */
  rail?: "ecommpay" | "flutterwave-v3"
  /** With ECommPay: which way shoppers start paying: the Payment Page (default) or a Gate sale. */
  checkout: "payment_page" | "gate"
  projectId: number
  secretKey: string
  gateUrl: string
  paymentPageUrl: string
  callbackUrl?: string
  returnUrl?: string
  languageCode?: string
  timeoutMs: number
  /** With rail "flutterwave-v3": its keys and API URL. */
  flutterwaveV3?: { secretKey: string; secretHash: string; apiUrl: string; acceptSignatureHeader: boolean }
  logger?: GateClientOptions["logger"]
}

/**
 * The only place that knows every rail: the one the options choose. `gate` is the ECommPay client the rail runs on
 * (absent with Flutterwave's own API).
 */
export function railFor(options: RailOptions, gate?: GateClient): { rail: PaymentRail; gate?: GateClient } {
  if (options.rail === "flutterwave-v3") {
    const v3 = options.flutterwaveV3
    if (!v3) throw new TypeError('railFor: rail "flutterwave-v3" needs its keys (flutterwaveV3)')
    const rail = new FlutterwaveV3Rail({
      secretKey: v3.secretKey,
      secretHash: v3.secretHash,
      apiUrl: v3.apiUrl,
      timeoutMs: options.timeoutMs,
      redirectUrl: options.returnUrl,
      acceptSignatureHeader: v3.acceptSignatureHeader,
      logger: options.logger,
    })
    return { rail }
  }
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
