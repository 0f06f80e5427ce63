import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { exportFileName, OPERATION_CSV_HEADER, operationCsvLine } from "../../../../../modules/flutterwave/operations-csv"
import { reportOf } from "../shared"
import { filtersOf, type OperationFiltersQuery } from "../validators"

/**
 * The operations the filters select as a CSV file (RFC 4180, UTF-8, CRLF; see operations-csv.ts), oldest first.
 * Streamed: the ledger is read in keyset pages of 1,000 rows and each page is written as soon as the client has taken
 * the one before (backpressure), so memory stays flat whatever the number of rows.
 */
export async function GET(req: AuthenticatedMedusaRequest<unknown, OperationFiltersQuery>, res: MedusaResponse): Promise<void> {
  const query = req.validatedQuery as OperationFiltersQuery
  const batches = reportOf(req.scope).exportBatches(filtersOf(query))
  // The first page is read before anything is sent: a failing query still answers with a proper error status.
  const first = await batches.next()

  let gone = false
  res.on("close", () => {
    gone = true
  })
  const write = async (chunk: string): Promise<void> => {
    if (res.write(chunk, "utf8")) return
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off("drain", done)
        res.off("close", done)
        resolve()
      }
      res.on("drain", done)
      res.on("close", done)
    })
  }

  res.status(200)
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="${exportFileName(query.from, query.to)}"`)
  res.setHeader("Cache-Control", "no-store")
  res.setHeader("X-Content-Type-Options", "nosniff")
  try {
    await write(OPERATION_CSV_HEADER)
    for (let batch = first; !batch.done && !gone; batch = await batches.next()) {
      await write(batch.value.map(operationCsvLine).join(""))
    }
    if (gone) {
      await batches.return(undefined)
      return
    }
    res.end()
  } catch (error) {
    // Headers are gone: cut the response off, so a client never takes a truncated file for a complete one.
    res.destroy(error as Error)
  }
}
