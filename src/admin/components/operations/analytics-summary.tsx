import { Heading, Table, Text } from "@medusajs/ui"
import { formatMoney, orDash } from "../../lib/format"
import type { MoneyTotal, OperationsAnalytics } from "../../lib/types"
import { VolumeChart } from "./volume-chart"

type AnalyticsSummaryProps = { analytics: OperationsAnalytics; from?: string; to?: string }

function Totals({ totals, testId }: { totals: MoneyTotal[]; testId: string }) {
  if (totals.length === 0) return <Text size="small">-</Text>
  return (
    <div className="flex flex-col" data-testid={testId}>
      {totals.map((total) => (
        <Text key={total.currency_code} size="small" weight="plus" data-currency={total.currency_code}>
          {formatMoney(total.amount, total.currency_code)}
        </Text>
      ))}
    </div>
  )
}

/**
 * What ECommPay's Analytics tab shows, for the filtered operations: success rate, paid and refunded amounts per
 * currency, paid volume per day and the top decline reasons. Every figure comes computed from the server.
 */
export function AnalyticsSummary({ analytics, from, to }: AnalyticsSummaryProps) {
  const { sales } = analytics
  const currencies = [...new Set(analytics.paid_volume.map((entry) => entry.currency_code))].sort()
  return (
    <div className="flex flex-col gap-y-4 px-6 py-4" data-testid="operations-analytics">
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        <div className="flex flex-col gap-y-1">
          <Text size="xsmall" className="text-ui-fg-subtle">
            Success rate of sales
          </Text>
          <Heading level="h2" data-testid="success-rate">
            {sales.success_rate === null ? "-" : `${sales.success_rate} %`}
          </Heading>
          <Text size="xsmall" className="text-ui-fg-muted" data-testid="sales-counts">
            {sales.success} paid, {sales.decline} declined{sales.pending ? `, ${sales.pending} pending (not counted)` : ""}
          </Text>
        </div>
        <div className="flex flex-col gap-y-1">
          <Text size="xsmall" className="text-ui-fg-subtle">
            Paid
          </Text>
          <Totals totals={analytics.paid_totals} testId="paid-totals" />
        </div>
        <div className="flex flex-col gap-y-1">
          <Text size="xsmall" className="text-ui-fg-subtle">
            Refunded
          </Text>
          <Totals totals={analytics.refunded} testId="refunded-totals" />
        </div>
      </div>
      {currencies.length === 0 ? (
        <Text size="small" className="text-ui-fg-subtle" data-testid="volume-empty">
          No paid sales in this range.
        </Text>
      ) : (
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          {currencies.map((currency) => (
            <VolumeChart
              key={currency}
              currency={currency}
              volume={analytics.paid_volume.filter((entry) => entry.currency_code === currency)}
              from={from}
              to={to}
            />
          ))}
        </div>
      )}
      <div className="flex flex-col gap-y-2">
        <Text size="small" weight="plus">
          Top decline reasons
        </Text>
        {analytics.decline_reasons.length === 0 ? (
          <Text size="small" className="text-ui-fg-subtle">
            No declines in this range.
          </Text>
        ) : (
          <Table data-testid="decline-reasons">
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Gate code</Table.HeaderCell>
                <Table.HeaderCell>Reason</Table.HeaderCell>
                <Table.HeaderCell>Kinds</Table.HeaderCell>
                <Table.HeaderCell>Declines</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {analytics.decline_reasons.map((reason) => (
                <Table.Row key={reason.code ?? "none"} data-testid="decline-reason" data-code={reason.code ?? ""}>
                  <Table.Cell className="font-mono">{orDash(reason.code)}</Table.Cell>
                  <Table.Cell className="max-w-[360px] whitespace-normal">{orDash(reason.message)}</Table.Cell>
                  <Table.Cell>{reason.kinds.join(", ")}</Table.Cell>
                  <Table.Cell>{reason.count}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </div>
    </div>
  )
}
