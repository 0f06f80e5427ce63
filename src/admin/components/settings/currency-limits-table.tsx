import { Container, Heading, Table, Text } from "@medusajs/ui"
import type { AmountLimit, FlutterwaveSettings } from "../../lib/types"

function limitText(limit: AmountLimit | undefined, currency: string): string {
  return limit ? `${limit.min} – ${limit.max} ${currency}` : "No limit configured"
}

/** Every currency the plugin takes payments in, with its sale limits and, where banks exist, payout limits. */
export function CurrencyLimitsTable({ settings }: { settings: FlutterwaveSettings }) {
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">Currencies</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Limits are in major units and are checked before anything is sent to Gate.
        </Text>
      </div>
      <div className="overflow-x-auto">
        <Table data-testid="currencies-table">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Currency</Table.HeaderCell>
              <Table.HeaderCell>Sale limits</Table.HeaderCell>
              <Table.HeaderCell>Payouts</Table.HeaderCell>
              <Table.HeaderCell>Payout limits</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {settings.currencies.map((currency) => {
              const payouts = settings.payout_currencies.includes(currency)
              return (
                <Table.Row key={currency} data-testid="currency-row" data-currency={currency}>
                  <Table.Cell className="font-medium">{currency}</Table.Cell>
                  <Table.Cell>{limitText(settings.sale_limits[currency], currency)}</Table.Cell>
                  <Table.Cell>{payouts ? "Yes" : "No"}</Table.Cell>
                  <Table.Cell>{payouts ? limitText(settings.payout_limits[currency], currency) : "-"}</Table.Cell>
                </Table.Row>
              )
            })}
          </Table.Body>
        </Table>
      </div>
    </Container>
  )
}
