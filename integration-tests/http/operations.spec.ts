import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { forgetGatePayments, useGateSandbox } from "../helpers/sandbox"
import { orderForCart, redirectFor, seedStore, startCheckout, waitFor, type Store } from "../helpers/store"

jest.setTimeout(600_000)

const { sandbox } = useGateSandbox()

/**
 * The operations page's API: every ledger operation (sales, refunds, payouts) listed with filters and pages, exported
 * as CSV and summed up as ECommPay's Analytics tab does, against rows seeded straight into the ledger (so every
 * expected number is computed by hand below) and one real sale through the sandbox (so the order link is real).
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: Store
    const knex = () => getContainer().resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)

    beforeAll(async () => {
      sandbox().setCallbackUrl(`${api.defaults.baseURL}/hooks/flutterwave`)
      store = await seedStore(api, getContainer())
    })

    afterEach(() => forgetGatePayments(sandbox()))

    const get = (path: string) => api.get(path, store.admin).catch((e: any) => e.response)

    type Seed = [id: string, kind: string, status: string, minor: number, currency: string, createdAt: string, code?: string, message?: string]

    /** 2020-03-01 … 2020-03-03 (UTC), and one row just outside each end. */
    const SEEDED: Seed[] = [
      ["fwop_t01", "sale", "success", 150050, "NGN", "2020-03-01T10:00:00Z", "0", "Success"],
      ["fwop_t02", "sale", "success", 100000, "NGN", "2020-03-01T23:59:59.999999Z", "0", "Success"],
      ["fwop_t03", "sale", "decline", 50000, "NGN", "2020-03-01T11:00:00Z", "20105", "Insufficient funds on customer account"],
      ["fwop_t04", "sale", "pending", 70000, "NGN", "2020-03-01T12:00:00Z"],
      ["fwop_t05", "refund", "success", 30000, "NGN", "2020-03-01T13:00:00Z", "0", "Success"],
      ["fwop_t06", "sale", "success", 12345, "UGX", "2020-03-01T14:00:00Z", "0", "Success"],
      ["fwop_t07", "sale", "success", 250075, "NGN", "2020-03-02T00:00:00Z", "0", "Success"],
      ["fwop_t08", "sale", "decline", 100, "KES", "2020-03-02T01:00:00Z", "20105"],
      ["fwop_t09", "sale", "decline", 1000, "NGN", "2020-03-02T02:00:00Z", "20301", "Account owner cancelled operation"],
      ["fwop_t10", "payout", "decline", 50000, "NGN", "2020-03-02T03:00:00Z", "3028", "Insufficient funds on merchant balance"],
      ["fwop_t11", "refund", "decline", 1000, "NGN", "2020-03-02T04:00:00Z", "3610", 'Refund unavailable, "Ọ̀yọ́" branch\nsee dashboard'],
      ["fwop_t12", "sale", "success", 99999, "KES", "2020-03-03T23:00:00Z", "0", "Success"],
      ["fwop_t13", "refund", "success", 345, "UGX", "2020-03-03T01:00:00Z", "0", "Success"],
      ["fwop_t14", "payout", "decline", 20000, "NGN", "2020-03-03T02:00:00Z", "100", "General decline"],
      ["fwop_t15", "refund", "decline", 500, "NGN", "2020-03-03T03:00:00Z", "501", "=Internal error"],
      ["fwop_t00", "sale", "success", 999900, "NGN", "2020-02-29T23:59:59.999999Z", "0", "Success"],
      ["fwop_t99", "sale", "success", 888800, "NGN", "2020-03-04T00:00:00Z", "0", "Success"],
    ]
    /** A payout recorded but never sent (the process stopped in between): only in fw_payout. */
    const UNSENT_PAYOUT = { id: "fwpo_t16", minor: 75000, createdAt: "2020-03-03T04:00:00Z" }
    const IN_RANGE = [...SEEDED.filter(([id]) => id !== "fwop_t00" && id !== "fwop_t99").map(([id]) => id), UNSENT_PAYOUT.id]
    const RANGE = "from=2020-03-01&to=2020-03-03"

    async function seed(): Promise<void> {
      for (const [id, kind, status, minor, currency, createdAt, code, message] of SEEDED) {
        await knex().raw(
          `INSERT INTO fw_gate_operation (id, kind, gate_payment_id, gate_operation_id, merchant_key, amount, raw_amount, currency_code,
                                          status, code, message, source, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, 'callback', ?, ?)`,
          [
            id,
            kind,
            `pay_${id}`,
            `${id.slice(-2)}000`,
            kind === "sale" ? null : `key_${id}`,
            minor,
            JSON.stringify({ value: String(minor), precision: 20 }),
            currency,
            status,
            code ?? null,
            message ?? null,
            createdAt,
            createdAt,
          ]
        )
      }
      await knex().raw(
        `INSERT INTO fw_payout (id, idempotency_key, gate_payment_id, bank_id, bank_name, account_number, amount, raw_amount,
                                currency_code, status, created_at, updated_at)
         VALUES (?, 'idem-t16', 'payout_t16', '206', 'GTBANK PLC', '0017704603', ?, ?::jsonb, 'NGN', 'pending', ?, ?)`,
        [UNSENT_PAYOUT.id, UNSENT_PAYOUT.minor, JSON.stringify({ value: String(UNSENT_PAYOUT.minor), precision: 20 }), UNSENT_PAYOUT.createdAt, UNSENT_PAYOUT.createdAt]
      )
    }

    const ids = (response: any) => response.data.operations.map((op: any) => op.id).sort()

    describe("list", () => {
      it("lists every operation of the range, newest first, with amounts in major units and the rail", async () => {
        await seed()
        const { data, status } = await get(`/admin/flutterwave/operations?${RANGE}&limit=200`)
        expect(status).toBe(200)
        expect(data.count).toBe(16)
        expect(data.operations.map((op: any) => op.id).sort()).toEqual([...IN_RANGE].sort())
        const times = data.operations.map((op: any) => op.created_at)
        expect([...times].sort().reverse()).toEqual(times)
        expect(data.operations.find((op: any) => op.id === "fwop_t02")).toMatchObject({
          kind: "sale",
          rail: "ecommpay",
          status: "success",
          amount: "1000.00",
          amount_minor: "100000",
          currency_code: "NGN",
          code: "0",
          created_at: "2020-03-01T23:59:59.999999Z",
          order_id: null,
        })
        expect(data.operations.find((op: any) => op.id === "fwop_t06")).toMatchObject({ amount: "12345", currency_code: "UGX" })
        expect(data.operations.find((op: any) => op.id === "fwop_t08")).toMatchObject({ amount: "1.00", currency_code: "KES" })
        // The payout never sent is listed too, from the payouts table.
        expect(data.operations.find((op: any) => op.id === UNSENT_PAYOUT.id)).toMatchObject({
          kind: "payout",
          status: "pending",
          amount: "750.00",
          merchant_key: UNSENT_PAYOUT.id,
          gate_payment_id: "payout_t16",
        })
      })

      it("filters by day range (whole UTC days, both included), kind, status and currency", async () => {
        await seed()
        expect(ids(await get("/admin/flutterwave/operations?from=2020-03-02&to=2020-03-02"))).toEqual(["fwop_t07", "fwop_t08", "fwop_t09", "fwop_t10", "fwop_t11"])
        expect(ids(await get("/admin/flutterwave/operations?to=2020-03-01")).filter((id: string) => id.startsWith("fwop_t"))).toEqual(
          ["fwop_t00", "fwop_t01", "fwop_t02", "fwop_t03", "fwop_t04", "fwop_t05", "fwop_t06"]
        )
        expect(ids(await get(`/admin/flutterwave/operations?${RANGE}&kind=sale,refund&status=decline`))).toEqual(["fwop_t03", "fwop_t08", "fwop_t09", "fwop_t11", "fwop_t15"])
        expect(ids(await get(`/admin/flutterwave/operations?${RANGE}&kind=payout`))).toEqual(["fwop_t10", "fwop_t14", UNSENT_PAYOUT.id])
        expect(ids(await get(`/admin/flutterwave/operations?${RANGE}&kind=refund&kind=payout&status=success`))).toEqual(["fwop_t05", "fwop_t13"])
        expect(ids(await get(`/admin/flutterwave/operations?${RANGE}&currency=ugx`))).toEqual(["fwop_t06", "fwop_t13"])
        const counted = await get(`/admin/flutterwave/operations?${RANGE}&currency=NGN&limit=1`)
        expect(counted.data).toMatchObject({ count: 12, limit: 1, offset: 0 })
        expect(counted.data.operations).toHaveLength(1)
      })

      it("pages through the range server-side without gaps or repeats", async () => {
        await seed()
        const seen: string[] = []
        for (let offset = 0; offset < 20; offset += 5) {
          const page = await get(`/admin/flutterwave/operations?${RANGE}&limit=5&offset=${offset}`)
          expect(page.data.count).toBe(16)
          expect(page.data.operations).toHaveLength(offset < 15 ? 5 : 1)
          seen.push(...page.data.operations.map((op: any) => op.id))
        }
        expect(seen).toHaveLength(16)
        expect([...seen].sort()).toEqual([...IN_RANGE].sort())
        expect(seen[0]).toBe("fwop_t12")
      })
    })

    describe("analytics", () => {
      it("computes paid volume per day, success rate, refunded amounts and top decline reasons in SQL", async () => {
        await seed()
        const { data, status } = await get(`/admin/flutterwave/operations/analytics?${RANGE}`)
        expect(status).toBe(200)
        expect(data.analytics.paid_volume).toEqual([
          { day: "2020-03-01", currency_code: "NGN", amount: "2500.50", amount_minor: "250050", count: 2 },
          { day: "2020-03-01", currency_code: "UGX", amount: "12345", amount_minor: "12345", count: 1 },
          { day: "2020-03-02", currency_code: "NGN", amount: "2500.75", amount_minor: "250075", count: 1 },
          { day: "2020-03-03", currency_code: "KES", amount: "999.99", amount_minor: "99999", count: 1 },
        ])
        expect(data.analytics.paid_totals).toEqual([
          { currency_code: "KES", amount: "999.99", amount_minor: "99999", count: 1 },
          { currency_code: "NGN", amount: "5001.25", amount_minor: "500125", count: 3 },
          { currency_code: "UGX", amount: "12345", amount_minor: "12345", count: 1 },
        ])
        // 5 paid, 3 declined, 1 pending (left out): 5 / 8.
        expect(data.analytics.sales).toEqual({ success: 5, decline: 3, pending: 1, success_rate: "62.50" })
        expect(data.analytics.refunded).toEqual([
          { currency_code: "NGN", amount: "300.00", amount_minor: "30000", count: 1 },
          { currency_code: "UGX", amount: "345", amount_minor: "345", count: 1 },
        ])
        // Six codes declined; the five most frequent, ties by code. A code without a message gets its meaning.
        expect(data.analytics.decline_reasons).toEqual([
          { code: "20105", message: "Insufficient funds on customer account", count: 2, kinds: ["sale"] },
          { code: "100", message: "General decline", count: 1, kinds: ["payout"] },
          { code: "20301", message: "Account owner cancelled operation", count: 1, kinds: ["sale"] },
          { code: "3028", message: "Insufficient funds on merchant balance", count: 1, kinds: ["payout"] },
          { code: "3610", message: 'Refund unavailable, "Ọ̀yọ́" branch\nsee dashboard', count: 1, kinds: ["refund"] },
        ])

        const kes = await get(`/admin/flutterwave/operations/analytics?${RANGE}&currency=KES`)
        expect(kes.data.analytics.sales).toEqual({ success: 1, decline: 1, pending: 0, success_rate: "50.00" })
        expect(kes.data.analytics.decline_reasons).toEqual([{ code: "20105", message: "Insufficient funds on customer account", count: 1, kinds: ["sale"] }])
        const empty = await get("/admin/flutterwave/operations/analytics?from=2019-01-01&to=2019-01-31")
        expect(empty.data.analytics).toEqual({
          paid_volume: [],
          paid_totals: [],
          sales: { success: 0, decline: 0, pending: 0, success_rate: null },
          refunded: [],
          decline_reasons: [],
        })
      })
    })

    describe("order link", () => {
      it("links a real sale and its refund to their Medusa order, in the list and in the export", async () => {
        const variant = await store.product("ngn", 2000)
        const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
        const answer = await redirectFor(api, store, checkout.sessionId)
        await fetch(`${answer.redirect.url}/confirm`, { method: "POST", redirect: "manual" })
        const order = await waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
        await api.post(`/admin/payments/${order.payment_collections[0].payments[0].id}/refund`, { amount: 500 }, store.admin)
        await sandbox().callbacksDelivered()
        const today = new Date().toISOString().slice(0, 10)

        const listed = await waitFor(async () => {
          const { data } = await get(`/admin/flutterwave/operations?from=${today}&to=${today}`)
          const mine = data.operations.filter((op: any) => op.gate_payment_id === checkout.sessionId)
          return mine.length === 2 && mine.every((op: any) => op.status === "success") ? mine : undefined
        })
        expect(listed.map((op: any) => [op.kind, op.amount, op.currency_code, op.order_id])).toEqual([
          ["refund", "500.00", "NGN", order.id],
          ["sale", "2000.00", "NGN", order.id],
        ])
        const csv = await get(`/admin/flutterwave/operations/export?from=${today}&to=${today}&kind=sale`)
        const line = (csv.data as string).split("\r\n").find((l) => l.includes(checkout.sessionId))
        expect(line).toContain(`,sale,ecommpay,success,2000.00,NGN,200000,0,`)
        expect(line).toContain(`,${order.id},`)
      })
    })

    describe("CSV export", () => {
      it("exports the filtered rows as RFC 4180 CSV with exact amounts and a file name with the range", async () => {
        await seed()
        const response = await get(`/admin/flutterwave/operations/export?${RANGE}`)
        expect(response.status).toBe(200)
        expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8")
        expect(response.headers["content-disposition"]).toBe('attachment; filename="flutterwave-operations_2020-03-01_2020-03-03.csv"')
        const text: string = response.data
        expect(text.endsWith("\r\n")).toBe(true)
        const lines = text.split("\r\n")
        expect(lines[0]).toBe(
          "created_at,id,kind,rail,status,amount,currency_code,amount_minor,gate_code,gate_message,gate_payment_id,gate_operation_id,merchant_key,order_id,source,updated_at"
        )
        expect(lines[1]).toBe(
          "2020-03-01T10:00:00.000000Z,fwop_t01,sale,ecommpay,success,1500.50,NGN,150050,0,Success,pay_fwop_t01,01000,,,callback,2020-03-01T10:00:00.000000Z"
        )
        // Oldest first; the message with a comma, quotes, non-ASCII and a newline is one quoted field.
        expect(text).toContain(
          '2020-03-02T04:00:00.000000Z,fwop_t11,refund,ecommpay,decline,10.00,NGN,1000,3610,"Refund unavailable, ""Ọ̀yọ́"" branch\nsee dashboard",pay_fwop_t11,11000,key_fwop_t11,,callback,'
        )
        // A message starting with "=" cannot run as a spreadsheet formula.
        expect(text).toContain(",501,'=Internal error,")
        // 16 records + the header + the empty string after the last CRLF (the message's bare LF stays inside its field).
        expect(lines).toHaveLength(16 + 1 + 1)
        const onlyUgx = await get(`/admin/flutterwave/operations/export?${RANGE}&currency=UGX&kind=sale`)
        expect(onlyUgx.data).toBe(
          `${lines[0]}\r\n2020-03-01T14:00:00.000000Z,fwop_t06,sale,ecommpay,success,12345,UGX,12345,0,Success,pay_fwop_t06,06000,,,callback,2020-03-01T14:00:00.000000Z\r\n`
        )
      })

      it("streams 100,000 rows in pages, every line correct, and reports the throughput", async () => {
        const ROWS = 100_000
        const started = Date.now()
        // One statement; 25 s apart from 2021-01-01 00:00:00 UTC: the last row is on 2021-01-29.
        await knex().raw(
          `INSERT INTO fw_gate_operation (id, kind, gate_payment_id, gate_operation_id, amount, raw_amount, currency_code, status, code,
                                          message, source, created_at, updated_at)
           SELECT 'fwop_bulk_' || lpad(i::text, 6, '0'),
                  CASE WHEN i % 10 = 0 THEN 'refund' ELSE 'sale' END,
                  'bulk_' || i, (5000000 + i)::text, i * 101,
                  jsonb_build_object('value', (i * 101)::text, 'precision', 20),
                  (ARRAY['NGN', 'KES', 'UGX', 'GHS'])[1 + i % 4],
                  CASE WHEN i % 7 = 0 THEN 'decline' ELSE 'success' END,
                  CASE WHEN i % 7 = 0 THEN '20105' ELSE '0' END,
                  CASE WHEN i % 7 = 0 THEN 'Insufficient funds, "customer"' ELSE 'Success' END,
                  'callback',
                  timestamptz '2021-01-01 00:00:00+00' + i * interval '25 seconds',
                  timestamptz '2021-01-01 00:00:00+00' + i * interval '25 seconds'
           FROM generate_series(1, ${ROWS}) AS i`
        )
        await knex().raw("ANALYZE fw_gate_operation")
        const seeded = Date.now() - started

        global.gc?.()
        const before = process.memoryUsage()
        let peakRss = before.rss
        let peakHeap = before.heapUsed
        const sampler = setInterval(() => {
          const now = process.memoryUsage()
          peakRss = Math.max(peakRss, now.rss)
          peakHeap = Math.max(peakHeap, now.heapUsed)
        }, 20)

        const t0 = performance.now()
        const response = await fetch(`${api.defaults.baseURL}/admin/flutterwave/operations/export?from=2021-01-01&to=2021-01-31`, {
          headers: store.admin.headers,
        })
        expect(response.status).toBe(200)
        expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8")
        // Read as a stream, line by line, keeping only the lines checked below: the test holds no copy of the file.
        const decoder = new TextDecoder("utf-8")
        const wanted = new Map<number, string>([[1, ""], [2, ""], [3, ""], [7, ""], [70_000, ""], [ROWS, ""]])
        let chunks = 0
        let bytes = 0
        let records = 0
        let partial = ""
        let header = ""
        let inQuotes = false
        const reader = response.body!.getReader()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          chunks++
          bytes += value.byteLength
          const text = partial + decoder.decode(value, { stream: true })
          let start = 0
          for (let i = 0; i < text.length; i++) {
            const c = text.charCodeAt(i)
            if (c === 34 /* " */) inQuotes = !inQuotes
            else if (!inQuotes && c === 13 /* \r */ && text.charCodeAt(i + 1) === 10) {
              const line = text.slice(start, i)
              if (!header) header = line
              else {
                records++
                if (wanted.has(records)) wanted.set(records, line)
              }
              start = i + 2
              i++
            }
          }
          partial = text.slice(start)
          // A quote opened in the unfinished line is counted again with it.
          inQuotes = false
        }
        const seconds = (performance.now() - t0) / 1000
        clearInterval(sampler)

        expect(partial).toBe("")
        expect(header.startsWith("created_at,id,kind,rail,status,amount,currency_code,amount_minor,")).toBe(true)
        expect(records).toBe(ROWS)
        expect(chunks).toBeGreaterThan(1)
        const at = (i: number) => new Date(Date.UTC(2021, 0, 1) + i * 25_000).toISOString().replace(".000Z", ".000000Z")
        expect(wanted.get(1)).toBe(`${at(1)},fwop_bulk_000001,sale,ecommpay,success,1.01,KES,101,0,Success,bulk_1,5000001,,,callback,${at(1)}`)
        expect(wanted.get(2)).toBe(`${at(2)},fwop_bulk_000002,sale,ecommpay,success,202,UGX,202,0,Success,bulk_2,5000002,,,callback,${at(2)}`)
        expect(wanted.get(3)).toBe(`${at(3)},fwop_bulk_000003,sale,ecommpay,success,3.03,GHS,303,0,Success,bulk_3,5000003,,,callback,${at(3)}`)
        expect(wanted.get(7)).toBe(
          `${at(7)},fwop_bulk_000007,sale,ecommpay,decline,7.07,GHS,707,20105,"Insufficient funds, ""customer""",bulk_7,5000007,,,callback,${at(7)}`
        )
        expect(wanted.get(70_000)).toBe(
          `${at(70_000)},fwop_bulk_070000,refund,ecommpay,decline,70700.00,NGN,7070000,20105,"Insufficient funds, ""customer""",bulk_70000,5070000,,,callback,${at(70_000)}`
        )
        expect(wanted.get(ROWS)).toBe(
          `${at(ROWS)},fwop_bulk_100000,refund,ecommpay,success,101000.00,NGN,10100000,0,Success,bulk_100000,5100000,,,callback,${at(ROWS)}`
        )

        const mb = (n: number) => (n / 1024 / 1024).toFixed(1)
        const report =
          `[operations export] ${ROWS} rows, ${mb(bytes)} MB in ${chunks} chunks, ${seconds.toFixed(2)} s: ` +
          `${Math.round(ROWS / seconds)} rows/s (${mb(bytes / seconds)} MB/s). Seeded in ${seeded} ms. ` +
          `Process (server and test client): RSS ${mb(before.rss)} → peak ${mb(peakRss)} MB (+${mb(peakRss - before.rss)}), ` +
          `heap ${mb(before.heapUsed)} → peak ${mb(peakHeap)} MB (+${mb(peakHeap - before.heapUsed)})`
        process.stdout.write(`${report}\n`)

        // A client that hangs up mid-download ends the export: its snapshot transaction is closed, not left waiting
        // for a drain that never comes (one per cancelled download, each holding a connection).
        const aborted = new AbortController()
        const partialResponse = await fetch(`${api.defaults.baseURL}/admin/flutterwave/operations/export?from=2021-01-01&to=2021-01-31`, {
          headers: store.admin.headers,
          signal: aborted.signal,
        })
        const partialReader = partialResponse.body!.getReader()
        await partialReader.read()
        aborted.abort()
        await partialReader.cancel().catch(() => undefined)
        const exportsOpen = async () =>
          Number(
            (
              await knex().raw(
                `SELECT count(*)::int AS n FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE '%fw_gate_operation%' AND state <> 'idle'`
              )
            ).rows[0].n
          )
        await waitFor(async () => ((await exportsOpen()) === 0 ? true : undefined), 15_000, 100)
        // And the app still answers exports in full.
        const after = await api.get("/admin/flutterwave/operations/export?from=2021-01-01&to=2021-01-01", store.admin)
        expect((after.data as string).split("\r\n").length).toBeGreaterThan(2)
      })
    })

    describe("validation and access", () => {
      it.each([
        ["a day that does not exist", "from=2026-02-30", "from must be a calendar day as YYYY-MM-DD"],
        ["a timestamp instead of a day", "to=2026-11-25T10:00:00Z", "to must be a calendar day as YYYY-MM-DD"],
        ["a range ending before it starts", "from=2026-11-25&to=2026-11-24", "from must be on or before to"],
        ["an unknown kind", "kind=sale,chargeback", "kind must be one or more of sale, refund, payout (got chargeback)"],
        ["an unknown status", "status=paid", "status must be one or more of pending, success, decline (got paid)"],
        ["an unsupported currency", "currency=EUR", "currency must be one of GHS, KES, NGN, TZS, UGX, USD, ZAR"],
        ["a page over 200 rows", "limit=201", "limit"],
        ["a negative offset", "offset=-1", "offset"],
        ["an unknown filter", "state=open", "state"],
      ])("answers 400 with a clear message for %s", async (_name, query, message) => {
        const response = await get(`/admin/flutterwave/operations?${query}`)
        expect(response.status).toBe(400)
        expect(response.data.message).toContain(message)
      })

      it.each([["/export"], ["/analytics"]])("validates the same filters on %s", async (path) => {
        const response = await get(`/admin/flutterwave/operations${path}?from=2026-11-25&to=2026-11-01`)
        expect(response.status).toBe(400)
        expect(response.data.message).toContain("from must be on or before to")
        expect((await get(`/admin/flutterwave/operations${path}?limit=5`)).status).toBe(400)
      })

      it.each([["/admin/flutterwave/operations"], ["/admin/flutterwave/operations/export"], ["/admin/flutterwave/operations/analytics"]])(
        "rejects %s without an admin (401)",
        async (path) => {
          const anonymous = await api.get(path).catch((e: any) => e.response)
          expect(anonymous.status).toBe(401)
          const shopper = await api.get(path, store.store).catch((e: any) => e.response)
          expect(shopper.status).toBe(401)
        }
      )
    })
  },
})
