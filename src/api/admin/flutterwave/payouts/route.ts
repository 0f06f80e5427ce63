import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { COUNTRY_CURRENCY, findBank, fromMinorUnits, MoneyError, toMinorUnits } from "../../../../rails/ecommpay"
import { findPayoutBank, payoutCurrencies, PayoutBanksUnavailable, type PayoutBank } from "../../../../settlement/payout-banks"
import { toPayoutDTO } from "../dto"
import { requestIp } from "../../../request-ip"
import { FLUTTERWAVE_MODULE } from "../../../../modules/flutterwave"
import type FlutterwaveModuleService from "../../../../modules/flutterwave/service"
import { createPayoutWorkflow } from "../../../../workflows"
import type { CreatePayoutBody, ListPayoutsQuery } from "../validators"

export async function GET(req: AuthenticatedMedusaRequest<unknown, ListPayoutsQuery>, res: MedusaResponse): Promise<void> {
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const { status, limit, offset } = req.validatedQuery as ListPayoutsQuery
  const [payouts, count] = await flutterwave.listAndCountPayouts(status ? { status } : {}, {
    take: limit,
    skip: offset,
    order: { created_at: "DESC" },
  })
  res.json({ payouts: payouts.map(toPayoutDTO), count, limit, offset })
}

/** Records a payout and sends it to Gate. The same idempotency key again returns the same payout, unpaid twice. */
export async function POST(req: AuthenticatedMedusaRequest<CreatePayoutBody>, res: MedusaResponse): Promise<void> {
  const flutterwave = req.scope.resolve<FlutterwaveModuleService>(FLUTTERWAVE_MODULE)
  const body = req.validatedBody
  const { options, rail } = await flutterwave.connected()

  const currencies = payoutCurrencies(options.rail)
  if (!currencies.includes(body.currency_code)) {
    throw invalid(`payouts in ${body.currency_code} are not available; use one of ${currencies.join(", ")}`)
  }
  let bank: PayoutBank | undefined
  try {
    bank = await findPayoutBank({ rail, extraBanks: options.extraBanks }, body.bank_id, body.currency_code)
  } catch (error) {
    if (error instanceof PayoutBanksUnavailable) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `${error.message}; nothing was sent, try again in a moment`)
    }
    throw error
  }
  if (!bank) {
    const elsewhere = rail.name === "flutterwave-v3" ? undefined : findBank(body.bank_id, options.extraBanks)
    throw invalid(
      elsewhere
        ? `${elsewhere.name} (${elsewhere.country}) takes ${COUNTRY_CURRENCY[elsewhere.country]} payouts, not ${body.currency_code}`
        : `bank_id ${body.bank_id} is not a Flutterwave payout bank for ${body.currency_code}`
    )
  }
  let amountMinor: number
  try {
    amountMinor = toMinorUnits(body.amount, body.currency_code)
  } catch (error) {
    if (error instanceof MoneyError) throw invalid(`amount: ${error.message}`)
    throw error
  }
  const limit = options.payoutLimits[body.currency_code as keyof typeof options.payoutLimits]
  if (amountMinor <= 0) throw invalid("amount must be above zero")
  if (limit && (amountMinor < limit.min || amountMinor > limit.max)) {
    const fmt = (minor: number) => fromMinorUnits(minor, body.currency_code)
    throw invalid(`Flutterwave payouts are ${fmt(limit.min)} to ${fmt(limit.max)} ${body.currency_code}; this one is ${fmt(amountMinor)}`)
  }

  // The same key with different details is not a retry but a mistake: refuse it rather than pay the old request.
  const [earlier] = await flutterwave.listPayouts({ idempotency_key: body.idempotency_key })
  if (
    earlier &&
    (Number(earlier.amount) !== amountMinor ||
      earlier.currency_code !== body.currency_code ||
      earlier.bank_id !== bank.id ||
      earlier.account_number !== body.account_number)
  ) {
    // Answered here: Medusa's error handler replaces CONFLICT messages with a generic one, and this one must be read.
    res.status(409).json({
      type: "conflict",
      message: "This idempotency key was already used for a different payout; start a new payout to send a different one",
    })
    return
  }

  const { result } = await createPayoutWorkflow(req.scope).run({
    input: {
      idempotency_key: body.idempotency_key,
      amount_minor: amountMinor,
      currency_code: body.currency_code,
      bank,
      account_number: body.account_number,
      description: body.description,
      created_by: req.auth_context?.actor_id,
      ip_address: requestIp(req) ?? options.fallbackIpAddress,
    },
  })
  res.json({ payout: toPayoutDTO(result as unknown as Parameters<typeof toPayoutDTO>[0]) })
}

function invalid(message: string): MedusaError {
  return new MedusaError(MedusaError.Types.INVALID_DATA, message)
}
