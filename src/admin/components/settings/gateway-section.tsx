import { Badge, Container, Heading, StatusBadge, Text } from "@medusajs/ui"
import type { FlutterwaveSettings } from "../../lib/types"
import { CopyButton } from "../copy-button"
import { SectionRow } from "../section-row"

/** What the backend is configured with. The secret key is only ever reported as present or missing. */
export function GatewaySection({ settings }: { settings: FlutterwaveSettings }) {
  return (
    <Container className="divide-y p-0" data-testid="flutterwave-settings">
      <div className="px-6 py-4">
        <Heading>Flutterwave</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Flutterwave payments and payouts through ECommPay Gate. These values come from the plugin options.
        </Text>
      </div>
      <SectionRow title="Project ID" value={String(settings.project_id)} data-testid="settings-project-id" />
      <SectionRow
        title="Mode"
        value={
          <Badge size="2xsmall" color={settings.mode === "live" ? "green" : "orange"} data-testid="settings-mode">
            {settings.mode === "live" ? "Live" : "Sandbox"}
          </Badge>
        }
      />
      <SectionRow
        title="Gate URL"
        value={<span className="break-all font-mono">{settings.gate_url}</span>}
        data-testid="settings-gate-url"
      />
      <SectionRow
        title="Callback URL"
        value={
          <div className="flex w-full items-center justify-between gap-x-3">
            <span className="min-w-0 break-all font-mono" data-testid="callback-url">
              {settings.callback_url}
            </span>
            <CopyButton text={settings.callback_url} data-testid="copy-callback-url" />
          </div>
        }
      />
      <SectionRow
        title="Secret key"
        value={
          <StatusBadge color={settings.secret_configured ? "green" : "red"} data-testid="settings-secret">
            {settings.secret_configured ? "Configured" : "Missing"}
          </StatusBadge>
        }
      />
      <div className="px-6 py-4">
        <Text size="small" className="text-ui-fg-subtle">
          Paste the callback URL into the ECommPay dashboard so Gate can report payment, refund and payout results.
        </Text>
      </div>
    </Container>
  )
}
