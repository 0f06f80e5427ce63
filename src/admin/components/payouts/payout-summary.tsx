import { ArrowPath } from "@medusajs/icons"
import { Button, Container, Heading, Text } from "@medusajs/ui"
import { formatDateTime, formatMoney } from "../../lib/format"
import type { PayoutDTO } from "../../lib/types"
import { GateStatusBadge } from "../gate-status-badge"
import { SectionRow } from "../section-row"

type PayoutSummaryProps = { payout: PayoutDTO; refreshing: boolean; onRefresh: () => void }

export function PayoutSummary({ payout, refreshing, onRefresh }: PayoutSummaryProps) {
  return (
    <Container className="divide-y p-0" data-testid="payout-detail">
      <div className="flex items-center justify-between gap-x-4 px-6 py-4">
        <div className="flex min-w-0 flex-col gap-y-1">
          <div className="flex items-center gap-x-2">
            <Heading>Payout</Heading>
            <GateStatusBadge status={payout.status} data-testid="payout-status" />
          </div>
          <Text size="small" className="text-ui-fg-subtle truncate font-mono">
            {payout.id}
          </Text>
        </div>
        <Button size="small" variant="secondary" onClick={onRefresh} isLoading={refreshing} data-testid="payout-refresh">
          <ArrowPath />
          Refresh
        </Button>
      </div>
      <SectionRow title="Bank" value={`${payout.bank_name} (ID ${payout.bank_id})`} data-testid="payout-detail-bank" />
      <SectionRow
        title="Account"
        value={<span className="font-mono">{payout.account_number_masked}</span>}
        data-testid="payout-detail-account"
      />
      <SectionRow title="Amount" value={formatMoney(payout.amount, payout.currency_code)} data-testid="payout-detail-amount" />
      <SectionRow title="Currency" value={payout.currency_code} />
      <SectionRow title="Description" value={payout.description} data-testid="payout-detail-description" />
      <SectionRow title="Gate code" value={payout.code} data-testid="payout-detail-code" />
      <SectionRow title="Gate message" value={payout.message} data-testid="payout-detail-message" />
      <SectionRow
        title="Gate payment ID"
        value={<span className="font-mono break-all">{payout.gate_payment_id}</span>}
        data-testid="payout-detail-gate-payment-id"
      />
      <SectionRow title="Created by" value={payout.created_by} />
      <SectionRow title="Created" value={formatDateTime(payout.created_at)} />
      <SectionRow title="Updated" value={formatDateTime(payout.updated_at)} />
    </Container>
  )
}
