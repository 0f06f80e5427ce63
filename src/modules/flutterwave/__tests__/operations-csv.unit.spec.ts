import {
  csvField,
  csvLine,
  exportFileName,
  minorToMajor,
  OPERATION_CSV_COLUMNS,
  OPERATION_CSV_HEADER,
  operationCsvLine,
  type OperationRecord,
} from "../operations-csv"
import { whereOf } from "../operations-report"

const row = (overrides: Partial<OperationRecord> = {}): OperationRecord => ({
  id: "fwop_1",
  kind: "sale",
  rail: "ecommpay",
  status: "success",
  amount_minor: "150050",
  currency_code: "NGN",
  code: "0",
  message: "Success",
  gate_payment_id: "payses_1",
  gate_operation_id: "1000001",
  merchant_key: null,
  source: "callback",
  order_id: "order_1",
  created_at: "2026-11-25T10:00:00.123456Z",
  updated_at: "2026-11-25T10:00:05.000001Z",
  ...overrides,
})

/** A minimal RFC 4180 reader, to prove what the writer wrote reads back as the same fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let fields: string[] = []
  let field = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ",") {
      fields.push(field)
      field = ""
    } else if (c === "\r" && text[i + 1] === "\n") {
      fields.push(field)
      records.push(fields)
      fields = []
      field = ""
      i++
    } else field += c
  }
  if (field || fields.length) throw new Error("the text does not end with CRLF")
  return records
}

describe("operations CSV (RFC 4180)", () => {
  it("quotes fields holding quotes, commas, CR or LF, doubling the quotes, and leaves others bare", () => {
    expect(csvField("plain")).toBe("plain")
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField("a,b")).toBe('"a,b"')
    expect(csvField("line\nbreak")).toBe('"line\nbreak"')
    expect(csvField("line\r\nbreak")).toBe('"line\r\nbreak"')
    expect(csvField(null)).toBe("")
    expect(csvField(undefined)).toBe("")
    expect(csvField("")).toBe("")
  })

  it("ends every record with CRLF, the header included", () => {
    expect(csvLine(["a", "b"])).toBe("a,b\r\n")
    expect(OPERATION_CSV_HEADER).toBe(`${OPERATION_CSV_COLUMNS.join(",")}\r\n`)
    expect(OPERATION_CSV_HEADER.startsWith("created_at,id,kind,rail,status,amount,currency_code,amount_minor,")).toBe(true)
  })

  it("guards cells a spreadsheet would run as a formula with a leading apostrophe", () => {
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"")
    expect(csvField("+2348012345678")).toBe("'+2348012345678")
    expect(csvField("-1")).toBe("'-1")
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)")
    expect(csvField("\tcmd")).toBe("'\tcmd")
    expect(csvField("\rcmd")).toBe("\"'\rcmd\"")
    expect(csvField("a=b")).toBe("a=b")
    // Our own amounts are written unguarded.
    expect(csvField("-1", false)).toBe("-1")
  })

  it("writes amounts as exact decimals from minor units, per the currency's exponent", () => {
    expect(minorToMajor("150050", "NGN")).toBe("1500.50")
    expect(minorToMajor("1", "KES")).toBe("0.01")
    expect(minorToMajor("0", "GHS")).toBe("0.00")
    expect(minorToMajor("12345", "UGX")).toBe("12345")
    expect(minorToMajor("353900", "TZS")).toBe("3539.00")
    expect(minorToMajor("123", "usd")).toBe("1.23")
    // Beyond a float's exact range: still exact.
    expect(minorToMajor("123456789012345678901", "NGN")).toBe("1234567890123456789.01")
    expect(minorToMajor("99999999999999999999", "UGX")).toBe("99999999999999999999")
    // Nothing guessed for a currency outside the table or a value that is not an integer.
    expect(minorToMajor("500", "EUR")).toBe("")
    expect(minorToMajor("5.5", "NGN")).toBe("")
  })

  it("writes one operation as a record that reads back field for field, non-ASCII text included", () => {
    const message = 'Refusé par la banque, "Ọ̀yọ́" — 银行拒绝\nline two'
    const line = operationCsvLine(row({ kind: "refund", status: "decline", code: "3610", message, amount_minor: "107608", currency_code: "ngn" }))
    expect(line.endsWith("\r\n")).toBe(true)
    const [fields] = parseCsv(line)
    expect(fields).toHaveLength(OPERATION_CSV_COLUMNS.length)
    const record = Object.fromEntries(OPERATION_CSV_COLUMNS.map((column, i) => [column, fields[i]]))
    expect(record).toMatchObject({
      created_at: "2026-11-25T10:00:00.123456Z",
      kind: "refund",
      rail: "ecommpay",
      status: "decline",
      amount: "1076.08",
      currency_code: "NGN",
      amount_minor: "107608",
      gate_code: "3610",
      gate_message: message,
      order_id: "order_1",
      merchant_key: "",
    })
    // UTF-8 on the wire: the bytes decode back to the same text.
    expect(Buffer.from(line, "utf8").toString("utf8")).toBe(line)
  })

  it("writes a whole file that parses into the header and one record per operation", () => {
    const rows = [row(), row({ id: "fwop_2", amount_minor: "12345", currency_code: "UGX", merchant_key: "=cmd|' /C calc'!A0" })]
    const text = OPERATION_CSV_HEADER + rows.map(operationCsvLine).join("")
    const records = parseCsv(text)
    expect(records).toHaveLength(3)
    expect(records[2][5]).toBe("12345")
    expect(records[2][12]).toBe("'=cmd|' /C calc'!A0")
  })

  it("names the file after the range", () => {
    expect(exportFileName("2026-11-01", "2026-11-30")).toBe("flutterwave-operations_2026-11-01_2026-11-30.csv")
    expect(exportFileName(undefined, undefined)).toBe("flutterwave-operations_all_all.csv")
  })
})

describe("operations filters", () => {
  it("takes whole UTC days, both ends included", () => {
    const where = whereOf({ from: "2026-11-01", to: "2026-11-30", kinds: ["sale", "refund"], statuses: ["decline"], currency: "ngn" })
    expect(where.sql).toBe(
      "ops.created_at >= ? AND ops.created_at < ? AND ops.kind IN (?, ?) AND ops.status IN (?) AND upper(ops.currency_code) = ?"
    )
    expect(where.bindings).toEqual([
      new Date("2026-11-01T00:00:00.000Z"),
      new Date("2026-12-01T00:00:00.000Z"),
      "sale",
      "refund",
      "decline",
      "NGN",
    ])
    expect(whereOf({})).toEqual({ sql: "true", bindings: [] })
    expect(whereOf({ to: "2028-02-28" }).bindings).toEqual([new Date("2028-02-29T00:00:00.000Z")])
  })
})
