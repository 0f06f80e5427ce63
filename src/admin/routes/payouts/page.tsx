import { defineRouteConfig } from "@medusajs/admin-sdk"
import { CurrencyDollar } from "@medusajs/icons"
import { Container, Heading, Table, Text } from "@medusajs/ui"
import { useSearchParams } from "react-router-dom"
import { NewPayoutDrawer } from "../../components/payouts/new-payout-drawer"
import { PayoutsTable } from "../../components/payouts/payouts-table"
import { isStatusFilterValue, StatusFilter, type StatusFilterValue } from "../../components/payouts/status-filter"
import { ErrorState } from "../../components/query-states"
import { PAYOUTS_PAGE_SIZE, useFlutterwaveSettings, usePayouts } from "../../lib/queries"

/** Filter and page live in the URL, so "Back to payouts" returns to the same view. */
function useListParams() {
  const [params, setParams] = useSearchParams()
  const rawStatus = params.get("status")
  const status: StatusFilterValue = isStatusFilterValue(rawStatus) ? rawStatus : "all"
  const offset = Math.max(0, Math.floor(Number(params.get("offset")) || 0))
  const update = (next: { status?: StatusFilterValue; offset?: number }) => {
    const merged = { status, offset, ...next }
    const search = new URLSearchParams()
    if (merged.status !== "all") search.set("status", merged.status)
    if (merged.offset > 0) search.set("offset", String(merged.offset))
    setParams(search, { replace: true })
  }
  return { status, offset, update }
}

const PayoutsPage = () => {
  const { status, offset, update } = useListParams()
  const { data, isLoading, isError, error } = usePayouts(status === "all" ? undefined : status, offset)
  // The rail in force says where payouts go from (the settings are cached: the payout drawer reads them too).
  const rail = useFlutterwaveSettings().data?.rail
  const count = data?.count ?? 0
  const pageCount = Math.max(1, Math.ceil(count / PAYOUTS_PAGE_SIZE))

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <div className="flex items-center justify-between gap-x-4 px-6 py-4">
          <div>
            <Heading>Flutterwave payouts</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              {rail === "flutterwave-v3"
                ? "Bank payouts sent from your Flutterwave account's balance."
                : rail === "ecommpay"
                  ? "Bank payouts sent through ECommPay Gate."
                  : "Bank payouts."}
            </Text>
          </div>
          <NewPayoutDrawer />
        </div>
        <div className="flex items-center justify-between gap-x-4 px-6 py-4">
          <StatusFilter value={status} onChange={(next) => update({ status: next, offset: 0 })} />
          {data ? (
            <Text size="small" className="text-ui-fg-subtle" data-testid="payouts-count">
              {count === 1 ? "1 payout" : `${count} payouts`}
            </Text>
          ) : null}
        </div>
        {isError ? (
          <ErrorState error={error} title="Could not load payouts" bare />
        ) : isLoading || !data ? (
          <div className="px-6 py-4">
            <Text size="small" className="text-ui-fg-subtle">
              Loading payouts…
            </Text>
          </div>
        ) : (
          <>
            <PayoutsTable
              payouts={data.payouts}
              emptyText={status === "all" ? "No payouts yet." : "No payouts with this status."}
            />
            <Table.Pagination
              data-testid="payouts-pagination"
              count={count}
              pageSize={PAYOUTS_PAGE_SIZE}
              pageIndex={Math.floor(offset / PAYOUTS_PAGE_SIZE)}
              pageCount={pageCount}
              canPreviousPage={offset > 0}
              canNextPage={offset + PAYOUTS_PAGE_SIZE < count}
              previousPage={() => update({ offset: Math.max(0, offset - PAYOUTS_PAGE_SIZE) })}
              nextPage={() => update({ offset: offset + PAYOUTS_PAGE_SIZE })}
            />
          </>
        )}
      </Container>
    </div>
  )
}

export const config = defineRouteConfig({
  label: "Payouts",
  icon: CurrencyDollar,
})

export const handle = {
  breadcrumb: () => "Payouts",
}

export default PayoutsPage
