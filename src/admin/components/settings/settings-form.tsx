import { Bolt, CheckCircle } from "@medusajs/icons"
import { Badge, Button, Container, Heading, Hint, Input, Label, Select, StatusBadge, Table, Text } from "@medusajs/ui"
import { useEffect, useMemo, useState, type ReactNode } from "react"
import { useSaveSettings, useTestConnection } from "../../lib/queries"
import { errorMessage } from "../../lib/sdk"
import type {
  AmountLimit,
  ConnectionTestResult,
  FlutterwaveSettings,
  FlutterwaveV3Settings,
  RailChoice,
  SealedFieldName,
  SettingsChangesBody,
  SettingsFieldName,
} from "../../lib/types"
import { CopyButton } from "../copy-button"

type Limits = Record<string, AmountLimit>
type LimitsField = "sale_limits" | "payout_limits"

const RAIL_LABELS: Record<RailChoice, string> = {
  ecommpay: "ECommPay (Payment Page or Gate)",
  "flutterwave-v3": "My Flutterwave account (direct)",
}

/** The direct rail's write-only keys, in the order the form shows them. */
const V3_SECRETS = ["flutterwave_secret_key", "flutterwave_encryption_key", "flutterwave_secret_hash"] as const

/**
 * What the form holds: the settings in force, as typed. The secrets start empty: they are never sent to the browser.
 * The ECommPay and direct-rail fields are both kept, whichever rail is shown: switching back and forth loses nothing.
 */
type Draft = {
  rail: RailChoice
  checkout: "payment_page" | "gate"
  project_id: string
  secret_key: string
  gate_url: string
  payment_page_url: string
  flutterwave_public_key: string
  flutterwave_secret_key: string
  flutterwave_encryption_key: string
  flutterwave_secret_hash: string
  flutterwave_api_url: string
  sale_limits: Limits
  payout_limits: Limits
}

/** Every write-only key of the draft, emptied: what the page keeps of them once they are saved. */
const NO_TYPED_SECRETS = {
  secret_key: "",
  flutterwave_secret_key: "",
  flutterwave_encryption_key: "",
  flutterwave_secret_hash: "",
} as const satisfies Record<SealedFieldName, "">

function draftOf(settings: FlutterwaveSettings): Draft {
  return {
    rail: settings.rail,
    checkout: settings.checkout,
    project_id: settings.project_id === null ? "" : String(settings.project_id),
    gate_url: settings.gate_url,
    payment_page_url: settings.payment_page_url,
    flutterwave_public_key: settings.flutterwave_v3.public_key ?? "",
    ...NO_TYPED_SECRETS,
    flutterwave_api_url: settings.flutterwave_v3.api_url,
    sale_limits: limitsWith(settings, settings.rail, "sale_limits"),
    payout_limits: limitsWith(settings, settings.rail, "payout_limits"),
  }
}

/**
 * What an empty limits row falls back to with `rail`. ECommPay: the method's limits (the server's default_*). The
 * direct rail: none, as the server resolves it (src/options.ts): Flutterwave publishes no limits that hold for every
 * account. The server's default_* are ECommPay's whatever the rail, so they are not used for the direct rail.
 */
function defaultLimits(settings: FlutterwaveSettings, rail: RailChoice, field: LimitsField): Limits {
  if (rail === "flutterwave-v3") return {}
  return field === "sale_limits" ? settings.default_sale_limits : settings.default_payout_limits
}

/**
 * The limits that would be in force with `rail`. For the rail in force, the server's. For the other one, the rows that
 * differ from the in-force rail's defaults (what was saved or set in medusa-config) over the other rail's defaults,
 * as the server would resolve them once it is saved: an admin switching rails sees the limits that would then hold.
 */
function limitsWith(settings: FlutterwaveSettings, rail: RailChoice, field: LimitsField): Limits {
  const inForce = settings[field]
  const limits =
    rail === settings.rail ? inForce : { ...defaultLimits(settings, rail, field), ...withoutDefaults(inForce, defaultLimits(settings, settings.rail, field)) }
  // Payouts: only the currencies the rail in force can pay out in (the server lists no other rail's).
  return field === "payout_limits" ? pick(limits, settings.payout_currencies) : structuredClone(limits)
}

function pick(limits: Limits, currencies: string[]): Limits {
  return Object.fromEntries(currencies.filter((c) => limits[c]).map((c) => [c, { ...limits[c] }]))
}

function isDefaultRow(limit: AmountLimit, fallback: AmountLimit | undefined): boolean {
  return Boolean(fallback && fallback.min === limit.min && fallback.max === limit.max)
}

function withoutDefaults(limits: Limits, defaults: Limits): Limits {
  return Object.fromEntries(Object.entries(limits).filter(([currency, limit]) => !isDefaultRow(limit, defaults[currency])))
}

function sameLimits(a: Limits, b: Limits): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].every((k) => (a[k]?.min ?? "").trim() === (b[k]?.min ?? "").trim() && (a[k]?.max ?? "").trim() === (b[k]?.max ?? "").trim())
}

/**
 * Only what the admin changed, and only where the admin may change it (medusa-config's values win). Changes typed
 * under the rail not shown are sent too: the draft is one, and the saved list names every field saved.
 */
function changesOf(settings: FlutterwaveSettings, draft: Draft): SettingsChangesBody {
  const initial = draftOf(settings)
  const editable = (field: SettingsFieldName) => settings.fields[field].editable
  const changes: SettingsChangesBody = {}
  if (editable("rail") && draft.rail !== initial.rail) changes.rail = draft.rail
  if (editable("checkout") && draft.checkout !== initial.checkout) changes.checkout = draft.checkout
  if (editable("project_id") && draft.project_id.trim() !== initial.project_id) changes.project_id = draft.project_id.trim()
  if (editable("gate_url") && draft.gate_url.trim() !== initial.gate_url) changes.gate_url = draft.gate_url.trim()
  if (editable("payment_page_url") && draft.payment_page_url.trim() !== initial.payment_page_url) {
    changes.payment_page_url = draft.payment_page_url.trim()
  }
  // Emptied: cleared (no public key; the API URL back to Flutterwave's production API).
  const publicKey = draft.flutterwave_public_key.trim()
  if (editable("flutterwave_public_key") && publicKey !== initial.flutterwave_public_key) {
    changes.flutterwave_public_key = publicKey === "" ? null : publicKey
  }
  // Write-only keys: sent only when typed (empty keeps the stored one).
  for (const field of ["secret_key", ...V3_SECRETS] as const) {
    if (editable(field) && settings.secret_editing.enabled && draft[field] !== "") changes[field] = draft[field]
  }
  const apiUrl = draft.flutterwave_api_url.trim()
  if (editable("flutterwave_api_url") && apiUrl !== initial.flutterwave_api_url) changes.flutterwave_api_url = apiUrl === "" ? null : apiUrl
  // Limits compare with those that would hold with the draft's rail, and are saved as differences from its defaults.
  for (const field of ["sale_limits", "payout_limits"] as const) {
    if (editable(field) && !sameLimits(draft[field], limitsWith(settings, draft.rail, field))) {
      changes[field] = overrides(draft[field], defaultLimits(settings, draft.rail, field))
    }
  }
  return changes
}

/**
 * The rows that differ from the rail's defaults, or null when none do (back to the defaults). An empty row means
 * "the default" and is not sent; half a row is, and the server refuses it. Saving only differences keeps a later
 * version's corrected defaults in force for every currency the admin did not set.
 */
function overrides(limits: Limits, defaults: Limits): Limits | null {
  const rows = Object.entries(limits)
    .map(([currency, limit]) => [currency, { min: limit.min.trim(), max: limit.max.trim() }] as const)
    .filter(([currency, limit]) => !(limit.min === "" && limit.max === "") && !isDefaultRow(limit, defaults[currency]))
  return rows.length > 0 ? Object.fromEntries(rows) : null
}

const FIELD_LABELS: Record<SettingsFieldName, string> = {
  rail: "Payments through",
  checkout: "Checkout",
  project_id: "Project ID",
  secret_key: "Secret key",
  gate_url: "Gate URL",
  payment_page_url: "Payment Page URL",
  // Named as Flutterwave's, so the saved list and the change log tell them from ECommPay's.
  flutterwave_public_key: "Flutterwave public key",
  flutterwave_secret_key: "Flutterwave secret key",
  flutterwave_encryption_key: "Flutterwave encryption key",
  flutterwave_secret_hash: "Webhook secret hash",
  flutterwave_api_url: "Flutterwave API URL",
  sale_limits: "Sale limits",
  payout_limits: "Payout limits",
}

/** data-testid of each write-only key's "Set · ends in …" line (the ECommPay secret's predates the others). */
const SECRET_STATUS_TEST_IDS: Record<SealedFieldName, string> = {
  secret_key: "settings-secret",
  flutterwave_secret_key: "settings-flutterwave-secret-key",
  flutterwave_encryption_key: "settings-flutterwave-encryption-key",
  flutterwave_secret_hash: "settings-flutterwave-secret-hash",
}

const testIdOf = (field: SettingsFieldName) => `setting-${field.replace(/_/g, "-")}`

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
 * A write-only key: whether one is set and its last four characters, never its value, and a password input to replace
 * it. Locked when medusa-config sets it, or when the server could not seal what is typed (FLUTTERWAVE_SETTINGS_KEY).
 */
/** A backend's address, with a button that puts its production address in ("Use live"). */
function UrlField({
  settings,
  field,
  hint,
  value,
  live,
  liveUrl,
  locked,
  onChange,
}: {
  settings: FlutterwaveSettings
  field: "gate_url" | "payment_page_url" | "flutterwave_api_url"
  hint: ReactNode
  value: string
  /** Whether `value` is already the production address. */
  live: boolean
  liveUrl: string
  locked: boolean
  onChange: (value: string) => void
}) {
  return (
    <Field settings={settings} field={field} hint={hint}>
      <div className="flex items-center gap-x-2 [&>*:first-child]:flex-1">
        <Input
          id={`setting-${field}`}
          data-testid={testIdOf(field)}
          className="font-mono"
          value={value}
          disabled={locked}
          onChange={(event) => onChange(event.target.value)}
        />
        <Button size="small" variant="secondary" disabled={locked || live} onClick={() => onChange(liveUrl)}>
          Use live
        </Button>
      </div>
    </Field>
  )
}

function SecretField({
  settings,
  field,
  where,
  placeholder,
  value,
  onChange,
  children,
}: {
  settings: FlutterwaveSettings
  field: SealedFieldName
  /** Where the admin finds it, before the hint's write-only note. */
  where?: string
  placeholder: { set: string; unset: string }
  value: string
  onChange: (value: string) => void
  /** Under the status line: what is wrong with the stored key, if anything. */
  children?: ReactNode
}) {
  const status = settings.secrets[field]
  const locked = !settings.fields[field].editable || !settings.secret_editing.enabled
  const writeOnly = settings.secret_editing.enabled
    ? "Write-only: stored encrypted, never shown again. Leave empty to keep the current one."
    : `Read-only here: ${settings.secret_editing.reason}.`
  return (
    <Field settings={settings} field={field} hint={where ? `${where} ${writeOnly}` : writeOnly}>
      <Text size="small" data-testid={SECRET_STATUS_TEST_IDS[field]} data-set={status.set}>
        {status.set ? `Set${status.ends_with ? ` · ends in …${status.ends_with}` : ""}` : "Not set"}
      </Text>
      {children}
      <Input
        id={`setting-${field}`}
        data-testid={testIdOf(field)}
        type="password"
        autoComplete="new-password"
        placeholder={status.set ? placeholder.set : placeholder.unset}
        value={value}
        disabled={locked}
        onChange={(event) => onChange(event.target.value)}
      />
    </Field>
  )
}

/**
 * What the merchant sets in Flutterwave's dashboard (Settings → Webhooks): the URL to paste and the boxes to tick. The
 * server gives both, from the list the README shows too. Nothing here is saved: it is Flutterwave's side.
 */
function FlutterwaveWebhook({ v3 }: { v3: FlutterwaveV3Settings }) {
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="flutterwave-webhook">
      <Text size="small" weight="plus">
        Webhook
      </Text>
      <div className="flex w-full items-center justify-between gap-x-3">
        <span className="min-w-0 break-all font-mono text-sm" data-testid="flutterwave-webhook-url">
          {v3.webhook_url}
        </span>
        <CopyButton text={v3.webhook_url} data-testid="copy-flutterwave-webhook-url" />
      </div>
      <Text size="small" className="text-ui-fg-subtle">
        Paste it in Flutterwave dashboard → Settings → Webhooks → URL, type the same secret hash as above, and tick:
      </Text>
      <ul className="flex flex-col gap-y-2" data-testid="flutterwave-webhook-options">
        {v3.webhook_options.map((option) => (
          <li key={option.id} className="flex items-start gap-x-2" data-testid="flutterwave-webhook-option" data-option={option.id}>
            <CheckCircle className="text-ui-fg-muted mt-0.5 shrink-0" />
            <Text size="small">
              <span className="font-medium">{option.label}</span>
              <span className="text-ui-fg-subtle">: {option.why}</span>
            </Text>
          </li>
        ))}
      </ul>
      {v3.accept_signature_header ? (
        <Text size="small" className="text-ui-fg-subtle" data-testid="flutterwave-signature-header">
          Webhooks proven by the newer flutterwave-signature header are accepted too (acceptSignatureHeader in medusa-config).
        </Text>
      ) : null}
    </div>
  )
}

/** What the direct rail cannot do on its own: said before the first refund or checkout finds out. */
function FlutterwaveV3Notes() {
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="flutterwave-v3-notes">
      <Text size="small" weight="plus">
        Before taking payments
      </Text>
      <Text size="small" className="text-ui-fg-subtle" data-testid="flutterwave-refunds-note">
        Refunds are off on new Flutterwave accounts: ask Flutterwave support to enable them, or refunds from the order page
        will be refused with that reason.
      </Text>
      <Text size="small" className="text-ui-fg-subtle" data-testid="flutterwave-email-note">
        Flutterwave requires the shopper's email: carts without one cannot pay.
      </Text>
    </div>
  )
}

/**
 * Settings → Flutterwave: which rail takes payments, and its keys and URLs: ECommPay's (checkout mode, project, Gate
 * and Payment Page) or the merchant's own Flutterwave account's (API keys, webhook secret hash, API URL); then the
 * limits, which hold for both. "Test connection" tries the typed values before anything is saved; "Save" tests them
 * again on the server and refuses what fails. Secrets are write-only.
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
  // Limits the admin has not touched follow the rail (each has its own defaults); touched ones stay as typed.
  const chooseRail = (rail: RailChoice) => {
    setSaved(undefined)
    // A test result is about the other rail's keys: not left showing under this one's.
    test.reset()
    setDraft((current) => {
      const follow = (field: LimitsField) =>
        sameLimits(current[field], limitsWith(settings, current.rail, field)) ? limitsWith(settings, rail, field) : current[field]
      return { ...current, rail, sale_limits: follow("sale_limits"), payout_limits: follow("payout_limits") }
    })
  }
  const locked = (field: SettingsFieldName) => !settings.fields[field].editable
  const v3 = settings.flutterwave_v3
  const direct = draft.rail === "flutterwave-v3"
  const railPending = draft.rail !== settings.rail
  const apiUrl = draft.flutterwave_api_url.trim().replace(/\/+$/, "")
  const apiUrlLive = apiUrl === v3.live_api_url
  const apiUrlMode = apiUrl === "" || apiUrlLive ? "live" : "sandbox"

  return (
    <Container className="divide-y p-0" data-testid="flutterwave-settings">
      <div className="flex flex-wrap items-start justify-between gap-4 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <Heading>Flutterwave</Heading>
          <Text size="small" className="text-ui-fg-subtle" data-testid="settings-rail-in-force" data-rail={settings.rail}>
            {settings.rail === "flutterwave-v3"
              ? "Flutterwave payments, refunds and payouts through your own Flutterwave account."
              : "Flutterwave payments and payouts through ECommPay."}{" "}
            Values set in medusa-config (environment variables) win over the ones saved here.
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

      <Field
        settings={settings}
        field="rail"
        hint={
          railPending ? (
            <span data-testid="settings-rail-pending">Payments go through {RAIL_LABELS[settings.rail]} until you save.</span>
          ) : direct ? (
            "Your own Flutterwave account: payments, refunds and payouts through Flutterwave's API with your keys."
          ) : (
            "A contract with ECommPay, which takes Flutterwave payments for you."
          )
        }
      >
        <Select value={draft.rail} onValueChange={(value) => chooseRail(value as RailChoice)} disabled={locked("rail")}>
          <Select.Trigger id="setting-rail" data-testid="setting-rail">
            <Select.Value />
          </Select.Trigger>
          <Select.Content>
            {(Object.keys(RAIL_LABELS) as RailChoice[]).map((rail) => (
              <Select.Item key={rail} value={rail}>
                {RAIL_LABELS[rail]}
              </Select.Item>
            ))}
          </Select.Content>
        </Select>
      </Field>

      {direct ? (
        <>
          <Field settings={settings} field="flutterwave_public_key" hint="Flutterwave dashboard → Settings → API keys. Not a secret.">
            <Input
              id="setting-flutterwave_public_key"
              data-testid={testIdOf("flutterwave_public_key")}
              className="font-mono"
              placeholder="FLWPUBK-…"
              value={draft.flutterwave_public_key}
              disabled={locked("flutterwave_public_key")}
              onChange={(event) => update("flutterwave_public_key", event.target.value)}
            />
          </Field>

          {settings.secret.problem ? (
            <div className="px-6 py-3">
              <Text size="small" className="text-ui-fg-error" data-testid="settings-flutterwave-secrets-problem">
                {settings.secret.problem}
              </Text>
            </div>
          ) : null}
          <SecretField
            settings={settings}
            field="flutterwave_secret_key"
            where="Flutterwave dashboard → Settings → API keys → Secret key."
            placeholder={{ set: "Type a new secret key to replace it", unset: "FLWSECK-…" }}
            value={draft.flutterwave_secret_key}
            onChange={(value) => update("flutterwave_secret_key", value)}
          />
          <SecretField
            settings={settings}
            field="flutterwave_encryption_key"
            where="Flutterwave dashboard → Settings → API keys → Encryption key. Optional: the hosted checkout does not use it."
            placeholder={{ set: "Type a new encryption key to replace it", unset: "Your Flutterwave encryption key" }}
            value={draft.flutterwave_encryption_key}
            onChange={(value) => update("flutterwave_encryption_key", value)}
          />
          <SecretField
            settings={settings}
            field="flutterwave_secret_hash"
            where="Type any long random text here and the same in Flutterwave dashboard → Settings → Webhooks → Secret hash (8 to 256 characters, no spaces): webhooks without it are refused."
            placeholder={{ set: "Type a new secret hash to replace it", unset: "Long random text, also typed in Flutterwave" }}
            value={draft.flutterwave_secret_hash}
            onChange={(value) => update("flutterwave_secret_hash", value)}
          />

          <UrlField
            settings={settings}
            field="flutterwave_api_url"
            hint={
              <span data-testid="flutterwave-api-mode" data-mode={apiUrlMode}>
                {apiUrlMode === "live"
                  ? `Live: Flutterwave's production API${apiUrl === "" ? " (empty: the default)" : ""}.`
                  : "Not Flutterwave's production API (a sandbox)."}
              </span>
            }
            value={draft.flutterwave_api_url}
            live={apiUrlLive}
            liveUrl={v3.live_api_url}
            locked={locked("flutterwave_api_url")}
            onChange={(value) => update("flutterwave_api_url", value)}
          />

          <FlutterwaveWebhook v3={v3} />
          <FlutterwaveV3Notes />
        </>
      ) : (
        <>
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

          <SecretField
            settings={settings}
            field="secret_key"
            placeholder={{ set: "Type a new secret key to replace it", unset: "Your ECommPay secret key" }}
            value={draft.secret_key}
            onChange={(value) => update("secret_key", value)}
          >
            {settings.secret.problem ? (
              <Text size="small" className="text-ui-fg-error" data-testid="settings-secret-problem">
                {settings.secret.problem}
              </Text>
            ) : null}
          </SecretField>

          {(["gate_url", "payment_page_url"] as const).map((field) => {
            const live = draft[field].trim() === settings.live_urls[field]
            return (
              <UrlField
                key={field}
                settings={settings}
                field={field}
                hint={<span>{live ? "Live: ECommPay production." : "Not ECommPay's production address (a sandbox)."}</span>}
                value={draft[field]}
                live={live}
                liveUrl={settings.live_urls[field]}
                locked={locked(field)}
                onChange={(value) => update(field, value)}
              />
            )
          })}
        </>
      )}

      <Field
        settings={settings}
        field="sale_limits"
        hint={
          direct
            ? "Major units, checked before anything is sent to Flutterwave. Flutterwave publishes no limits that hold for every account: set your account's, or leave empty."
            : "Major units, checked before anything is sent to ECommPay. An empty row takes the default (NGN: the method's limits; others: none)."
        }
      >
        <LimitsTable
          id="sale-limits"
          currencies={settings.currencies}
          limits={draft.sale_limits}
          disabled={locked("sale_limits")}
          onChange={(limits) => update("sale_limits", limits)}
        />
      </Field>
      <Field
        settings={settings}
        field="payout_limits"
        hint={
          <span>
            {direct
              ? "Major units, per payout currency. Flutterwave publishes no limits that hold for every account: set your account's, or leave empty."
              : "Major units, per payout currency."}
            {/* The server lists the payout currencies of the rail in force only. */}
            {railPending ? " The currencies listed are the current rail's: save to list the new rail's." : ""}
          </span>
        }
      >
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
                  // Never keep a typed secret in the page longer than needed, even when nothing changed. (Not after a
                  // test: the admin tests, then saves the same typed values.)
                  setDraft((current) => ({ ...current, ...NO_TYPED_SECRETS }))
                },
              }
            )
          }
        >
          Save
        </Button>
      </div>
      <ConnectionResult result={test.data} error={test.isError ? test.error : undefined} />

      {direct ? null : (
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
      )}
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
