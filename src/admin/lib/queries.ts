import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { flutterwaveApi } from "./sdk"
import type {
  AttentionActionBody,
  AttentionStateFilter,
  CreatePayoutBody,
  GateStatus,
  OrderPaymentOperations,
  SettingsChangesBody,
} from "./types"

export const PAYOUTS_PAGE_SIZE = 20

export const flutterwaveKeys = {
  all: ["flutterwave"] as const,
  settings: () => [...flutterwaveKeys.all, "settings"] as const,
  banks: (currency: string) => [...flutterwaveKeys.all, "banks", currency] as const,
  payouts: () => [...flutterwaveKeys.all, "payouts"] as const,
  payoutList: (status: GateStatus | undefined, offset: number) =>
    [...flutterwaveKeys.payouts(), "list", { status: status ?? "all", offset }] as const,
  payout: (id: string) => [...flutterwaveKeys.payouts(), "detail", id] as const,
  order: (orderId: string) => [...flutterwaveKeys.all, "order", orderId] as const,
  reconciliations: () => [...flutterwaveKeys.all, "reconciliations"] as const,
  attention: () => [...flutterwaveKeys.all, "attention"] as const,
  attentionList: (state: AttentionStateFilter) => [...flutterwaveKeys.attention(), "list", state] as const,
}

export function useFlutterwaveSettings() {
  return useQuery({ queryKey: flutterwaveKeys.settings(), queryFn: flutterwaveApi.getSettings })
}

export function useBanks(currency: string | undefined) {
  return useQuery({
    queryKey: flutterwaveKeys.banks(currency ?? ""),
    queryFn: () => flutterwaveApi.listBanks(currency!),
    enabled: Boolean(currency),
    staleTime: 10 * 60 * 1000,
  })
}

export function usePayouts(status: GateStatus | undefined, offset: number) {
  return useQuery({
    queryKey: flutterwaveKeys.payoutList(status, offset),
    queryFn: () => flutterwaveApi.listPayouts({ status, limit: PAYOUTS_PAGE_SIZE, offset }),
    placeholderData: keepPreviousData,
    // Gate settles payouts by callback: while one is pending, poll so its verdict shows up without a reload.
    refetchInterval: (query) => (query.state.data?.payouts.some((payout) => payout.status === "pending") ? 10_000 : false),
  })
}

/** A pending payout is settled by Gate's callback; poll until it is. */
export function usePayout(id: string) {
  return useQuery({
    queryKey: flutterwaveKeys.payout(id),
    queryFn: () => flutterwaveApi.getPayout(id),
    refetchInterval: (query) => (query.state.data?.payout.status === "pending" ? 10_000 : false),
  })
}

export function useCreatePayout() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: CreatePayoutBody) => flutterwaveApi.createPayout(body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: flutterwaveKeys.payouts() }),
  })
}

export function useTestConnection() {
  return useMutation({ mutationFn: (body?: SettingsChangesBody) => flutterwaveApi.testConnection(body) })
}

export function useSaveSettings() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: SettingsChangesBody) => flutterwaveApi.saveSettings(body),
    onSuccess: (answer) => queryClient.setQueryData(flutterwaveKeys.settings(), answer.settings),
  })
}

/** Refunds Gate has not settled yet: pending at Gate, or sent with the answer lost (reconciliation is asking Gate). */
function isRefundUnsettled(payments: OrderPaymentOperations[] | undefined): boolean {
  return Boolean(payments?.some((payment) => payment.refunds.some((refund) => refund.state === "pending" || refund.state === "unknown")))
}

/**
 * Gate settles refunds by callback or reconciliation, never in answer to the admin: while one is unsettled, poll so
 * its verdict (refunded, or declined with the actions) shows up without a reload. react-query pauses the interval
 * while the tab is in the background.
 */
export function useOrderFlutterwave(orderId: string) {
  return useQuery({
    queryKey: flutterwaveKeys.order(orderId),
    queryFn: () => flutterwaveApi.getOrderOperations(orderId),
    refetchInterval: (query) => (isRefundUnsettled(query.state.data) ? 10_000 : false),
  })
}

export function useReconciliations() {
  return useQuery({ queryKey: flutterwaveKeys.reconciliations(), queryFn: flutterwaveApi.listReconciliations })
}

/** Reconciliation may settle payouts and payments: refresh everything Flutterwave afterwards. */
export function useReconcileNow() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: flutterwaveApi.reconcileNow,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: flutterwaveKeys.all }),
  })
}

/** Everything where money and orders disagree. While one of our refunds is pending at Gate, poll for its verdict. */
export function useAttentionItems(state: AttentionStateFilter) {
  return useQuery({
    queryKey: flutterwaveKeys.attentionList(state),
    queryFn: () => flutterwaveApi.listAttention(state),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some((item) => item.refund.status === "pending") ? 5_000 : false),
  })
}

/**
 * Any needs-attention action: refund at Gate, retry the order's completion, retry a declined refund at Gate, mark it as
 * not refunded, record an outside refund in Medusa, or mark reviewed. Most of them also change orders and their
 * Flutterwave cards, so everything Flutterwave (order cards and attention lists alike) is refreshed afterwards, not
 * just the list. On failure too: a refused action may mean the item changed meanwhile (settled by a callback).
 */
export function useAttentionAction() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, ...body }: AttentionActionBody & { id: string }) => flutterwaveApi.runAttentionAction(id, body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: flutterwaveKeys.all }),
  })
}
