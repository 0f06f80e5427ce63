import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { exportFileName, OPERATION_CSV_HEADER, operationCsvLine } from "../../../../../modules/flutterwave/operations-csv"
import { OperationsReport } from "../../../../../modules/flutterwave/operations-report"
import { filtersOf, type OperationFiltersQuery } from "../validators"

/**
 * The operations the filters select as a CSV file (RFC 4180, UTF-8, CRLF; see operations-csv.ts), oldest first.
 * Streamed: the ledger is read in keyset pages of 1,000 rows and each page is written as soon as the client has taken
 * the one before (backpressure), so memory stays flat whatever the number of rows. All pages are read in one
 * REPEATABLE READ, read-only transaction: the file is one snapshot of the ledger, so a row committed or a payout sent
 * while the download runs can neither appear twice nor be skipped.
 */
export async function GET(req: AuthenticatedMedusaRequest<unknown, OperationFiltersQuery>, res: MedusaResponse): Promise<void> {
  const query = req.validatedQuery as OperationFiltersQuery
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const knex = req.scope.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
  // A client that hangs up (even during the first query) ends the export: nothing waits for a drain that never comes.
  const gone = () => res.destroyed || res.writableEnded
  const write = async (chunk: string): Promise<void> => {
    if (gone() || res.write(chunk, "utf8")) return
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off("drain", done)
        res.off("close", done)
        resolve()
      }
      res.on("drain", done)
      res.on("close", done)
      if (gone()) done()
    })
  }

  let started = false
  try {
    await knex.transaction(
      async (trx) => {
        const batches = new OperationsReport(() => trx).exportBatches(filtersOf(query))
        // The first page is read before anything is sent: a failing query still answers with a proper error status.
        const first = await batches.next()
        if (gone()) return void (await batches.return(undefined))
        started = true
        res.status(200)
        res.setHeader("Content-Type", "text/csv; charset=utf-8")
        res.setHeader("Content-Disposition", `attachment; filename="${exportFileName(query.from, query.to)}"`)
        res.setHeader("Cache-Control", "no-store")
        res.setHeader("X-Content-Type-Options", "nosniff")
        await write(OPERATION_CSV_HEADER)
        for (let batch = first; !batch.done && !gone(); batch = await batches.next()) {
          await write(batch.value.map(operationCsvLine).join(""))
        }
        if (gone()) return void (await batches.return(undefined))
        res.end()
      },
      { isolationLevel: "repeatable read", readOnly: true }
    )
  } catch (error) {
    if (!started) throw error
    // Headers are gone: cut the response off, so a client never takes a truncated file for a complete one.
    logger.error(`flutterwave: the operations export stopped part-way: ${(error as Error).message}`)
    res.destroy(error as Error)
  }
}
