import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs"
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import type { Browser, Page } from "playwright-core"

/**
 * The admin extension in a real browser: Debian's Chromium driven by playwright-core, against the real Medusa app
 * (its production admin build, with this plugin's pages and widget) and the Gate sandbox, each a real process.
 * Screenshots go to artifacts/screenshots (not committed).
 */
jest.setTimeout(600_000)

import { paidNgnOrder, requestJson, signInAdmin } from "../helpers/live-app"
const ROOT = process.cwd()
const SHOTS = join(ROOT, "artifacts", "screenshots")
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

describe("admin extension in Chromium", () => {
  let stack: any
  let browser: Browser
  let page: Page
  let app: Awaited<ReturnType<typeof signInAdmin>>

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's "chromium" package (apt-get install chromium)`)
    }
    // The dashboard with this plugin's extensions, built as a store would build it.
    const build = spawnSync(join(ROOT, "node_modules", ".bin", "medusa"), ["build", "--admin-only"], {
      cwd: ROOT,
      env: { ...process.env, MEDUSA_DISABLE_TELEMETRY: "true", FLUTTERWAVE_PROJECT_ID: "1", FLUTTERWAVE_SECRET_KEY: "build-only" },
      encoding: "utf8",
    })
    if (build.status !== 0) throw new Error(`admin build failed:\n${build.stdout}\n${build.stderr}`)
    rmSync(join(ROOT, "public", "admin"), { recursive: true, force: true })
    cpSync(join(ROOT, ".medusa", "admin"), join(ROOT, "public", "admin"), { recursive: true })
    mkdirSync(SHOTS, { recursive: true })

    const { Stack } = await import("../../scripts/stack.mjs" as string)
    stack = new Stack({ log: () => undefined, databaseName: `medusa_flutterwave_browser_${process.pid}`, adminBuilt: true })
    await stack.start()
    app = await signInAdmin(stack, "admin@browser.test", "browser-password")

    const { chromium } = await import("playwright-core")
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    })
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
    page.setDefaultTimeout(60_000)

    await page.goto(`${stack.appUrl}/app/login`)
    await page.fill('input[name="email"]', "admin@browser.test")
    await page.fill('input[name="password"]', "browser-password")
    await page.click('button[type="submit"]')
    await page.waitForURL(/\/app\/(orders|products|$)/)
  })

  afterAll(async () => {
    await browser?.close()
    await stack?.stop()
  })

  it("shows Flutterwave settings and tests the connection with a signed Gate request", async () => {
    await page.goto(`${stack.appUrl}/app/settings/flutterwave`)
    await page.getByText(stack.appUrl + "/hooks/flutterwave").first().waitFor()
    await page.getByTestId("test-connection").click()
    const result = page.getByTestId("connection-result")
    await result.getByText("Connected").waitFor()
    await page.getByTestId("reconcile-now").click()
    await page.getByTestId("reconciliation-report").waitFor()
    expect(await page.content()).not.toContain("sandbox-secret-not-for-production")
    await shot("settings-flutterwave")
  })

  it("creates a payout from the Payouts page and watches it settle through the sandbox callback", async () => {
    await page.goto(`${stack.appUrl}/app/payouts`)
    await page.getByTestId("new-payout").click()
    await page.getByTestId("bank-search").fill("GTB")
    await page.getByTestId("bank-option").filter({ hasText: "GTBANK PLC" }).first().click()
    await page.getByTestId("payout-amount").fill("750.00")
    await page.getByTestId("payout-account").fill("0017704603")
    await page.getByTestId("payout-description").fill("Aba fabric supplier")
    await page.getByTestId("payout-review").click()
    await page.getByText("0017704603").first().waitFor()
    await shot("payout-review")
    await page.getByTestId("payout-confirm").click()
    await page.getByText("Payout sent to Flutterwave").first().waitFor()

    // The sandbox's callback settles it; the list shows it once reloaded.
    const deadline = Date.now() + 60_000
    for (;;) {
      await page.goto(`${stack.appUrl}/app/payouts`)
      const table = page.getByTestId("payouts-table")
      await table.waitFor()
      if (await table.getByTestId("payout-status").filter({ hasText: /success/i }).count()) break
      if (Date.now() > deadline) throw new Error("the payout never showed as successful")
      await page.waitForTimeout(1000)
    }
    expect(await page.getByTestId("payouts-table").textContent()).toContain("******4603")
    await shot("payouts")
    const { json } = await app("GET", "/admin/flutterwave/payouts")
    expect(json.payouts[0]).toMatchObject({ status: "success", amount: "750.00", bank_name: "GTBANK PLC" })
  })

  it("shows an order's Flutterwave timeline with a declined refund's reason", async () => {
    // The shopper pays in the browser, on the sandbox's Flutterwave page.
    const { order, paymentId, sessionId } = await paidNgnOrder(stack, app, {
      email: "ngozi@example.ng",
      price: 8000,
      pay: async (url) => {
        const shopper = await browser.newPage()
        await shopper.goto(url)
        await shopper.getByTestId("pay").click()
        await shopper.close()
      },
    })
    expect((await app("POST", `/admin/payments/${paymentId}/refund`, { amount: 1000 })).status).toBe(200)
    await requestJson("POST", `${stack.sandboxUrl}/_sandbox/scripts`, { paymentId: sessionId, operation: "refund", outcome: "decline", code: "3610" })
    expect((await app("POST", `/admin/payments/${paymentId}/refund`, { amount: 500 })).status).toBe(400)

    await page.goto(`${stack.appUrl}/app/orders/${order.id}`)
    const widget = page.getByTestId("flutterwave-order-widget")
    await widget.waitFor()
    const deadline = Date.now() + 30_000
    while ((await widget.getByTestId("flutterwave-operation").count()) < 3) {
      if (Date.now() > deadline) throw new Error("the widget never showed the sale and both refunds")
      await page.waitForTimeout(1000)
      await page.reload()
      await widget.waitFor()
    }
    const text = (await widget.textContent()) ?? ""
    expect(text).toContain(sessionId)
    expect(text).toMatch(/Refund unavailable/)
    await widget.scrollIntoViewIfNeeded()
    await shot("order-flutterwave-widget")
  })
})
