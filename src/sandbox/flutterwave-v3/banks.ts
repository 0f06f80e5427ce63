/**
 * What `GET /v3/banks/<country>` answers in the sandbox: a short list per country, in the shape and code style of
 * Flutterwave's own lists (Nigeria: CBN codes; Ghana: "GH" + the bank's sort code; Kenya, Uganda: "MPS" for mobile
 * money). A representative subset for development, not a copy of Flutterwave's full, changing lists: a payout to a
 * bank that is not here is refused as "Invalid bank code", so tests should pick codes from these lists.
 */

export type SandboxV3Bank = { id: number; code: string; name: string }

export type SandboxV3Country = "NG" | "GH" | "KE" | "UG" | "ZA" | "TZ"

export const SANDBOX_V3_BANKS: Readonly<Record<SandboxV3Country, readonly SandboxV3Bank[]>> = Object.freeze({
  NG: [
    { id: 191, code: "044", name: "Access Bank" },
    { id: 196, code: "050", name: "Ecobank Nigeria" },
    { id: 197, code: "070", name: "Fidelity Bank" },
    { id: 181, code: "011", name: "First Bank of Nigeria" },
    { id: 198, code: "214", name: "First City Monument Bank" },
    { id: 183, code: "058", name: "GTBank" },
    { id: 208, code: "221", name: "Stanbic IBTC Bank" },
    { id: 211, code: "232", name: "Sterling Bank" },
    { id: 184, code: "033", name: "United Bank for Africa" },
    { id: 185, code: "057", name: "Zenith Bank" },
  ],
  GH: [
    { id: 280, code: "GH280100", name: "Access Bank Ghana" },
    { id: 271, code: "GH030100", name: "Absa Bank Ghana" },
    { id: 272, code: "GH130100", name: "Ecobank Ghana" },
    { id: 273, code: "GH040100", name: "GCB Bank" },
    { id: 274, code: "GH230100", name: "Guaranty Trust Bank Ghana" },
    { id: 275, code: "GH190100", name: "Stanbic Bank Ghana" },
    { id: 276, code: "GH020100", name: "Standard Chartered Bank Ghana" },
    { id: 277, code: "GH120100", name: "Zenith Bank Ghana" },
  ],
  KE: [
    { id: 601, code: "MPS", name: "M-Pesa" },
    { id: 602, code: "01", name: "Kenya Commercial Bank" },
    { id: 603, code: "02", name: "Standard Chartered Kenya" },
    { id: 604, code: "03", name: "Absa Bank Kenya" },
    { id: 605, code: "11", name: "Co-operative Bank of Kenya" },
    { id: 606, code: "31", name: "Stanbic Bank Kenya" },
    { id: 607, code: "63", name: "Diamond Trust Bank" },
    { id: 608, code: "68", name: "Equity Bank" },
  ],
  UG: [
    { id: 701, code: "MPS", name: "MTN Mobile Money" },
    { id: 702, code: "AIRTEL", name: "Airtel Money" },
    { id: 703, code: "UG_ABSA", name: "Absa Bank Uganda" },
    { id: 704, code: "UG_CENTENARY", name: "Centenary Bank" },
    { id: 705, code: "UG_DFCU", name: "DFCU Bank" },
    { id: 706, code: "UG_STANBIC", name: "Stanbic Bank Uganda" },
    { id: 707, code: "UG_STANCHART", name: "Standard Chartered Bank Uganda" },
  ],
  ZA: [
    { id: 801, code: "ABSA", name: "Absa Bank" },
    { id: 802, code: "CAPITEC", name: "Capitec Bank" },
    { id: 803, code: "FNB", name: "First National Bank" },
    { id: 804, code: "INVESTEC", name: "Investec Bank" },
    { id: 805, code: "NEDBANK", name: "Nedbank" },
    { id: 806, code: "STANDARD", name: "Standard Bank of South Africa" },
  ],
  TZ: [
    { id: 901, code: "MPS", name: "M-Pesa Tanzania" },
    { id: 902, code: "TZ_CRDB", name: "CRDB Bank" },
    { id: 903, code: "TZ_NMB", name: "NMB Bank" },
    { id: 904, code: "TZ_NBC", name: "NBC Bank" },
    { id: 905, code: "TZ_STANBIC", name: "Stanbic Bank Tanzania" },
  ],
})

/** The country whose banks a payout in `currency` goes to (USD: any country's). */
const COUNTRY_OF_CURRENCY: Readonly<Record<string, SandboxV3Country>> = Object.freeze({
  NGN: "NG",
  GHS: "GH",
  KES: "KE",
  UGX: "UG",
  ZAR: "ZA",
  TZS: "TZ",
})

export function isSandboxV3Country(country: string): country is SandboxV3Country {
  return Object.prototype.hasOwnProperty.call(SANDBOX_V3_BANKS, country)
}

/** The bank a payout in `currency` names by `code`, or undefined when the code is not one of that country's. */
export function findSandboxV3Bank(code: string, currency: string): SandboxV3Bank | undefined {
  const country = COUNTRY_OF_CURRENCY[currency]
  const countries: SandboxV3Country[] = country ? [country] : (Object.keys(SANDBOX_V3_BANKS) as SandboxV3Country[])
  for (const each of countries) {
    const bank = SANDBOX_V3_BANKS[each].find((candidate) => candidate.code === code)
    if (bank) return bank
  }
  return undefined
}
