import type { GateCurrency } from "../../money"

/**
 * Facts of the Flutterwave method on ECommPay's Gate, from ECommPay's method guide (shared/seeds, Russian).
 * One place for each fact: the provider, the API routes, the admin UI and the sandbox all read them from here.
 */

export const METHOD_CODE = "flutterwave"

/** Gate paths for the method. Refund, sale and payout are method-specific; status is shared by all methods. */
export const GATE_PATHS = Object.freeze({
  sale: "/v2/payment/flutterwave/sale",
  refund: "/v2/payment/flutterwave/refund",
  payout: "/v2/payment/flutterwave/payout",
  status: "/v2/payment/status",
} as const)

export const PRODUCTION_GATE_URL = "https://api.ecommpay.com"

/**
 * Operation limits, in NGN minor units (kobo). The guide gives them "in NGN or equivalent"; the equivalent in other
 * currencies depends on the provider's rates, so only NGN has a default and store owners set the rest in options.
 */
export const NGN_LIMITS = Object.freeze({
  sale: Object.freeze({ min: 100, max: 50_000_000 }), // 1.00 – 500,000.00 NGN
  payout: Object.freeze({ min: 10_000, max: 100_000 }), // 100.00 – 1,000.00 NGN
})

export type AmountLimit = { min: number; max: number }
export type LimitsByCurrency = Partial<Record<GateCurrency, AmountLimit>>

export const DEFAULT_SALE_LIMITS: LimitsByCurrency = Object.freeze({ NGN: NGN_LIMITS.sale })
export const DEFAULT_PAYOUT_LIMITS: LimitsByCurrency = Object.freeze({ NGN: NGN_LIMITS.payout })

/**
 * "Base time" (when to start asking status if no callback came) and "limit time" (after which Gate declines an
 * unfinished payment by itself). The guide says "up to 10 minutes" for every operation.
 */
export const BASE_TIME_MS = 10 * 60 * 1000
export const LIMIT_TIME_MS = 10 * 60 * 1000
/**
 * How long a Payment Page we sign stays payable (its `best_before`): long enough to pay with a bank app, short enough
 * that a page whose cart has moved on is not paid days later. After it, Gate's "not found" (3061) means never paid.
 */
export const PAYMENT_PAGE_VALIDITY_MS = 30 * 60 * 1000

/** Gate wants status requests no earlier than this after the operation request. */
export const MIN_STATUS_DELAY_MS = 10 * 1000

export type BankCountry = "NG" | "KE" | "GH"

export const COUNTRY_CURRENCY: Readonly<Record<BankCountry, GateCurrency>> = Object.freeze({
  NG: "NGN",
  KE: "KES",
  GH: "GHS",
})

export type Bank = { id: string; name: string; country: BankCountry }

/**
 * Table 1 of the guide: the 83 banks (Gate ids 193–275) that take Flutterwave payouts. The guide lists names and
 * ids only; the country follows from the contiguous id ranges (193–224 Nigeria, 225–257 Kenya, 258–275 Ghana).
 * ECommPay says to confirm the list with the account manager, and the guide's own payout example uses id 308,
 * which is not in the table: store owners can add banks through the plugin options.
 */
export const BANKS: readonly Bank[] = Object.freeze([
  { id: "193", name: "ACCESS BANK NIGERIA", country: "NG" },
  { id: "194", name: "ACCESS MOBILE", country: "NG" },
  { id: "195", name: "AFRIBANK NIGERIA PLC", country: "NG" },
  { id: "196", name: "Aso Savings and Loans", country: "NG" },
  { id: "197", name: "DIAMOND BANK PLC", country: "NG" },
  { id: "198", name: "Ecobank Mobile Nigeria", country: "NG" },
  { id: "199", name: "ECOBANK NIGERIA LIMITED", country: "NG" },
  { id: "200", name: "ENTERPRISE BANK LIMITED", country: "NG" },
  { id: "201", name: "FBN MOBILE", country: "NG" },
  { id: "202", name: "FIDELITY BANK PLC Nigeria", country: "NG" },
  { id: "203", name: "FIRST BANK PLC", country: "NG" },
  { id: "204", name: "FIRST CITY MONUMENT BANK PLC", country: "NG" },
  { id: "205", name: "GTBank Mobile Money", country: "NG" },
  { id: "206", name: "GTBANK PLC", country: "NG" },
  { id: "207", name: "HERITAGE BANK", country: "NG" },
  { id: "208", name: "KEYSTONE BANK PLC", country: "NG" },
  { id: "209", name: "Parkway", country: "NG" },
  { id: "210", name: "PAYCOM", country: "NG" },
  { id: "211", name: "SKYE BANK PLC", country: "NG" },
  { id: "212", name: "STANBIC IBTC BANK PLC", country: "NG" },
  { id: "213", name: "Stanbic Mobile", country: "NG" },
  { id: "214", name: "STANDARD CHARTERED BANK NIGERIA LIMITED", country: "NG" },
  { id: "215", name: "STERLING BANK PLC", country: "NG" },
  { id: "216", name: "UNION BANK OF NIGERIA PLC", country: "NG" },
  { id: "217", name: "UNITED BANK FOR AFRICA PLC Nigeria", country: "NG" },
  { id: "218", name: "UNITY BANK PLC", country: "NG" },
  { id: "219", name: "WEMA BANK PLC", country: "NG" },
  { id: "220", name: "ZENITH BANK PLC Nigeria", country: "NG" },
  { id: "221", name: "ZENITH Mobile Nigeria", country: "NG" },
  { id: "222", name: "Coronation Merchant Bank", country: "NG" },
  { id: "223", name: "Providus Bank", country: "NG" },
  { id: "224", name: "PARRALEX BANK", country: "NG" },
  { id: "225", name: "Prime Bank Limited", country: "KE" },
  { id: "226", name: "Co-operative Bank of Kenya Limited", country: "KE" },
  { id: "227", name: "National Bank of Kenya Limited", country: "KE" },
  { id: "228", name: "Oriental Commercial Bank Limited", country: "KE" },
  { id: "229", name: "Citibank N.A.", country: "KE" },
  { id: "230", name: "Middle East Bank Kenya Limited", country: "KE" },
  { id: "231", name: "Consolidated Bank of Kenya Limited", country: "KE" },
  { id: "232", name: "Trans-National Bank Limited", country: "KE" },
  { id: "233", name: "Chase Bank Limited", country: "KE" },
  { id: "234", name: "CFC Stanbic Bank Kenya Limited", country: "KE" },
  { id: "235", name: "African Banking Corp. Bank Ltd", country: "KE" },
  { id: "236", name: "Imperial Bank Limited", country: "KE" },
  { id: "237", name: "NIC Bank Limited", country: "KE" },
  { id: "238", name: "Giro Commercial Bank Limited", country: "KE" },
  { id: "239", name: "ECO Bank Limited Kenya", country: "KE" },
  { id: "240", name: "Equatorial Commercial Bank Limited", country: "KE" },
  { id: "241", name: "Paramount Universal Bank Limited", country: "KE" },
  { id: "242", name: "Jamii Bora Bank", country: "KE" },
  { id: "243", name: "Family Bank Ltd", country: "KE" },
  { id: "244", name: "Victoria Commercial Bank Limited", country: "KE" },
  { id: "245", name: "Guardian Bank Limited", country: "KE" },
  { id: "246", name: "Investments n Mortgages Bank Limited", country: "KE" },
  { id: "247", name: "Development Bank of Kenya Limited", country: "KE" },
  { id: "248", name: "Housing Finance Bank", country: "KE" },
  { id: "249", name: "Diamond Trust Bank Limited", country: "KE" },
  { id: "250", name: "K-Rep Bank Limited", country: "KE" },
  { id: "251", name: "Equity Bank Limited", country: "KE" },
  { id: "252", name: "UBA Kenya Bank Ltd", country: "KE" },
  { id: "253", name: "Kenya Commercial Bank Limited", country: "KE" },
  { id: "254", name: "Commercial Bank of Africa Limited", country: "KE" },
  { id: "255", name: "Habib Bank Limited", country: "KE" },
  { id: "256", name: "Central Bank of Kenya", country: "KE" },
  { id: "257", name: "Barclays Bank of Kenya", country: "KE" },
  { id: "258", name: "STANDARD CHARTERED BANK Ghana", country: "GH" },
  { id: "259", name: "GCB BANK LTD", country: "GH" },
  { id: "260", name: "NATIONAL INVESTMENT BANK", country: "GH" },
  { id: "261", name: "UNIVERSAL MERCHANT BANK", country: "GH" },
  { id: "262", name: "HFC BANK", country: "GH" },
  { id: "263", name: "ZENITH BANK Ghana", country: "GH" },
  { id: "264", name: "ECOBANK Ghana", country: "GH" },
  { id: "265", name: "CAL BANK", country: "GH" },
  { id: "266", name: "STANBIC BANK", country: "GH" },
  { id: "267", name: "GUARANTY TRUST BANK", country: "GH" },
  { id: "268", name: "UNITED BANK FOR AFRICA Ghana", country: "GH" },
  { id: "269", name: "ACCESS BANK Ghana", country: "GH" },
  { id: "270", name: "ENERGY BANK", country: "GH" },
  { id: "271", name: "ROYAL BANK", country: "GH" },
  { id: "272", name: "FIRST NATIONAL BANK", country: "GH" },
  { id: "273", name: "FIRST ALLIED SAVINGS AND LOANS", country: "GH" },
  { id: "274", name: "CAPITAL BANK", country: "GH" },
  { id: "275", name: "Fidelity Bank Ghana", country: "GH" },
])

/**
 * The banks for one currency: the built-in table plus the store owner's extra banks. An extra bank with the id of a
 * built-in one replaces it (as in findBank), so no id is listed twice; among extras, the first with an id wins.
 */
export function banksForCurrency(currency: string, extraBanks: readonly Bank[] = []): Bank[] {
  const code = currency.toUpperCase()
  const extras = new Map<string, Bank>()
  for (const bank of extraBanks) {
    if (!extras.has(bank.id)) extras.set(bank.id, bank)
  }
  return [...BANKS.filter((bank) => !extras.has(bank.id)), ...extras.values()].filter(
    (bank) => COUNTRY_CURRENCY[bank.country] === code
  )
}

export function findBank(bankId: string, extraBanks: readonly Bank[] = []): Bank | undefined {
  return extraBanks.find((bank) => bank.id === bankId) ?? BANKS.find((bank) => bank.id === bankId)
}

/** Gate response codes that this plugin acts on (ECommPay's unified code table; 0, 3028 and 3283 are in the guide). */
export const GATE_CODES = Object.freeze({
  SUCCESS: "0",
  GENERAL_DECLINE: "100",
  INTERNAL_ERROR: "501",
  MALFORMED_REQUEST: "702",
  INVALID_JSON: "2003",
  REQUIRED_FIELD_MISSING: "2004",
  PROJECT_NOT_FOUND: "2442",
  AMOUNT_ABOVE_LIMIT: "2642",
  BANK_NOT_FOUND: "2801",
  INVALID_CURRENCY: "3121",
  INSUFFICIENT_MERCHANT_BALANCE: "3028",
  PAYMENT_ID_EXISTS: "3041",
  STATUS_FORBIDS_ACTION: "3060",
  TRANSACTION_NOT_FOUND: "3061",
  MERCHANT_REFUND_ID_EXISTS: "3230",
  INVALID_SIGNATURE: "3261",
  EMPTY_SIGNATURE: "3262",
  REFUND_MORE_THAN_INIT: "3283",
  REFUND_CURRENCY_MISMATCH: "3284",
  REFUND_TOO_SOON: "3285",
  AMOUNT_BELOW_LIMIT: "3358",
  REFUND_UNAVAILABLE: "3610",
  CUSTOMER_CANCELLED: "20301",
  CUSTOMER_INSUFFICIENT_FUNDS: "20105",
  PROVIDER_DECLINE: "20100",
  PROVIDER_TIMEOUT: "20602",
} as const)

/** Readable meanings, shown to admins next to a decline. */
export const GATE_CODE_MESSAGES: Readonly<Record<string, string>> = Object.freeze({
  "0": "Success",
  "100": "General decline",
  "501": "Internal error",
  "702": "Malformed request",
  "2003": "Invalid JSON string",
  "2004": "Required field not provided",
  "2442": "Project ID not found",
  "2642": "Amount greater than limit",
  "2801": "Bank ID not found",
  "3121": "Invalid currency",
  "3028": "Insufficient funds on merchant balance",
  "3041": "Payment ID already exists",
  "3060": "Payment status does not allow this action",
  "3061": "Transaction not found",
  "3230": "merchant_refund_id already exists",
  "3261": "Invalid signature",
  "3262": "Empty signature",
  "3283": "Refund amount more than init amount",
  "3284": "Refund currency mismatched or empty",
  "3285": "Timeout block for repeat refund",
  "3358": "Amount less than limit",
  "3610": "Refund unavailable (refunds may not be enabled on the Flutterwave account)",
  "20100": "Declined by external provider",
  "20105": "Insufficient funds on customer account",
  "20301": "Account owner cancelled operation",
  "20602": "Time-out at the provider",
})

export function describeGateCode(code: string | number | undefined | null): string | undefined {
  if (code === undefined || code === null) return undefined
  return GATE_CODE_MESSAGES[String(code)]
}
