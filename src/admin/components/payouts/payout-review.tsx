import { Hint, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { formatMoney } from "../../lib/format"
import { isOutsideLimit } from "../../lib/decimal"
import type { AmountLimit, CreatePayoutBody } from "../../lib/types"

type PayoutReviewProps = { body: CreatePayoutBody; bankName: string; limit?: AmountLimit; failed: boolean }

/** Exactly what "Send payout" will POST, with nothing masked: the admin checks it before money moves. */
export function PayoutReview({ body, bankName, limit, failed }: PayoutReviewProps) {
  return (
    <div className="flex flex-col gap-y-4" data-testid="payout-review-step">
      <Text size="small" className="text-ui-fg-subtle">
        Check the details. Flutterwave pays the account as soon as you send the payout.
      </Text>
      <dl className="border-ui-border-base divide-ui-border-base divide-y rounded-md border">
        <ReviewRow label="Bank" testId="review-bank">
          {bankName} <span className="text-ui-fg-muted font-mono">(ID {body.bank_id})</span>
        </ReviewRow>
        <ReviewRow label="Account number" testId="review-account">
          <span className="font-mono">{body.account_number}</span>
        </ReviewRow>
        <ReviewRow label="Amount" testId="review-amount">
          {formatMoney(body.amount, body.currency_code)}
        </ReviewRow>
        <ReviewRow label="Description" testId="review-description">
          {body.description ?? "-"}
        </ReviewRow>
      </dl>
      {limit && isOutsideLimit(body.amount, limit) ? (
        <Hint variant="error" data-testid="payout-limit-warning">
          {`Outside the ${body.currency_code} payout limits (${limit.min} to ${limit.max}); Flutterwave is likely to refuse it.`}
        </Hint>
      ) : null}
      {failed ? (
        <Text size="small" className="text-ui-fg-subtle" data-testid="payout-retry-note">
          The last attempt did not go through. You can send again, or go back and correct the details: the retry reuses
          the same idempotency key, so this payout can never be paid twice.
        </Text>
      ) : null}
      <Text size="xsmall" className="text-ui-fg-muted">
        Idempotency key <span className="font-mono">{body.idempotency_key}</span>
      </Text>
    </div>
  )
}

function ReviewRow({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[140px_1fr] gap-x-4 px-4 py-3">
      <dt>
        <Text size="small" weight="plus" leading="compact" className="text-ui-fg-subtle">
          {label}
        </Text>
      </dt>
      <dd className="txt-compact-small text-ui-fg-base break-all" data-testid={testId}>
        {children}
      </dd>
    </div>
  )
}
