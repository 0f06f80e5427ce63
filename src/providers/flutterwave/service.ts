import { AbstractPaymentProvider, MedusaError, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import type {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  DeletePaymentInput,
  DeletePaymentOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  Logger,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
  WebhookActionResult,
} from "@medusajs/framework/types"
import { GateClient } from "../../gate"
import { resolveOptions, type ResolvedFlutterwaveOptions } from "./options"

type InjectedDependencies = { logger: Logger }

/**
 * Flutterwave through ECommPay's Gate, as a Medusa payment provider (id `pp_flutterwave_<config id>`).
 * Skeleton of the foundation issue: options are validated and the Gate client is built; the payment flow lands
 * with the provider issue.
 */
class FlutterwaveProviderService extends AbstractPaymentProvider<ResolvedFlutterwaveOptions> {
  static override identifier = "flutterwave"

  protected readonly options_: ResolvedFlutterwaveOptions
  protected readonly gate: GateClient
  protected readonly logger_: Logger

  static override validateOptions(options: Record<string, unknown>): void {
    resolveOptions(options)
  }

  constructor(cradle: InjectedDependencies, options: Record<string, unknown>) {
    const resolved = resolveOptions(options)
    super(cradle as unknown as Record<string, unknown>, resolved)
    this.options_ = resolved
    this.logger_ = cradle.logger
    this.gate = new GateClient({
      projectId: resolved.projectId,
      secretKey: resolved.secretKey,
      baseUrl: resolved.gateUrl,
      timeoutMs: resolved.timeoutMs,
    })
  }

  async initiatePayment(_input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    throw notYet("initiatePayment")
  }

  async updatePayment(_input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    throw notYet("updatePayment")
  }

  async deletePayment(input: DeletePaymentInput): Promise<DeletePaymentOutput> {
    return { data: input.data }
  }

  async authorizePayment(_input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    throw notYet("authorizePayment")
  }

  async capturePayment(input: CapturePaymentInput): Promise<CapturePaymentOutput> {
    return { data: input.data }
  }

  async refundPayment(_input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    throw notYet("refundPayment")
  }

  async retrievePayment(input: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    return { data: input.data }
  }

  async cancelPayment(input: CancelPaymentInput): Promise<CancelPaymentOutput> {
    return { data: input.data }
  }

  async getPaymentStatus(_input: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    return { status: PaymentSessionStatus.PENDING }
  }

  async getWebhookActionAndData(_payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    return { action: PaymentActions.NOT_SUPPORTED }
  }
}

function notYet(method: string): MedusaError {
  return new MedusaError(MedusaError.Types.NOT_ALLOWED, `Flutterwave: ${method} is not available in this build`)
}

export default FlutterwaveProviderService
