import { Table, Text } from "@medusajs/ui"
import { formatDateTime, formatMoney, orDash } from "../lib/format"
import type { OperationDTO } from "../lib/types"
import { GateStatusBadge } from "./gate-status-badge"

/** Every Gate operation recorded for one payment: the request, then what callbacks and status checks said. */
export function OperationsTable({ operations }: { operations: OperationDTO[] }) {
  if (operations.length === 0) {
    return (
      <div className="px-6 py-4">
        <Text size="small" className="text-ui-fg-subtle">
          No Gate operations recorded yet.
        </Text>
      </div>
    )
  }
  return (
    <Table data-testid="operations-table">
      <Table.Header>
        <Table.Row>
          <Table.HeaderCell>Kind</Table.HeaderCell>
          <Table.HeaderCell>Gate operation ID</Table.HeaderCell>
          <Table.HeaderCell>Status</Table.HeaderCell>
          <Table.HeaderCell>Code</Table.HeaderCell>
          <Table.HeaderCell>Message</Table.HeaderCell>
          <Table.HeaderCell>Amount</Table.HeaderCell>
          <Table.HeaderCell>Date</Table.HeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {operations.map((operation) => (
          <Table.Row key={operation.id} data-testid="operation-row" data-status={operation.status}>
            <Table.Cell className="capitalize">{operation.kind}</Table.Cell>
            <Table.Cell className="font-mono">{orDash(operation.gate_operation_id)}</Table.Cell>
            <Table.Cell>
              <GateStatusBadge status={operation.status} />
            </Table.Cell>
            <Table.Cell>{orDash(operation.code)}</Table.Cell>
            <Table.Cell className="max-w-[280px] whitespace-normal">{orDash(operation.message)}</Table.Cell>
            <Table.Cell className="whitespace-nowrap">{formatMoney(operation.amount, operation.currency_code)}</Table.Cell>
            <Table.Cell className="whitespace-nowrap">{formatDateTime(operation.created_at)}</Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  )
}
