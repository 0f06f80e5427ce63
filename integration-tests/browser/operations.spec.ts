import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { SHOTS, startAdminInBrowser, type AdminInBrowser } from "../helpers/admin-browser"
import { paidNgnOrder, requestJson, waitUntil } from "../helpers/live-app"

/**
 * The operations page in Chromium, against the real Medusa app (its production admin build) and the Gate sandbox: a
 * paid order and a payout Gate declines, seen in the analytics and the table, filtered, and exported as CSV.
 */
jest.setTimeout(600_000)

describe("operations page in Chromium", () => {
  let admin: AdminInBrowser
  let stack: any
  let page: Page
  let app: AdminInBrowser["app"]

  beforeAll(async () => {
    admin = await startAdminInBrowser({
      databaseName: `medusa_flutterwave_operations_${process.pid}`,
      email: "admin@operations.test",
      password: "operations-password",
      viewport: { width: 1440, height: 1100 },
      acceptDownloads: true,
    })
    ;({ stack, page, app } = admin)
  })

  afterAll(async () => {
    await admin?.stop()
  })

  it("shows the analytics and the ledger, filters it, links the order and exports the filtered rows as CSV", async () => {
    const { order, sessionId } = await paidNgnOrder(stack, app, { email: "amaka@example.ng", price: 4500 })
    await requestJson("POST", `${stack.sandboxUrl}/_sandbox/scripts`, { operation: "payout", outcome: "decline", code: "3028" })
    const payout = await app("POST", "/admin/flutterwave/payouts", {
      amount: "250.00",
      currency_code: "NGN",
      bank_id: "206",
      account_number: "0017704603",
      idempotency_key: `operations-browser-${Date.now()}`,
    })
    expect(payout.status).toBe(200)
    await waitUntil(async () => {
      const { json } = await app("GET", `/admin/flutterwave/payouts/${payout.json.payout.id}`)
      return json.payout.status === "decline" ? true : undefined
    })

    const today = new Date().toISOString().slice(0, 10)
    await page.goto(`${stack.appUrl}/app/flutterwave-operations?from=${today}&to=${today}`)
    const analytics = page.getByTestId("operations-analytics")
    await analytics.waitFor()
    // One paid sale, no declined sale: 100 %; the payout's decline is among the reasons, with Gate's code.
    await page.getByTestId("success-rate").getByText("100.00 %").waitFor()
    expect(await page.getByTestId("paid-totals").textContent()).toContain("4500.00 NGN")
    const reason = page.locator('[data-testid="decline-reason"][data-code="3028"]')
    await reason.waitFor()
    expect(await reason.textContent()).toContain("Insufficient funds on merchant balance")
    expect(await page.locator('[data-testid="volume-bar"][data-day="' + today + '"]').getAttribute("data-amount")).toBe("4500.00")

    const rows = page.getByTestId("ledger-operation-row")
    await waitUntil(async () => ((await rows.count()) >= 2 ? true : undefined))
    const sale = page.locator('[data-testid="ledger-operation-row"][data-kind="sale"]').filter({ hasText: sessionId })
    expect(await sale.getByTestId("operation-amount").textContent()).toBe("4500.00 NGN")
    expect(await sale.getByTestId("operation-order-link").getAttribute("href")).toContain(`/orders/${order.id}`)
    await page.screenshot({ path: join(SHOTS, "operations.png"), fullPage: true })

    // Only payouts: the URL carries the filter, the table and the analytics follow it.
    await page.getByTestId("operations-kind").click()
    await page.getByTestId("operations-kind-payout").click()
    await page.waitForURL(/kind=payout/)
    await waitUntil(async () => {
      // Read every row in one go: locators taken from rows.all() while the table re-renders with fewer rows would
      // each wait (up to the page's 60 s timeout) for a row that is gone.
      const kinds = await rows.evaluateAll((elements) =>
        elements.map((element) => (element as unknown as { getAttribute(name: string): string | null }).getAttribute("data-kind"))
      )
      return kinds.length > 0 && kinds.every((kind) => kind === "payout") ? true : undefined
    }).catch(async (error: Error) => {
      // Say what the page shows instead: the address, the count and the table's text.
      await page.screenshot({ path: join(SHOTS, "operations-filter-failed.png"), fullPage: true })
      const table = await page.getByTestId("operations-count").textContent().catch(() => "(no count)")
      throw new Error(`${error.message}: the page is at ${page.url()} and shows "${table}"`)
    })
    await page.getByTestId("success-rate").getByText("-").waitFor()
    expect(await page.getByTestId("operations-count").textContent()).toBe("1 operation")

    // Export CSV downloads the filtered rows, with the admin's session.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("operations-export").click()])
    expect(download.suggestedFilename()).toBe(`flutterwave-operations_${today}_${today}.csv`)
    const csv = readFileSync((await download.path())!, "utf8")
    const lines = csv.split("\r\n")
    expect(lines[0]).toBe(
      "created_at,id,kind,rail,status,amount,currency_code,amount_minor,gate_code,gate_message,gate_payment_id,gate_operation_id,merchant_key,order_id,source,updated_at"
    )
    expect(lines).toHaveLength(3)
    expect(lines[1]).toContain(",payout,ecommpay,decline,250.00,NGN,25000,3028,Insufficient funds on merchant balance,")
    expect(lines[2]).toBe("")
  })
})
