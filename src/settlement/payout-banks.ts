import { banksForCurrency, COUNTRY_CURRENCY, type Bank } from "../rails/ecommpay"
import { PAYOUT_COUNTRY_CURRENCY } from "../rails/flutterwave-v3"
import type { RailChoice } from "../options"
import type { PaymentRail } from "../rails/rail"

/** A bank a payout can go to, whichever rail lists it. `id` is what the rail takes as BankAccount.bankId. */
export type PayoutBank = { id: string; name: string; country: string }

/** What the bank directory needs: the rail in force, and the banks a store owner added to ECommPay's table. */
export type PayoutBankSource = { rail: PaymentRail; extraBanks: readonly Bank[] }

/** Flutterwave's bank lists change rarely; one request per country per instance every this long is plenty. */
const BANK_LIST_TTL_MS = 10 * 60 * 1000
const bankLists = new WeakMap<PaymentRail, Map<string, { at: number; banks: PayoutBank[] }>>()

export class PayoutBanksUnavailable extends Error {
  override name = "PayoutBanksUnavailable"
}

/** The currencies payouts can be sent in with this rail (one per country whose banks it lists). */
export function payoutCurrencies(rail: RailChoice): string[] {
  const table: Record<string, string> = rail === "flutterwave-v3" ? PAYOUT_COUNTRY_CURRENCY : COUNTRY_CURRENCY
  return [...new Set(Object.values(table))]
}

/**
 * The banks a payout in `currency` can go to: ECommPay's table (from its method guide, plus the store's additions),
 * or the list Flutterwave's API gives for the currency's country (cached for minutes per instance).
 */
export async function payoutBanks(source: PayoutBankSource, currency: string): Promise<PayoutBank[]> {
  const code = currency.toUpperCase()
  if (source.rail.name !== "flutterwave-v3" || !source.rail.listBanks) {
    return banksForCurrency(code, source.extraBanks).map((bank) => ({ id: bank.id, name: bank.name, country: bank.country }))
  }
  const country = Object.entries(PAYOUT_COUNTRY_CURRENCY).find(([, cur]) => cur === code)?.[0]
  if (!country) return []
  let cache = bankLists.get(source.rail)
  if (!cache) bankLists.set(source.rail, (cache = new Map()))
  const cached = cache.get(country)
  if (cached && Date.now() - cached.at < BANK_LIST_TTL_MS) return cached.banks
  let banks: PayoutBank[]
  try {
    banks = (await source.rail.listBanks(country)).map((bank) => ({ ...bank, country }))
  } catch (error) {
    if (cached) return cached.banks
    throw new PayoutBanksUnavailable(`Flutterwave's bank list for ${country} could not be read: ${(error as Error).message}`)
  }
  cache.set(country, { at: Date.now(), banks })
  return banks
}

/** The bank with this id among those a payout in `currency` can go to. */
export async function findPayoutBank(source: PayoutBankSource, bankId: string, currency: string): Promise<PayoutBank | undefined> {
  return (await payoutBanks(source, currency)).find((bank) => bank.id === bankId)
}
