import { Table } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { formatDateTime, formatMoney, orDash } from "../../lib/format"
import type { LedgerOperation } from "../../lib/types"
import { GateStatusBadge } from "../gate-status-badge"
import { EmptyTableRow } from "../empty-table-row"

const COLUMNS = ["Date", "Kind", "Rail", "Amount", "Status", "Gate code", "Gate message", "Order", "Gate payment ID"]

/** The ledger's operations, one page of them, newest first. */
export function LedgerTable({ operations, emptyText }: { operations: LedgerOperation[]; emptyText: string }) {
  return (
    <div className="overflow-x-auto">
      <Table data-testid="ledger-operations-table">
        <Table.Header>
          <Table.Row>
            {COLUMNS.map((column) => (
              <Table.HeaderCell key={column}>{column}</Table.HeaderCell>
            ))}
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {operations.length === 0 ? (
            <EmptyTableRow columns={COLUMNS.length} text={emptyText} data-testid="operations-empty" />
          ) : (
            operations.map((operation) => (
              <Table.Row
                key={operation.id}
                data-testid="ledger-operation-row"
                data-operation-id={operation.id}
                data-kind={operation.kind}
                data-status={operation.status}
              >
                <Table.Cell className="whitespace-nowrap" title={operation.created_at}>
                  {formatDateTime(operation.created_at)}
                </Table.Cell>
                <Table.Cell className="capitalize">{operation.kind}</Table.Cell>
                <Table.Cell>{operation.rail}</Table.Cell>
                <Table.Cell className="whitespace-nowrap" data-testid="operation-amount">
                  {operation.amount === null
                    ? `${operation.amount_minor} (minor units) ${operation.currency_code}`
                    : formatMoney(operation.amount, operation.currency_code)}
                </Table.Cell>
                <Table.Cell>
                  <GateStatusBadge status={operation.status} />
                </Table.Cell>
                <Table.Cell className="font-mono">{orDash(operation.code)}</Table.Cell>
                <Table.Cell className="max-w-[280px] whitespace-normal">{orDash(operation.message)}</Table.Cell>
                <Table.Cell>
                  {operation.order_id ? (
                    <Link to={`/orders/${operation.order_id}`} className="text-ui-fg-interactive" data-testid="operation-order-link">
                      View order
                    </Link>
                  ) : (
                    "-"
                  )}
                </Table.Cell>
                <Table.Cell className="font-mono text-xs">{operation.gate_payment_id}</Table.Cell>
              </Table.Row>
            ))
          )}
        </Table.Body>
      </Table>
    </div>
  )
}
