import { z } from "@medusajs/framework/zod"
import { SUPPORTED_CURRENCIES } from "../../../../rails/ecommpay"
import type { OperationFilters } from "../../../../modules/flutterwave/operations-report"

/**
 * Kinds and statuses come as `kind=sale,refund` or `kind=sale&kind=refund`. Checked by hand rather than with z.enum:
 * Medusa's message for an enum inside a preprocessed list names the wrong problem ("is required").
 */
const list = <const T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z
    .preprocess(
      (value) =>
        (Array.isArray(value) ? value : [value])
          .flatMap((item) => String(item).split(","))
          .map((item) => item.trim())
          .filter(Boolean),
      z.array(z.string())
    )
    .superRefine((items, ctx) => {
      const unknown = items.filter((item) => !(values as readonly string[]).includes(item))
      if (unknown.length) {
        ctx.addIssue({ code: "custom", message: `${name} must be one or more of ${values.join(", ")} (got ${unknown.join(", ")})` })
      }
    })
    .transform((items) => [...new Set(items)] as Array<T[number]>)

/** A calendar day, YYYY-MM-DD, that exists (2026-02-30 does not). */
const day = (name: string) =>
  z.string().refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && isCalendarDay(value), {
    message: `${name} must be a calendar day as YYYY-MM-DD (UTC), e.g. 2026-11-25`,
  })

function isCalendarDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00.000Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
}

const currency = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .refine((value) => (SUPPORTED_CURRENCIES as readonly string[]).includes(value), {
    message: `currency must be one of ${SUPPORTED_CURRENCIES.join(", ")}`,
  })

const filterFields = {
  from: day("from").optional(),
  to: day("to").optional(),
  kind: list("kind", ["sale", "refund", "payout"]).optional(),
  status: list("status", ["pending", "success", "decline"]).optional(),
  currency: currency.optional(),
}

const rangeInOrder = (query: { from?: string; to?: string }) => !query.from || !query.to || query.from <= query.to
const rangeMessage = { message: "from must be on or before to", path: ["from"] }

/** GET /admin/flutterwave/operations/export and /analytics: the filters only. */
export const OperationFiltersSchema = z.object(filterFields).strict().refine(rangeInOrder, rangeMessage)
export type OperationFiltersQuery = z.infer<typeof OperationFiltersSchema>

/** GET /admin/flutterwave/operations: the filters, and a page (at most 200 rows). */
export const ListOperationsSchema = z
  .object({
    ...filterFields,
    limit: z.coerce.number().int().min(1).max(200).default(50),
    // Deep pages read offset + limit rows per part; beyond this, narrow the filters or use the export.
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict()
  .refine(rangeInOrder, rangeMessage)
export type ListOperationsQuery = z.infer<typeof ListOperationsSchema>

export function filtersOf(query: OperationFiltersQuery): OperationFilters {
  return {
    from: query.from,
    to: query.to,
    kinds: query.kind?.length ? query.kind : undefined,
    statuses: query.status?.length ? query.status : undefined,
    currency: query.currency,
  }
}
