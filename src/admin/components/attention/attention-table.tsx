import { Table, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { formatDateTime, formatMoney } from "../../lib/format"
import type { AttentionItem } from "../../lib/types"
import { AttentionActions } from "./attention-actions"
import { AttentionKindBadge, AttentionRefundStatus, AttentionStateBadge } from "./attention-badges"
import { EmptyTableRow } from "../empty-table-row"

const COLUMNS = ["Created", "Kind", "What happened", "Amount", "Gate code", "Refund", "State", ""]

type AttentionTableProps = { items: AttentionItem[]; emptyText: string }

export function AttentionTable({ items, emptyText }: AttentionTableProps) {
  return (
    <div className="overflow-x-auto">
      <Table data-testid="attention-table">
        <Table.Header>
          <Table.Row>
            {COLUMNS.map((column, index) => (
              <Table.HeaderCell key={column || `column-${index}`} className="whitespace-nowrap">
                {column}
              </Table.HeaderCell>
            ))}
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {items.length === 0 ? (
            <EmptyTableRow columns={COLUMNS.length} text={emptyText} data-testid="attention-empty" />
          ) : (
            items.map((item) => <AttentionRow key={item.id} item={item} />)
          )}
        </Table.Body>
      </Table>
    </div>
  )
}

function AttentionRow({ item }: { item: AttentionItem }) {
  return (
    <Table.Row
      data-testid="attention-row"
      data-attention-id={item.id}
      data-kind={item.kind}
      data-state={item.state}
      data-gate-payment-id={item.gate_payment_id}
      className="[&_td]:py-3 [&_td]:align-top"
    >
      <Table.Cell className="whitespace-nowrap">{formatDateTime(item.created_at)}</Table.Cell>
      <Table.Cell>
        <AttentionKindBadge kind={item.kind} />
      </Table.Cell>
      <Table.Cell className="min-w-[280px] max-w-[480px] whitespace-normal">
        <div className="flex flex-col gap-y-1" data-testid="attention-facts">
          <Text size="small" weight="plus">
            {item.title}
          </Text>
          <Text size="small" className="text-ui-fg-subtle" data-testid="attention-message">
            {item.message}
          </Text>
          <References item={item} />
          {item.resolution ? (
            <Text size="xsmall" className="text-ui-fg-subtle" data-testid="attention-resolution">
              Resolution: {item.resolution}
            </Text>
          ) : null}
        </div>
      </Table.Cell>
      <Table.Cell className="whitespace-nowrap" data-testid="attention-amount">
        {formatMoney(item.amount, item.currency_code)}
      </Table.Cell>
      <Table.Cell className="font-mono" data-testid="attention-code">
        {item.code ?? "-"}
      </Table.Cell>
      <Table.Cell className="max-w-[220px] whitespace-normal">
        <AttentionRefundStatus item={item} />
      </Table.Cell>
      <Table.Cell>
        <AttentionStateBadge state={item.state} />
      </Table.Cell>
      <Table.Cell className="text-right">
        <AttentionActions item={item} />
      </Table.Cell>
    </Table.Row>
  )
}

/**
 * Where to look next: Gate's payment id, the order, cart and session it belongs to (when there is one), and for a
 * declined refund the Medusa refund it is about (an order can have several).
 */
function References({ item }: { item: AttentionItem }) {
  return (
    <div className="txt-compact-xsmall text-ui-fg-subtle flex flex-wrap gap-x-3 gap-y-0.5">
      <span>
        Gate payment <span className="font-mono">{item.gate_payment_id}</span>
      </span>
      {item.order_id ? (
        <Link to={`/orders/${item.order_id}`} className="text-ui-fg-interactive hover:underline" data-testid="attention-order-link">
          Order {item.order_id}
        </Link>
      ) : null}
      {item.kind === "refund_declined" && item.subject ? (
        <span data-testid="attention-medusa-refund">
          Medusa refund <span className="font-mono">{item.subject}</span>
        </span>
      ) : null}
      {item.cart_id && !item.order_id ? (
        <span>
          Cart <span className="font-mono">{item.cart_id}</span>
        </span>
      ) : null}
    </div>
  )
}
