import { Text } from "@medusajs/ui"
import type { ReactNode } from "react"

type SectionRowProps = {
  title: string
  value?: ReactNode
  "data-testid"?: string
}

/** A label / value row, as in the dashboard's own detail sections. */
export function SectionRow({ title, value, "data-testid": testId }: SectionRowProps) {
  const isText = typeof value === "string" || typeof value === "number" || value === null || value === undefined
  return (
    <div data-testid={testId} className="text-ui-fg-subtle grid w-full grid-cols-2 items-center gap-4 px-6 py-4">
      <Text size="small" weight="plus" leading="compact">
        {title}
      </Text>
      {isText ? (
        <Text size="small" leading="compact" className="whitespace-pre-line break-all text-pretty">
          {value === null || value === undefined || value === "" ? "-" : value}
        </Text>
      ) : (
        <div className="txt-compact-small flex min-w-0 flex-wrap items-center gap-1">{value}</div>
      )}
    </div>
  )
}
