import { isIP } from "node:net"
import { MedusaError } from "@medusajs/framework/utils"
import {
  BASE_TIME_MS,
  COUNTRY_CURRENCY,
  DEFAULT_PAYOUT_LIMITS,
  DEFAULT_SALE_LIMITS,
  MIN_STATUS_DELAY_MS,
  PRODUCTION_GATE_URL,
  SUPPORTED_CURRENCIES,
  normalizeCurrency,
  toMinorUnits,
  type AmountLimit,
  type Bank,
  type BankCountry,
  type GateCurrency,
  type LimitsByCurrency,
} from "./rails/ecommpay"
import { PAYMENT_PAGE_URL } from "./rails/ecommpay/payment-page"

/**
 * Which backend takes the store's Flutterwave payments: "ecommpay" (default: ECommPay's Payment Page or Gate, for
 * merchants with an ECommPay contract) or "flutterwave-v3" (the merchant's own Flutterwave account: Standard hosted
 * links, verif-hash webhooks, v3 refunds and transfers).
 */
export type RailChoice = "ecommpay" | "flutterwave-v3"
export const RAIL_CHOICES: readonly RailChoice[] = Object.freeze(["ecommpay", "flutterwave-v3"])

/** Flutterwave's own API (v3), where merchants with their own Flutterwave account take payments. */
export const FLUTTERWAVE_V3_API_URL = "https://api.flutterwave.com"

/** What a store owner writes in medusa-config.ts (usually from environment variables). */
export type FlutterwaveProviderOptions = {
  /** Which backend takes payments (default "ecommpay"). */
  rail?: RailChoice
  /** ECommPay project id (an integer; a numeric string from env is fine). Needed with rail "ecommpay". */
  projectId?: number | string
  /** ECommPay project secret key. Never logged, never returned. Needed with rail "ecommpay". */
  secretKey?: string
  /** Flutterwave dashboard → Settings → API keys: the public key (FLWPUBK-…). Shown, not secret. */
  flutterwavePublicKey?: string
  /** Flutterwave dashboard → Settings → API keys: the secret key (FLWSECK-…). Needed with rail "flutterwave-v3". */
  flutterwaveSecretKey?: string
  /** Flutterwave dashboard → Settings → API keys: the encryption key. Kept sealed; Standard checkout does not use it. */
  flutterwaveEncryptionKey?: string
  /** Flutterwave dashboard → Settings → Webhooks: the secret hash you typed there. Needed with rail "flutterwave-v3". */
  flutterwaveSecretHash?: string
  /** Flutterwave's API base URL (default https://api.flutterwave.com; the local v3 sandbox for development). */
  flutterwaveApiUrl?: string
  /** Also accept webhooks proven by the newer `flutterwave-signature` HMAC header (default false: `verif-hash` only). */
  acceptSignatureHeader?: boolean | string
  /** Gate base URL. Default: ECommPay production. The local sandbox URL for development. */
  gateUrl?: string
  /** Sent as general.merchant_callback_url; otherwise Gate uses the project's callback URL. */
  callbackUrl?: string
  /** Storefront page the shopper returns to from Flutterwave. */
  returnUrl?: string
  /**
   * How the shopper pays (default "payment_page"). "payment_page": a signed ECommPay Payment Page URL with Flutterwave
   * preselected; no PCI DSS certificate needed. "gate": a Gate `sale` request; ECommPay requires a PCI DSS
   * certificate for it (pm_flutterwave). Refunds and payouts go through Gate either way.
   */
  checkout?: "payment_page" | "gate"
  /** Payment Page base URL. Default: ECommPay's production page. The local sandbox URL for development. */
  paymentPageUrl?: string
  /** The Payment Page's language (ISO 639-1, e.g. "en", "fr"). Default: the page's own choice. */
  languageCode?: string
  /** Sale limits in major units per currency, e.g. { KES: { min: 10, max: 400000 } }. NGN defaults to the method's. */
  limits?: Partial<Record<string, { min: number | string; max: number | string }>>
  /** Payout limits in major units per currency. NGN defaults to the method's 100.00–1,000.00. */
  payoutLimits?: Partial<Record<string, { min: number | string; max: number | string }>>
  /** Banks to add to (or correct in) the method's table, e.g. [{ id: "308", name: "…", country: "NG" }]. */
  extraBanks?: Array<{ id: string | number; name: string; country: string }>
  /** Gate request timeout in ms (default 15000). */
  timeoutMs?: number | string
  /**
   * How long after an operation request we first ask Gate for its status (default 10000: ECommPay asks for no
   * status request earlier than 10 s after the operation).
   */
  statusPollDelayMs?: number | string
  /**
   * Reconciliation asks Gate about sales, refunds and payouts still pending this long after they started (default
   * 600000: the method's base time of 10 minutes).
   */
  reconcileAfterMs?: number | string
  /** Sent as customer.ip_address when the storefront passes none (Gate requires one). Default 127.0.0.1. */
  fallbackIpAddress?: string
  /**
   * A paid sale no order will take (its session was replaced, its cart became an order through another payment, or
   * the order could not be placed) is refunded in full at Gate automatically (default true). With false, it is
   * listed in the admin's "Needs attention" page for a person to review and refund.
   */
  refundOrphanPayments?: boolean | string
  /** How many times placing the order for a paid sale may fail for a passing reason before the admin is told (default 5). */
  maxCompletionAttempts?: number | string
  /** How many Gate status requests one reconciliation run keeps in flight at once (default 8). */
  reconcileConcurrency?: number | string
  /**
   * How long one reconciliation run may start new Gate status requests (default 240000: 4 minutes, inside the job's
   * 5-minute schedule, so a run never overlaps the next). Items it did not reach stay due and go first in the next run.
   * Keep it below the interval of the reconciliation schedule.
   */
  reconcileRunBudgetMs?: number | string
  /**
   * How often reconciliation asks Gate about each paid sale of the last 30 days, to find refunds made outside Medusa
   * (ECommPay's dashboard) whose callback never came (default 21600000: every 6 hours; 0 on every run).
   */
  paidSaleRecheckMs?: number | string
}

/** The flutterwave-v3 rail's settings (present only when it is the rail in force). */
export type ResolvedFlutterwaveV3Options = {
  publicKey?: string
  secretKey: string
  encryptionKey?: string
  secretHash: string
  apiUrl: string
  acceptSignatureHeader: boolean
}

export type ResolvedFlutterwaveOptions = {
  rail: RailChoice
  /** 0 with rail "flutterwave-v3". */
  projectId: number
  secretKey: string
  gateUrl: string
  callbackUrl?: string
  returnUrl?: string
  checkout: "payment_page" | "gate"
  paymentPageUrl: string
  languageCode?: string
  flutterwaveV3?: ResolvedFlutterwaveV3Options
  /** In minor units. */
  saleLimits: LimitsByCurrency
  payoutLimits: LimitsByCurrency
  extraBanks: Bank[]
  timeoutMs: number
  statusPollDelayMs: number
  reconcileAfterMs: number
  fallbackIpAddress: string
  refundOrphanPayments: boolean
  maxCompletionAttempts: number
  reconcileConcurrency: number
  reconcileRunBudgetMs: number
  paidSaleRecheckMs: number
}

/** The options a store owner may also set in the admin (Settings → Flutterwave); medusa-config wins when it sets one. */
export const EDITABLE_OPTIONS = [
  "rail",
  "checkout",
  "projectId",
  "secretKey",
  "gateUrl",
  "paymentPageUrl",
  "flutterwavePublicKey",
  "flutterwaveSecretKey",
  "flutterwaveEncryptionKey",
  "flutterwaveSecretHash",
  "flutterwaveApiUrl",
  "limits",
  "payoutLimits",
] as const
export type EditableOption = (typeof EDITABLE_OPTIONS)[number]

/** Whether medusa-config (usually an environment variable) gives this option a value: an empty string gives none. */
export function isOptionSet(options: Record<string, unknown> | undefined, name: string): boolean {
  const value = options?.[name]
  return value !== undefined && value !== null && value !== ""
}

/** The options without which a rail can take no payment. */
export const CREDENTIALS_BY_RAIL = Object.freeze({
  ecommpay: ["projectId", "secretKey"],
  "flutterwave-v3": ["flutterwaveSecretKey", "flutterwaveSecretHash"],
} as const satisfies Record<RailChoice, readonly string[]>)

export type CredentialOption = (typeof CREDENTIALS_BY_RAIL)[RailChoice][number]

/** The rail the options choose (an invalid value is reported by resolveOptions). */
export function railChoiceOf(options: Record<string, unknown> | undefined): RailChoice {
  return options?.rail === "flutterwave-v3" ? "flutterwave-v3" : "ecommpay"
}

/** Names the option that keeps the plugin from taking payments, or undefined when the keys are there. */
export function missingCredential(options: Record<string, unknown> | undefined): CredentialOption | undefined {
  return CREDENTIALS_BY_RAIL[railChoiceOf(options)].find((name) => !isOptionSet(options, name))
}

/** Stand-ins for missing keys, so everything else can be checked while the keys are still to come. */
const CREDENTIAL_PLACEHOLDERS: Record<CredentialOption, string | number> = {
  projectId: 1,
  secretKey: "placeholder",
  flutterwaveSecretKey: "placeholder",
  flutterwaveSecretHash: "placeholder",
}

/** The options with a placeholder for each missing key of the rail in force. */
export function withCredentialPlaceholders(options: Record<string, unknown>): Record<string, unknown> {
  const filled = { ...options }
  for (const name of CREDENTIALS_BY_RAIL[railChoiceOf(options)]) {
    if (!isOptionSet(filled, name)) filled[name] = CREDENTIAL_PLACEHOLDERS[name]
  }
  return filled
}

/**
 * Checks what medusa-config sets when the app starts, when the keys may still be missing (they can come from the
 * admin's settings page later): every option that is set must be valid, so a typo still stops the app at once.
 */
export function checkConfiguredOptions(options: Record<string, unknown> | undefined): void {
  resolveOptions(withCredentialPlaceholders(options ?? {}))
}

/**
 * Checks a complete set of options (medusa-config's over the admin's settings over the defaults) and says which one
 * is wrong. The secret's value never appears in a message: only whether it is set.
 */
export function resolveOptions(options: Record<string, unknown> | undefined): ResolvedFlutterwaveOptions {
  const raw = (options ?? {}) as Partial<FlutterwaveProviderOptions>
  const rail = raw.rail === undefined || (raw.rail as string) === "" ? "ecommpay" : raw.rail
  if (!RAIL_CHOICES.includes(rail)) {
    throw invalid("rail", `must be "ecommpay" (default: an ECommPay contract) or "flutterwave-v3" (your own Flutterwave account); got ${JSON.stringify(raw.rail)}`)
  }
  const flutterwaveV3 = rail === "flutterwave-v3" ? resolveFlutterwaveV3(raw) : undefined
  const projectId = rail === "flutterwave-v3" && !isOptionSet(raw, "projectId") ? 0 : Number(raw.projectId)
  if (rail === "ecommpay" || isOptionSet(raw, "projectId")) {
    if (raw.projectId === undefined || raw.projectId === "" || !Number.isSafeInteger(projectId) || projectId <= 0) {
      throw invalid(
        "projectId",
        `must be your ECommPay project id, a positive integer (got ${raw.projectId === undefined ? "nothing" : JSON.stringify(raw.projectId)}); set it in Settings → Flutterwave or FLUTTERWAVE_PROJECT_ID`
      )
    }
  }
  if (rail === "ecommpay" && (typeof raw.secretKey !== "string" || raw.secretKey.trim() === "")) {
    throw invalid("secretKey", "is required: your ECommPay project secret key; set it in Settings → Flutterwave or FLUTTERWAVE_SECRET_KEY")
  }
  const gateUrl = raw.gateUrl ? checkUrl("gateUrl", raw.gateUrl) : PRODUCTION_GATE_URL
  const callbackUrl = raw.callbackUrl ? checkUrl("callbackUrl", raw.callbackUrl) : undefined
  const returnUrl = raw.returnUrl ? checkUrl("returnUrl", raw.returnUrl) : undefined
  const checkout = raw.checkout === undefined || (raw.checkout as string) === "" ? "payment_page" : raw.checkout
  if (checkout !== "payment_page" && checkout !== "gate") {
    throw invalid("checkout", `must be "payment_page" (default; no PCI DSS needed) or "gate" (needs PCI DSS); got ${JSON.stringify(raw.checkout)}`)
  }
  const paymentPageUrl = raw.paymentPageUrl ? checkUrl("paymentPageUrl", raw.paymentPageUrl) : PAYMENT_PAGE_URL
  const languageCode = raw.languageCode === undefined || raw.languageCode === "" ? undefined : String(raw.languageCode)
  if (languageCode !== undefined && !/^[a-z]{2}$/.test(languageCode)) {
    throw invalid("languageCode", `must be a two-letter ISO 639-1 code such as "en"; got ${JSON.stringify(raw.languageCode)}`)
  }
  const timeoutMs = milliseconds("timeoutMs", raw.timeoutMs, 15_000, 100, 120_000)
  const statusPollDelayMs = milliseconds("statusPollDelayMs", raw.statusPollDelayMs, MIN_STATUS_DELAY_MS, 0, 600_000)
  const reconcileAfterMs = milliseconds("reconcileAfterMs", raw.reconcileAfterMs, BASE_TIME_MS, 0, 7 * 24 * 3600 * 1000)
  const fallbackIpAddress = raw.fallbackIpAddress ?? "127.0.0.1"
  if (typeof fallbackIpAddress !== "string" || !isIP(fallbackIpAddress)) {
    throw invalid("fallbackIpAddress", "must be an IPv4 or IPv6 address")
  }
  return {
    rail,
    projectId,
    secretKey: typeof raw.secretKey === "string" ? raw.secretKey : "",
    ...(flutterwaveV3 ? { flutterwaveV3 } : {}),
    gateUrl: gateUrl.replace(/\/+$/, ""),
    callbackUrl,
    returnUrl,
    checkout,
    paymentPageUrl: paymentPageUrl.replace(/\/+$/, ""),
    languageCode,
    // ECommPay's method guide sets NGN's limits; Flutterwave publishes none that hold for every account, so with the
    // direct rail only the limits the store owner sets apply (and Flutterwave's own, which it refuses beyond).
    saleLimits: resolveLimits("limits", raw.limits, rail === "ecommpay" ? DEFAULT_SALE_LIMITS : {}),
    payoutLimits: resolveLimits("payoutLimits", raw.payoutLimits, rail === "ecommpay" ? DEFAULT_PAYOUT_LIMITS : {}),
    extraBanks: resolveBanks(raw.extraBanks),
    timeoutMs,
    statusPollDelayMs,
    reconcileAfterMs,
    fallbackIpAddress,
    refundOrphanPayments: flag("refundOrphanPayments", raw.refundOrphanPayments, true),
    maxCompletionAttempts: count("maxCompletionAttempts", raw.maxCompletionAttempts, 5, 1, 100),
    reconcileConcurrency: count("reconcileConcurrency", raw.reconcileConcurrency, 8, 1, 64),
    reconcileRunBudgetMs: milliseconds("reconcileRunBudgetMs", raw.reconcileRunBudgetMs, 4 * 60 * 1000, 1_000, 24 * 3600 * 1000),
    paidSaleRecheckMs: milliseconds("paidSaleRecheckMs", raw.paidSaleRecheckMs, 6 * 3600 * 1000, 0, 30 * 24 * 3600 * 1000),
  }
}

/** The flutterwave-v3 rail's keys: the secret key and the webhook's secret hash are required, the rest optional. */
function resolveFlutterwaveV3(raw: Partial<FlutterwaveProviderOptions>): ResolvedFlutterwaveV3Options {
  const text = (name: keyof FlutterwaveProviderOptions, hint: string, required: boolean): string | undefined => {
    const value = raw[name]
    if (value === undefined || value === null || value === "") {
      if (required) throw invalid(name, `is required with rail "flutterwave-v3": ${hint}`)
      return undefined
    }
    if (typeof value !== "string" || value.trim() === "" || value !== value.trim()) {
      throw invalid(name, `must be text without leading or trailing spaces (${hint})`)
    }
    return value
  }
  const secretKey = text("flutterwaveSecretKey", "Flutterwave dashboard → Settings → API keys → Secret key (FLUTTERWAVE_V3_SECRET_KEY)", true)!
  const secretHash = text("flutterwaveSecretHash", "the secret hash you typed in Flutterwave dashboard → Settings → Webhooks (FLUTTERWAVE_V3_SECRET_HASH)", true)!
  const publicKey = text("flutterwavePublicKey", "Flutterwave dashboard → Settings → API keys → Public key", false)
  const encryptionKey = text("flutterwaveEncryptionKey", "Flutterwave dashboard → Settings → API keys → Encryption key", false)
  const apiUrl = raw.flutterwaveApiUrl ? checkUrl("flutterwaveApiUrl", raw.flutterwaveApiUrl) : FLUTTERWAVE_V3_API_URL
  return {
    ...(publicKey ? { publicKey } : {}),
    secretKey,
    ...(encryptionKey ? { encryptionKey } : {}),
    secretHash,
    apiUrl: apiUrl.replace(/\/+$/, ""),
    acceptSignatureHeader: flag("acceptSignatureHeader", raw.acceptSignatureHeader, false),
  }
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === "") return fallback
  if (value === true || value === "true" || value === "1") return true
  if (value === false || value === "false" || value === "0") return false
  throw invalid(name, "must be true or false")
}

function count(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined || value === null || value === "") return fallback
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < min || n > max) throw invalid(name, `must be a whole number from ${min} to ${max}`)
  return n
}

function milliseconds(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined || value === null || value === "") return fallback
  const ms = Number(value)
  if (!Number.isFinite(ms) || ms < min || ms > max) throw invalid(name, `must be between ${min} and ${max} milliseconds`)
  return ms
}

function resolveBanks(banks: FlutterwaveProviderOptions["extraBanks"]): Bank[] {
  if (banks === undefined) return []
  if (!Array.isArray(banks)) throw invalid("extraBanks", "must be a list of { id, name, country }")
  return banks.map((bank, i) => {
    const country = String(bank?.country ?? "").toUpperCase()
    if (!bank || !/^\d+$/.test(String(bank.id)) || typeof bank.name !== "string" || !(country in COUNTRY_CURRENCY)) {
      throw invalid(`extraBanks[${i}]`, `must be { id: digits, name, country: ${Object.keys(COUNTRY_CURRENCY).join("|")} }`)
    }
    return { id: String(bank.id), name: bank.name, country: country as BankCountry }
  })
}

function resolveLimits(
  option: string,
  limits: FlutterwaveProviderOptions["limits"],
  defaults: LimitsByCurrency
): LimitsByCurrency {
  const result: LimitsByCurrency = { ...defaults }
  if (limits === undefined) return result
  if (!limits || typeof limits !== "object") throw invalid(option, "must be an object keyed by currency")
  for (const [currency, limit] of Object.entries(limits)) {
    let code: GateCurrency
    try {
      code = normalizeCurrency(currency)
    } catch {
      throw invalid(`${option}.${currency}`, `names a currency Flutterwave does not take (${SUPPORTED_CURRENCIES.join(", ")})`)
    }
    if (!limit || typeof limit !== "object") throw invalid(`${option}.${currency}`, "must be { min, max } in major units")
    let parsed: AmountLimit
    try {
      parsed = { min: toMinorUnits(limit.min, code), max: toMinorUnits(limit.max, code) }
    } catch (error) {
      throw invalid(`${option}.${currency}`, (error as Error).message)
    }
    if (parsed.min > parsed.max) throw invalid(`${option}.${currency}`, "min must not be above max")
    result[code] = parsed
  }
  return result
}

function checkUrl(name: string, value: unknown): string {
  if (typeof value !== "string") throw invalid(name, "must be a URL")
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw invalid(name, `must be an absolute http(s) URL (got ${JSON.stringify(value)})`)
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalid(name, "must be an http(s) URL")
  return value
}

function invalid(option: string, problem: string): MedusaError {
  return new MedusaError(MedusaError.Types.INVALID_DATA, `Flutterwave: option "${option}" ${problem}`)
}
