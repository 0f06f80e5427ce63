import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { generateEntityId } from "@medusajs/framework/utils"
import { isOptionSet, missingCredential, resolveOptions, withCredentialPlaceholders, type RailChoice, type ResolvedFlutterwaveOptions } from "../../../options"
import { LIMIT_TIME_MS, PAYMENT_PAGE_VALIDITY_MS } from "../../../rails/ecommpay"
import { SecretBox, SecretBoxError } from "./secret-box"

/** One row holds the admin's settings. */
const ROW_ID = "default"
/**
 * How long an instance trusts its copy of the settings before reading the row again: a change saved on any instance
 * reaches every instance within this time, without a restart, for one tiny indexed read per instance per period.
 */
export const SETTINGS_REFRESH_MS = 2_000

/** The settings an admin may edit: API field ↔ option ↔ column ↔ the variable the example medusa-config reads. */
export const SETTINGS_FIELDS = [
  { field: "rail", option: "rail", column: "rail", variable: "FLUTTERWAVE_RAIL", sealed: false },
  { field: "checkout", option: "checkout", column: "checkout", variable: "FLUTTERWAVE_CHECKOUT", sealed: false },
  { field: "project_id", option: "projectId", column: "project_id", variable: "FLUTTERWAVE_PROJECT_ID", sealed: false },
  { field: "secret_key", option: "secretKey", column: "secret_key_sealed", variable: "FLUTTERWAVE_SECRET_KEY", sealed: true },
  { field: "gate_url", option: "gateUrl", column: "gate_url", variable: "FLUTTERWAVE_GATE_URL", sealed: false },
  { field: "payment_page_url", option: "paymentPageUrl", column: "payment_page_url", variable: "FLUTTERWAVE_PAYMENT_PAGE_URL", sealed: false },
  { field: "flutterwave_public_key", option: "flutterwavePublicKey", column: "fw_public_key", variable: "FLUTTERWAVE_V3_PUBLIC_KEY", sealed: false },
  {
    field: "flutterwave_secret_key",
    option: "flutterwaveSecretKey",
    column: "fw_secret_key_sealed",
    variable: "FLUTTERWAVE_V3_SECRET_KEY",
    sealed: true,
  },
  {
    field: "flutterwave_encryption_key",
    option: "flutterwaveEncryptionKey",
    column: "fw_encryption_key_sealed",
    variable: "FLUTTERWAVE_V3_ENCRYPTION_KEY",
    sealed: true,
  },
  {
    field: "flutterwave_secret_hash",
    option: "flutterwaveSecretHash",
    column: "fw_secret_hash_sealed",
    variable: "FLUTTERWAVE_V3_SECRET_HASH",
    sealed: true,
  },
  { field: "flutterwave_api_url", option: "flutterwaveApiUrl", column: "fw_api_url", variable: "FLUTTERWAVE_V3_API_URL", sealed: false },
  { field: "sale_limits", option: "limits", column: "sale_limits", variable: undefined, sealed: false },
  { field: "payout_limits", option: "payoutLimits", column: "payout_limits", variable: undefined, sealed: false },
] as const

/** The settings kept only sealed (AES-256-GCM under FLUTTERWAVE_SETTINGS_KEY), never returned, never logged. */
export type SealedField = Extract<(typeof SETTINGS_FIELDS)[number], { sealed: true }>["field"]
export const SEALED_FIELDS = SETTINGS_FIELDS.filter((def) => def.sealed).map((def) => def.field) as SealedField[]
type SealedColumn = Extract<(typeof SETTINGS_FIELDS)[number], { sealed: true }>["column"]

export type SettingsField = (typeof SETTINGS_FIELDS)[number]["field"]

/**
 * How long a sale may still be paid after it started (a Payment Page stays valid 30 minutes, Gate declines an unpaid
 * sale at the method's limit time), plus reconciliation's margin: the project id cannot change while a sale of the
 * last this-long is still pending, or its callback, signed for the old project, would find no one to settle it.
 */
export const PROJECT_CHANGE_GUARD_MS = Math.max(LIMIT_TIME_MS, PAYMENT_PAGE_VALIDITY_MS) + 50 * 60 * 1000
type LimitsInput = Record<string, { min: string; max: string }>

/** What an admin sends: a value to store, null to clear it (back to the default), absent to leave it. */
export type SettingsChanges = Partial<{
  rail: "ecommpay" | "flutterwave-v3" | null
  flutterwave_public_key: string | null
  flutterwave_secret_key: string | null
  flutterwave_encryption_key: string | null
  flutterwave_secret_hash: string | null
  flutterwave_api_url: string | null
  checkout: "payment_page" | "gate" | null
  project_id: string | null
  secret_key: string | null
  gate_url: string | null
  payment_page_url: string | null
  sale_limits: LimitsInput | null
  payout_limits: LimitsInput | null
}>

type StoredRow = {
  rail: string | null
  fw_public_key: string | null
  fw_secret_key_sealed: string | null
  fw_encryption_key_sealed: string | null
  fw_secret_hash_sealed: string | null
  fw_api_url: string | null
  checkout: string | null
  project_id: string | null
  secret_key_sealed: string | null
  gate_url: string | null
  payment_page_url: string | null
  sale_limits: LimitsInput | null
  payout_limits: LimitsInput | null
  version: number
  updated_by: string | null
  updated_at: Date | null
}

/** Every setting's column, unset. */
const EMPTY_SETTINGS = Object.fromEntries(SETTINGS_FIELDS.map(({ column }) => [column, null])) as Record<(typeof SETTINGS_FIELDS)[number]["column"], null>

export type SettingsSource = "config" | "admin" | "default"

/** The settings in force: options every part of the plugin reads, and whether payments can be taken with them. */
export type EffectiveSettings = {
  version: number
  /** Usable for everything but the rail when `problem` is set (the keys are then placeholders). */
  options: ResolvedFlutterwaveOptions
  /** Why no payment can be taken yet (keys missing, or the stored secret unreadable); undefined when ready. */
  problem?: string
  sources: Record<SettingsField, SettingsSource>
  /** Why a stored secret could not be used, if one could not (FLUTTERWAVE_SETTINGS_KEY missing or changed). */
  storedSecretProblem?: string
  /** The last four characters of each sealed setting that is set, for "set · ends in …4f2a" (never more than four). */
  sealedEndsWith: Partial<Record<SealedField, string>>
  /** The direct rail's public settings as saved or configured, whichever rail is in force (for the admin's form). */
  flutterwaveV3Public: { publicKey?: string; apiUrl?: string; acceptSignatureHeader?: boolean }
  updatedAt?: Date | null
  updatedBy?: string | null
}

export class SettingsError extends Error {
  override name = "SettingsError"
  constructor(
    message: string,
    readonly kind: "invalid" | "conflict" | "not_editable"
  ) {
    super(message)
  }
}

/**
 * The one source of the plugin's settings, shared by the provider, the callback intake, the jobs and the admin:
 * medusa-config's options (environment variables) over what an admin saved over the defaults.
 */
export class SettingsStore {
  private cached?: { at: number; settings: EffectiveSettings }
  private loading?: Promise<EffectiveSettings>
  /**
   * Bumped by invalidate(): a read that started before a save on this instance must neither answer nor be cached
   * after it (it may have read the row from before the save).
   */
  private generation = 0

  constructor(
    private readonly knex: () => Knex,
    /** The module's options from medusa-config: a value set here wins and cannot be edited in the admin. */
    private readonly configured: Record<string, unknown>,
    private readonly now: () => number = Date.now
  ) {}

  /** The settings in force, read again at most every SETTINGS_REFRESH_MS. */
  async current(): Promise<EffectiveSettings> {
    const cached = this.cached
    if (cached && this.now() - cached.at < SETTINGS_REFRESH_MS) return cached.settings
    if (!this.loading) {
      const loading = this.load(this.generation).finally(() => {
        if (this.loading === loading) this.loading = undefined
      })
      this.loading = loading
    }
    return this.loading
  }

  /** Forgets the cached copy and any read in flight (after this instance saved). */
  invalidate(): void {
    this.generation++
    this.cached = undefined
    this.loading = undefined
  }

  isConfigured(field: SettingsField): boolean {
    return isOptionSet(this.configured, fieldDef(field).option)
  }

  /**
   * What the settings would be with `changes` applied over what is stored (the connection test of typed values, and
   * the check before a save). Throws SettingsError when a change touches a value medusa-config sets, or is invalid.
   */
  async preview(changes: SettingsChanges, purpose: "test" | "save" = "test"): Promise<EffectiveSettings> {
    const box = SecretBox.fromEnvironment()
    this.refuseConfigured(changes)
    const typedSecret = SEALED_FIELDS.find((field) => typeof changes[field] === "string")
    if (purpose === "save" && typedSecret && !(box instanceof SecretBox)) {
      throw new SettingsError(`the ${describeField(typedSecret)} cannot be saved: ${box.unavailable}`, "not_editable")
    }
    const row = await this.readRow(this.knex())
    // Nothing is sealed for a preview: typed secrets are used as typed, so they can be tested before the key exists.
    const unsealed: SettingsChanges = { ...changes }
    const typed: Partial<Record<SealedField, string | null>> = {}
    for (const field of SEALED_FIELDS) {
      if (changes[field] !== undefined) typed[field] = changes[field]
      delete unsealed[field]
    }
    const next = this.applyChanges(row, unsealed, box)
    // Before a save is tested, so the admin hears the reason that applies (save() checks again in its transaction).
    if (purpose === "save") await this.checkMoves(this.knex(), row, next)
    return this.effective(next, typed)
  }

  /**
   * Saves `changes` over the stored row in one transaction: the row (version + 1) and its audit entry. Saving
   * what is already stored changes nothing and writes no audit entry. `expectedVersion`, when given, must be the
   * version the admin's page was showing.
   */
  async save(
    changes: SettingsChanges,
    actorId: string | null,
    expectedVersion?: number
  ): Promise<{ changed: SettingsField[]; settings: EffectiveSettings }> {
    const box = SecretBox.fromEnvironment()
    const changed = await this.knex().transaction(async (trx) => {
      // The row exists from here on, so FOR UPDATE below serialises concurrent saves.
      await trx.raw(`INSERT INTO fw_settings (id) VALUES (?) ON CONFLICT (id) DO NOTHING`, [ROW_ID])
      const row = await this.readRow(trx, true)
      if (expectedVersion !== undefined && expectedVersion !== row.version) {
        throw new SettingsError(
          `the settings were changed by someone else meanwhile (version ${row.version}, your page showed ${expectedVersion}): reload and try again`,
          "conflict"
        )
      }
      const next = this.applyChanges(row, changes, box)
      // A secret typed again equal to the stored one is no change: compare plaintexts, not (random-IV) ciphertexts.
      const changedFields = SETTINGS_FIELDS.filter(({ field, column, sealed }) => {
        if (sealed) {
          const typed = changes[field]
          if (typed === undefined) return false
          // Clearing: a change whenever something is stored, readable or not (an unreadable one is worth clearing).
          if (typed === null) return row[column] !== null
          // Typed: the same plaintext as the stored one is no change; an unreadable stored one always is.
          return this.storedSecret(row, column, box) !== typed
        }
        return canonicalJson(row[column]) !== canonicalJson(next[column])
      }).map(({ field }) => field)
      if (changedFields.length === 0) return changedFields
      await this.checkMoves(trx, row, next)
      await trx("fw_settings")
        .where({ id: ROW_ID })
        .update({
          // Every setting's column; the limits are jsonb, written as JSON text.
          ...Object.fromEntries(
            SETTINGS_FIELDS.map(({ column }) => {
              const value = next[column]
              return [column, value !== null && typeof value === "object" ? JSON.stringify(value) : value]
            })
          ),
          version: row.version + 1,
          updated_by: actorId,
          updated_at: trx.fn.now(),
        })
      await trx("fw_settings_change").insert({
        id: generateEntityId(undefined, "fwsc"),
        actor_id: actorId,
        fields: JSON.stringify(changedFields),
        version: row.version + 1,
      })
      return changedFields
    })
    this.invalidate()
    return { changed, settings: await this.current() }
  }

  /**
   * What a save must pass, on the settings before and after it (each worked out once): everything set in `next` must be
   * valid (SettingsError otherwise), even while the keys are still missing; then the project and the rail may only
   * move while nothing started under the current ones can still change.
   */
  private async checkMoves(knex: Knex | Knex.Transaction, row: StoredRow, next: StoredRow): Promise<void> {
    const after = this.effective(next).options
    const before = this.effective(row).options
    await this.checkProjectChange(knex, before.projectId, after.projectId)
    await this.checkRailChange(knex, before.rail, after.rail)
  }

  /**
   * Refuses a new project id while a sale started under the current one may still be paid: its callback, signed for
   * the old project, would find no one to settle it (a paid sale with neither an order nor a refund).
   */
  private async checkProjectChange(knex: Knex | Knex.Transaction, before: number, after: number): Promise<void> {
    if (before <= 0 || before === after) return
    const pending = await knex("fw_gate_operation")
      .where({ kind: "sale", status: "pending" })
      .whereNull("deleted_at")
      .where("created_at", ">", knex.raw("now() - (? * interval '1 millisecond')", [PROJECT_CHANGE_GUARD_MS]))
      .count<{ n: string }[]>("* as n")
    const count = Number(pending[0]?.n ?? 0)
    if (count > 0) {
      throw new SettingsError(
        `the project id cannot change while ${count} payment${count === 1 ? "" : "s"} started under project ${before} ` +
          "may still be paid: their callbacks would find no one to settle them. Try again once they are paid or expired (within about an hour)",
        "not_editable"
      )
    }
  }

  /**
   * Refuses another rail while anything started on the current one can still change: a sale whose page may still be
   * paid, a refund or payout not settled yet. Reconciliation and the refunds of those payments ask the rail in force,
   * and another backend would know nothing of them (a paid sale no one settles, a refund no one follows).
   */
  private async checkRailChange(knex: Knex | Knex.Transaction, before: RailChoice, after: RailChoice): Promise<void> {
    if (before === after) return
    const pending = await knex("fw_gate_operation")
      .where({ status: "pending" })
      .whereNull("deleted_at")
      .where((where) =>
        where
          .whereIn("kind", ["refund", "payout"])
          .orWhere((sale) =>
            sale.where("kind", "sale").where("created_at", ">", knex.raw("now() - (? * interval '1 millisecond')", [PROJECT_CHANGE_GUARD_MS]))
          )
      )
      .select("kind")
      .count<{ kind: string; n: string }[]>("* as n")
      .groupBy("kind")
    const counts = pending.map((r) => ({ kind: r.kind, n: Number(r.n) })).filter((r) => r.n > 0)
    if (counts.length === 0) return
    const what = counts.map(({ kind, n }) => `${n} ${kind}${n === 1 ? "" : "s"}`).join(", ")
    throw new SettingsError(
      `payments cannot move from ${before} to ${after} while ${what} started on ${before} can still change: ` +
        `its backend is the only one that can settle them. Try again once they are settled (sales within about an hour; ` +
        `refunds and payouts when the backend settles them, see Settings → Flutterwave → Reconciliation)`,
      "not_editable"
    )
  }

  /** The audit trail, newest first. */
  async changes(limit = 20): Promise<Array<{ id: string; actor_id: string | null; fields: SettingsField[]; version: number; created_at: Date }>> {
    return this.knex()("fw_settings_change").whereNull("deleted_at").orderBy("created_at", "desc").limit(limit)
  }

  private async load(generation: number): Promise<EffectiveSettings> {
    const row = await this.readRow(this.knex())
    const previous = this.cached?.settings
    // Unchanged since the last read: keep the same object, so what hangs off it (the rail's HTTP client) is reused.
    const settings =
      previous && previous.version === row.version && previous.updatedAt?.getTime() === row.updated_at?.getTime()
        ? previous
        : this.effective(row)
    if (generation === this.generation) this.cached = { at: this.now(), settings }
    return settings
  }

  private async readRow(knex: Knex | Knex.Transaction, forUpdate = false): Promise<StoredRow> {
    let query = knex("fw_settings").where({ id: ROW_ID }).whereNull("deleted_at").first()
    if (forUpdate) query = query.forUpdate()
    const row = (await query) as StoredRow | undefined
    // No row yet: every setting unset.
    return row ?? { ...EMPTY_SETTINGS, version: 0, updated_by: null, updated_at: null }
  }

  private storedSecret(row: StoredRow, column: SealedColumn, box: SecretBox | { unavailable: string }): string | undefined {
    const sealed = row[column]
    if (sealed === null) return undefined
    if (!(box instanceof SecretBox)) return undefined
    try {
      return box.open(sealed)
    } catch {
      return undefined
    }
  }

  /** Refuses a change (a value, or null) to anything medusa-config sets: its value wins over the admin's. */
  private refuseConfigured(changes: SettingsChanges): void {
    for (const def of SETTINGS_FIELDS) {
      if (changes[def.field] === undefined || !this.isConfigured(def.field)) continue
      throw new SettingsError(
        `${def.field} is set in medusa-config${def.variable ? ` (${def.variable})` : ""}, which wins over the admin: change it there`,
        "not_editable"
      )
    }
  }

  /** The row with `changes` applied; refuses a change to a value medusa-config sets. */
  private applyChanges(row: StoredRow, changes: SettingsChanges, box: SecretBox | { unavailable: string }): StoredRow {
    this.refuseConfigured(changes)
    const next: StoredRow = { ...row }
    for (const def of SETTINGS_FIELDS) {
      const value = changes[def.field]
      if (value === undefined) continue
      if (def.sealed) {
        if (value === null) {
          next[def.column] = null
        } else {
          if (!(box instanceof SecretBox)) throw new SettingsError(`the ${describeField(def.field)} cannot be saved: ${box.unavailable}`, "not_editable")
          next[def.column] = box.seal(value as string)
        }
        continue
      }
      ;(next as Record<string, unknown>)[def.column] = value
    }
    return next
  }

  /**
   * medusa-config's values over the stored ones over the defaults, checked as the app checks its options. `typed`:
   * secrets an admin typed but did not save (a preview), used in place of the stored ones.
   */
  private effective(row: StoredRow, typed: Partial<Record<SealedField, string | null>> = {}): EffectiveSettings {
    const box = SecretBox.fromEnvironment()
    const unreadable: SealedField[] = []
    let boxProblem: string | undefined
    const opened: Partial<Record<SealedField, string>> = {}
    for (const def of SETTINGS_FIELDS) {
      if (!def.sealed) continue
      const typedValue = typed[def.field]
      if (typedValue !== undefined) {
        if (typedValue !== null) opened[def.field] = typedValue
        continue
      }
      const sealed = row[def.column]
      if (sealed === null) continue
      if (box instanceof SecretBox) {
        try {
          opened[def.field] = box.open(sealed)
        } catch (error) {
          unreadable.push(def.field)
          boxProblem ??= error instanceof SecretBoxError ? error.message : "the stored secret cannot be read"
        }
      } else {
        unreadable.push(def.field)
        boxProblem ??= box.unavailable.replace(/, so .*$/, "")
      }
    }
    const storedSecretProblem =
      unreadable.length === 0
        ? undefined
        : box instanceof SecretBox
          ? boxProblem
          : `a ${describeField(unreadable[0])} is stored, but ${boxProblem}: it cannot be read`
    const stored: Record<string, unknown> = {}
    for (const def of SETTINGS_FIELDS) {
      const value = def.sealed ? opened[def.field] : row[def.column]
      if (value !== null && value !== undefined) stored[def.option] = value
    }
    const merged: Record<string, unknown> = { ...this.configured }
    const sources = {} as Record<SettingsField, SettingsSource>
    for (const def of SETTINGS_FIELDS) {
      if (isOptionSet(this.configured, def.option)) sources[def.field] = "config"
      else if (isOptionSet(stored, def.option)) {
        sources[def.field] = "admin"
        merged[def.option] = stored[def.option]
      } else {
        // A stored secret that cannot be read is still the admin's (its problem is reported), not a default.
        sources[def.field] = def.sealed && unreadable.includes(def.field as SealedField) ? "admin" : "default"
        delete merged[def.option]
      }
    }
    const missing = missingCredential(merged)
    const missingField = missing === undefined ? undefined : SETTINGS_FIELDS.find((def) => def.option === missing)!
    const problem =
      missingField === undefined
        ? undefined
        : missingField.sealed && unreadable.includes(missingField.field as SealedField)
          ? `Flutterwave cannot take payments: ${storedSecretProblem}; enter the ${describeField(missingField.field)} again in Settings → Flutterwave`
          : `Flutterwave is not set up yet: enter the ${describeField(missingField.field, "in full")} in Settings → Flutterwave (or set ${missingField.variable})`
    let options: ResolvedFlutterwaveOptions
    try {
      options = resolveOptions(problem === undefined ? merged : withCredentialPlaceholders(merged))
    } catch (error) {
      throw new SettingsError((error as Error).message, "invalid")
    }
    if (problem !== undefined) {
      // Placeholders must never reach a rail: the module refuses to build one while `problem` is set.
      if (missing === "projectId") options = { ...options, projectId: 0 }
      options = { ...options, secretKey: "" }
      if (options.flutterwaveV3) options = { ...options, flutterwaveV3: { ...options.flutterwaveV3, secretKey: "", secretHash: "" } }
    }
    const sealedEndsWith: Partial<Record<SealedField, string>> = {}
    for (const def of SETTINGS_FIELDS) {
      if (!def.sealed) continue
      const value = isOptionSet(merged, def.option) ? String(merged[def.option]) : undefined
      if (value && value.length >= 12) sealedEndsWith[def.field] = value.slice(-4)
    }
    const publicText = (name: string) => (isOptionSet(merged, name) ? String(merged[name]) : undefined)
    const acceptSignature = publicText("acceptSignatureHeader")
    return {
      version: row.version,
      options,
      problem,
      sources,
      storedSecretProblem,
      sealedEndsWith,
      flutterwaveV3Public: {
        publicKey: publicText("flutterwavePublicKey"),
        apiUrl: publicText("flutterwaveApiUrl")?.replace(/\/+$/, ""),
        ...(acceptSignature === undefined ? {} : { acceptSignatureHeader: acceptSignature === "true" || acceptSignature === "1" }),
      },
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    }
  }
}

/**
 * How an admin reads a setting's name in a message: "in full" names the backend too (the ECommPay secret key), where a
 * store owner setting up may not know which secret is meant.
 */
export function describeField(field: SettingsField, form: "short" | "in full" = "short"): string {
  if (field === "secret_key") return form === "in full" ? "ECommPay secret key" : "secret key"
  const names: Partial<Record<SettingsField, string>> = {
    project_id: "ECommPay project id",
    flutterwave_secret_key: "Flutterwave secret key",
    flutterwave_encryption_key: "Flutterwave encryption key",
    flutterwave_secret_hash: "Flutterwave webhook secret hash",
    flutterwave_public_key: "Flutterwave public key",
  }
  return names[field] ?? field.replace(/_/g, " ")
}

/** JSON with object keys sorted: PostgreSQL's jsonb does not keep the order a value was written in. */
function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null"
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`
  }
  return JSON.stringify(value)
}

function fieldDef(field: SettingsField): (typeof SETTINGS_FIELDS)[number] {
  return SETTINGS_FIELDS.find((def) => def.field === field)!
}
