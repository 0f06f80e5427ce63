import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ErrorState, LoadingState } from "../../../components/query-states"
import { AttentionSummary } from "../../../components/settings/attention-summary"
import { ReconciliationSection } from "../../../components/settings/reconciliation-section"
import { SettingsChanges, SettingsForm } from "../../../components/settings/settings-form"
import { useFlutterwaveSettings } from "../../../lib/queries"

const FlutterwaveSettingsPage = () => {
  const { data, isLoading, isError, error } = useFlutterwaveSettings()

  if (isError) return <ErrorState error={error} title="Could not load the Flutterwave settings" />
  if (isLoading || !data) return <LoadingState label="Loading Flutterwave settings…" />

  return (
    <div className="flex flex-col gap-y-3">
      <SettingsForm settings={data} />
      <AttentionSummary />
      <ReconciliationSection rail={data.rail} />
      <SettingsChanges settings={data} />
    </div>
  )
}

export const config = defineRouteConfig({
  label: "Flutterwave",
})

export const handle = {
  breadcrumb: () => "Flutterwave",
}

export default FlutterwaveSettingsPage
