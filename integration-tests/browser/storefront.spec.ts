import { spawnSync } from "node:child_process"
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { extname, join, resolve, sep } from "node:path"
import type { Browser, Page } from "playwright-core"

/**
 * The shopper's side in a real browser: a small storefront (integration-tests/browser/storefront, built here with Vite)
 * that pays with the storefront kit (src/storefront) and Medusa's JS SDK, against the real Medusa app and a sandbox,
 * each a real process. Debian's Chromium, driven by playwright-core, clicks Pay, pays or declines on Flutterwave's
 * page and comes back to the storefront's return page. Twice: with an ECommPay contract (the sandbox's Payment Page)
 * and with the merchant's own Flutterwave account (rail "flutterwave-v3": the v3 sandbox's hosted checkout page).
 * Screenshots go to artifacts/screenshots/storefront-*.png (not committed).
 */
jest.setTimeout(600_000)

import { ngnCart, requestJson, signInAdmin, waitUntil, type Json } from "../helpers/live-app"
import { launchChromium } from "../helpers/chromium"

const ROOT = process.cwd()
const SHOTS = join(ROOT, "artifacts", "screenshots")
const STOREFRONT_SOURCE = join(ROOT, "integration-tests", "browser", "storefront")
/** How long the shopper's browser may take to reach a page or to show an outcome. */
const SHOPPER_WAIT_MS = 90_000

type LiveStack = {
  appUrl: string
  sandboxUrl: string
  start(): Promise<void>
  stop(): Promise<void>
  createAdminUser(email: string, password: string): Promise<void>
}
type StackOptions = {
  log: (line: string) => void
  databaseName: string
  checkout?: "payment_page" | "gate"
  rail?: "ecommpay" | "flutterwave-v3"
  env: Record<string, string>
}
type AdminApi = Awaited<ReturnType<typeof signInAdmin>>
/** One stack with its admin and a browser, as a describe's beforeAll started them. */
type LiveShop = { stack: LiveStack; admin: AdminApi; browser: Browser }

// The storefront is built and served once; each describe runs its own stack against it.
let storefront: { server: Server; url: string } | undefined
let buildDir: string | undefined

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  buildDir = mkdtempSync(join(tmpdir(), "flutterwave-storefront-"))
  buildStorefront(buildDir)
  storefront = await serveStatic(buildDir)
})

afterAll(async () => {
  if (storefront) await closeServer(storefront.server)
  if (buildDir) rmSync(buildDir, { recursive: true, force: true })
})

/**
 * Starts a stack (a sandbox and the Medusa app) for the storefront in the describe's beforeAll, an admin signed in and
 * Chromium; stops them in its afterAll. Answers a getter for the running shop.
 */
function useLiveShop(options: Omit<StackOptions, "log" | "env">, email: string): () => LiveShop {
  let stack: LiveStack | undefined
  let browser: Browser | undefined
  let admin: AdminApi | undefined

  beforeAll(async () => {
    const shop = requireStarted(storefront)
    // The plugin sends the shopper back to the storefront's return page, and Medusa lets the storefront's origin call
    // the store API from the browser.
    const { Stack } = (await import("../../scripts/stack.mjs" as string)) as { Stack: new (options: StackOptions) => LiveStack }
    stack = new Stack({
      log: () => undefined,
      ...options,
      env: { FLUTTERWAVE_RETURN_URL: `${shop.url}/return.html`, STORE_CORS: shop.url },
    })
    await stack.start()
    admin = await signInAdmin(stack, email, "storefront-password")

    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await stack?.stop()
  })

  return () => ({ stack: requireStarted(stack), admin: requireStarted(admin), browser: requireStarted(browser) })
}

/**
 * A shopper with a cart the storefront created through the store API (with their email, as a checkout asks for
 * first), on the storefront's checkout page in a fresh browser context, the Pay button ready.
 */
async function shopperAtCheckout(live: LiveShop, email: string, price: number) {
  const cart = await ngnCart(live.stack, live.admin, email, price)
  const context = await live.browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  page.setDefaultTimeout(60_000)
  const problems: string[] = []
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`))
  page.on("console", (message) => {
    // A page without an icon (the sandbox's) is no problem of the shop's.
    if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) problems.push(`console: ${message.text()}`)
  })
  const query = new URLSearchParams({ backend: live.stack.appUrl, key: cart.publishableKey, cart: cart.cartId })
  await page.goto(`${requireStarted(storefront).url}/index.html?${query}`)
  await page.locator('[data-testid="pay-with-flutterwave"]:enabled').waitFor()
  expect(await page.getByTestId("cart-email").textContent()).toBe(email)
  expect(await page.getByTestId("cart-items").textContent()).toBe(`1 × Ankara for ${email} — ${price.toFixed(2)} NGN`)
  expect(await page.getByTestId("cart-total").textContent()).toBe(`${price.toFixed(2)} NGN`)
  return { cart, context, page, problems }
}

/**
 * Waits for the storefront's return page and the outcome it shows (whatever it is, so a failure says what it was).
 * Answers the return URL's query too, for the caller to check.
 */
async function outcomeOnReturnPage(page: Page, problems: string[]) {
  const storefrontOrigin = new URL(requireStarted(storefront).url).origin
  await arrive(page, problems, "the storefront's return page", (url) => url.origin === storefrontOrigin && url.pathname === "/return.html")
  const query = Object.fromEntries(new URL(page.url()).searchParams)
  const outcome = page.locator('[data-testid="outcome"] > [data-testid]:not([data-testid="status"])')
  try {
    await outcome.waitFor({ timeout: SHOPPER_WAIT_MS })
  } catch (error) {
    throw new Error(`the return page showed no outcome: "${await textOf(page)}"; ${problems.join(" | ") || "no page errors"}`, { cause: error })
  }
  return { query, kind: await outcome.getAttribute("data-testid"), text: (await outcome.textContent()) ?? "" }
}

type ShopperCart = Awaited<ReturnType<typeof ngnCart>>
/** The order the return page showed: its number and its id. */
type OrderShown = { displayId: string; orderId: string | null }

/** The return page thanks the shopper for their order; answers the order number it shows and the order's id. */
async function orderShown(page: Page): Promise<OrderShown> {
  const number = page.getByTestId("order-number")
  const displayId = (await number.textContent()) ?? ""
  const orderId = await number.getAttribute("data-order-id")
  expect(await page.getByTestId("heading").textContent()).toBe("Thank you for your order")
  return { displayId, orderId }
}

/** The order the shopper was shown is the one in the admin, paid and captured, for this cart; the cart is completed. */
async function expectOrderPlacedOnce({ admin }: LiveShop, cart: ShopperCart, email: string, shown: OrderShown) {
  const order = await waitUntil(async () => {
    const { json } = await admin("GET", "/admin/orders?fields=id,display_id,email,payment_status&limit=100")
    return (json.orders as Json[]).find((o) => o.email === email && o.payment_status === "captured")
  })
  expect(order).toMatchObject({ id: shown.orderId, display_id: Number(shown.displayId) })
  const { json: orders } = await admin("GET", "/admin/orders?fields=id,email&limit=100")
  expect((orders.orders as Json[]).filter((o) => o.email === email)).toHaveLength(1)
  const { json: stored } = await cart.store("GET", `/store/carts/${cart.cartId}?fields=id,completed_at`)
  expect(stored.cart.completed_at).toBeTruthy()
}

/** The return page says the payment was declined and offers another try. */
async function expectDeclineShown(page: Page) {
  expect(await page.getByTestId("heading").textContent()).toBe("Payment declined")
  expect(await page.getByTestId("try-again").isVisible()).toBe(true)
}

/**
 * After a decline: no order, and the cart is still open for another try; the store route says the same as the page
 * (`message`, the outcome it showed).
 */
async function expectNoOrderCartOpen({ admin, stack }: LiveShop, cart: ShopperCart, email: string, sessionId: string, message: string) {
  const { json: orders } = await admin("GET", "/admin/orders?fields=id,email&limit=100")
  expect((orders.orders as Json[]).filter((o) => o.email === email)).toEqual([])
  const { json: stored } = await cart.store("GET", `/store/carts/${cart.cartId}?fields=id,completed_at`)
  expect(stored.cart.completed_at).toBeFalsy()
  const { json: session } = await requestJson("GET", `${stack.appUrl}/store/flutterwave/payment-sessions/${sessionId}`, undefined, {
    "x-publishable-api-key": cart.publishableKey,
  })
  expect(session).toMatchObject({ status: "declined", message })
}

describe("storefront kit in Chromium, on the Payment Page", () => {
  const live = useLiveShop({ databaseName: `medusa_flutterwave_storefront_${process.pid}`, checkout: "payment_page" }, "admin@storefront.test")

  /** Clicks Pay with Flutterwave and waits for the sandbox's Payment Page, with Flutterwave chosen. */
  async function payWithFlutterwave(page: Page, problems: string[], price: number): Promise<URL> {
    const sandboxOrigin = new URL(live().stack.sandboxUrl).origin
    await page.getByTestId("pay-with-flutterwave").click()
    await arrive(page, problems, "the sandbox's Payment Page", (url) => url.origin === sandboxOrigin && url.pathname === "/payment")
    const paymentPage = new URL(page.url())
    expect(paymentPage.searchParams.get("force_payment_method")).toBe("flutterwave")
    const flutterwave = page.getByTestId("method-flutterwave")
    await flutterwave.waitFor()
    expect(await flutterwave.isChecked()).toBe(true)
    expect(await page.locator("label", { has: flutterwave }).textContent()).toContain("Flutterwave")
    expect(await page.getByTestId("amount").textContent()).toBe(`${price.toFixed(2)} NGN`)
    return paymentPage
  }

  /** The return page's outcome, reached with the plugin's own return parameters. */
  async function outcomeAfterPaymentPage(page: Page, problems: string[], sessionId: string, result: "success" | "decline") {
    const { query, kind, text } = await outcomeOnReturnPage(page, problems)
    expect(query).toEqual({ payment_session_id: sessionId, flutterwave_result: result })
    return { kind, text }
  }

  it("pays on the Payment Page and sees the order number", async () => {
    const email = "amaka@example.ng"
    const { cart, context, page, problems } = await shopperAtCheckout(live(), email, 12_500)
    try {
      await shot(page, "storefront-pay-1-checkout")
      const paymentPage = await payWithFlutterwave(page, problems, 12_500)
      const sessionId = paymentPage.searchParams.get("payment_id") ?? ""
      expect(sessionId).toMatch(/^payses_/)
      await shot(page, "storefront-pay-2-payment-page")

      await page.getByTestId("pay").click()
      const outcome = await outcomeAfterPaymentPage(page, problems, sessionId, "success")
      expect(outcome).toMatchObject({ kind: "order-placed", text: expect.stringMatching(/^Your order number is \d+$/) })
      const shown = await orderShown(page)
      await shot(page, "storefront-pay-3-order-number")
      expect(problems).toEqual([])

      await expectOrderPlacedOnce(live(), cart, email, shown)
    } finally {
      await context.close()
    }
  })

  it("declines on the Payment Page and sees Flutterwave's reason", async () => {
    const email = "bayo@example.ng"
    const { cart, context, page, problems } = await shopperAtCheckout(live(), email, 9_000)
    try {
      const paymentPage = await payWithFlutterwave(page, problems, 9_000)
      const sessionId = paymentPage.searchParams.get("payment_id") ?? ""
      expect(sessionId).toMatch(/^payses_/)
      await shot(page, "storefront-decline-1-payment-page")

      await page.getByTestId("decline").click()
      const outcome = await outcomeAfterPaymentPage(page, problems, sessionId, "decline")
      expect(outcome).toMatchObject({ kind: "payment-declined", text: expect.stringMatching(/^Flutterwave declined the payment: \S/) })
      await expectDeclineShown(page)
      await shot(page, "storefront-decline-2-reason")
      expect(problems).toEqual([])

      await expectNoOrderCartOpen(live(), cart, email, sessionId, outcome.text)
    } finally {
      await context.close()
    }
  })
})

/**
 * The same storefront and kit for a merchant with their own Flutterwave account: the plugin on rail "flutterwave-v3"
 * against the v3 sandbox (scripts/stack.mjs, rail "flutterwave-v3"). The shopper goes to Flutterwave's hosted
 * checkout page (Standard hosted link), which sends them back to the one return URL with Flutterwave's own `status`,
 * `tx_ref` and `transaction_id` appended; the kit reads `status` as a hint, the store route asks Flutterwave.
 */
describe("storefront kit in Chromium, on Flutterwave's hosted page (rail flutterwave-v3)", () => {
  const live = useLiveShop({ databaseName: `medusa_flutterwave_storefront_v3_${process.pid}`, rail: "flutterwave-v3" }, "admin@storefront-v3.test")

  /** Clicks Pay with Flutterwave and waits for the v3 sandbox's hosted page; answers the tx_ref it shows. */
  async function payOnHostedPage(page: Page, problems: string[], email: string, amountShown: string): Promise<string> {
    const sandboxOrigin = new URL(live().stack.sandboxUrl).origin
    await page.getByTestId("pay-with-flutterwave").click()
    await arrive(
      page,
      problems,
      "Flutterwave's hosted page",
      (url) => url.origin === sandboxOrigin && /^\/v3\/hosted\/pay\/flwlnk-\d+$/.test(url.pathname)
    )
    await page.getByTestId("fw-pay").waitFor()
    expect(await page.getByTestId("fw-amount").textContent()).toBe(amountShown)
    expect(await page.getByTestId("fw-email").textContent()).toBe(email)
    expect(await page.getByTestId("fw-pay").textContent()).toBe(`Pay ${amountShown}`)
    expect(await page.getByTestId("fw-fail").isVisible()).toBe(true)
    expect(await page.getByTestId("fw-cancel").isVisible()).toBe(true)
    // Our payment reference at Flutterwave is the Medusa payment session.
    const txRef = (await page.getByTestId("fw-tx-ref").textContent()) ?? ""
    expect(txRef).toMatch(/^payses_/)
    return txRef
  }

  /** What the v3 sandbox holds for a tx_ref (its control route, as another process reads it). */
  async function atFlutterwave(txRef: string): Promise<Json[]> {
    const { json } = await requestJson("GET", `${live().stack.sandboxUrl}/_sandbox/transactions`)
    return (json.transactions as Json[]).filter((tx) => tx.txRef === txRef)
  }

  it("pays on Flutterwave's hosted page and sees the order number", async () => {
    const email = "ngozi@example.ng"
    const { cart, context, page, problems } = await shopperAtCheckout(live(), email, 12_500)
    try {
      await shot(page, "storefront-v3-pay-1-checkout")
      const sessionId = await payOnHostedPage(page, problems, email, "NGN 12,500.00")
      await shot(page, "storefront-v3-pay-2-hosted-page")

      await page.getByTestId("fw-pay").click()
      const { query, kind, text } = await outcomeOnReturnPage(page, problems)
      // Back on the one return URL, with what Flutterwave appends.
      expect(query).toMatchObject({ payment_session_id: sessionId, status: "successful", tx_ref: sessionId, transaction_id: expect.stringMatching(/^\d+$/) })
      expect({ kind, text }).toMatchObject({ kind: "order-placed", text: expect.stringMatching(/^Your order number is \d+$/) })
      const shown = await orderShown(page)
      await shot(page, "storefront-v3-pay-3-order-number")
      expect(problems).toEqual([])

      // Flutterwave charged this payment once, for the cart's total.
      const transactions = await atFlutterwave(sessionId)
      expect(transactions).toEqual([expect.objectContaining({ id: Number(query.transaction_id), status: "successful", amount: 1_250_000, currency: "NGN" })])
      await expectOrderPlacedOnce(live(), cart, email, shown)
    } finally {
      await context.close()
    }
  })

  it("fails on Flutterwave's hosted page and sees the decline message", async () => {
    const email = "tunde@example.ng"
    const { cart, context, page, problems } = await shopperAtCheckout(live(), email, 9_000)
    try {
      const sessionId = await payOnHostedPage(page, problems, email, "NGN 9,000.00")
      await shot(page, "storefront-v3-decline-1-hosted-page")

      await page.getByTestId("fw-fail").click()
      const { query, kind, text } = await outcomeOnReturnPage(page, problems)
      expect(query).toMatchObject({ payment_session_id: sessionId, status: "failed", tx_ref: sessionId, transaction_id: expect.stringMatching(/^\d+$/) })
      expect({ kind, text }).toMatchObject({ kind: "payment-declined", text: expect.stringMatching(/^Flutterwave declined the payment: \S/) })
      await expectDeclineShown(page)
      await shot(page, "storefront-v3-decline-2-reason")
      expect(problems).toEqual([])

      // Flutterwave holds the failed attempt only.
      expect((await atFlutterwave(sessionId)).map((tx) => tx.status)).toEqual(["failed"])
      await expectNoOrderCartOpen(live(), cart, email, sessionId, text)
    } finally {
      await context.close()
    }
  })
})

function requireStarted<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("beforeAll did not finish starting the storefront, the stack and the browser")
  return value
}

function shot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}

async function textOf(page: Page): Promise<string> {
  return ((await page.locator("body").textContent().catch(() => null)) ?? "").replace(/\s+/g, " ").trim()
}

/** Waits until the browser is on the page `where` accepts; a failure says where it is instead and what it shows. */
async function arrive(page: Page, problems: string[], what: string, where: (url: URL) => boolean): Promise<void> {
  try {
    await page.waitForURL(where, { timeout: SHOPPER_WAIT_MS })
  } catch (error) {
    throw new Error(
      `never reached ${what}: still on ${page.url()}, showing "${await textOf(page)}"; ${problems.join(" | ") || "no page errors"}`,
      { cause: error }
    )
  }
}

/**
 * Builds the storefront with Vite's JS API into `outDir`. Vite is an ES-module bundler with native parts, so it runs
 * in a Node process of its own rather than in Jest's module sandbox.
 */
function buildStorefront(outDir: string): void {
  const config = {
    configFile: false,
    root: STOREFRONT_SOURCE,
    publicDir: false,
    logLevel: "warn",
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: { index: join(STOREFRONT_SOURCE, "index.html"), return: join(STOREFRONT_SOURCE, "return.html") } },
    },
  }
  const script = 'import { build } from "vite"; await build(JSON.parse(process.env.STOREFRONT_VITE_CONFIG))'
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    env: { ...process.env, STOREFRONT_VITE_CONFIG: JSON.stringify(config) },
    encoding: "utf8",
    timeout: 180_000,
  })
  if (result.status !== 0) throw new Error(`the storefront's Vite build failed:\n${result.stdout}\n${result.stderr}`)
  for (const page of ["index.html", "return.html"]) {
    if (!existsSync(join(outDir, page))) throw new Error(`the storefront's Vite build made no ${page}`)
  }
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
}

/** A static file server for the built storefront on 127.0.0.1, on a free port. */
async function serveStatic(dir: string): Promise<{ server: Server; url: string }> {
  const root = resolve(dir)
  const server = createServer((req, res) => {
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://storefront.invalid").pathname)
    } catch {
      res.writeHead(400).end("bad request")
      return
    }
    const file = resolve(root, `.${pathname === "/" ? "/index.html" : pathname}`)
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end()
      return
    }
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found")
      return
    }
    res.writeHead(200, { "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" })
    if (req.method === "HEAD") res.end()
    else createReadStream(file).pipe(res)
  })
  await new Promise<void>((done, fail) => {
    server.once("error", fail)
    server.listen(0, "127.0.0.1", () => done())
  })
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}` }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((done) => server.close(() => done()))
}
