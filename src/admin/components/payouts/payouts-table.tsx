import { Table } from "@medusajs/ui"
import { Link, useNavigate } from "react-router-dom"
import { formatDateTime, formatMoney } from "../../lib/format"
import type { PayoutDTO } from "../../lib/types"
import { GateStatusBadge } from "../gate-status-badge"
import { EmptyTableRow } from "../empty-table-row"

const COLUMNS = ["Date", "Bank", "Account", "Amount", "Status", "Gate message"]

type PayoutsTableProps = { payouts: PayoutDTO[]; emptyText: string }

export function PayoutsTable({ payouts, emptyText }: PayoutsTableProps) {
  const navigate = useNavigate()
  return (
    <div className="overflow-x-auto">
      <Table data-testid="payouts-table">
        <Table.Header>
          <Table.Row>
            {COLUMNS.map((column) => (
              <Table.HeaderCell key={column}>{column}</Table.HeaderCell>
            ))}
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {payouts.length === 0 ? (
            <EmptyTableRow columns={COLUMNS.length} text={emptyText} data-testid="payouts-empty" />
          ) : (
            payouts.map((payout) => (
              <Table.Row
                key={payout.id}
                data-testid="payout-row"
                data-payout-id={payout.id}
                className="cursor-pointer"
                onClick={() => navigate(`/payouts/${payout.id}`)}
              >
                <Table.Cell className="whitespace-nowrap">
                  <Link to={`/payouts/${payout.id}`} className="outline-none" onClick={(event) => event.stopPropagation()}>
                    {formatDateTime(payout.created_at)}
                  </Link>
                </Table.Cell>
                <Table.Cell>{payout.bank_name}</Table.Cell>
                <Table.Cell className="font-mono">{payout.account_number_masked}</Table.Cell>
                <Table.Cell className="whitespace-nowrap">{formatMoney(payout.amount, payout.currency_code)}</Table.Cell>
                <Table.Cell>
                  <GateStatusBadge status={payout.status} data-testid="payout-status" />
                </Table.Cell>
                <Table.Cell className="max-w-[320px] whitespace-normal" data-testid="payout-gate-message">
                  {payout.status === "decline" ? declineText(payout) : "-"}
                </Table.Cell>
              </Table.Row>
            ))
          )}
        </Table.Body>
      </Table>
    </div>
  )
}

function declineText(payout: PayoutDTO): string {
  const message = payout.message ?? "Declined"
  return payout.code ? `${message} (code ${payout.code})` : message
}
