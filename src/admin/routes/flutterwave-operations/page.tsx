import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ChartBar } from "@medusajs/icons"
import { Button, Container, Heading, Table, Text } from "@medusajs/ui"
import { useSearchParams } from "react-router-dom"
import { AnalyticsSummary } from "../../components/operations/analytics-summary"
import { LedgerTable } from "../../components/operations/ledger-table"
import { OPERATION_CURRENCIES, OperationsFilters } from "../../components/operations/operations-filters"
import { ErrorState } from "../../components/query-states"
import { OPERATIONS_PAGE_SIZE, operationsExportUrl, useLedgerOperations, useOperationsAnalytics } from "../../lib/operations"
import type { GateStatus, OperationFilters, OperationKind } from "../../lib/types"

const DAY = /^\d{4}-\d{2}-\d{2}$/
const KINDS: readonly string[] = ["sale", "refund", "payout"]
const STATUSES: readonly string[] = ["pending", "success", "decline"]

/**
 * Filters and page live in the URL: a view can be bookmarked or shared, and Back returns to it. A range typed the wrong
 * way round is sent as it is; the server's answer says what is wrong with it.
 */
function useOperationParams() {
  const [params, setParams] = useSearchParams()
  const pick = (name: string, ok: (value: string) => boolean) => {
    const value = params.get(name)
    return value && ok(value) ? value : undefined
  }
  const filters: OperationFilters = {
    from: pick("from", (value) => DAY.test(value)),
    to: pick("to", (value) => DAY.test(value)),
    kind: pick("kind", (value) => KINDS.includes(value)) as OperationKind | undefined,
    status: pick("status", (value) => STATUSES.includes(value)) as GateStatus | undefined,
    currency: pick("currency", (value) => (OPERATION_CURRENCIES as readonly string[]).includes(value)),
  }
  const offset = Math.max(0, Math.floor(Number(params.get("offset")) || 0))
  const update = (next: OperationFilters, nextOffset = 0) => {
    const search = new URLSearchParams()
    for (const [key, value] of Object.entries(next)) if (value) search.set(key, value)
    if (nextOffset > 0) search.set("offset", String(nextOffset))
    setParams(search, { replace: true })
  }
  return { filters, offset, update }
}

const OperationsPage = () => {
  const { filters, offset, update } = useOperationParams()
  const list = useLedgerOperations(filters, offset)
  const analytics = useOperationsAnalytics(filters)
  const count = list.data?.count ?? 0
  const pageCount = Math.max(1, Math.ceil(count / OPERATIONS_PAGE_SIZE))

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <div className="flex items-center justify-between gap-x-4 px-6 py-4">
          <div>
            <Heading>Flutterwave operations</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              Every sale, refund and payout in the ledger. Days are UTC; amounts are exact.
            </Text>
          </div>
          <Button size="small" variant="secondary" asChild>
            <a href={operationsExportUrl(filters)} download data-testid="operations-export">
              Export CSV
            </a>
          </Button>
        </div>
        <div className="px-6 py-4">
          <OperationsFilters value={filters} onChange={(next) => update(next)} />
        </div>
        {analytics.isError ? (
          <ErrorState error={analytics.error} title="Could not load the analytics" bare />
        ) : analytics.data ? (
          <AnalyticsSummary analytics={analytics.data} from={filters.from} to={filters.to} />
        ) : (
          <div className="px-6 py-4">
            <Text size="small" className="text-ui-fg-subtle">
              Loading analytics…
            </Text>
          </div>
        )}
      </Container>
      <Container className="divide-y p-0">
        <div className="flex items-center justify-between gap-x-4 px-6 py-4">
          <Heading level="h2">Operations</Heading>
          {list.data ? (
            <Text size="small" className="text-ui-fg-subtle" data-testid="operations-count">
              {count === 1 ? "1 operation" : `${count} operations`}
            </Text>
          ) : null}
        </div>
        {list.isError ? (
          <ErrorState error={list.error} title="Could not load operations" bare />
        ) : list.isLoading || !list.data ? (
          <div className="px-6 py-4">
            <Text size="small" className="text-ui-fg-subtle">
              Loading operations…
            </Text>
          </div>
        ) : (
          <>
            <LedgerTable operations={list.data.operations} emptyText="No operations match these filters." />
            <Table.Pagination
              data-testid="operations-pagination"
              count={count}
              pageSize={OPERATIONS_PAGE_SIZE}
              pageIndex={Math.floor(offset / OPERATIONS_PAGE_SIZE)}
              pageCount={pageCount}
              canPreviousPage={offset > 0}
              canNextPage={offset + OPERATIONS_PAGE_SIZE < count}
              previousPage={() => update(filters, Math.max(0, offset - OPERATIONS_PAGE_SIZE))}
              nextPage={() => update(filters, offset + OPERATIONS_PAGE_SIZE)}
            />
          </>
        )}
      </Container>
    </div>
  )
}

export const config = defineRouteConfig({
  label: "Flutterwave operations",
  icon: ChartBar,
})

export const handle = {
  breadcrumb: () => "Flutterwave operations",
}

export default OperationsPage
