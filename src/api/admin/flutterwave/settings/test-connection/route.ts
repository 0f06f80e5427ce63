import { randomUUID } from "node:crypto"
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { GateRejectedError, GateUnknownOutcomeError, GateUnreachableError, isGateNotFound } from "../../../../../rails/ecommpay"
import { FLUTTERWAVE_MODULE } from "../../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../../modules/flutterwave/service"

/**
 * A signed status request for a payment id that cannot exist. Gate's "transaction not found" (3061) proves the URL,
 * the project id and the secret key are right; "invalid signature" (3261) means the secret is wrong, 2442 the project.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const started = Date.now()
  let ok = false
  let message: string
  let code: string | undefined
  try {
    await flutterwave.gate.status(`connection-test-${randomUUID()}`)
    ok = true
    message = "Gate answered a signed status request"
  } catch (error) {
    if (isGateNotFound(error)) {
      ok = true
      message = "Connected: Gate accepted the signature and project id"
    } else if (error instanceof GateRejectedError) {
      code = error.code
      message =
        error.code === "3261" || error.code === "3262"
          ? "Gate rejected the signature: check the secret key"
          : error.code === "2442"
            ? "Gate does not know this project id"
            : `Gate refused the request: ${error.gateMessage}`
    } else if (error instanceof GateUnreachableError || error instanceof GateUnknownOutcomeError) {
      message = `Gate could not be reached at ${flutterwave.options.gateUrl}`
    } else {
      throw error
    }
  }
  res.json({ ok, latency_ms: Date.now() - started, message, ...(code ? { code } : {}) })
}
