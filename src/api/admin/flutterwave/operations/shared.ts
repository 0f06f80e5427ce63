import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { minorToMajor, type OperationRecord } from "../../../../modules/flutterwave/operations-csv"
import { OperationsReport } from "../../../../modules/flutterwave/operations-report"

/** The operations report over this app's PostgreSQL connection (the one Medusa's own tables are in). */
export function reportOf(container: MedusaContainer): OperationsReport {
  return new OperationsReport(() => container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION))
}

/** One operation for the admin API: the amount in major units as exact decimal text, and in minor units. */
export function toOperationRowDTO(row: OperationRecord) {
  const currency = row.currency_code.toUpperCase()
  return {
    id: row.id,
    kind: row.kind,
    rail: row.rail,
    status: row.status,
    amount: minorToMajor(row.amount_minor, currency) || null,
    amount_minor: row.amount_minor,
    currency_code: currency,
    code: row.code,
    message: row.message,
    gate_payment_id: row.gate_payment_id,
    gate_operation_id: row.gate_operation_id,
    merchant_key: row.merchant_key,
    source: row.source,
    order_id: row.order_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}
