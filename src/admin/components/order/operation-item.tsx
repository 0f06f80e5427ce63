import { Text, clx } from "@medusajs/ui"
import { formatDateTime, formatMoney } from "../../lib/format"
import type { OperationDTO } from "../../lib/types"
import { GateStatusBadge } from "../gate-status-badge"

const KIND_LABELS: Record<string, string> = { sale: "Sale", refund: "Refund", payout: "Payout" }

const DOT_COLORS: Record<string, string> = {
  success: "bg-ui-tag-green-icon",
  pending: "bg-ui-tag-orange-icon",
  decline: "bg-ui-tag-red-icon",
}

type OperationItemProps = { operation: OperationDTO; isLast: boolean }

/** One step of a payment's timeline; a declined step says why, right there. */
export function OperationItem({ operation, isLast }: OperationItemProps) {
  const declined = operation.status === "decline"
  return (
    <li
      className="grid grid-cols-[12px_1fr] gap-x-3"
      data-testid="flutterwave-operation"
      data-kind={operation.kind}
      data-status={operation.status}
    >
      <div className="flex flex-col items-center">
        <span className={clx("mt-1.5 size-2 shrink-0 rounded-full", DOT_COLORS[operation.status] ?? "bg-ui-fg-muted")} />
        {isLast ? null : <span className="bg-ui-border-strong mt-1 w-px flex-1" />}
      </div>
      <div className={clx("flex min-w-0 flex-col gap-y-1", { "pb-4": !isLast })}>
        <div className="flex items-center justify-between gap-x-2">
          <Text size="small" weight="plus" leading="compact">
            {KIND_LABELS[operation.kind] ?? operation.kind}
            <span className="text-ui-fg-subtle font-normal"> · {formatMoney(operation.amount, operation.currency_code)}</span>
          </Text>
          <GateStatusBadge status={operation.status} />
        </div>
        <Text size="xsmall" leading="compact" className="text-ui-fg-muted">
          {formatDateTime(operation.created_at)}
          {operation.gate_operation_id ? ` · Gate operation ${operation.gate_operation_id}` : ""}
        </Text>
        {declined && (operation.message || operation.code) ? (
          <Text size="xsmall" leading="compact" className="text-ui-fg-error" data-testid="flutterwave-operation-decline">
            {operation.message ?? "Declined"}
            {operation.code ? ` (code ${operation.code})` : ""}
          </Text>
        ) : null}
      </div>
    </li>
  )
}
