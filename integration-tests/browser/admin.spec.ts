import { join } from "node:path"
import type { Browser, Page } from "playwright-core"

/**
 * The admin extension in a real browser: Debian's Chromium driven by playwright-core, against the real Medusa app
 * (its production admin build, with this plugin's pages and widget) and the Gate sandbox, each a real process.
 * Screenshots go to artifacts/screenshots (not committed).
 */
jest.setTimeout(600_000)

import { signParams } from "../../src/rails/ecommpay/signature"
import { FLUTTERWAVE_V3_WEBHOOK_OPTIONS } from "../../src/rails/flutterwave-v3/dashboard"
import { ngnCart, paidNgnOrder, requestJson, waitUntil, type Json, type StoreApi } from "../helpers/live-app"
import { SHOTS, startAdminInBrowser, type AdminInBrowser } from "../helpers/admin-browser"

describe("admin extension in Chromium", () => {
  let admin: AdminInBrowser
  let stack: any
  let browser: Browser
  let page: Page
  let app: AdminInBrowser["app"]

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

  beforeAll(async () => {
    // The store starts without keys: the first test enters them in Settings → Flutterwave, as a store owner does.
    admin = await startAdminInBrowser({
      databaseName: `medusa_flutterwave_browser_${process.pid}`,
      email: "admin@browser.test",
      password: "browser-password",
      keysInAdmin: true,
    })
    ;({ stack, browser, page, app } = admin)
  })

  afterAll(async () => {
    await admin?.stop()
  })

  it("takes the ECommPay keys in Settings → Flutterwave: tests typed values first, refuses a wrong secret, saves write-only", async () => {
    const { DEMO_PROJECT_ID, DEMO_SECRET_KEY } = await import("../../scripts/stack.mjs" as string)
    const wrongSecret = "not-the-project-secret-5e5e"
    await page.goto(`${stack.appUrl}/app/settings/flutterwave`)
    await page.getByText(stack.appUrl + "/hooks/flutterwave").first().waitFor()
    await page.getByTestId("settings-state").getByText("Not set up").waitFor()
    expect(await page.getByTestId("settings-problem").textContent()).toMatch(/enter the ECommPay project id/)
    // The Gate URL comes from the environment: shown with its source, not editable.
    expect(await page.getByTestId("source-gate_url").textContent()).toBe("medusa-config")
    expect(await page.getByTestId("variable-gate_url").textContent()).toBe("FLUTTERWAVE_GATE_URL")
    expect(await page.getByTestId("setting-gate-url").isDisabled()).toBe(true)

    await page.getByTestId("setting-project-id").fill(DEMO_PROJECT_ID)
    await page.getByTestId("setting-secret-key").fill(wrongSecret)
    // Typed values are tested before anything is saved.
    await page.getByTestId("test-connection").click()
    await page.getByTestId("connection-result").getByText("Gate rejected the signature: check the secret key").waitFor()
    await page.getByTestId("save-settings").click()
    await page.getByTestId("settings-save-error").getByText(/Not saved: the connection test failed/).waitFor()
    await page.getByTestId("settings-state").getByText("Not set up").waitFor()

    await page.getByTestId("setting-secret-key").fill(DEMO_SECRET_KEY)
    await page.getByTestId("test-connection").click()
    await page.getByTestId("connection-result").getByText("Connected: Gate accepted the signature and project id").waitFor()
    await page.getByTestId("save-settings").click()
    await page.getByTestId("settings-saved").getByText("Saved: Project ID, Secret key").waitFor()
    await page.getByTestId("settings-state").getByText("Ready").waitFor()
    expect(await page.getByTestId("settings-secret").textContent()).toBe(`Set · ends in …${DEMO_SECRET_KEY.slice(-4)}`)
    expect(await page.getByTestId("setting-secret-key").inputValue()).toBe("")
    expect(await page.getByTestId("source-secret_key").textContent()).toBe("Saved here")
    await page.getByTestId("settings-change").first().getByText("admin@browser.test").waitFor()

    // After a reload, from the server: still no secret anywhere in the page.
    await page.reload()
    await page.getByTestId("settings-state").getByText("Ready").waitFor()
    await shot("settings-keys")
    const html = await page.content()
    expect(html).not.toContain(DEMO_SECRET_KEY)
    expect(html).not.toContain(wrongSecret)

    await page.getByTestId("test-connection").click()
    await page.getByTestId("connection-result").getByText("Connected").waitFor()
    await page.getByTestId("reconcile-now").click()
    await page.getByTestId("reconciliation-report").waitFor()
    await shot("settings-flutterwave")
  })

  it("shows the direct rail's keys and webhook set-up when 'My Flutterwave account' is chosen, and saves nothing by it", async () => {
    await page.goto(`${stack.appUrl}/app/settings/flutterwave`)
    await page.getByTestId("settings-state").getByText("Ready").waitFor()
    const form = page.getByTestId("flutterwave-settings")
    expect(await page.getByTestId("settings-rail-in-force").getAttribute("data-rail")).toBe("ecommpay")
    await page.getByTestId("setting-rail").click()
    await page.getByRole("option", { name: "My Flutterwave account (direct)" }).click()
    await page.getByTestId("settings-rail-pending").waitFor()

    // The ECommPay fields give way to the direct rail's: write-only keys, nothing set yet, and the webhook to set up.
    expect(await page.getByTestId("setting-project-id").count()).toBe(0)
    expect(await page.getByTestId("callback-url").count()).toBe(0)
    expect(await page.getByTestId("setting-flutterwave-public-key").isEditable()).toBe(true)
    for (const key of ["secret-key", "encryption-key", "secret-hash"]) {
      expect(await page.getByTestId(`settings-flutterwave-${key}`).textContent()).toBe("Not set")
      expect(await page.getByTestId(`setting-flutterwave-${key}`).getAttribute("type")).toBe("password")
    }
    expect(await page.getByTestId("setting-flutterwave-api-url").inputValue()).toBe("https://api.flutterwave.com")
    expect(await page.getByTestId("flutterwave-api-mode").getAttribute("data-mode")).toBe("live")
    expect(await page.getByTestId("flutterwave-webhook-url").textContent()).toBe(`${stack.appUrl}/hooks/flutterwave/v3`)
    expect(await page.getByTestId("flutterwave-webhook-options").getByTestId("flutterwave-webhook-option").count()).toBe(
      FLUTTERWAVE_V3_WEBHOOK_OPTIONS.length
    )
    await page.getByTestId("flutterwave-refunds-note").waitFor()
    await page.getByTestId("flutterwave-email-note").waitFor()
    await shot("settings-flutterwave-v3")

    // Only chosen, not saved: Discard brings the ECommPay fields back, and the rail in force is unchanged.
    await form.getByRole("button", { name: "Discard" }).click()
    await page.getByTestId("setting-project-id").waitFor()
    await page.getByTestId("callback-url").waitFor()
    expect(await page.getByTestId("settings-rail-pending").count()).toBe(0)
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

  it("shows pending, settled and declined refunds on the order's card, and both actions on a declined refund work", async () => {
    const sandbox = (method: string, path: string, body?: unknown) => requestJson(method, `${stack.sandboxUrl}/_sandbox${path}`, body)
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
    // Three refunds Gate accepts and leaves processing, as Flutterwave does for days.
    await sandbox("POST", "/scripts", { paymentId: sessionId, operation: "refund", stall: true, times: 3 })
    for (const amount of [1000, 500, 300]) {
      expect((await app("POST", `/admin/payments/${paymentId}/refund`, { amount })).status).toBe(200)
    }
    const refunds = async () => ((await sandbox("GET", `/payments/${sessionId}`)).json.payment.operations as Json[]).filter((op) => op.type === "refund")
    const [first, second, third] = await refunds()
    expect([first, second, third].map((op) => op.status)).toEqual(["processing", "processing", "processing"])

    await page.goto(`${stack.appUrl}/app/orders/${order.id}`)
    const widget = page.getByTestId("flutterwave-order-widget")
    await widget.waitFor()
    await expect(widget.locator('[data-testid="flutterwave-refund"][data-state="pending"]').count()).resolves.toBe(3)
    await widget.scrollIntoViewIfNeeded()
    await shot("order-refunds-pending")

    // Days later: the first settles, the other two are declined after acceptance.
    await sandbox("POST", `/payments/${sessionId}/operations/${first.id}/settle`, { outcome: "success" })
    await sandbox("POST", `/payments/${sessionId}/operations/${second.id}/settle`, { outcome: "decline", code: "3610" })
    await sandbox("POST", `/payments/${sessionId}/operations/${third.id}/settle`, { outcome: "decline", code: "3610" })
    const stateCount = (state: string) => widget.locator(`[data-testid="flutterwave-refund"][data-state="${state}"]`).count()
    const until = async (what: string, check: () => Promise<boolean>) => {
      const deadline = Date.now() + 45_000
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`the order card never showed ${what}: ${await widget.textContent()}`)
        await page.waitForTimeout(1000)
      }
    }
    // The card refreshes itself while a refund is pending: no reload.
    await until("one settled and two declined refunds", async () => (await stateCount("success")) === 1 && (await stateCount("declined")) === 2)
    expect(await widget.getByTestId("flutterwave-refund-declined-banner").count()).toBe(2)
    expect(await widget.getByTestId("flutterwave-refund-alerts").textContent()).toContain("Flutterwave declined")
    expect(await widget.textContent()).toMatch(/Refund unavailable/)
    await shot("order-refunds-declined")

    // Retry at Gate on the first declined one: a new Gate refund under a derived key, which succeeds.
    await widget.getByTestId("flutterwave-retry-refund").first().click()
    await until("the retried refund settled", async () => (await stateCount("success")) === 2 && (await stateCount("declined")) === 1)
    expect(await widget.getByTestId("flutterwave-refund-retried").count()).toBe(1)
    const retried = (await refunds()).filter((op) => String(op.merchantRefundId ?? "").endsWith("-r1"))
    expect(retried.map((op) => [op.sumInitial.amount, op.status])).toEqual([[50_000, "success"]])

    // Mark as not refunded on the other, after the confirmation that Medusa cannot reverse it.
    await widget.getByTestId("flutterwave-mark-not-refunded").click()
    await page.getByRole("button", { name: "Mark as not refunded" }).last().click()
    await until("the refund marked as not refunded", async () => (await stateCount("not_refunded")) === 1)
    expect(await widget.getByTestId("flutterwave-refund-alerts").textContent()).toContain("overstates Flutterwave by 300.00")
    await shot("order-flutterwave-widget")

    const { json } = await app("GET", `/admin/flutterwave/orders/${order.id}/operations`)
    expect(json.payments[0].refund_totals).toMatchObject({ medusa_refunded: "1800.00", gate_refunded: "1500.00", not_refunded: "300.00" })
  })

  it("lists a held callback and an orphan payment under Needs attention, and resolves them from there", async () => {
    const sandbox = (method: string, path: string, body?: unknown) => requestJson(method, `${stack.sandboxUrl}/_sandbox${path}`, body)
    const redirectOf = (store: StoreApi, sessionId: string) =>
      waitUntil(async () => {
        const { json } = await store("GET", `/store/flutterwave/payment-sessions/${sessionId}`)
        return json.status === "redirect" ? (json.redirect as Json) : undefined
      })

    // (a) An orphan: the shopper is sent to Flutterwave's page for the first session; meanwhile the storefront starts
    // a second session for the same payment collection (Medusa deletes the first), and then the shopper pays the first.
    const orphanCart = await ngnCart(stack, app, "orphan@example.ng", 6500)
    const first = await orphanCart.store("POST", `/store/payment-collections/${orphanCart.collectionId}/payment-sessions`, {
      provider_id: "pp_flutterwave_flutterwave",
    })
    const orphanId: string = first.json.payment_collection.payment_sessions[0].id
    const orphanPage = await redirectOf(orphanCart.store, orphanId)
    const second = await orphanCart.store("POST", `/store/payment-collections/${orphanCart.collectionId}/payment-sessions`, {
      provider_id: "pp_flutterwave_flutterwave",
    })
    expect(second.status).toBe(200)
    const sessionIds = second.json.payment_collection.payment_sessions.map((session: Json) => session.id)
    expect(sessionIds).not.toContain(orphanId)
    expect((await requestJson("POST", `${orphanPage.url}/confirm`)).status).toBe(303)

    // (b) A held callback: Gate's result callback comes back correctly signed but for another amount. The sandbox runs
    // in its own process and its control API takes JSON, so a `mutate` function cannot travel to it: the sale's own
    // callbacks are dropped there, and the test sends the result callback, changed before signing, as Gate would.
    await sandbox("POST", "/scripts", { operation: "sale", callback: { drop: true } })
    const heldCart = await ngnCart(stack, app, "held@example.ng", 4200)
    const started = await heldCart.store("POST", `/store/payment-collections/${heldCart.collectionId}/payment-sessions`, {
      provider_id: "pp_flutterwave_flutterwave",
    })
    const heldId: string = started.json.payment_collection.payment_sessions[0].id
    const heldPage = await redirectOf(heldCart.store, heldId)
    expect((await requestJson("POST", `${heldPage.url}/confirm`)).status).toBe(303)
    const { json: paidAtGate } = await sandbox("GET", `/payments/${heldId}`)
    const sale = paidAtGate.payment.operations.find((op: Json) => op.type === "sale")
    expect(sale.status).toBe("success")
    // 100 NGN less than the shopper paid and we asked for: Gate's status still reports the real charge, which is what
    // a refund at Gate gives back (the whole of it, so the item's refund shows as complete).
    const reported = { amount: paidAtGate.payment.sum.amount - 10_000, currency: paidAtGate.payment.sum.currency }
    const callback: Json = {
      project_id: Number(stack.env.FLUTTERWAVE_PROJECT_ID),
      payment: { id: heldId, type: "purchase", status: "success", method: "flutterwave", sum: reported, description: "" },
      operation: {
        id: sale.id,
        type: "sale",
        status: "success",
        request_id: sale.requestId,
        sum_initial: reported,
        sum_converted: reported,
        code: "0",
        message: "Success",
      },
    }
    callback.signature = signParams(callback, stack.env.FLUTTERWAVE_SECRET_KEY)
    const delivered = await requestJson("POST", `${stack.appUrl}/hooks/flutterwave`, callback)
    expect(delivered.status).toBe(200)

    // Both reach the admin's list. A 404 here means the server's /admin/flutterwave/attention routes do not exist yet.
    const attention = async (state = "all") => {
      const answer = await app("GET", `/admin/flutterwave/attention?state=${state}`)
      if (answer.status !== 200) throw new Error(`GET /admin/flutterwave/attention answered ${answer.status}: ${JSON.stringify(answer.json)}`)
      return answer.json as { items: Json[]; count: number }
    }
    const itemFor = async (gatePaymentId: string, kind: string) =>
      (await attention()).items.find((item) => item.gate_payment_id === gatePaymentId && item.kind === kind)
    await attention()
    const held = await waitUntil(() => itemFor(heldId, "held_callback"), 60_000, 500)
    const orphan = await waitUntil(() => itemFor(orphanId, "orphan_payment"), 60_000, 500)
    expect(held).toMatchObject({ state: "open", currency_code: expect.stringMatching(/^ngn$/i), order_id: null })
    expect(held.actions).toContain("refund")
    expect(orphan).toMatchObject({ currency_code: expect.stringMatching(/^ngn$/i), order_id: null })
    // No order took either payment.
    const { json: orders } = await app("GET", "/admin/orders?fields=id,email&limit=100")
    expect(orders.orders.filter((o: Json) => ["orphan@example.ng", "held@example.ng"].includes(o.email))).toEqual([])

    // With automatic refunds on (the default), Gate gives the orphan's money back by itself.
    const orphanRefunded = await waitUntil(async () => {
      const item = await itemFor(orphanId, "orphan_payment")
      return item && item.refund.status === "success" ? item : undefined
    }, 60_000, 500)
    // Still open for the admin to see and close.
    expect(orphanRefunded.state).toBe("open")
    expect(orphanRefunded.actions).toContain("mark_reviewed")
    const { json: orphanAtGate } = await sandbox("GET", `/payments/${orphanId}`)
    expect(orphanAtGate.payment.sum.amount).toBe(0)
    expect(orphanAtGate.payment.operations.filter((op: Json) => op.type === "refund").map((op: Json) => op.status)).toEqual(["success"])

    // The page shows both, with their facts.
    const rowOf = (gatePaymentId: string, kind: string) =>
      page.locator(`[data-testid="attention-row"][data-gate-payment-id="${gatePaymentId}"][data-kind="${kind}"]`)
    await page.goto(`${stack.appUrl}/app/flutterwave-attention`)
    await page.getByTestId("attention-table").waitFor()
    for (const [item, kind] of [
      [held, "held_callback"],
      [orphanRefunded, "orphan_payment"],
    ] as const) {
      const row = rowOf(item.gate_payment_id, kind)
      await row.waitFor()
      const text = (await row.textContent()) ?? ""
      expect(text).toContain(item.title)
      expect(text).toContain(item.message)
      expect(text).toContain(`${item.amount} ${String(item.currency_code).toUpperCase()}`)
      expect(text).toContain(item.gate_payment_id)
      expect(await row.getByTestId("attention-state").getAttribute("data-state")).toBe("open")
    }
    expect(await rowOf(orphanId, "orphan_payment").getByTestId("attention-refund").getAttribute("data-refund-status")).toBe("success")
    expect(await rowOf(heldId, "held_callback").getByTestId("attention-refund").getAttribute("data-refund-status")).toBe("none")
    await shot("needs-attention")

    // Mark the orphan reviewed, with a note: it leaves the open list and shows as resolved under All.
    await rowOf(orphanId, "orphan_payment").getByTestId("attention-action-mark_reviewed").click()
    const reviewDialog = page.getByRole("alertdialog")
    await reviewDialog.getByTestId("attention-note").fill("Refunded automatically; shopper told by email")
    await reviewDialog.getByTestId("attention-confirm-reviewed").click()
    await page.getByText("Marked as reviewed").first().waitFor()
    await rowOf(orphanId, "orphan_payment").waitFor({ state: "detached" })

    // Refund the held payment at Gate, through the confirmation prompt.
    await rowOf(heldId, "held_callback").getByTestId("attention-action-refund").click()
    const refundPrompt = page.getByRole("alertdialog")
    await refundPrompt.getByText("Refund at Gate?").waitFor()
    await refundPrompt.getByRole("button", { name: "Refund at Gate", exact: true }).click()
    await page.getByText(/Refunded at Gate|Refund sent to Gate/).first().waitFor()

    await page.goto(`${stack.appUrl}/app/flutterwave-attention?state=all`)
    await page.getByTestId("attention-table").waitFor()
    const reviewedRow = rowOf(orphanId, "orphan_payment")
    await reviewedRow.waitFor()
    expect(await reviewedRow.getByTestId("attention-state").getAttribute("data-state")).toBe("resolved")
    expect(await reviewedRow.textContent()).toContain("Refunded automatically; shopper told by email")
    const heldRow = rowOf(heldId, "held_callback")
    await heldRow.waitFor()
    expect(await heldRow.getByTestId("attention-state").getAttribute("data-state")).toBe("resolved")
    expect(["pending", "success"]).toContain(await heldRow.getByTestId("attention-refund").getAttribute("data-refund-status"))
    // Gate holds nothing of the held payment any more: one refund, of everything it charged.
    const heldAtGate = await waitUntil(async () => {
      const { json } = await sandbox("GET", `/payments/${heldId}`)
      return json.payment.sum.amount === 0 ? (json.payment as Json) : undefined
    })
    const heldRefunds = heldAtGate.operations.filter((op: Json) => op.type === "refund")
    expect(heldRefunds.map((op: Json) => [op.status, op.sumInitial.amount])).toEqual([["success", paidAtGate.payment.sum.amount]])
    // The page follows the refund to Gate's verdict.
    const deadline = Date.now() + 30_000
    while ((await heldRow.getByTestId("attention-refund").getAttribute("data-refund-status")) !== "success") {
      if (Date.now() > deadline) throw new Error("the held payment's refund never showed as successful")
      await page.waitForTimeout(1000)
    }
    await shot("needs-attention-resolved")

    // Repeating the refund is harmless: the same item back, and still one refund at Gate.
    const again = await app("POST", `/admin/flutterwave/attention/${held.id}/actions`, { action: "refund" })
    expect(again.status).toBe(200)
    expect(again.json.item.id).toBe(held.id)
    const { json: afterRepeat } = await sandbox("GET", `/payments/${heldId}`)
    expect(afterRepeat.payment.operations.filter((op: Json) => op.type === "refund")).toHaveLength(1)

    // The settings page counts what is still open and links to the page.
    const stillOpen = (await attention("open")).count
    await page.goto(`${stack.appUrl}/app/settings/flutterwave`)
    await page.getByTestId("attention-summary-count").getByText(`Needs attention: ${stillOpen} open`).waitFor()
    await page.getByTestId("attention-summary-link").click()
    await page.waitForURL(/\/app\/flutterwave-attention/)
  })
})
