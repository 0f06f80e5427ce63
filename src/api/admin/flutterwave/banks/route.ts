import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { payoutBanks, PayoutBanksUnavailable } from "../../../../settlement/payout-banks"
import { FLUTTERWAVE_MODULE } from "../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../modules/flutterwave/service"
import type { BanksQuery } from "../validators"

export async function GET(req: AuthenticatedMedusaRequest<unknown, BanksQuery>, res: MedusaResponse): Promise<void> {
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const { currency } = req.validatedQuery as BanksQuery
  const { rail, options } = await flutterwave.connected()
  try {
    const banks = (await payoutBanks({ rail, extraBanks: options.extraBanks }, currency)).sort((a, b) => a.name.localeCompare(b.name))
    res.json({ banks })
  } catch (error) {
    if (error instanceof PayoutBanksUnavailable) throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, error.message)
    throw error
  }
}
