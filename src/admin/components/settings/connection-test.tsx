import { Bolt } from "@medusajs/icons"
import { Button, Container, Heading, StatusBadge, Text } from "@medusajs/ui"
import { useTestConnection } from "../../lib/queries"
import { errorMessage } from "../../lib/sdk"

/** Asks the backend to reach Gate with the configured project and secret, and shows what came back. */
export function ConnectionTest() {
  const test = useTestConnection()

  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between gap-x-4 px-6 py-4">
        <div>
          <Heading level="h2">Connection</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Sends a signed request to Gate to check the project ID and secret key.
          </Text>
        </div>
        <Button
          size="small"
          variant="secondary"
          onClick={() => test.mutate()}
          isLoading={test.isPending}
          data-testid="test-connection"
        >
          <Bolt />
          Test connection
        </Button>
      </div>
      {test.data || test.isError ? (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="connection-result">
          {test.data ? (
            <>
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <StatusBadge color={test.data.ok ? "green" : "red"} data-testid="connection-status" data-ok={test.data.ok}>
                  {test.data.ok ? "OK" : "Failed"}
                </StatusBadge>
                <Text size="small" className="text-ui-fg-subtle" data-testid="connection-latency">
                  {test.data.latency_ms} ms
                </Text>
                {test.data.code ? (
                  <Text size="small" className="text-ui-fg-subtle">
                    Code {test.data.code}
                  </Text>
                ) : null}
              </div>
              <Text size="small" data-testid="connection-message">
                {test.data.message}
              </Text>
            </>
          ) : (
            <>
              <StatusBadge color="red" data-testid="connection-status" data-ok={false}>
                Failed
              </StatusBadge>
              <Text size="small" className="text-ui-fg-error" data-testid="connection-message">
                {errorMessage(test.error)}
              </Text>
            </>
          )}
        </div>
      ) : null}
    </Container>
  )
}
