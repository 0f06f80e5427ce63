import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { flutterwaveKeys } from "./queries"
import { sdk } from "./sdk"
import type { OperationFilters, OperationListResponse, OperationsAnalytics } from "./types"

/** The operations page's data: the ledger's operations, their analytics (computed by the server) and the CSV export. */

export const OPERATIONS_PAGE_SIZE = 50

const OPERATIONS_API = "/admin/flutterwave/operations"

export const operationsKeys = {
  all: [...flutterwaveKeys.all, "operations"] as const,
  list: (filters: OperationFilters, offset: number) => [...operationsKeys.all, "list", filters, offset] as const,
  analytics: (filters: OperationFilters) => [...operationsKeys.all, "analytics", filters] as const,
}

/** The filters as query parameters, leaving out the ones not set. */
export function operationFilterParams(filters: OperationFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])))
}

/**
 * The CSV export of the filtered operations. A plain link: the dashboard's session cookie goes with it (same origin),
 * and the browser streams the file to disk instead of holding it in the page.
 */
export function operationsExportUrl(filters: OperationFilters): string {
  const query = new URLSearchParams(operationFilterParams(filters)).toString()
  return `${OPERATIONS_API}/export${query ? `?${query}` : ""}`
}

export function useLedgerOperations(filters: OperationFilters, offset: number) {
  return useQuery({
    queryKey: operationsKeys.list(filters, offset),
    queryFn: () =>
      sdk.client.fetch<OperationListResponse>(OPERATIONS_API, {
        query: { ...operationFilterParams(filters), limit: OPERATIONS_PAGE_SIZE, offset },
      }),
    placeholderData: keepPreviousData,
  })
}

export function useOperationsAnalytics(filters: OperationFilters) {
  return useQuery({
    queryKey: operationsKeys.analytics(filters),
    queryFn: async () =>
      (
        await sdk.client.fetch<{ analytics: OperationsAnalytics }>(`${OPERATIONS_API}/analytics`, {
          query: operationFilterParams(filters),
        })
      ).analytics,
    placeholderData: keepPreviousData,
  })
}
