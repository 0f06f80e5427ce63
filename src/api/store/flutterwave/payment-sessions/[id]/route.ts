import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { isGateNotFound, GateUnknownOutcomeError, GateUnreachableError } from "../../../../../gate"
import { declineMessage, saleVerdict } from "../../../../../lib/gate-verdict"
import { recordOperation } from "../../../../../lib/operations"
import { FLUTTERWAVE_MODULE } from "../../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../../modules/flutterwave/service"

type RedirectAnswer =
  | { status: "redirect"; redirect: { method: string; url: string; body: Record<string, unknown> } }
  | { status: "pending"; retry_after_ms: number }
  | { status: "succeeded" }
  | { status: "declined"; message: string; code?: string }

/**
 * Where the storefront learns where to send the shopper. Gate hands the Flutterwave page over in an "awaiting
 * redirect result" callback, a moment after the session is created; until then this answers `pending`, and the
 * storefront asks again. Once the shopper has paid or declined, it says so.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse<RedirectAnswer>): Promise<void> {
  const sessionId = req.params.id
  const payments = req.scope.resolve(Modules.PAYMENT)
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)

  const [session] = await payments.listPaymentSessions({ id: sessionId })
  if (!session || !session.provider_id.startsWith("pp_flutterwave")) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No Flutterwave payment session ${sessionId}`)
  }
  const [sale] = await flutterwave.listGateOperations({ kind: "sale", gate_payment_id: sessionId })
  const answer = fromRecord(sale)
  if (answer) return void res.json(answer)

  // No callback yet. Gate asks for no status request in the first seconds after a sale; after that, ask it.
  const age = Date.now() - new Date(session.created_at).getTime()
  const data = session.data ?? {}
  if (age < flutterwave.options.statusPollDelayMs || typeof data.amount_minor !== "number") {
    return void res.json({ status: "pending", retry_after_ms: 1000 })
  }
  let status
  try {
    status = await flutterwave.gate.status(sessionId)
  } catch (error) {
    if (isGateNotFound(error) || error instanceof GateUnknownOutcomeError || error instanceof GateUnreachableError) {
      return void res.json({ status: "pending", retry_after_ms: 3000 })
    }
    throw error
  }
  const verdict = saleVerdict(status, { amount: data.amount_minor, currency: String(data.currency) })
  const recorded = await recordOperation(req.scope, {
    kind: "sale",
    gate_payment_id: sessionId,
    gate_operation_id: verdict.operation?.id,
    request_id: verdict.operation?.requestId,
    amount: data.amount_minor,
    currency_code: String(data.currency),
    status: verdict.state === "success" ? "success" : verdict.state === "decline" ? "decline" : "pending",
    code: verdict.operation?.code,
    message: verdict.operation?.message,
    source: "status",
    session_id: sessionId,
    redirect_data: status.redirectData,
  })
  const [updated] = await flutterwave.listGateOperations({ id: recorded.id })
  res.json(fromRecord(updated) ?? { status: "pending", retry_after_ms: 3000 })
}

function fromRecord(
  sale: { status: string; code?: string | null; message?: string | null; redirect_data?: unknown } | undefined
): RedirectAnswer | undefined {
  if (!sale) return undefined
  if (sale.status === "success") return { status: "succeeded" }
  if (sale.status === "decline") {
    return {
      status: "declined",
      message: declineMessage("payment", sale.message ?? "Declined", sale.code ?? undefined),
      ...(sale.code ? { code: sale.code } : {}),
    }
  }
  const redirect = sale.redirect_data as { method?: string; url?: string; body?: Record<string, unknown> } | null
  if (redirect?.url) {
    return { status: "redirect", redirect: { method: redirect.method ?? "GET", url: redirect.url, body: redirect.body ?? {} } }
  }
  return undefined
}
