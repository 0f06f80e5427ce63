import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import {
  DEFAULT_PAYOUT_LIMITS,
  DEFAULT_SALE_LIMITS,
  fromMinorUnits,
  PRODUCTION_GATE_URL,
  SUPPORTED_CURRENCIES,
  type LimitsByCurrency,
} from "../../../../rails/ecommpay"
import { PAYMENT_PAGE_URL } from "../../../../rails/ecommpay/payment-page"
import { FLUTTERWAVE_MODULE } from "../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../modules/flutterwave/service"
import { SecretBox } from "../../../../modules/flutterwave/settings/secret-box"
import { SEALED_FIELDS, SETTINGS_FIELDS } from "../../../../modules/flutterwave/settings/settings-store"
import { FLUTTERWAVE_V3_API_URL } from "../../../../options"
import { payoutCurrencies } from "../../../../settlement/payout-banks"
import { FLUTTERWAVE_V3_WEBHOOK_OPTIONS } from "../../../../rails/flutterwave-v3/dashboard"
import { saveSettings } from "../../../../modules/flutterwave/settings/save-settings"
import type { SettingsChangesBody } from "../validators"

/**
 * The settings in force, where each comes from (medusa-config, the admin, the default) and whether the admin may
 * change it, plus the audit trail. The secret is reported as set or not and by its last four characters, never shown.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<void> {
  res.json({ settings: await describeSettings(req) })
}

/** Saves the admin's changes (see saveSettings): tested first, then written with an audit entry. */
export async function POST(req: AuthenticatedMedusaRequest<SettingsChangesBody>, res: MedusaResponse): Promise<void> {
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const { version, ...changes } = req.validatedBody
  let saved
  try {
    saved = await saveSettings(flutterwave.settingsStore, { changes, actorId: req.auth_context?.actor_id ?? null, version })
  } catch (error) {
    // Medusa's error handler words every conflict as an idempotency clash; this one says what happened.
    if (error instanceof MedusaError && error.type === MedusaError.Types.CONFLICT) {
      return void res.status(409).json({ type: "conflict", message: error.message })
    }
    throw error
  }
  res.json({ changed: saved.changed, settings: await describeSettings(req) })
}

async function describeSettings(req: AuthenticatedMedusaRequest): Promise<Record<string, unknown>> {
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const settings = await flutterwave.settings()
  const { options, sources } = settings
  const origin = `${req.protocol}://${req.get("host")}`
  const box = SecretBox.fromEnvironment()
  const changes = await flutterwave.settingsStore.changes()
  const emails = await userEmails(req, [...changes.map((c) => c.actor_id), settings.updatedBy])
  return {
    configured: settings.problem === undefined,
    problem: settings.problem ?? null,
    version: settings.version,
    rail: options.rail,
    checkout: options.checkout,
    project_id: options.projectId > 0 ? options.projectId : null,
    mode: options.gateUrl === PRODUCTION_GATE_URL ? "live" : "sandbox",
    gate_url: options.gateUrl,
    payment_page_url: options.paymentPageUrl,
    live_urls: { gate_url: PRODUCTION_GATE_URL, payment_page_url: PAYMENT_PAGE_URL },
    callback_url: options.callbackUrl ?? `${origin}/hooks/flutterwave`,
    secret_configured: settings.problem === undefined || (sources.secret_key !== "default" && !settings.storedSecretProblem),
    secret: {
      set: sources.secret_key !== "default",
      ends_with: settings.sealedEndsWith.secret_key ?? null,
      problem: settings.storedSecretProblem ?? null,
    },
    // The secret typed in the admin is stored encrypted: without the key for that, the field stays read-only.
    secret_editing: box instanceof SecretBox ? { enabled: true, reason: null } : { enabled: false, reason: box.unavailable },
    fields: Object.fromEntries(
      SETTINGS_FIELDS.map(({ field, variable }) => [
        field,
        { source: sources[field], editable: sources[field] !== "config", ...(variable ? { variable } : {}) },
      ])
    ),
    // Every write-only key: set or not, its last four characters, never its value.
    secrets: Object.fromEntries(
      SEALED_FIELDS.map((field) => [
        field,
        { set: sources[field] !== "default", ends_with: settings.sealedEndsWith[field] ?? null },
      ])
    ),
    // As saved or configured, whichever rail is in force: the form shows what switching rails would put in force.
    flutterwave_v3: {
      public_key: settings.flutterwaveV3Public.publicKey ?? null,
      api_url: settings.flutterwaveV3Public.apiUrl ?? FLUTTERWAVE_V3_API_URL,
      mode: (settings.flutterwaveV3Public.apiUrl ?? FLUTTERWAVE_V3_API_URL) === FLUTTERWAVE_V3_API_URL ? "live" : "sandbox",
      live_api_url: FLUTTERWAVE_V3_API_URL,
      // What to paste in Flutterwave's dashboard (Settings → Webhooks), and the options to tick there.
      webhook_url: `${origin}/hooks/flutterwave/v3`,
      webhook_options: FLUTTERWAVE_V3_WEBHOOK_OPTIONS,
      accept_signature_header: settings.flutterwaveV3Public.acceptSignatureHeader ?? false,
    },
    currencies: SUPPORTED_CURRENCIES,
    payout_currencies: payoutCurrencies(options.rail),
    sale_limits: major(options.saleLimits),
    payout_limits: major(options.payoutLimits),
    // What an empty row falls back to: the form saves only the rows that differ from these.
    default_sale_limits: major(DEFAULT_SALE_LIMITS),
    default_payout_limits: major(DEFAULT_PAYOUT_LIMITS),
    updated_at: settings.updatedAt ?? null,
    updated_by: settings.updatedBy ? { id: settings.updatedBy, email: emails.get(settings.updatedBy) ?? null } : null,
    changes: changes.map((change) => ({
      id: change.id,
      at: change.created_at,
      version: change.version,
      fields: change.fields,
      actor: change.actor_id ? { id: change.actor_id, email: emails.get(change.actor_id) ?? null } : null,
    })),
  }
}

/** Who saved, by email, for the audit trail; a deleted user shows by id only. */
async function userEmails(req: AuthenticatedMedusaRequest, ids: Array<string | null | undefined>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === "string"))]
  if (wanted.length === 0) return new Map()
  try {
    const users = await req.scope.resolve(Modules.USER).listUsers({ id: wanted }, { select: ["id", "email"] })
    return new Map(users.map((user) => [user.id, user.email]))
  } catch {
    return new Map()
  }
}

function major(limits: LimitsByCurrency): Record<string, { min: string; max: string }> {
  return Object.fromEntries(
    Object.entries(limits).map(([currency, limit]) => [
      currency,
      { min: fromMinorUnits(limit!.min, currency), max: fromMinorUnits(limit!.max, currency) },
    ])
  )
}
