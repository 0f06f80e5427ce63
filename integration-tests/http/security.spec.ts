import { LOG_FILE } from "../helpers/log-to-file"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { resolveOptions } from "../../src/options"
import { signParams } from "../../src/rails/ecommpay"
import { TEST_PROJECT_ID, TEST_SECRET_KEY, useGateSandbox } from "../helpers/sandbox"
import { orderForCart, redirectFor, seedStore, startCheckout, waitFor, type Store } from "../helpers/store"

jest.setTimeout(240_000)

/** Everything the app prints while this suite runs, and every API answer it gives. */
const captured: string[] = []
const originalWrite = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) }
process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
  captured.push(String(chunk))
  return (originalWrite.out as (...a: unknown[]) => boolean)(chunk, ...rest)
}) as typeof process.stdout.write
process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
  captured.push(String(chunk))
  return (originalWrite.err as (...a: unknown[]) => boolean)(chunk, ...rest)
}) as typeof process.stderr.write
const consoleMethods = ["log", "info", "warn", "error", "debug"] as const
for (const method of consoleMethods) {
  const original = console[method].bind(console)
  console[method] = (...args: unknown[]) => {
    captured.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "))
    original(...args)
  }
}

const { sandbox } = useGateSandbox()

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: Store
    const answers: string[] = []

    beforeAll(async () => {
      api.interceptors.response.use(
        (response: any) => {
          answers.push(typeof response.data === "string" ? response.data : JSON.stringify(response.data))
          return response
        },
        (error: any) => {
          if (error.response) answers.push(JSON.stringify(error.response.data))
          return Promise.reject(error)
        }
      )
      sandbox().setCallbackUrl(`${api.defaults.baseURL}/hooks/flutterwave`)
      store = await seedStore(api, getContainer())
    })

    it("never reveals the secret key in logs, errors, API answers, session data or stored callbacks", async () => {
      const variant = await store.product("ngn", 1500.5)

      // A paid order, refunded once and declined once.
      const paid = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      const redirect = await redirectFor(api, store, paid.sessionId)
      await fetch(`${redirect.redirect.url}/confirm`, { method: "POST", redirect: "manual" })
      const order = await waitFor(() => orderForCart(api, getContainer(), store, paid.cartId))
      const paymentId = order.payment_collections[0].payments[0].id
      await api.post(`/admin/payments/${paymentId}/refund`, { amount: 100 }, store.admin)
      sandbox().script({ paymentId: paid.sessionId, operation: "refund", outcome: "decline", code: "3610" })
      await api.post(`/admin/payments/${paymentId}/refund`, { amount: 100 }, store.admin).catch(() => undefined)
      // A Gate timeout and a 5xx on a refund, which log warnings.
      sandbox().script({ paymentId: paid.sessionId, operation: "refund", hangMs: 2_500 })
      await api.post(`/admin/payments/${paymentId}/refund`, { amount: 50 }, store.admin).catch(() => undefined)
      // A declined sale and a forged callback.
      sandbox().script({ operation: "sale", outcome: "decline", code: "20105" })
      const declined = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await sandbox().callbacksDelivered()
      await api.post(`/store/carts/${declined.cartId}/complete`, {}, store.store).catch(() => undefined)
      const forged = { project_id: TEST_PROJECT_ID, payment: { id: declined.sessionId }, signature: signParams({ a: 1 }, "wrong") }
      await api.post("/hooks/flutterwave", forged).catch(() => undefined)
      // Admin pages' data, including the settings page and a connection test.
      await api.get("/admin/flutterwave/settings", store.admin)
      await api.post("/admin/flutterwave/settings/test-connection", {}, store.admin)
      await api.get(`/admin/flutterwave/orders/${order.id}/operations`, store.admin)
      await api.post("/admin/flutterwave/payouts", { amount: "200", currency_code: "NGN", bank_id: "206", account_number: "0123456789", idempotency_key: "security-check-1" }, store.admin)
      const session = await api.get(`/store/payment-collections/${order.payment_collections[0].id}?fields=*payment_sessions`, store.store).catch(() => undefined)
      await sandbox().callbacksDelivered()

      expect(answers.length).toBeGreaterThan(20)
      for (const answer of answers) expect(answer).not.toContain(TEST_SECRET_KEY)
      expect(captured.join("\n")).not.toContain(TEST_SECRET_KEY)
      const logFile = readFileSync(LOG_FILE, "utf8")
      expect(logFile).toContain("flutterwave: callback rejected") // the app's warnings were recorded
      expect(logFile).toMatch(/flutterwave: refund ref_\w+ of payment payses_\w+ declined by Gate/) // and its declines
      expect(logFile).not.toContain(TEST_SECRET_KEY)
      if (session) expect(JSON.stringify(session.data)).not.toContain(TEST_SECRET_KEY)

      const flutterwave = getContainer().resolve<any>("flutterwave")
      const stored = JSON.stringify([
        await flutterwave.listGateCallbacks({}),
        await flutterwave.listGateOperations({}),
        await flutterwave.listPayouts({}),
      ])
      expect(stored).not.toContain(TEST_SECRET_KEY)
    })

    it("names a bad option at start-up without printing the secret", () => {
      const attempts = [
        { projectId: "abc", secretKey: TEST_SECRET_KEY },
        { projectId: 1, secretKey: TEST_SECRET_KEY, gateUrl: "not a url" },
        { projectId: 1, secretKey: TEST_SECRET_KEY, timeoutMs: -1 },
        { projectId: 1, secretKey: TEST_SECRET_KEY, limits: { EUR: { min: 1, max: 2 } } },
        { projectId: 1, secretKey: "   " },
      ]
      for (const options of attempts) {
        let message = ""
        try {
          resolveOptions(options)
        } catch (error) {
          message = (error as Error).message
        }
        expect(message).toMatch(/^Flutterwave: option "\w+(\.\w+)?" /)
        expect(message).not.toContain(TEST_SECRET_KEY)
      }
    })

    it("keeps the secret out of the admin extension's source and bundle", () => {
      // Our sources, and the bundle the package ships as "./admin" when it has been built. Other files under
      // .medusa/ (a whole dashboard build) are Medusa's, and legitimately speak of API "secretKey"s.
      const bundle = ["index.js", "index.mjs"].map((name) => join(process.cwd(), ".medusa", "server", "src", "admin", name))
      const files = [...listFiles(join(process.cwd(), "src", "admin")), ...bundle.filter(existsSync)]
      expect(files.length).toBeGreaterThan(0)
      for (const file of files) {
        const text = readFileSync(file, "utf8")
        expect(text).not.toContain(TEST_SECRET_KEY)
        expect(text).not.toMatch(/FLUTTERWAVE_SECRET_KEY|secretKey/)
      }
    })
  },
})

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? listFiles(path) : [path]
  })
}
