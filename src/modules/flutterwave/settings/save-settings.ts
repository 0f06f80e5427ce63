import { MedusaError } from "@medusajs/framework/utils"
import { checkSettingsConnection } from "./check-connection"
import { SettingsError, type SettingsChanges, type SettingsField, type SettingsStore } from "./settings-store"

export type SaveSettingsInput = { changes: SettingsChanges; actorId: string | null; version?: number }
export type SaveSettingsResult = { changed: SettingsField[]; version: number }

/**
 * The fields a connection test proves: a change to any of them is tested before it is saved. With the direct rail,
 * the test proves the API URL and the secret key (and the rail chosen); the public key, the encryption key and the
 * webhook's secret hash are not used by it (only Flutterwave's webhooks carry the hash).
 */
const CONNECTION_FIELDS: readonly SettingsField[] = [
  "rail",
  "checkout",
  "project_id",
  "secret_key",
  "gate_url",
  "payment_page_url",
  "flutterwave_secret_key",
  "flutterwave_api_url",
]

/**
 * Settings → Flutterwave's Save: the settings as they would be after it must be valid, must not override
 * medusa-config, and, when they touch the keys, URLs or checkout mode and the keys are complete, must pass the
 * connection test; then the row and its audit entry are written in one transaction. Saving the same values again
 * changes nothing and audits nothing.
 *
 * A plain function, not a Medusa workflow: a workflow engine may keep step inputs (Redis, or the workflow_execution
 * table), and the secret typed here must exist in clear only in this request's memory.
 */
export async function saveSettings(store: SettingsStore, input: SaveSettingsInput): Promise<SaveSettingsResult> {
  try {
    const candidate = await store.preview(input.changes, "save")
    const touchesConnection = CONNECTION_FIELDS.some((field) => input.changes[field] !== undefined)
    if (touchesConnection && candidate.problem === undefined) {
      const check = await checkSettingsConnection(candidate)
      if (!check.ok) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Not saved: the connection test failed with these values: ${check.message}`)
      }
    }
    // Saved over the very row that was tested: a concurrent save in between makes this one a conflict, never an
    // untested combination.
    const { changed, settings } = await store.save(input.changes, input.actorId, input.version ?? candidate.version)
    return { changed, version: settings.version }
  } catch (error) {
    if (error instanceof SettingsError) {
      const type =
        error.kind === "conflict"
          ? MedusaError.Types.CONFLICT
          : error.kind === "not_editable"
            ? MedusaError.Types.NOT_ALLOWED
            : MedusaError.Types.INVALID_DATA
      throw new MedusaError(type, `Flutterwave settings: ${error.message}`)
    }
    throw error
  }
}
