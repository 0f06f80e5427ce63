import { InjectManager, MedusaContext, MedusaService } from "@medusajs/framework/utils"
import type { Context, Logger } from "@medusajs/framework/types"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { checkConfiguredOptions } from "../../options"
import { SettingsStore, type EffectiveSettings } from "./settings/settings-store"
import { RailForSettings, type ConnectedSettings } from "./settings/connected-settings"
import { GateCallback } from "./models/gate-callback"
import { GateOperation } from "./models/gate-operation"
import { Payout } from "./models/payout"
import { Attention } from "./models/attention"
import { ReconciliationRun } from "./models/reconciliation-run"

type InjectedDependencies = { logger: Logger; __pg_connection__: Knex }

export type { ConnectedSettings }

export type OperationIdentity = {
  gate_operation_id?: string | null
  request_id?: string | null
  merchant_key?: string | null
  session_id?: string | null
}

export type OperationTransition = {
  status: "pending" | "success" | "decline"
  code?: string | null
  message?: string | null
  redirect_data?: Record<string, unknown> | null
}

type KnexManager = { getKnex(): Knex; getTransactionContext(): Knex.Transaction | undefined }

/**
 * Our own data (the ledger, callbacks, payouts, settings) and the one source of the plugin's settings: medusa-config's
 * options (checked when the app starts; the keys may come later from the admin) over Settings → Flutterwave.
 * The payment provider reads its settings here too (the payment module declares `dependencies: ["flutterwave"]`).
 */
// The settings tables (models/stored-settings.ts, models/settings-change.ts) are not listed here on purpose: generated
// CRUD methods would write them without the version check, the audit entry and the validation of SettingsStore.
class FlutterwaveModuleService extends MedusaService({
  GateOperation,
  GateCallback,
  Payout,
  ReconciliationRun,
  Attention,
}) {
  protected readonly logger_: Logger
  readonly settingsStore: SettingsStore
  private readonly rails_: RailForSettings

  constructor(container: InjectedDependencies, options: Record<string, unknown>) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    checkConfiguredOptions(options)
    this.logger_ = container.logger
    this.settingsStore = new SettingsStore(() => container.__pg_connection__, { ...(options ?? {}) })
    this.rails_ = new RailForSettings(this.settingsStore, (message) => this.logger_.warn(message))
  }

  /** The settings in force (at most SETTINGS_REFRESH_MS old), whether or not payments can be taken with them. */
  async settings(): Promise<EffectiveSettings> {
    return this.settingsStore.current()
  }

  /**
   * The settings in force and the rail they choose. Throws a readable NOT_ALLOWED error while the plugin has no keys
   * (or its stored secret cannot be read), naming what to set.
   */
  async connected(): Promise<ConnectedSettings> {
    return this.rails_.connected()
  }

  /**
   * Moves an operation on from `pending`, and only from `pending`, in one conditional UPDATE: two callbacks applied
   * at once (on one instance or two) cannot overwrite a final status, whatever order they commit in.
   * Returns whether this call made the change.
   */
  @InjectManager()
  async transitionOperation(
    id: string,
    transition: OperationTransition,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const knex = this.knex(sharedContext)
    const changes: Record<string, unknown> = { status: transition.status, updated_at: knex.fn.now() }
    if (transition.code !== undefined) changes.code = transition.code
    if (transition.message !== undefined) changes.message = transition.message
    if (transition.redirect_data !== undefined) {
      changes.redirect_data = transition.redirect_data === null ? null : JSON.stringify(transition.redirect_data)
    }
    const updated = await knex("fw_gate_operation")
      .where({ id, status: "pending" })
      .whereNull("deleted_at")
      .update(changes)
    return updated > 0
  }

  /** Settles a payout once: only a pending payout takes a final status (see transitionOperation). */
  @InjectManager()
  async settlePayout(
    id: string,
    result: { status: "success" | "decline"; code?: string | null; message?: string | null },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const knex = this.knex(sharedContext)
    const updated = await knex("fw_payout")
      .where({ id, status: "pending" })
      .whereNull("deleted_at")
      .update({ status: result.status, code: result.code ?? null, message: result.message ?? null, updated_at: knex.fn.now() })
    return updated > 0
  }

  /** Fills identity columns that are still empty; never replaces one already set. */
  @InjectManager()
  async mergeOperationIdentity(
    id: string,
    identity: OperationIdentity,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const knex = this.knex(sharedContext)
    const changes: Record<string, unknown> = {}
    for (const [column, value] of Object.entries(identity)) {
      if (value !== undefined && value !== null) changes[column] = knex.raw(`COALESCE(??, ?)`, [column, value])
    }
    if (Object.keys(changes).length === 0) return
    await knex("fw_gate_operation").where({ id }).update(changes)
  }

  private knex(sharedContext: Context): Knex {
    const manager = (sharedContext.transactionManager ?? sharedContext.manager) as unknown as KnexManager
    return manager.getTransactionContext() ?? manager.getKnex()
  }

}

export default FlutterwaveModuleService
