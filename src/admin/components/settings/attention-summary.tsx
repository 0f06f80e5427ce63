import { ExclamationCircle } from "@medusajs/icons"
import { Container, StatusBadge, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { useAttentionItems } from "../../lib/queries"
import { errorMessage } from "../../lib/sdk"

/** One line on the settings page: how many things need the admin, and the way to them. */
export function AttentionSummary() {
  const { data, isError, error } = useAttentionItems("open")
  const count = data?.count ?? 0

  return (
    <Container className="flex items-center justify-between gap-x-4 px-6 py-4" data-testid="attention-summary">
      <div className="flex items-center gap-x-2">
        <ExclamationCircle className={count > 0 ? "text-ui-fg-error" : "text-ui-fg-muted"} />
        <Text size="small" weight="plus" data-testid="attention-summary-count">
          {data ? `Needs attention: ${count} open` : isError ? "Needs attention: unavailable" : "Needs attention: …"}
        </Text>
        {isError ? (
          <Text size="small" className="text-ui-fg-error">
            {errorMessage(error)}
          </Text>
        ) : data ? (
          <StatusBadge color={count > 0 ? "orange" : "green"}>{count > 0 ? "Action needed" : "All clear"}</StatusBadge>
        ) : null}
      </div>
      <Link to="/flutterwave-attention" className="txt-compact-small-plus text-ui-fg-interactive hover:underline" data-testid="attention-summary-link">
        Review
      </Link>
    </Container>
  )
}
