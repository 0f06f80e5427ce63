import { InjectManager, MedusaContext, MedusaService } from "@medusajs/framework/utils"
import type { Context, Logger } from "@medusajs/framework/types"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import type { GateClient } from "../../rails/ecommpay"
import { railFor, type PaymentRail } from "../../rails"
import { resolveOptions, type ResolvedFlutterwaveOptions } from "../../options"
import { GateCallback } from "./models/gate-callback"
import { GateOperation } from "./models/gate-operation"
import { Payout } from "./models/payout"
import { Attention } from "./models/attention"
import { ReconciliationRun } from "./models/reconciliation-run"

type InjectedDependencies = { logger: Logger }

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
 * Our own data (Gate operations, callbacks) and the Gate client the API routes, jobs and workflows use. It gets the
 * same options as the payment provider (both read the FLUTTERWAVE_* variables), checked when the app starts.
 */
class FlutterwaveModuleService extends MedusaService({ GateOperation, GateCallback, Payout, ReconciliationRun, Attention }) {
  protected readonly options_: ResolvedFlutterwaveOptions
  protected readonly logger_: Logger
  private rail_?: { rail: PaymentRail; gate: GateClient }

  constructor(container: InjectedDependencies, options: Record<string, unknown>) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.options_ = resolveOptions(options)
    this.logger_ = container.logger
  }

  get options(): Readonly<ResolvedFlutterwaveOptions> {
    return this.options_
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

  /** One more delivery of a stored callback, counted in SQL so simultaneous deliveries are all counted. */
  @InjectManager()
  async countCallbackDelivery(id: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    const knex = this.knex(sharedContext)
    await knex("fw_gate_callback").where({ id }).increment("deliveries", 1)
  }

  /**
   * Takes over a stored callback that is still unapplied and untouched for `staleMs` (its delivery died), by the
   * database's clock. True for exactly one caller; every other concurrent delivery gets false.
   */
  @InjectManager()
  async claimStaleCallback(id: string, staleMs: number, @MedusaContext() sharedContext: Context = {}): Promise<boolean> {
    const knex = this.knex(sharedContext)
    const claimed = await knex("fw_gate_callback")
      .where({ id, outcome: "received" })
      .where("updated_at", "<", knex.raw("now() - (? * interval '1 millisecond')", [staleMs]))
      .update({ updated_at: knex.fn.now() })
    return claimed > 0
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

  /** ECommPay's Gate client, for what only Gate does (payout status, bank checks, connection test). */
  get gate(): GateClient {
    return this.railAndGate().gate
  }

  /** The payment rail the options choose: what the core talks to (refunds, lookups). */
  get rail(): PaymentRail {
    return this.railAndGate().rail
  }

  private railAndGate(): { rail: PaymentRail; gate: GateClient } {
    this.rail_ ??= railFor({ ...this.options_, logger: { warn: (message) => this.logger_.warn(`flutterwave: ${message}`) } })
    return this.rail_
  }
}

export default FlutterwaveModuleService
