import { Select } from "@medusajs/ui"
import type { GateStatus } from "../../lib/types"

export type StatusFilterValue = "all" | GateStatus

export const STATUS_FILTER_OPTIONS: { value: StatusFilterValue; label: string }[] = [
  { value: "all", label: "All statuses" },
  { value: "pending", label: "Pending" },
  { value: "success", label: "Success" },
  { value: "decline", label: "Declined" },
]

export function isStatusFilterValue(value: string | null): value is StatusFilterValue {
  return STATUS_FILTER_OPTIONS.some((option) => option.value === value)
}

type StatusFilterProps = { value: StatusFilterValue; onChange: (value: StatusFilterValue) => void }

export function StatusFilter({ value, onChange }: StatusFilterProps) {
  return (
    <Select size="small" value={value} onValueChange={(next) => isStatusFilterValue(next) && onChange(next)}>
      <Select.Trigger className="w-[180px]" data-testid="status-filter" aria-label="Filter by status">
        <Select.Value />
      </Select.Trigger>
      <Select.Content>
        {STATUS_FILTER_OPTIONS.map((option) => (
          <Select.Item key={option.value} value={option.value} data-testid={`status-filter-${option.value}`}>
            {option.label}
          </Select.Item>
        ))}
      </Select.Content>
    </Select>
  )
}
