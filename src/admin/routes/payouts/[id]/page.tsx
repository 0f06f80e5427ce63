import { ArrowLeft } from "@medusajs/icons"
import { Container, Heading } from "@medusajs/ui"
import { Link, useParams, type UIMatch } from "react-router-dom"
import { OperationsTable } from "../../../components/operations-table"
import { PayoutSummary } from "../../../components/payouts/payout-summary"
import { ErrorState, LoadingState } from "../../../components/query-states"
import { usePayout } from "../../../lib/queries"

const PayoutDetailPage = () => {
  const { id = "" } = useParams()
  const { data, isLoading, isError, error, isFetching, refetch } = usePayout(id)

  return (
    <div className="flex flex-col gap-y-3">
      <Link
        to="/payouts"
        className="text-ui-fg-subtle hover:text-ui-fg-base txt-compact-small-plus flex w-fit items-center gap-x-1"
        data-testid="back-to-payouts"
      >
        <ArrowLeft />
        Back to payouts
      </Link>
      {isError ? (
        <ErrorState error={error} title="Could not load this payout" />
      ) : isLoading || !data ? (
        <LoadingState label="Loading payout…" />
      ) : (
        <>
          <PayoutSummary payout={data.payout} refreshing={isFetching} onRefresh={() => refetch()} />
          <Container className="divide-y p-0">
            <div className="px-6 py-4">
              <Heading level="h2">Gate operations</Heading>
            </div>
            <div className="overflow-x-auto">
              <OperationsTable operations={data.operations} />
            </div>
          </Container>
        </>
      )}
    </div>
  )
}

export const handle = {
  breadcrumb: (match: UIMatch) => match.params.id ?? "Payout",
}

export default PayoutDetailPage
