import { z } from "@medusajs/framework/zod"
import { SUPPORTED_CURRENCIES } from "../../../rails/ecommpay"

const currency = z
  .string()
  .transform((value) => value.toUpperCase())
  .refine((value) => (SUPPORTED_CURRENCIES as readonly string[]).includes(value), {
    message: `must be one of ${SUPPORTED_CURRENCIES.join(", ")}`,
  })

/** The amount stays a decimal string: it is converted to minor units exactly, never through a float. */
const majorAmount = z.union([z.string(), z.number()]).transform((value) => String(value).trim())

export const CreatePayoutSchema = z
  .object({
    amount: majorAmount,
    currency_code: currency,
    bank_id: z.union([z.string(), z.number()]).transform((value) => String(value)),
    account_number: z
      .string()
      .transform((value) => value.replace(/[\s-]/g, ""))
      .refine((value) => /^\d{6,20}$/.test(value), { message: "must be 6 to 20 digits" }),
    description: z.string().max(255).optional(),
    idempotency_key: z.string().min(8).max(128),
  })
  .strict()
export type CreatePayoutBody = z.infer<typeof CreatePayoutSchema>

export const ListPayoutsSchema = z.object({
  status: z.enum(["pending", "success", "decline"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
})
export type ListPayoutsQuery = z.infer<typeof ListPayoutsSchema>

export const BanksQuerySchema = z.object({ currency: currency })
export type BanksQuery = z.infer<typeof BanksQuerySchema>

export const ListAttentionSchema = z.object({ state: z.enum(["open", "resolved", "all"]).optional() }).strict()
export type ListAttentionQuery = z.infer<typeof ListAttentionSchema>

export const AttentionActionSchema = z
  .object({
    action: z.enum(["refund", "retry", "retry_refund", "mark_not_refunded", "record_in_medusa", "mark_reviewed"]),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
export type AttentionActionBody = z.infer<typeof AttentionActionSchema>

/** A limit in major units, kept as decimal text: converted to minor units exactly when the settings are checked. */
const limitTable = z.record(
  // Which currencies Flutterwave takes is checked with the options, which names the one it does not know.
  z
    .string()
    .regex(/^[A-Za-z]{3}$/, { message: "limits are keyed by three-letter currency codes" })
    .transform((code) => code.toUpperCase()),
  z.object({ min: majorAmount, max: majorAmount }).strict()
)
const httpUrl = (field: string) =>
  z
    .string()
    .trim()
    .refine((value) => /^https?:\/\/[^\s/]+/.test(value) && URL.canParse(value), { message: `${field} must be an http(s) URL` })

/** A Flutterwave key or hash as pasted from its dashboard: text with no spaces around it. */
const flutterwaveKey = (field: string, what: string) =>
  z
    .string()
    .refine((value) => value.trim() === value && value.length >= 8 && value.length <= 256 && !/\s/.test(value), {
      message: `${field} must be ${what}: 8 to 256 characters, no spaces`,
    })

/**
 * Settings → Flutterwave. Each field: a value to store, null to clear it (back to the default), absent to leave it.
 * `version` is the version the page was showing: a save over someone else's newer one is refused.
 */
export const SettingsChangesSchema = z
  .object({
    rail: z.enum(["ecommpay", "flutterwave-v3"]).nullable().optional(),
    flutterwave_public_key: flutterwaveKey("flutterwave_public_key", "your Flutterwave public key (FLWPUBK-…)").nullable().optional(),
    flutterwave_secret_key: flutterwaveKey("flutterwave_secret_key", "your Flutterwave secret key (FLWSECK-…)").nullable().optional(),
    flutterwave_encryption_key: flutterwaveKey("flutterwave_encryption_key", "your Flutterwave encryption key").nullable().optional(),
    flutterwave_secret_hash: flutterwaveKey("flutterwave_secret_hash", "the secret hash you typed in Flutterwave's webhook settings")
      .nullable()
      .optional(),
    flutterwave_api_url: httpUrl("flutterwave_api_url").nullable().optional(),
    checkout: z.enum(["payment_page", "gate"]).nullable().optional(),
    project_id: z
      .union([z.string(), z.number()])
      .transform((value) => String(value).trim())
      .refine((value) => /^[1-9]\d{0,15}$/.test(value), { message: "project_id must be your ECommPay project id, a positive whole number" })
      .nullable()
      .optional(),
    secret_key: z
      .string()
      .refine((value) => value.trim() === value && value.length >= 8 && value.length <= 256, {
        message: "secret_key must be your ECommPay secret key: 8 to 256 characters, no spaces around it",
      })
      .nullable()
      .optional(),
    gate_url: httpUrl("gate_url").nullable().optional(),
    payment_page_url: httpUrl("payment_page_url").nullable().optional(),
    sale_limits: limitTable.nullable().optional(),
    payout_limits: limitTable.nullable().optional(),
    version: z.number().int().min(0).optional(),
  })
  .strict()
export type SettingsChangesBody = z.infer<typeof SettingsChangesSchema>
