import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { banksForCurrency } from "../../../../rails/ecommpay"
import { FLUTTERWAVE_MODULE } from "../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../modules/flutterwave/service"
import type { BanksQuery } from "../validators"

export async function GET(req: AuthenticatedMedusaRequest<unknown, BanksQuery>, res: MedusaResponse): Promise<void> {
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const { currency } = req.validatedQuery as BanksQuery
  const banks = banksForCurrency(currency, (await flutterwave.settings()).options.extraBanks).sort((a, b) => a.name.localeCompare(b.name))
  res.json({ banks })
}
