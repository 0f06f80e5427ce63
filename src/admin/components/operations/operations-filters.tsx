import { Input, Label, Select } from "@medusajs/ui"
import type { GateStatus, OperationFilters, OperationKind } from "../../lib/types"

/** What the ledger holds; the server checks the same list. */
export const OPERATION_CURRENCIES = ["GHS", "KES", "NGN", "TZS", "UGX", "USD", "ZAR"] as const

const KINDS: { value: OperationKind; label: string }[] = [
  { value: "sale", label: "Sales" },
  { value: "refund", label: "Refunds" },
  { value: "payout", label: "Payouts" },
]
const STATUSES: { value: GateStatus; label: string }[] = [
  { value: "pending", label: "Pending" },
  { value: "success", label: "Success" },
  { value: "decline", label: "Declined" },
]
const ALL = "all"

type OperationsFiltersProps = { value: OperationFilters; onChange: (next: OperationFilters) => void }

/** Day range (UTC days, both included), kind, status and currency. */
export function OperationsFilters({ value, onChange }: OperationsFiltersProps) {
  const set = (patch: Partial<OperationFilters>) => onChange({ ...value, ...patch })
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="operations-filters">
      <div className="flex flex-col gap-y-1">
        <Label size="xsmall" htmlFor="operations-from">
          From (UTC)
        </Label>
        <Input
          id="operations-from"
          type="date"
          size="small"
          value={value.from ?? ""}
          max={value.to}
          onChange={(event) => set({ from: event.target.value || undefined })}
          data-testid="operations-from"
        />
      </div>
      <div className="flex flex-col gap-y-1">
        <Label size="xsmall" htmlFor="operations-to">
          To (UTC)
        </Label>
        <Input
          id="operations-to"
          type="date"
          size="small"
          value={value.to ?? ""}
          min={value.from}
          onChange={(event) => set({ to: event.target.value || undefined })}
          data-testid="operations-to"
        />
      </div>
      <FilterSelect
        label="Kind"
        testId="operations-kind"
        value={value.kind}
        options={KINDS}
        allLabel="All kinds"
        onChange={(kind) => set({ kind: kind as OperationKind | undefined })}
      />
      <FilterSelect
        label="Status"
        testId="operations-status"
        value={value.status}
        options={STATUSES}
        allLabel="All statuses"
        onChange={(status) => set({ status: status as GateStatus | undefined })}
      />
      <FilterSelect
        label="Currency"
        testId="operations-currency"
        value={value.currency}
        options={OPERATION_CURRENCIES.map((code) => ({ value: code, label: code }))}
        allLabel="All currencies"
        onChange={(currency) => set({ currency })}
      />
    </div>
  )
}

type FilterSelectProps = {
  label: string
  testId: string
  value: string | undefined
  options: { value: string; label: string }[]
  allLabel: string
  onChange: (value: string | undefined) => void
}

function FilterSelect({ label, testId, value, options, allLabel, onChange }: FilterSelectProps) {
  return (
    <div className="flex flex-col gap-y-1">
      <Label size="xsmall">{label}</Label>
      <Select size="small" value={value ?? ALL} onValueChange={(next) => onChange(next === ALL ? undefined : next)}>
        <Select.Trigger className="w-[160px]" data-testid={testId} aria-label={`Filter by ${label.toLowerCase()}`}>
          <Select.Value />
        </Select.Trigger>
        <Select.Content>
          <Select.Item value={ALL} data-testid={`${testId}-${ALL}`}>
            {allLabel}
          </Select.Item>
          {options.map((option) => (
            <Select.Item key={option.value} value={option.value} data-testid={`${testId}-${option.value}`}>
              {option.label}
            </Select.Item>
          ))}
        </Select.Content>
      </Select>
    </div>
  )
}
