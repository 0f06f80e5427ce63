import { ArrowPath, XCircle } from "@medusajs/icons"
import { Alert, Badge, Button, StatusBadge, Text } from "@medusajs/ui"
import { compareDecimalSums, isPositiveDecimal } from "../../lib/decimal"
import { formatDateTime, formatMoney } from "../../lib/format"
import type { OrderPaymentOperations, RefundAction, RefundView, RefundViewState } from "../../lib/types"
import { ACTION_LABELS, useConfirmMarkNotRefunded, useRunAttentionAction } from "../attention/action-feedback"

const STATE_BADGES: Record<RefundViewState, { label: string; color: "green" | "orange" | "red" | "grey"; hint?: string }> = {
  pending: { label: "Pending", color: "orange", hint: "Flutterwave is processing it; refunds take 3–15 working days." },
  unknown: { label: "Outcome unknown", color: "orange", hint: "Gate's answer was lost; asking Flutterwave. It is never sent twice." },
  success: { label: "Refunded", color: "green" },
  declined: { label: "Declined", color: "red" },
  not_refunded: { label: "Not refunded", color: "grey" },
}

/** Alert's own background is neutral (only its icon is coloured): these make the whole banner read as its variant. */
const BANNER_CLASSES = {
  error: "bg-ui-tag-red-bg border-ui-tag-red-border",
  warning: "bg-ui-tag-orange-bg border-ui-tag-orange-border",
} as const

/**
 * Red when the shopper may be short (a refund declined, or totals that nothing explains); orange when the only
 * difference is refunds an admin already marked as not refunded (known, decided, just not reversible in Medusa).
 */
function alertVariant({ refunds, refund_totals: totals }: OrderPaymentOperations): keyof typeof BANNER_CLASSES {
  if (refunds.some((refund) => refund.state === "declined") || isPositiveDecimal(totals.declined)) return "error"
  const balance = compareDecimalSums([totals.medusa_refunded], [totals.gate_refunded, totals.pending, totals.declined, totals.not_refunded])
  // null: a total the admin cannot compare exactly; treat it as unexplained rather than hide it.
  return balance === 0 ? "warning" : "error"
}

/** The server's sentences on Medusa's refunded total against Gate's; nothing when they agree. */
export function RefundAlerts({ payment }: { payment: OrderPaymentOperations }) {
  if (payment.refund_alerts.length === 0) return null
  const variant = alertVariant(payment)
  return (
    <Alert variant={variant} className={BANNER_CLASSES[variant]} data-testid="flutterwave-refund-alerts" data-variant={variant}>
      <div className="flex flex-col gap-y-1">
        {payment.refund_alerts.map((alert) => (
          <Text key={alert} size="small" leading="compact">
            {alert}
          </Text>
        ))}
      </div>
    </Alert>
  )
}

/** Each refund of the payment with where it stands at Gate, under Medusa's refunded total against Gate's. */
export function PaymentRefunds({ payment }: { payment: OrderPaymentOperations }) {
  const totals = payment.refund_totals
  const hasAny = payment.refunds.length > 0 || isPositiveDecimal(totals.medusa_refunded) || isPositiveDecimal(totals.gate_refunded)
  if (!hasAny) return null
  const money = (amount: string) => formatMoney(amount, payment.currency_code)
  // Declined and not-refunded amounts explain a difference only when there is one; otherwise they are noise.
  const parts = [
    `Medusa refunded ${money(totals.medusa_refunded)}`,
    `Flutterwave refunded ${money(totals.gate_refunded)}`,
    `pending ${money(totals.pending)}`,
    ...(isPositiveDecimal(totals.declined) ? [`declined ${money(totals.declined)}`] : []),
    ...(isPositiveDecimal(totals.not_refunded) ? [`not refunded ${money(totals.not_refunded)}`] : []),
  ]
  return (
    <div className="flex flex-col gap-y-2" data-testid="flutterwave-refunds">
      <div className="flex flex-col gap-y-0.5">
        <Text size="small" weight="plus" leading="compact">
          Refunds
        </Text>
        <Text size="xsmall" leading="compact" className="text-ui-fg-subtle" data-testid="flutterwave-refund-totals">
          {parts.join(" · ")}
        </Text>
      </div>
      {payment.refunds.length > 0 ? (
        <ul className="flex flex-col gap-y-2">
          {payment.refunds.map((refund, index) => (
            // A refund Medusa holds none for (made outside Medusa, not recorded yet) has no id of its own here.
            <RefundItem key={refund.medusa_refund_id ?? refund.merchant_key ?? `${refund.created_at}-${index}`} refund={refund} />
          ))}
        </ul>
      ) : null}
    </div>
  )
}

function RefundItem({ refund }: { refund: RefundView }) {
  const badge = STATE_BADGES[refund.state] ?? { label: refund.state, color: "grey" as const }
  return (
    <li
      className="border-ui-border-base flex flex-col gap-y-1 rounded-md border px-3 py-2"
      data-testid="flutterwave-refund"
      data-state={refund.state}
      data-refund-id={refund.medusa_refund_id ?? ""}
    >
      <div className="flex items-center justify-between gap-x-2">
        <Text size="small" weight="plus" leading="compact">
          {formatMoney(refund.amount, refund.currency_code)}
        </Text>
        <StatusBadge color={badge.color} className="whitespace-nowrap" data-testid="flutterwave-refund-state">
          {badge.label}
        </StatusBadge>
      </div>
      {badge.hint ? (
        <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
          {badge.hint}
        </Text>
      ) : null}
      <div className="text-ui-fg-muted txt-compact-xsmall flex flex-wrap items-center gap-x-2 gap-y-1">
        <span>{formatDateTime(refund.created_at)}</span>
        {refund.medusa_refund_id ? (
          <span>
            Medusa refund <span className="font-mono">{refund.medusa_refund_id}</span>
          </span>
        ) : (
          <span>Not recorded in Medusa</span>
        )}
        {refund.made_outside_medusa ? (
          <Badge size="2xsmall" color="blue" data-testid="flutterwave-refund-outside">
            Made outside Medusa
          </Badge>
        ) : null}
        {refund.attempts > 1 ? (
          <Badge size="2xsmall" color="grey" title={`${refund.attempts} attempts at Gate`} data-testid="flutterwave-refund-retried">
            Retried
          </Badge>
        ) : null}
      </div>
      {refund.state === "declined" ? <DeclinedBanner refund={refund} /> : null}
      {refund.state === "not_refunded" ? <NotRefundedNote refund={refund} /> : null}
    </li>
  )
}

/** Gate's code and reason, as one line. */
function gateReason(refund: RefundView): string {
  return `${refund.message ?? "Declined"}${refund.code ? ` (code ${refund.code})` : ""}`
}

/**
 * A refund Medusa recorded that Gate then declined: the shopper has not got the money back, so it says so in red,
 * with Gate's reason and the two ways out. Both act on the refund's needs-attention item (the same one the Needs
 * attention page lists), so the page and this card never disagree about what was decided.
 */
function DeclinedBanner({ refund }: { refund: RefundView }) {
  const { run, isPending, running } = useRunAttentionAction()
  const confirmNotRefunded = useConfirmMarkNotRefunded()
  const attentionId = refund.attention_id
  const can = (action: RefundAction) => Boolean(attentionId) && refund.actions.includes(action)

  return (
    <Alert variant="error" className={BANNER_CLASSES.error} data-testid="flutterwave-refund-declined-banner">
      <div className="flex flex-col gap-y-2">
        <div className="flex flex-col gap-y-0.5">
          <Text size="small" weight="plus" leading="compact">
            Flutterwave declined this refund after Medusa recorded it
          </Text>
          <Text size="small" leading="compact" className="text-ui-fg-subtle">
            The shopper has not been refunded. Gate's reason: {gateReason(refund)}
          </Text>
        </div>
        {attentionId && (can("retry_refund") || can("mark_not_refunded")) ? (
          <div className="flex flex-wrap gap-2">
            {can("retry_refund") ? (
              <Button
                size="small"
                variant="secondary"
                className="whitespace-nowrap"
                onClick={() => run(attentionId, "retry_refund")}
                disabled={isPending}
                isLoading={running === "retry_refund"}
                data-testid="flutterwave-retry-refund"
              >
                <ArrowPath />
                {ACTION_LABELS.retry_refund}
              </Button>
            ) : null}
            {can("mark_not_refunded") ? (
              <Button
                size="small"
                variant="secondary"
                className="whitespace-nowrap"
                onClick={() => run(attentionId, "mark_not_refunded", { confirm: () => confirmNotRefunded(refund) })}
                disabled={isPending}
                isLoading={running === "mark_not_refunded"}
                data-testid="flutterwave-mark-not-refunded"
              >
                <XCircle />
                {ACTION_LABELS.mark_not_refunded}
              </Button>
            ) : null}
          </div>
        ) : (
          // Declined, but no open item to act on yet (Gate's news is recorded before the item is raised): a refresh
          // brings the actions, and Needs attention lists the item.
          <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
            No action available here right now: refresh, or see Needs attention.
          </Text>
        )}
      </div>
    </Alert>
  )
}

/** An admin decided it will not be paid back through Flutterwave: Medusa keeps showing it refunded, so say why. */
function NotRefundedNote({ refund }: { refund: RefundView }) {
  // The ledger stores the decision as "not_refunded" or "not_refunded: <the admin's note>".
  const note = refund.resolution?.replace(/^not_refunded:?\s*/, "") ?? ""
  return (
    <Text size="xsmall" leading="compact" className="text-ui-fg-subtle" data-testid="flutterwave-refund-not-refunded">
      Marked as not refunded{note ? `: ${note}` : ""}. Medusa still shows it as refunded. Gate's reason: {gateReason(refund)}
    </Text>
  )
}
