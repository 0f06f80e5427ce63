import { Hint, Label, Text } from "@medusajs/ui"
import type { ReactNode } from "react"

type FormFieldProps = {
  id: string
  label: string
  optional?: boolean
  error?: string
  hint?: ReactNode
  children: ReactNode
}

/** Label, control, then either the validation error or a hint, like the dashboard's Form.Item. */
export function FormField({ id, label, optional, error, hint, children }: FormFieldProps) {
  return (
    <div className="flex flex-col gap-y-2">
      <div className="flex items-center gap-x-1">
        <Label htmlFor={id} size="small" weight="plus">
          {label}
        </Label>
        {optional ? (
          <Text size="small" leading="compact" className="text-ui-fg-muted">
            (Optional)
          </Text>
        ) : null}
      </div>
      {children}
      {error ? (
        <Hint variant="error" data-testid={`${id}-error`}>
          {error}
        </Hint>
      ) : hint ? (
        <Hint>{hint}</Hint>
      ) : null}
    </div>
  )
}
