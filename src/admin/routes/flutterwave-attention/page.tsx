import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ExclamationCircle } from "@medusajs/icons"
import { Container, Heading, Text } from "@medusajs/ui"
import { useSearchParams } from "react-router-dom"
import { AttentionTable } from "../../components/attention/attention-table"
import { AttentionStateFilter, isAttentionStateFilter } from "../../components/attention/state-filter"
import { ErrorState } from "../../components/query-states"
import { useAttentionItems } from "../../lib/queries"
import type { AttentionStateFilter as AttentionStateFilterValue } from "../../lib/types"

const EMPTY_TEXT: Record<AttentionStateFilterValue, string> = {
  open: "Nothing needs your attention",
  resolved: "Nothing resolved yet.",
  all: "Nothing needs your attention",
}

/** The filter lives in the URL (open by default), so a link can point at resolved items too. */
function useStateParam() {
  const [params, setParams] = useSearchParams()
  const raw = params.get("state")
  const state: AttentionStateFilterValue = isAttentionStateFilter(raw) ? raw : "open"
  const update = (next: AttentionStateFilterValue) => {
    const search = new URLSearchParams()
    if (next !== "open") search.set("state", next)
    setParams(search, { replace: true })
  }
  return { state, update }
}

/**
 * One place for everything where money and orders disagree: callbacks held for a wrong amount or currency,
 * payments whose session was gone, orders that could not be completed, refunds Gate refused or declined after Medusa
 * recorded them, refunds made outside Medusa that Medusa would not record.
 */
const NeedsAttentionPage = () => {
  const { state, update } = useStateParam()
  const { data, isLoading, isError, error } = useAttentionItems(state)
  const count = data?.count ?? 0

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <div className="flex items-center justify-between gap-x-4 px-6 py-4">
          <div>
            <Heading>Needs attention</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              Flutterwave payments where money and orders disagree: held callbacks, orphan payments, failed completions,
              refunds Flutterwave declined and refunds made outside Medusa.
            </Text>
          </div>
        </div>
        <div className="flex items-center justify-between gap-x-4 px-6 py-4">
          <AttentionStateFilter value={state} onChange={update} />
          {data ? (
            <Text size="small" className="text-ui-fg-subtle" data-testid="attention-count">
              {count === 1 ? "1 item" : `${count} items`}
            </Text>
          ) : null}
        </div>
        {isError ? (
          <ErrorState error={error} title="Could not load what needs attention" bare />
        ) : isLoading || !data ? (
          <div className="px-6 py-4">
            <Text size="small" className="text-ui-fg-subtle">
              Loading…
            </Text>
          </div>
        ) : (
          <AttentionTable items={data.items} emptyText={EMPTY_TEXT[state]} />
        )}
      </Container>
    </div>
  )
}

export const config = defineRouteConfig({
  label: "Needs attention",
  icon: ExclamationCircle,
})

export const handle = {
  breadcrumb: () => "Needs attention",
}

export default NeedsAttentionPage
