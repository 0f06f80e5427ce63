import { Hint, Input, Select } from "@medusajs/ui"
import { isOutsideLimit } from "../../lib/decimal"
import type { PayoutDraft, PayoutDraftErrors } from "../../lib/payout-draft"
import type { AmountLimit, Bank } from "../../lib/types"
import { BankPicker } from "./bank-picker"
import { FormField } from "./form-field"

type PayoutFormProps = {
  draft: PayoutDraft
  errors: PayoutDraftErrors
  currencies: string[]
  limits: Record<string, AmountLimit>
  onChange: (patch: Partial<PayoutDraft>) => void
}

export function PayoutForm({ draft, errors, currencies, limits, onChange }: PayoutFormProps) {
  const limit = draft.currency ? limits[draft.currency] : undefined
  const amount = draft.amount.trim()
  const outsideLimit = Boolean(limit && amount && isOutsideLimit(amount, limit))

  return (
    <div className="flex flex-col gap-y-6">
      <FormField id="payout-currency" label="Currency" error={errors.currency}>
        <Select
          value={draft.currency}
          onValueChange={(currency) => currency !== draft.currency && onChange({ currency, bank: null })}
        >
          <Select.Trigger id="payout-currency" data-testid="payout-currency">
            <Select.Value placeholder="Choose a currency" />
          </Select.Trigger>
          <Select.Content>
            {currencies.map((currency) => (
              <Select.Item key={currency} value={currency} data-testid={`payout-currency-${currency}`}>
                {currency}
              </Select.Item>
            ))}
          </Select.Content>
        </Select>
      </FormField>

      <FormField id="payout-bank" label="Bank" error={errors.bank}>
        <BankPicker
          key={draft.currency}
          currency={draft.currency}
          value={draft.bank}
          onChange={(bank: Bank | null) => onChange({ bank })}
          invalid={Boolean(errors.bank)}
        />
      </FormField>

      <FormField
        id="payout-amount"
        label={draft.currency ? `Amount (${draft.currency})` : "Amount"}
        error={errors.amount}
        hint={limit ? <span data-testid="payout-limits">{`Between ${limit.min} and ${limit.max} ${draft.currency}`}</span> : undefined}
      >
        <Input
          id="payout-amount"
          inputMode="decimal"
          autoComplete="off"
          placeholder="500.00"
          value={draft.amount}
          onChange={(event) => onChange({ amount: event.target.value })}
          aria-invalid={Boolean(errors.amount) || undefined}
          data-testid="payout-amount"
        />
      </FormField>
      {outsideLimit && !errors.amount ? (
        <Hint variant="error" className="-mt-4" data-testid="payout-limit-warning">
          This amount is outside the payout limits for {draft.currency}; Flutterwave is likely to refuse it.
        </Hint>
      ) : null}

      <FormField id="payout-account" label="Account number" error={errors.accountNumber}>
        <Input
          id="payout-account"
          inputMode="numeric"
          autoComplete="off"
          placeholder="0123456789"
          value={draft.accountNumber}
          onChange={(event) => onChange({ accountNumber: event.target.value })}
          aria-invalid={Boolean(errors.accountNumber) || undefined}
          data-testid="payout-account"
        />
      </FormField>

      <FormField id="payout-description" label="Description" optional>
        <Input
          id="payout-description"
          autoComplete="off"
          maxLength={255}
          placeholder="Supplier invoice 1042"
          value={draft.description}
          onChange={(event) => onChange({ description: event.target.value })}
          data-testid="payout-description"
        />
      </FormField>
    </div>
  )
}
