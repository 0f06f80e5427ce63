import type { MedusaContainer } from "@medusajs/framework/types"
import { FLUTTERWAVE_MODULE } from "../modules/flutterwave"
import type FlutterwaveModuleService from "../modules/flutterwave/service"

export type OperationFacts = {
  kind: "sale" | "refund" | "payout"
  gate_payment_id: string
  gate_operation_id?: string
  request_id?: string
  merchant_key?: string
  /** Minor units. */
  amount: number
  currency_code: string
  status: "pending" | "success" | "decline"
  code?: string
  message?: string
  source: "request" | "callback" | "status"
  session_id?: string
  redirect_data?: Record<string, unknown>
}

export type RecordedOperation = {
  id: string
  status: "pending" | "success" | "decline"
  stale: boolean
  /** Our merchant key for the operation, when the row has one (after merging). */
  merchantKey?: string
}

/**
 * Records what Gate said about one operation, once. A final status (success, decline) is never overwritten: a late
 * or replayed "pending" callback, or a second verdict, is reported as stale and changes nothing.
 */
export async function recordOperation(container: MedusaContainer, facts: OperationFacts): Promise<RecordedOperation> {
  const flutterwave = container.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  for (let attempt = 0; ; attempt++) {
    const existing = await findOperation(flutterwave, facts)
    if (!existing) {
      try {
        // The rail in force: it cannot change while anything is pending (SettingsStore refuses), so it is this one's.
        const { rail } = (await flutterwave.settings()).options
        const created = await flutterwave.createGateOperations({
          rail,
          kind: facts.kind,
          gate_payment_id: facts.gate_payment_id,
          gate_operation_id: facts.gate_operation_id ?? null,
          request_id: facts.request_id ?? null,
          merchant_key: facts.merchant_key ?? null,
          amount: facts.amount,
          currency_code: facts.currency_code,
          status: facts.status,
          code: facts.code ?? null,
          message: facts.message ?? null,
          source: facts.source,
          session_id: facts.session_id ?? null,
          redirect_data: facts.redirect_data ?? null,
          // Every refund we send is written before it is sent; one first heard of from Gate was made outside Medusa.
          origin: facts.kind === "refund" && !facts.merchant_key ? "outside" : null,
        })
        return { id: created.id, status: facts.status, stale: false, merchantKey: facts.merchant_key }
      } catch (error) {
        // A concurrent delivery inserted the same operation (unique keys): read it again and merge into it.
        if (attempt >= 2) throw error
        continue
      }
    }
    // Identity is merged whatever the status: a callback may know Gate's ids before we know our refund id.
    await flutterwave.mergeOperationIdentity(existing.id, {
      gate_operation_id: facts.gate_operation_id,
      request_id: facts.request_id,
      merchant_key: facts.merchant_key,
      session_id: facts.session_id,
    })
    const changed = await flutterwave.transitionOperation(existing.id, {
      status: facts.status,
      ...(facts.code !== undefined ? { code: facts.code } : {}),
      ...(facts.message !== undefined ? { message: facts.message } : {}),
      // Redirect data only matters while the shopper still has to pay.
      ...(facts.status !== "pending" ? { redirect_data: null } : facts.redirect_data ? { redirect_data: facts.redirect_data } : {}),
    })
    // The merge keeps a key already set, else takes ours: the row's key is known without reading it again.
    const merchantKey = existing.merchant_key ?? facts.merchant_key
    if (changed) return { id: existing.id, status: facts.status, stale: false, merchantKey }
    const [now] = await flutterwave.listGateOperations({ id: existing.id })
    return { id: existing.id, status: now.status as RecordedOperation["status"], stale: true, merchantKey }
  }
}

/**
 * Which row these facts are about: by our merchant key, then by Gate's operation id within the payment, then by
 * request id within the payment. Gate's ids are never looked up alone: another payment (a restarted sandbox, another
 * project) can carry the same operation id, and its news must never land on this payment's record.
 */
async function findOperation(flutterwave: FlutterwaveModuleService, facts: OperationFacts) {
  const payment = { gate_payment_id: facts.gate_payment_id }
  if (facts.merchant_key) {
    const [byKey] = await flutterwave.listGateOperations({ kind: facts.kind, merchant_key: facts.merchant_key })
    if (byKey) return byKey
  }
  if (facts.gate_operation_id) {
    const [byId] = await flutterwave.listGateOperations({ ...payment, gate_operation_id: facts.gate_operation_id })
    if (byId) return byId
  }
  if (facts.request_id) {
    const [byRequest] = await flutterwave.listGateOperations({ ...payment, kind: facts.kind, request_id: facts.request_id })
    if (byRequest) return byRequest
  }
  if (facts.kind === "refund" && facts.gate_operation_id) {
    // A refund we sent whose answer was lost (unknown outcome): our row has the key and amount but no Gate ids yet.
    const candidates = await flutterwave.listGateOperations({
      ...payment,
      kind: "refund",
      status: "pending",
      gate_operation_id: null,
      request_id: null,
    } as never)
    const unclaimed = candidates.find((row) => row.merchant_key && Number(row.amount) === facts.amount)
    if (unclaimed) return unclaimed
  }
  if (facts.kind !== "refund") {
    // A sale or payout is the only one of its kind for its payment_id.
    const [byPayment] = await flutterwave.listGateOperations({ kind: facts.kind, gate_payment_id: facts.gate_payment_id })
    if (byPayment) return byPayment
  }
  return undefined
}
