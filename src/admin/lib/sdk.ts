import Medusa from "@medusajs/js-sdk"
import type {
  AttentionActionBody,
  AttentionItem,
  AttentionListResponse,
  AttentionStateFilter,
  Bank,
  ConnectionTestResult,
  CreatePayoutBody,
  FlutterwaveSettings,
  OrderPaymentOperations,
  PayoutDTO,
  PayoutDetailResponse,
  PayoutListQuery,
  PayoutListResponse,
  ReconciliationRun,
  SettingsChangesBody,
} from "./types"

export type * from "./types"

/** The admin runs on the backend's origin, and the dashboard's session cookie authenticates every call. */
export const sdk = new Medusa({ baseUrl: "/", auth: { type: "session" } })

const BASE = "/admin/flutterwave"

export const flutterwaveApi = {
  getSettings: async (): Promise<FlutterwaveSettings> =>
    (await sdk.client.fetch<{ settings: FlutterwaveSettings }>(`${BASE}/settings`)).settings,

  /** Tests the settings as they would be with the typed values (none: the settings in force); saves nothing. */
  testConnection: (body: SettingsChangesBody = {}): Promise<ConnectionTestResult> =>
    sdk.client.fetch<ConnectionTestResult>(`${BASE}/settings/test-connection`, { method: "POST", body }),

  saveSettings: (body: SettingsChangesBody): Promise<{ changed: string[]; settings: FlutterwaveSettings }> =>
    sdk.client.fetch<{ changed: string[]; settings: FlutterwaveSettings }>(`${BASE}/settings`, { method: "POST", body }),

  listBanks: async (currency: string): Promise<Bank[]> =>
    (await sdk.client.fetch<{ banks: Bank[] }>(`${BASE}/banks`, { query: { currency } })).banks,

  listPayouts: (query: PayoutListQuery): Promise<PayoutListResponse> =>
    sdk.client.fetch<PayoutListResponse>(`${BASE}/payouts`, { query }),

  getPayout: (id: string): Promise<PayoutDetailResponse> =>
    sdk.client.fetch<PayoutDetailResponse>(`${BASE}/payouts/${encodeURIComponent(id)}`),

  createPayout: async (body: CreatePayoutBody): Promise<PayoutDTO> =>
    (await sdk.client.fetch<{ payout: PayoutDTO }>(`${BASE}/payouts`, { method: "POST", body })).payout,

  listReconciliations: async (): Promise<ReconciliationRun[]> =>
    (await sdk.client.fetch<{ reconciliations: ReconciliationRun[] }>(`${BASE}/reconciliations`, { query: { limit: 5 } }))
      .reconciliations,

  reconcileNow: async (): Promise<ReconciliationRun> =>
    (await sdk.client.fetch<{ reconciliation: ReconciliationRun }>(`${BASE}/reconcile`, { method: "POST" })).reconciliation,

  getOrderOperations: async (orderId: string): Promise<OrderPaymentOperations[]> =>
    (
      await sdk.client.fetch<{ payments: OrderPaymentOperations[] }>(
        `${BASE}/orders/${encodeURIComponent(orderId)}/operations`
      )
    ).payments,

  listAttention: (state: AttentionStateFilter): Promise<AttentionListResponse> =>
    sdk.client.fetch<AttentionListResponse>(`${BASE}/attention`, { query: { state } }),

  /** Idempotent on the server: repeating an action answers the same item. */
  runAttentionAction: async (id: string, body: AttentionActionBody): Promise<AttentionItem> =>
    (
      await sdk.client.fetch<{ item: AttentionItem }>(`${BASE}/attention/${encodeURIComponent(id)}/actions`, {
        method: "POST",
        body,
      })
    ).item,
}

/** The API answers errors as `{ type, message }`; the js-sdk turns that into an Error carrying the message. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message
  return "Something went wrong"
}
