import { LOG_FILE } from "../helpers/log-to-file"
import { readFileSync } from "node:fs"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { recordAnswers } from "../helpers/admin"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import knexFactory from "knex"
import type { Knex } from "knex"
import { signParams } from "../../src/rails/ecommpay"
import { SettingsStore } from "../../src/modules/flutterwave/settings/settings-store"
import { TEST_PROJECT_ID, TEST_SECRET_KEY, TEST_SETTINGS_KEY, forgetGatePayments, useGateSandbox } from "../helpers/sandbox"
import { expectEveryPaidSaleSettled, orderForCart, redirectFor, seedStore, startCheckout, waitFor, type Store } from "../helpers/store"

jest.setTimeout(240_000)

/** A new project secret, as ECommPay's dashboard regenerates one. */
const ROTATED_SECRET_KEY = "rotated-secret-key-never-logged-4f2a"
const WRONG_SECRET_KEY = "wrong-secret-key-never-logged-77aa"
const SECRETS = [TEST_SECRET_KEY, ROTATED_SECRET_KEY, WRONG_SECRET_KEY]

/** Every answer the API gave in this suite: none may carry a secret. */
const answers: string[] = []

// The app starts with no project id and no secret: a store that enters its keys in Settings → Flutterwave.
const { sandbox } = useGateSandbox({}, { keys: "admin" })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    let store: Store

    beforeAll(async () => {
      recordAnswers(api, answers)
      sandbox().setCallbackUrl(`${api.defaults.baseURL}/hooks/flutterwave`)
      store = await seedStore(api, getContainer())
    })

    beforeEach(() => {
      // The runner put the database back under the app: its cached copy of the settings must not outlive that.
      getContainer().resolve<any>("flutterwave").settingsStore.invalidate()
      process.env.FLUTTERWAVE_SETTINGS_KEY = TEST_SETTINGS_KEY
    })

    afterEach(async () => {
      // Whatever the settings went through, every sale Gate was paid for ended in exactly one order.
      process.env.FLUTTERWAVE_SETTINGS_KEY = TEST_SETTINGS_KEY
      getContainer().resolve<any>("flutterwave").settingsStore.invalidate()
      await expectEveryPaidSaleSettled(getContainer(), sandbox())
      sandbox().rotateSecretKey(TEST_SECRET_KEY)
      await forgetGatePayments(sandbox())
    })

    const settings = async () => (await api.get("/admin/flutterwave/settings", store.admin)).data.settings
    const save = (body: Record<string, unknown>) => api.post("/admin/flutterwave/settings", body, store.admin)
    const testConnection = async (body: Record<string, unknown>) =>
      (await api.post("/admin/flutterwave/settings/test-connection", body, store.admin)).data
    const refusal = async (request: Promise<unknown>) => {
      const error = await request.then(
        () => undefined,
        (e: any) => e
      )
      if (!error?.response) throw new Error("expected the request to be refused")
      return { status: error.response.status as number, message: String(error.response.data?.message ?? "") }
    }
    const knex = () => getContainer().resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)

    /** A checkout paid on Flutterwave's page through the sandbox, up to the order. */
    const paidOrder = async () => {
      const variant = await store.product("ngn", 1500.5)
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      const redirect = await redirectFor(api, store, checkout.sessionId)
      await fetch(`${redirect.redirect.url}/confirm`, { method: "POST", redirect: "manual" })
      return waitFor(() => orderForCart(api, getContainer(), store, checkout.cartId))
    }

    it("starts and migrates without keys, says what is missing, and takes no payment until they are set", async () => {
      const before = await settings()
      expect(before).toMatchObject({
        configured: false,
        project_id: null,
        secret: { set: false, ends_with: null, problem: null },
        secret_editing: { enabled: true, reason: null },
        version: 0,
        changes: [],
      })
      expect(before.problem).toMatch(/not set up yet: enter the ECommPay project id in Settings → Flutterwave/)
      // Values medusa-config sets (here FLUTTERWAVE_GATE_URL) are shown with their source and cannot be edited.
      expect(before.fields.gate_url).toEqual({ source: "config", editable: false, variable: "FLUTTERWAVE_GATE_URL" })
      expect(before.fields.project_id).toEqual({ source: "default", editable: true, variable: "FLUTTERWAVE_PROJECT_ID" })
      expect(before.fields.sale_limits).toEqual({ source: "default", editable: true })

      const variant = await store.product("ngn", 1500.5)
      const checkout = await refusal(startCheckout(api, store, { currency: "ngn", variantId: variant }))
      expect(checkout.status).toBe(400)
      expect(checkout.message).toMatch(/Flutterwave is not set up yet/)

      // A callback cannot be verified without the secret: 503, so Gate keeps it and delivers it again later.
      const callback = { project_id: TEST_PROJECT_ID, payment: { id: "x" }, signature: signParams({ a: 1 }, TEST_SECRET_KEY) }
      const answer = await refusal(api.post("/hooks/flutterwave", callback))
      expect(answer.status).toBe(503)
    })

    it("tests typed values before saving, refuses values that fail, saves and audits the rest; a paid order follows", async () => {
      // Typed, not saved: the wrong secret fails the test and nothing is stored.
      const wrong = await testConnection({ project_id: String(TEST_PROJECT_ID), secret_key: WRONG_SECRET_KEY })
      expect(wrong).toMatchObject({ ok: false, code: "3261", message: "Gate rejected the signature: check the secret key" })
      const refused = await refusal(save({ project_id: String(TEST_PROJECT_ID), secret_key: WRONG_SECRET_KEY, version: 0 }))
      expect(refused.status).toBe(400)
      expect(refused.message).toMatch(/^Not saved: the connection test failed with these values: Gate rejected the signature/)
      expect((await settings()).version).toBe(0)
      expect(await knex()("fw_settings_change").count("* as n").first()).toEqual({ n: "0" })

      const right = await testConnection({ project_id: String(TEST_PROJECT_ID), secret_key: TEST_SECRET_KEY })
      expect(right).toMatchObject({ ok: true, message: "Connected: Gate accepted the signature and project id" })
      expect(right.checks.map((c: any) => c.target)).toEqual(["gate"])

      const saved = await save({ project_id: String(TEST_PROJECT_ID), secret_key: TEST_SECRET_KEY, version: 0 })
      expect(saved.data.changed).toEqual(["project_id", "secret_key"])
      const after = saved.data.settings
      expect(after).toMatchObject({
        configured: true,
        problem: null,
        project_id: TEST_PROJECT_ID,
        version: 1,
        secret: { set: true, ends_with: TEST_SECRET_KEY.slice(-4), problem: null },
        fields: { project_id: { source: "admin", editable: true }, secret_key: { source: "admin", editable: true } },
        updated_by: { email: "admin@flutterwave.test" },
      })
      expect(after.changes).toEqual([
        expect.objectContaining({ version: 1, fields: ["project_id", "secret_key"], actor: expect.objectContaining({ email: "admin@flutterwave.test" }) }),
      ])

      // Stored sealed: AES-256-GCM, versioned, never the secret itself, and a fresh IV each time.
      const row = await knex()("fw_settings").first()
      expect(row.secret_key_sealed).toMatch(/^v1:[\w-]{16}:[\w-]{22}:[\w-]+$/)
      expect(JSON.stringify(row)).not.toContain(TEST_SECRET_KEY)

      // The same values again: nothing changes, nothing is audited.
      const again = await save({ project_id: String(TEST_PROJECT_ID), secret_key: TEST_SECRET_KEY })
      expect(again.data.changed).toEqual([])
      expect(again.data.settings.version).toBe(1)
      expect((await knex()("fw_settings").first()).secret_key_sealed).toBe(row.secret_key_sealed)

      // A value medusa-config sets wins and cannot be changed here; a stale page cannot overwrite a newer save.
      const configured = await refusal(save({ gate_url: "http://127.0.0.1:1/" }))
      expect(configured.status).toBe(400)
      expect(configured.message).toMatch(/gate_url is set in medusa-config \(FLUTTERWAVE_GATE_URL\), which wins over the admin: change it there/)
      const stale = await refusal(save({ sale_limits: { NGN: { min: "200", max: "900000" } }, version: 0 }))
      expect(stale.status).toBe(409)
      expect(stale.message).toMatch(/changed by someone else meanwhile \(version 1, your page showed 0\)/)

      // Limits are checked as the options are: exact minor units, a known currency, min not above max. Only the
      // admin's rows are stored (keys upper-cased); the other currencies keep the plugin's defaults.
      const limits = await save({ sale_limits: { ngn: { min: "200", max: "900000" } }, version: 1 })
      expect(limits.data.changed).toEqual(["sale_limits"])
      expect(limits.data.settings.sale_limits.NGN).toEqual({ min: "200.00", max: "900000.00" })
      expect(limits.data.settings.default_sale_limits.NGN).toEqual({ min: "1.00", max: "500000.00" })
      expect(limits.data.settings.fields.sale_limits.source).toBe("admin")
      expect((await knex()("fw_settings").first()).sale_limits).toEqual({ NGN: { min: "200", max: "900000" } })

      // The settings the admin saved are the ones checkout, the callback intake and refunds use.
      const order = await paidOrder()
      expect(order.payment_collections[0].payments[0].captured_at ?? order.payment_collections[0].payments[0].captures?.length).toBeTruthy()
      const tooSmall = await store.product("ngn", 150)
      const belowLimit = await refusal(startCheckout(api, store, { currency: "ngn", variantId: tooSmall }))
      expect(belowLimit.message).toMatch(/Flutterwave takes payments from 200\.00 to 900000\.00 NGN; this one is 150\.00 NGN/)

      // A payment started and not paid yet: its callback will be signed for this project, so the project id stays.
      await startCheckout(api, store, { currency: "ngn", variantId: await store.product("ngn", 1500.5) })
      const switched = await refusal(save({ project_id: "5151" }))
      expect(switched.status).toBe(400)
      expect(switched.message).toMatch(/the project id cannot change while 1 payment started under project 4242 may still be paid/)
      expect((await settings()).project_id).toBe(TEST_PROJECT_ID)
    })

    it("refuses malformed settings with a clear message and stores nothing", async () => {
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ project_id: "abc" }, /project_id.*positive whole number/],
        [{ secret_key: " padded-secret " }, /secret_key.*no spaces around it/],
        [{ secret_key: "short" }, /secret_key.*8 to 256 characters/],
        [{ checkout: "iframe" }, /checkout/],
        [{ payment_page_url: "ftp://example.com" }, /payment_page_url/],
        [{ sale_limits: { EUR: { min: "1", max: "2" } } }, /option "limits\.EUR" names a currency Flutterwave does not take/],
        [{ sale_limits: { NGN: { min: "10", max: "5" } } }, /option "limits\.NGN" min must not be above max/],
        [{ sale_limits: { NGN: { min: "10.001", max: "50" } } }, /limits\.NGN/],
        [{ webhook_secret: "x" }, /webhook_secret|Unrecognized/],
      ]
      for (const [body, message] of cases) {
        const refused = await refusal(save(body))
        expect([400, 422]).toContain(refused.status)
        expect(refused.message).toMatch(message)
      }
      expect((await settings()).version).toBe(0)
    })

    it("uses a secret rotated in the admin everywhere at once: signing, callbacks, connection test", async () => {
      await save({ project_id: String(TEST_PROJECT_ID), secret_key: TEST_SECRET_KEY })
      await paidOrder()

      // The merchant regenerates the secret in ECommPay's dashboard: Gate now refuses the old one.
      sandbox().rotateSecretKey(ROTATED_SECRET_KEY)
      expect((await testConnection({})).ok).toBe(false)
      expect((await testConnection({ secret_key: ROTATED_SECRET_KEY })).ok).toBe(true)
      const rotated = await save({ secret_key: ROTATED_SECRET_KEY })
      expect(rotated.data.changed).toEqual(["secret_key"])
      expect(rotated.data.settings.secret.ends_with).toBe("4f2a")

      // The provider signs with the new secret and the intake verifies callbacks signed with it.
      const order = await paidOrder()
      expect(order.id).toMatch(/^order_/)
      // A callback signed with the old secret is now a forgery.
      const old = { project_id: TEST_PROJECT_ID, payment: { id: "payses_old" }, signature: signParams({ a: 1 }, TEST_SECRET_KEY) }
      expect((await refusal(api.post("/hooks/flutterwave", old))).status).toBe(401)
    })

    it("reaches this instance within seconds when another instance saves, without a restart", async () => {
      await save({ project_id: String(TEST_PROJECT_ID), secret_key: TEST_SECRET_KEY })
      expect((await settings()).sale_limits.NGN.min).not.toBe("300.00")

      // Another instance: the module's own settings store, on its own connection to the same database.
      const other = knexFactory({ client: "pg", connection: dbConnection.client.config.connection })
      try {
        const elsewhere = new SettingsStore(() => other as never, { gateUrl: process.env.FLUTTERWAVE_GATE_URL })
        const { changed } = await elsewhere.save({ sale_limits: { NGN: { min: "300", max: "900000" } } }, null)
        expect(changed).toEqual(["sale_limits"])
      } finally {
        await other.destroy()
      }
      const started = Date.now()
      await waitFor(async () => (await settings()).sale_limits.NGN.min === "300.00", 10_000, 100)
      // Seen within the store's refresh period (2 s) plus one poll; printed, not asserted on (no timed assertions).
      process.stdout.write(`settings change seen by this instance after ${Date.now() - started} ms\n`)
    })

    it("keeps the secret read-only without FLUTTERWAVE_SETTINGS_KEY, and says a stored one cannot be read", async () => {
      await save({ project_id: String(TEST_PROJECT_ID), secret_key: TEST_SECRET_KEY })
      const started = await startCheckout(api, store, { currency: "ngn", variantId: await store.product("ngn", 1500.5) })
      delete process.env.FLUTTERWAVE_SETTINGS_KEY
      getContainer().resolve<any>("flutterwave").settingsStore.invalidate()

      const without = await settings()
      expect(without.secret_editing).toEqual({
        enabled: false,
        reason: "FLUTTERWAVE_SETTINGS_KEY is not set on the server, so a secret typed here could not be stored encrypted",
      })
      expect(without.configured).toBe(false)
      expect(without.secret.problem).toMatch(/a secret key is stored, but FLUTTERWAVE_SETTINGS_KEY is not set on the server: it cannot be read/)
      const refused = await refusal(save({ secret_key: ROTATED_SECRET_KEY }))
      expect(refused.status).toBe(400)
      expect(refused.message).toMatch(/the secret key cannot be saved: FLUTTERWAVE_SETTINGS_KEY is not set/)

      // A different key (rotated without re-entering the secret): the stored secret fails authentication.
      process.env.FLUTTERWAVE_SETTINGS_KEY = "another-settings-key-0123456789abcdef01234"
      getContainer().resolve<any>("flutterwave").settingsStore.invalidate()
      const otherKey = await settings()
      expect(otherKey.configured).toBe(false)
      expect(otherKey.secret.problem).toBe("the stored secret cannot be decrypted: FLUTTERWAVE_SETTINGS_KEY is not the key it was saved under")
      expect(otherKey.problem).toMatch(/enter the secret key again in Settings → Flutterwave/)
      expect(otherKey.fields.secret_key.source).toBe("admin")

      // The shopper who started paying before gets no error: the page Gate handed over (if its callback came), or
      // "pending" while nothing can be asked.
      const waiting = await api.get(`/store/flutterwave/payment-sessions/${started.sessionId}`, store.store)
      expect(["pending", "redirect"]).toContain(waiting.data.status)

      // An unreadable secret can be cleared (and that is audited), then entered again.
      const cleared = await save({ secret_key: null })
      expect(cleared.data.changed).toEqual(["secret_key"])
      expect(cleared.data.settings.secret).toEqual({ set: false, ends_with: null, problem: null })
      expect(cleared.data.settings.problem).toMatch(/enter the ECommPay secret key in Settings → Flutterwave/)
      const again = await save({ secret_key: TEST_SECRET_KEY })
      expect(again.data.settings.configured).toBe(true)
    })

    it("never lets a secret reach the database in clear, the logs or an answer", async () => {
      await save({ project_id: String(TEST_PROJECT_ID), secret_key: TEST_SECRET_KEY })
      await testConnection({ secret_key: WRONG_SECRET_KEY })
      await save({ secret_key: WRONG_SECRET_KEY }).catch(() => undefined)
      await paidOrder()

      // Every table of the app's database, row by row, as text.
      const tables = await knex().raw(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
      let scanned = 0
      for (const { table_name } of tables.rows as Array<{ table_name: string }>) {
        const rows = await knex().raw(`SELECT t::text AS line FROM ?? t`, [table_name])
        for (const { line } of rows.rows as Array<{ line: string }>) {
          scanned++
          for (const secret of SECRETS) expect(line).not.toContain(secret)
        }
      }
      expect(scanned).toBeGreaterThan(50)
      for (const answer of answers) for (const secret of SECRETS) expect(answer).not.toContain(secret)
      const logs = readFileSync(LOG_FILE, "utf8")
      for (const secret of SECRETS) expect(logs).not.toContain(secret)
    })

    it("is admin-only", async () => {
      for (const [method, path] of [
        ["get", "/admin/flutterwave/settings"],
        ["post", "/admin/flutterwave/settings"],
        ["post", "/admin/flutterwave/settings/test-connection"],
      ] as const) {
        const refused = await refusal(method === "get" ? api.get(path) : api.post(path, { project_id: "1" }))
        expect(refused.status).toBe(401)
      }
      expect((await settings()).version).toBe(0)
    })
  },
})
