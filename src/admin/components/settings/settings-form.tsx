import { Bolt } from "@medusajs/icons"
import { Badge, Button, Container, Heading, Hint, Input, Label, Select, StatusBadge, Table, Text } from "@medusajs/ui"
import { useEffect, useMemo, useState, type ReactNode } from "react"
import { useSaveSettings, useTestConnection } from "../../lib/queries"
import { errorMessage } from "../../lib/sdk"
import type { AmountLimit, ConnectionTestResult, FlutterwaveSettings, SettingsChangesBody, SettingsFieldName } from "../../lib/types"
import { CopyButton } from "../copy-button"

type Limits = Record<string, AmountLimit>

/** What the form holds: the settings in force, as typed. The secret starts empty: it is never sent to the browser. */
type Draft = {
  checkout: "payment_page" | "gate"
  project_id: string
  secret_key: string
  gate_url: string
  payment_page_url: string
  sale_limits: Limits
  payout_limits: Limits
}

function draftOf(settings: FlutterwaveSettings): Draft {
  return {
    checkout: settings.checkout,
    project_id: settings.project_id === null ? "" : String(settings.project_id),
    secret_key: "",
    gate_url: settings.gate_url,
    payment_page_url: settings.payment_page_url,
    sale_limits: structuredClone(settings.sale_limits),
    payout_limits: pick(settings.payout_limits, settings.payout_currencies),
  }
}

function pick(limits: Limits, currencies: string[]): Limits {
  return Object.fromEntries(currencies.filter((c) => limits[c]).map((c) => [c, { ...limits[c] }]))
}

function sameLimits(a: Limits, b: Limits): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].every((k) => (a[k]?.min ?? "").trim() === (b[k]?.min ?? "").trim() && (a[k]?.max ?? "").trim() === (b[k]?.max ?? "").trim())
}

/** Only what the admin changed, and only where the admin may change it (medusa-config's values win). */
function changesOf(settings: FlutterwaveSettings, draft: Draft): SettingsChangesBody {
  const initial = draftOf(settings)
  const editable = (field: SettingsFieldName) => settings.fields[field].editable
  const changes: SettingsChangesBody = {}
  if (editable("checkout") && draft.checkout !== initial.checkout) changes.checkout = draft.checkout
  if (editable("project_id") && draft.project_id.trim() !== initial.project_id) changes.project_id = draft.project_id.trim()
  if (editable("secret_key") && settings.secret_editing.enabled && draft.secret_key !== "") changes.secret_key = draft.secret_key
  if (editable("gate_url") && draft.gate_url.trim() !== initial.gate_url) changes.gate_url = draft.gate_url.trim()
  if (editable("payment_page_url") && draft.payment_page_url.trim() !== initial.payment_page_url) {
    changes.payment_page_url = draft.payment_page_url.trim()
  }
  if (editable("sale_limits") && !sameLimits(draft.sale_limits, initial.sale_limits)) {
    changes.sale_limits = overrides(draft.sale_limits, settings.default_sale_limits)
  }
  if (editable("payout_limits") && !sameLimits(draft.payout_limits, initial.payout_limits)) {
    changes.payout_limits = overrides(draft.payout_limits, settings.default_payout_limits)
  }
  return changes
}

/**
 * The rows that differ from the plugin's defaults, or null when none do (back to the defaults). An empty row means
 * "the default" and is not sent; half a row is, and the server refuses it. Saving only differences keeps a later
 * version's corrected defaults in force for every currency the admin did not set.
 */
function overrides(limits: Limits, defaults: Limits): Limits | null {
  const rows = Object.entries(limits)
    .map(([currency, limit]) => [currency, { min: limit.min.trim(), max: limit.max.trim() }] as const)
    .filter(([currency, limit]) => {
      if (limit.min === "" && limit.max === "") return false
      const fallback = defaults[currency]
      return !(fallback && fallback.min === limit.min && fallback.max === limit.max)
    })
  return rows.length > 0 ? Object.fromEntries(rows) : null
}

const FIELD_LABELS: Record<SettingsFieldName, string> = {
  checkout: "Checkout",
  project_id: "Project ID",
  secret_key: "Secret key",
  gate_url: "Gate URL",
  payment_page_url: "Payment Page URL",
  sale_limits: "Sale limits",
  payout_limits: "Payout limits",
}

/** Where a value comes from; medusa-config's (an environment variable) cannot be changed here. */
function SourceBadge({ settings, field }: { settings: FlutterwaveSettings; field: SettingsFieldName }) {
  const { source, variable } = settings.fields[field]
  if (source === "config") {
    return (
      <div className="flex flex-col items-start gap-y-1">
        <Badge size="2xsmall" color="grey" data-testid={`source-${field}`} data-source={source}>
          medusa-config
        </Badge>
        {variable ? (
          <Text size="xsmall" className="text-ui-fg-muted break-all font-mono" data-testid={`variable-${field}`}>
            {variable}
          </Text>
        ) : null}
      </div>
    )
  }
  return (
    <Badge size="2xsmall" color={source === "admin" ? "blue" : "grey"} data-testid={`source-${field}`} data-source={source}>
      {source === "admin" ? "Saved here" : "Default"}
    </Badge>
  )
}

function Field({
  settings,
  field,
  hint,
  children,
}: {
  settings: FlutterwaveSettings
  field: SettingsFieldName
  hint?: ReactNode
  children: ReactNode
}) {
  const fromConfig = settings.fields[field].source === "config"
  return (
    <div className="grid grid-cols-1 gap-2 px-6 py-4 md:grid-cols-[12rem_1fr]">
      <div className="flex flex-col gap-y-1">
        <Label htmlFor={`setting-${field}`} size="small" weight="plus">
          {FIELD_LABELS[field]}
        </Label>
        <div>
          <SourceBadge settings={settings} field={field} />
        </div>
      </div>
      <div className="flex flex-col gap-y-2">
        {children}
        {fromConfig ? (
          <Hint>Set in medusa-config{settings.fields[field].variable ? ` (${settings.fields[field].variable})` : ""}, which wins: change it there.</Hint>
        ) : hint ? (
          <Hint>{hint}</Hint>
        ) : null}
      </div>
    </div>
  )
}

function ConnectionResult({ result, error }: { result?: ConnectionTestResult; error?: unknown }) {
  if (!result && !error) return null
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="connection-result">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <StatusBadge color={result?.ok ? "green" : "red"} data-testid="connection-status" data-ok={Boolean(result?.ok)}>
          {result?.ok ? "OK" : "Failed"}
        </StatusBadge>
        {result ? (
          <Text size="small" className="text-ui-fg-subtle" data-testid="connection-latency">
            {result.latency_ms} ms
          </Text>
        ) : null}
        {result?.code ? (
          <Text size="small" className="text-ui-fg-subtle">
            Code {result.code}
          </Text>
        ) : null}
      </div>
      <Text size="small" className={result ? undefined : "text-ui-fg-error"} data-testid="connection-message">
        {result ? result.message : errorMessage(error)}
      </Text>
    </div>
  )
}

function LimitsTable({
  id,
  currencies,
  limits,
  disabled,
  onChange,
}: {
  id: string
  currencies: string[]
  limits: Limits
  disabled: boolean
  onChange: (limits: Limits) => void
}) {
  const set = (currency: string, end: "min" | "max", value: string) =>
    onChange({ ...limits, [currency]: { ...(limits[currency] ?? { min: "", max: "" }), [end]: value } })
  return (
    <Table data-testid={id}>
      <Table.Header>
        <Table.Row>
          <Table.HeaderCell>Currency</Table.HeaderCell>
          <Table.HeaderCell>Minimum</Table.HeaderCell>
          <Table.HeaderCell>Maximum</Table.HeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {currencies.map((currency) => (
          <Table.Row key={currency} data-testid="currency-row" data-currency={currency}>
            <Table.Cell className="font-medium">{currency}</Table.Cell>
            {(["min", "max"] as const).map((end) => (
              <Table.Cell key={end}>
                <Input
                  size="small"
                  inputMode="decimal"
                  aria-label={`${currency} ${end === "min" ? "minimum" : "maximum"}`}
                  data-testid={`${id}-${currency}-${end}`}
                  value={limits[currency]?.[end] ?? ""}
                  placeholder="No limit"
                  disabled={disabled}
                  onChange={(event) => set(currency, end, event.target.value)}
                />
              </Table.Cell>
            ))}
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  )
}

/**
 * Settings → Flutterwave: the ECommPay keys, URLs, checkout mode and limits. "Test connection" tries the typed values
 * before anything is saved; "Save" tests them again on the server and refuses what fails. The secret is write-only.
 */
export function SettingsForm({ settings }: { settings: FlutterwaveSettings }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings))
  // A save (here or, on the next load, elsewhere) gives a new version: the form shows what is now in force.
  useEffect(() => setDraft(draftOf(settings)), [settings.version])
  const changes = useMemo(() => changesOf(settings, draft), [settings, draft])
  const dirty = Object.keys(changes).length > 0
  const test = useTestConnection()
  const save = useSaveSettings()
  const [saved, setSaved] = useState<string[] | undefined>()
  const update = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setSaved(undefined)
    setDraft((current) => ({ ...current, [key]: value }))
  }
  const locked = (field: SettingsFieldName) => !settings.fields[field].editable
  const secretLocked = locked("secret_key") || !settings.secret_editing.enabled

  return (
    <Container className="divide-y p-0" data-testid="flutterwave-settings">
      <div className="flex flex-wrap items-start justify-between gap-4 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <Heading>Flutterwave</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Flutterwave payments and payouts through ECommPay. Values set in medusa-config (environment variables) win over
            the ones saved here.
          </Text>
        </div>
        <StatusBadge color={settings.configured ? "green" : "red"} data-testid="settings-state">
          {settings.configured ? "Ready" : "Not set up"}
        </StatusBadge>
      </div>
      {settings.problem ? (
        <div className="px-6 py-3">
          <Text size="small" className="text-ui-fg-error" data-testid="settings-problem">
            {settings.problem}
          </Text>
        </div>
      ) : null}

      <Field settings={settings} field="checkout" hint="Payment Page needs no PCI DSS certificate; a Gate sale does.">
        <Select value={draft.checkout} onValueChange={(value) => update("checkout", value as Draft["checkout"])} disabled={locked("checkout")}>
          <Select.Trigger id="setting-checkout" data-testid="setting-checkout">
            <Select.Value />
          </Select.Trigger>
          <Select.Content>
            <Select.Item value="payment_page">ECommPay Payment Page (recommended)</Select.Item>
            <Select.Item value="gate">Gate sale (PCI DSS)</Select.Item>
          </Select.Content>
        </Select>
      </Field>

      <Field settings={settings} field="project_id" hint="Your ECommPay project ID, in ECommPay's dashboard under Projects.">
        <Input
          id="setting-project_id"
          data-testid="setting-project-id"
          inputMode="numeric"
          value={draft.project_id}
          disabled={locked("project_id")}
          onChange={(event) => update("project_id", event.target.value)}
        />
      </Field>

      <Field
        settings={settings}
        field="secret_key"
        hint={
          settings.secret_editing.enabled
            ? "Write-only: stored encrypted, never shown again. Leave empty to keep the current one."
            : `Read-only here: ${settings.secret_editing.reason}.`
        }
      >
        <Text size="small" data-testid="settings-secret" data-set={settings.secret.set}>
          {settings.secret.set
            ? `Set${settings.secret.ends_with ? ` · ends in …${settings.secret.ends_with}` : ""}`
            : "Not set"}
        </Text>
        {settings.secret.problem ? (
          <Text size="small" className="text-ui-fg-error" data-testid="settings-secret-problem">
            {settings.secret.problem}
          </Text>
        ) : null}
        <Input
          id="setting-secret_key"
          data-testid="setting-secret-key"
          type="password"
          autoComplete="new-password"
          placeholder={settings.secret.set ? "Type a new secret key to replace it" : "Your ECommPay secret key"}
          value={draft.secret_key}
          disabled={secretLocked}
          onChange={(event) => update("secret_key", event.target.value)}
        />
      </Field>

      {(["gate_url", "payment_page_url"] as const).map((field) => (
        <Field
          key={field}
          settings={settings}
          field={field}
          hint={
            <span>
              {draft[field].trim() === settings.live_urls[field] ? "Live: ECommPay production." : "Not ECommPay's production address (a sandbox)."}
            </span>
          }
        >
          <div className="flex items-center gap-x-2 [&>*:first-child]:flex-1">
            <Input
              id={`setting-${field}`}
              data-testid={`setting-${field.replace(/_/g, "-")}`}
              className="font-mono"
              value={draft[field]}
              disabled={locked(field)}
              onChange={(event) => update(field, event.target.value)}
            />
            <Button
              size="small"
              variant="secondary"
              disabled={locked(field) || draft[field].trim() === settings.live_urls[field]}
              onClick={() => update(field, settings.live_urls[field])}
            >
              Use live
            </Button>
          </div>
        </Field>
      ))}

      <Field settings={settings} field="sale_limits" hint="Major units, checked before anything is sent to ECommPay. An empty row takes the default (NGN: the method's limits; others: none).">
        <LimitsTable
          id="sale-limits"
          currencies={settings.currencies}
          limits={draft.sale_limits}
          disabled={locked("sale_limits")}
          onChange={(limits) => update("sale_limits", limits)}
        />
      </Field>
      <Field settings={settings} field="payout_limits" hint="Major units, per payout currency.">
        <LimitsTable
          id="payout-limits"
          currencies={settings.payout_currencies}
          limits={draft.payout_limits}
          disabled={locked("payout_limits")}
          onChange={(limits) => update("payout_limits", limits)}
        />
      </Field>

      <div className="flex flex-wrap items-center justify-end gap-2 px-6 py-4">
        {saved ? (
          <Text size="small" className="text-ui-fg-subtle mr-auto" data-testid="settings-saved">
            {saved.length > 0 ? `Saved: ${saved.map((f) => FIELD_LABELS[f as SettingsFieldName] ?? f).join(", ")}` : "Nothing changed"}
          </Text>
        ) : null}
        {save.isError ? (
          <Text size="small" className="text-ui-fg-error mr-auto" data-testid="settings-save-error">
            {errorMessage(save.error)}
          </Text>
        ) : null}
        <Button size="small" variant="secondary" disabled={!dirty} onClick={() => setDraft(draftOf(settings))}>
          Discard
        </Button>
        <Button
          size="small"
          variant="secondary"
          onClick={() => test.mutate(changes)}
          isLoading={test.isPending}
          data-testid="test-connection"
        >
          <Bolt />
          Test connection
        </Button>
        <Button
          size="small"
          disabled={!dirty}
          isLoading={save.isPending}
          data-testid="save-settings"
          onClick={() =>
            save.mutate(
              { ...changes, version: settings.version },
              {
                onSuccess: (answer) => {
                  setSaved(answer.changed)
                  // Never keep a typed secret in the page longer than needed, even when nothing changed.
                  setDraft((current) => ({ ...current, secret_key: "" }))
                },
              }
            )
          }
        >
          Save
        </Button>
      </div>
      <ConnectionResult result={test.data} error={test.isError ? test.error : undefined} />

      <div className="flex flex-col gap-y-2 px-6 py-4">
        <Text size="small" weight="plus">
          Callback URL
        </Text>
        <div className="flex w-full items-center justify-between gap-x-3">
          <span className="min-w-0 break-all font-mono text-sm" data-testid="callback-url">
            {settings.callback_url}
          </span>
          <CopyButton text={settings.callback_url} data-testid="copy-callback-url" />
        </div>
        <Text size="small" className="text-ui-fg-subtle">
          Paste it into ECommPay's dashboard so ECommPay can report payment, refund and payout results.
        </Text>
      </div>
    </Container>
  )
}

/** Who changed the settings, when, and which fields: never the values. */
export function SettingsChanges({ settings }: { settings: FlutterwaveSettings }) {
  return (
    <Container className="divide-y p-0" data-testid="settings-changes">
      <div className="px-6 py-4">
        <Heading level="h2">Changes</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Every save made here, newest first. Secret values are never recorded.
        </Text>
      </div>
      {settings.changes.length === 0 ? (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          No changes saved in the admin yet.
        </Text>
      ) : (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>When</Table.HeaderCell>
              <Table.HeaderCell>Who</Table.HeaderCell>
              <Table.HeaderCell>Fields</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {settings.changes.map((change) => (
              <Table.Row key={change.id} data-testid="settings-change">
                <Table.Cell>{new Date(change.at).toLocaleString()}</Table.Cell>
                <Table.Cell>{change.actor?.email ?? change.actor?.id ?? "-"}</Table.Cell>
                <Table.Cell>{change.fields.map((f) => FIELD_LABELS[f] ?? f).join(", ")}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}
