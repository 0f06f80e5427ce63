import { Text } from "@medusajs/ui"
import { formatMoney } from "../../lib/format"
import type { OperationDTO, OrderPaymentOperations } from "../../lib/types"
import { GateStatusBadge } from "../gate-status-badge"
import { OperationItem } from "./operation-item"
import { PaymentRefunds, RefundAlerts } from "./payment-refunds"

/** The sale first, then refunds and anything else in the order they happened. */
function timeline(operations: OperationDTO[]): OperationDTO[] {
  return [...operations].sort((a, b) => {
    if ((a.kind === "sale") !== (b.kind === "sale")) return a.kind === "sale" ? -1 : 1
    return a.created_at.localeCompare(b.created_at)
  })
}

/** One Flutterwave payment of the order: refund alerts, Gate's ids and status, every Gate operation, then its refunds. */
export function PaymentOperations({ payment }: { payment: OrderPaymentOperations }) {
  const operations = timeline(payment.operations)
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="flutterwave-payment" data-payment-id={payment.payment_id}>
      {/* First: a refund the shopper did not get, or totals that disagree, is the one thing the admin must not miss. */}
      <RefundAlerts payment={payment} />
      <div className="flex items-start justify-between gap-x-2">
        <div className="flex min-w-0 flex-col gap-y-0.5">
          <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
            Gate payment ID
          </Text>
          <Text size="small" leading="compact" className="break-all font-mono" data-testid="flutterwave-gate-payment-id">
            {payment.gate_payment_id}
          </Text>
          <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
            {formatMoney(payment.amount, payment.currency_code)}
          </Text>
        </div>
        <GateStatusBadge status={payment.gate_status} data-testid="flutterwave-gate-status" />
      </div>
      {operations.length === 0 ? (
        <Text size="small" className="text-ui-fg-subtle">
          No Gate operations recorded yet.
        </Text>
      ) : (
        <ol className="flex flex-col">
          {operations.map((operation, index) => (
            <OperationItem key={operation.id} operation={operation} isLast={index === operations.length - 1} />
          ))}
        </ol>
      )}
      <PaymentRefunds payment={payment} />
    </div>
  )
}
