import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { declineMessage, saleVerdict } from "../../../../../settlement/sale-verdict"
import { FLUTTERWAVE_MODULE } from "../../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../../modules/flutterwave/service"
import { isFlutterwaveProvider } from "../../../../../providers/flutterwave/provider-id"
import { recordOperation } from "../../../../../settlement/record-operation"
import { ledgerOf } from "../../../../../settlement/wiring"

type RedirectAnswer =
  | { status: "redirect"; redirect: { method: string; url: string; body: Record<string, unknown> } }
  | { status: "pending"; retry_after_ms: number }
  | { status: "succeeded" }
  | { status: "declined"; message: string; code?: string }

/** ECommPay asks for no more than one status request per payment every 10 s; the ledger enforces it for all shoppers. */
const STATUS_INTERVAL_MS = 10_000
/** How long the shopper's poll may wait for Gate before it is told "still pending, ask again". */
const SHOPPER_WAIT_MS = 2_000
/** How soon a storefront asks again while Gate's page is still on its way (the first seconds of a Gate sale). */
const EARLY_RETRY_MS = 250
/** Medusa's ids: letters, digits, underscores. Anything else (a NUL byte, a path) is no session of ours. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,100}$/

/**
 * Where the storefront learns where to send the shopper. In Payment Page mode (the default) that is the signed page,
 * at once. In Gate mode, Gate hands the Flutterwave page over in an "awaiting redirect result" callback, a moment
 * after the session is created; until then this answers `pending`, and the storefront asks again. Once the shopper has paid or declined, it says so. However often it is polled, Gate is asked
 * at most once per session every 10 s, and never holds the shopper for more than about 2 s.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse<RedirectAnswer>): Promise<void> {
  const sessionId = req.params.id
  if (!SESSION_ID.test(sessionId)) throw new MedusaError(MedusaError.Types.NOT_FOUND, "No such Flutterwave payment session")
  const payments = req.scope.resolve(Modules.PAYMENT)
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)

  const [session] = await payments.listPaymentSessions({ id: sessionId })
  if (!session || !isFlutterwaveProvider(session.provider_id)) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No Flutterwave payment session ${sessionId}`)
  }
  const [sale] = await flutterwave.listGateOperations({ kind: "sale", gate_payment_id: sessionId })
  const answer = fromRecord(sale)
  if (answer) return void res.json(answer)
  const recordedRedirect = redirectOf(sale)

  // No final news yet. In Payment Page mode the page is known from the start: the answer is the signed page until
  // Gate says how it ended (the return page treats "redirect" as "not final yet"). In Gate mode, Gate hands the page
  // over in a callback. Gate asks for no status request in the first seconds after a sale; after that, ask it, at
  // most once per 10 s per session (claimed in SQL, so all shoppers' tabs and all instances share it).
  const data = session.data ?? {}
  const page: RedirectAnswer | undefined =
    (data.checkout === "payment_page" || data.checkout === "hosted_link") && typeof data.redirect_url === "string"
      ? { status: "redirect", redirect: { method: "GET", url: data.redirect_url, body: {} } }
      : undefined
  // Until the payment is final: where the shopper has to go (the signed page, or the page Gate handed over), else wait.
  const notYet = (retryAfterMs: number): RedirectAnswer => page ?? recordedRedirect ?? { status: "pending", retry_after_ms: retryAfterMs }
  if ((await flutterwave.settings()).problem !== undefined) {
    // The keys went missing after this payment started (or cannot be read): nothing can be asked; the shopper's page
    // keeps waiting, and the callback (which Gate re-sends) or reconciliation settles the payment once they are back.
    return void res.json(notYet(10_000))
  }
  const { options, rail } = await flutterwave.connected()
  const age = Date.now() - new Date(session.created_at).getTime()
  if (age < options.statusPollDelayMs || typeof data.amount_minor !== "number") {
    // Gate's "awaiting redirect" callback usually lands within a few hundred ms of the sale: ask again soon, so the
    // shopper is sent on as soon as it has (this answer costs two indexed reads, no Gate request).
    return void res.json(notYet(EARLY_RETRY_MS))
  }
  if (!(await ledgerOf(req.scope).claimStatusCheck(sessionId, STATUS_INTERVAL_MS))) {
    return void res.json(notYet(2000))
  }
  const lookup = await rail.lookup(sessionId, { timeoutMs: Math.min(SHOPPER_WAIT_MS, options.timeoutMs), retries: 0 })
  // Not found: a Payment Page not opened yet (or closed without paying); Gate mode: not registered yet.
  if (lookup.kind !== "found") return void res.json(notYet(3000))
  const status = lookup.payment
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
    redirect_data: status.redirect,
  })
  const [updated] = await flutterwave.listGateOperations({ id: recorded.id })
  res.json(fromRecord(updated) ?? page ?? redirectOf(updated) ?? { status: "pending", retry_after_ms: 3000 })
}

/** The final answer the ledger holds for the sale (paid or declined), if it is final. */
function fromRecord(sale: { status: string; code?: string | null; message?: string | null } | undefined): RedirectAnswer | undefined {
  if (!sale) return undefined
  if (sale.status === "success") return { status: "succeeded" }
  if (sale.status === "decline") {
    return {
      status: "declined",
      message: declineMessage("payment", sale.message ?? "Declined", sale.code ?? undefined),
      ...(sale.code ? { code: sale.code } : {}),
    }
  }
  return undefined
}

/**
 * The page Gate handed over for a sale still waiting for the shopper. Answered until the payment is final, but no
 * longer in place of asking Gate: a lost result callback must not leave the storefront on "redirect" for ever.
 */
function redirectOf(sale: { redirect_data?: unknown } | undefined): RedirectAnswer | undefined {
  const redirect = sale?.redirect_data as { method?: string; url?: string; body?: Record<string, unknown> } | null | undefined
  if (!redirect?.url) return undefined
  return { status: "redirect", redirect: { method: redirect.method ?? "GET", url: redirect.url, body: redirect.body ?? {} } }
}
