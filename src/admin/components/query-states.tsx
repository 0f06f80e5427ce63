import { Container, Text } from "@medusajs/ui"
import { errorMessage } from "../lib/sdk"

export function LoadingState({ label = "Loading…" }: { label?: string }) {
  return (
    <Container className="px-6 py-4" data-testid="loading">
      <Text size="small" className="text-ui-fg-subtle">
        {label}
      </Text>
    </Container>
  )
}

/** The API's message under a short title; `bare` drops the Container for use inside an existing one. */
export function ErrorState({ error, title, bare }: { error: unknown; title: string; bare?: boolean }) {
  const content = (
    <div className="flex flex-col gap-y-1" data-testid="load-error">
      <Text size="small" weight="plus">
        {title}
      </Text>
      <Text size="small" className="text-ui-fg-error">
        {errorMessage(error)}
      </Text>
    </div>
  )
  return bare ? <div className="px-6 py-4">{content}</div> : <Container className="px-6 py-4">{content}</Container>
}
