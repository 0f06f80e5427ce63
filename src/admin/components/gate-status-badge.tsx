import { StatusBadge } from "@medusajs/ui"
import type { ComponentPropsWithoutRef } from "react"

type BadgeColor = "green" | "orange" | "red" | "grey"

const LABELS: Record<string, string> = { success: "Success", pending: "Pending", decline: "Declined" }

/** Gate reports our own three statuses, plus free-form payment statuses such as "partially refunded". */
function colorOf(status: string): BadgeColor {
  if (status === "success" || status === "refunded" || status === "partially refunded") return "green"
  if (/(decline|error|fail|reject|cancel|expire)/.test(status)) return "red"
  if (/(pending|process|await|hold|external)/.test(status)) return "orange"
  return "grey"
}

function labelOf(status: string): string {
  return LABELS[status] ?? status.charAt(0).toUpperCase() + status.slice(1)
}

type GateStatusBadgeProps = Omit<ComponentPropsWithoutRef<typeof StatusBadge>, "color" | "children"> & {
  status: string | null | undefined
}

/** Green success, orange pending, red decline. `data-status` carries the raw value for tests and styling. */
export function GateStatusBadge({ status, ...props }: GateStatusBadgeProps) {
  const value = (status ?? "unknown").toLowerCase()
  return (
    <StatusBadge color={colorOf(value)} data-status={value} {...props}>
      {status ? labelOf(value) : "Unknown"}
    </StatusBadge>
  )
}
