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
