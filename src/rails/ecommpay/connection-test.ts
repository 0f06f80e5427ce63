import { randomUUID } from "node:crypto"
import { GateClient } from "./client"
import { GateRejectedError, GateUnknownOutcomeError, GateUnreachableError, isGateNotFound } from "./errors"

export type ConnectionCheck = {
  ok: boolean
  latencyMs: number
  message: string
  /** Gate's code when Gate refused the request. */
  code?: string
}

/**
 * A signed status request for a payment id that cannot exist, with the given keys and URL. Gate's "transaction not
 * found" (3061) proves the URL, the project id and the secret key are right; "invalid signature" (3261/3262) means
 * the secret is wrong, 2442 the project. No retries: the admin is waiting.
 */
export async function checkGateConnection(input: {
  projectId: number
  secretKey: string
  gateUrl: string
  timeoutMs: number
}): Promise<ConnectionCheck> {
  const gate = new GateClient({ projectId: input.projectId, secretKey: input.secretKey, baseUrl: input.gateUrl, timeoutMs: input.timeoutMs })
  const started = Date.now()
  const done = (ok: boolean, message: string, code?: string): ConnectionCheck => ({
    ok,
    latencyMs: Date.now() - started,
    message,
    ...(code ? { code } : {}),
  })
  try {
    await gate.status(`connection-test-${randomUUID()}`, { retries: 0 })
    return done(true, "Gate answered a signed status request")
  } catch (error) {
    if (isGateNotFound(error)) return done(true, "Connected: Gate accepted the signature and project id")
    if (error instanceof GateRejectedError) {
      const message =
        error.code === "3261" || error.code === "3262"
          ? "Gate rejected the signature: check the secret key"
          : error.code === "2442"
            ? "Gate does not know this project id"
            : `Gate refused the request: ${error.gateMessage}`
      return done(false, message, error.code)
    }
    if (error instanceof GateUnreachableError || error instanceof GateUnknownOutcomeError) {
      return done(false, `Gate could not be reached at ${input.gateUrl}`)
    }
    return done(false, `Gate's answer could not be read: ${(error as Error).message}`)
  }
}

/**
 * Whether the Payment Page answers at its address at all. Its answer to an unsigned request is an error page, which
 * is fine: the page is checked for reachability only, as ECommPay offers no signed no-op on it.
 */
export async function checkPaymentPageReachable(pageUrl: string, timeoutMs: number): Promise<ConnectionCheck> {
  const started = Date.now()
  try {
    const answer = await fetch(pageUrl, { method: "GET", redirect: "manual", signal: AbortSignal.timeout(timeoutMs) })
    await answer.body?.cancel()
    const ok = answer.status < 500
    return {
      ok,
      latencyMs: Date.now() - started,
      message: ok ? "The Payment Page answers at this address" : `The Payment Page answered ${answer.status} at ${pageUrl}`,
    }
  } catch {
    return { ok: false, latencyMs: Date.now() - started, message: `The Payment Page could not be reached at ${pageUrl}` }
  }
}
