import { Badge, StatusBadge } from "@medusajs/ui"
import type { AttentionItem, AttentionKind, AttentionRefund, AttentionState } from "../../lib/types"

type BadgeColor = "green" | "red" | "blue" | "orange" | "grey" | "purple"

export const KIND_LABELS: Record<AttentionKind, string> = {
  held_callback: "Held callback",
  orphan_payment: "Orphan payment",
  completion_failed: "Order not completed",
  refund_failed: "Refund failed",
  payout_held: "Payout held",
  refund_declined: "Refund declined",
  outside_refund_unrecorded: "Outside refund unrecorded",
}

const KIND_COLORS: Record<AttentionKind, BadgeColor> = {
  held_callback: "orange",
  orphan_payment: "purple",
  completion_failed: "red",
  refund_failed: "red",
  payout_held: "orange",
  // Red: Medusa shows the shopper refunded, and they are not. Orange: the money is right, only Medusa's books are short.
  refund_declined: "red",
  outside_refund_unrecorded: "orange",
}

/** The kind of disagreement; `data-kind` carries the raw value for tests. An unknown kind still shows, in grey. */
export function AttentionKindBadge({ kind }: { kind: AttentionKind }) {
  return (
    <Badge size="2xsmall" color={KIND_COLORS[kind] ?? "grey"} data-testid="attention-kind" data-kind={kind} className="whitespace-nowrap">
      {KIND_LABELS[kind] ?? kind}
    </Badge>
  )
}

export function AttentionStateBadge({ state }: { state: AttentionState }) {
  return (
    <StatusBadge color={state === "open" ? "orange" : "green"} data-testid="attention-state" data-state={state}>
      {state === "open" ? "Open" : "Resolved"}
    </StatusBadge>
  )
}

const REFUND_BADGES: Record<AttentionRefund["status"], { label: string; color: "green" | "orange" | "red" | "grey" }> = {
  none: { label: "Not refunded", color: "grey" },
  pending: { label: "Refund pending", color: "orange" },
  success: { label: "Refunded", color: "green" },
  decline: { label: "Refund declined", color: "red" },
}

/** Our refund of the payment at Gate: its status, the amount and Gate's word on it. */
export function AttentionRefundStatus({ item }: { item: AttentionItem }) {
  const { refund } = item
  const badge = REFUND_BADGES[refund.status] ?? { label: refund.status, color: "grey" as const }
  return (
    <div className="flex flex-col items-start gap-y-1">
      <StatusBadge color={badge.color} data-testid="attention-refund" data-refund-status={refund.status} className="whitespace-nowrap">
        {badge.label}
      </StatusBadge>
      {refund.status !== "none" && refund.amount ? (
        <span className="txt-compact-xsmall text-ui-fg-subtle whitespace-nowrap">
          {refund.amount} {item.currency_code.toUpperCase()}
        </span>
      ) : null}
      {refund.message ? <span className="txt-compact-xsmall text-ui-fg-subtle">{refund.message}</span> : null}
    </div>
  )
}
