import { Select } from "@medusajs/ui"
import type { AttentionStateFilter as AttentionStateFilterValue } from "../../lib/types"

export const ATTENTION_STATE_OPTIONS: { value: AttentionStateFilterValue; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "resolved", label: "Resolved" },
  { value: "all", label: "All" },
]

export function isAttentionStateFilter(value: string | null): value is AttentionStateFilterValue {
  return ATTENTION_STATE_OPTIONS.some((option) => option.value === value)
}

type AttentionStateFilterProps = { value: AttentionStateFilterValue; onChange: (value: AttentionStateFilterValue) => void }

export function AttentionStateFilter({ value, onChange }: AttentionStateFilterProps) {
  return (
    <Select size="small" value={value} onValueChange={(next) => isAttentionStateFilter(next) && onChange(next)}>
      <Select.Trigger className="w-[180px]" data-testid="attention-state-filter" aria-label="Filter by state">
        <Select.Value />
      </Select.Trigger>
      <Select.Content>
        {ATTENTION_STATE_OPTIONS.map((option) => (
          <Select.Item key={option.value} value={option.value} data-testid={`attention-state-filter-${option.value}`}>
            {option.label}
          </Select.Item>
        ))}
      </Select.Content>
    </Select>
  )
}
