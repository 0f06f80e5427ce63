import { MedusaService } from "@medusajs/framework/utils"
import type { Logger } from "@medusajs/framework/types"
import { GateClient } from "../../gate"
import { resolveOptions, type ResolvedFlutterwaveOptions } from "../../lib/options"
import { GateCallback } from "./models/gate-callback"
import { GateOperation } from "./models/gate-operation"

type InjectedDependencies = { logger: Logger }

/**
 * Our own data (Gate operations, callbacks) and the Gate client the API routes, jobs and workflows use. It gets the
 * same options as the payment provider (both read the FLUTTERWAVE_* variables), checked when the app starts.
 */
class FlutterwaveModuleService extends MedusaService({ GateOperation, GateCallback }) {
  protected readonly options_: ResolvedFlutterwaveOptions
  protected readonly logger_: Logger
  private gate_?: GateClient

  constructor(container: InjectedDependencies, options: Record<string, unknown>) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.options_ = resolveOptions(options)
    this.logger_ = container.logger
  }

  get options(): Readonly<ResolvedFlutterwaveOptions> {
    return this.options_
  }

  get gate(): GateClient {
    this.gate_ ??= new GateClient({
      projectId: this.options_.projectId,
      secretKey: this.options_.secretKey,
      baseUrl: this.options_.gateUrl,
      timeoutMs: this.options_.timeoutMs,
      logger: { warn: (message) => this.logger_.warn(`flutterwave: ${message}`) },
    })
    return this.gate_
  }
}

export default FlutterwaveModuleService
