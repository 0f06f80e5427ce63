import { LOG_FILE } from "../helpers/log-to-file"
import { readFileSync } from "node:fs"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { recordAnswers } from "../helpers/admin"
import { V3_PUBLIC_KEY, V3_SECRET_HASH, V3_SECRET_KEY, forgetV3Payments, useFlutterwaveV3Sandbox, v3Ledger } from "../helpers/flutterwave-v3"
import { expectEveryPaidSaleSettled, orderForCart, redirectFor, seedStore, startCheckout, waitFor, type Store } from "../helpers/store"

jest.setTimeout(240_000)

const ENCRYPTION_KEY = "FLWSECK_TESTa1b2c3d4e5f6"
const WRONG_SECRET_KEY = "FLWSECK_TEST-wrong-0000000000000000-X"
const SECRETS = [V3_SECRET_KEY, V3_SECRET_HASH, ENCRYPTION_KEY, WRONG_SECRET_KEY]

/** Every answer the API gave in this suite: none may carry a secret. */
const answers: string[] = []

// The app starts with no rail and no keys: a store owner with a Flutterwave account sets it up in the admin.
const { sandbox } = useFlutterwaveV3Sandbox({}, { keys: "admin" })

/**
 * Issue 13, the store owner's side: Settings → Flutterwave takes the direct rail's keys (the secret key, encryption
 * key and webhook secret hash write-only, sealed in the database), shows the webhook URL to paste and the dashboard's
 * options to tick, tests the connection, and refuses to move payments to another rail while some are in flight.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: Store

    beforeAll(async () => {
      recordAnswers(api, answers)
      sandbox().setWebhookUrl(`${api.defaults.baseURL}/hooks/flutterwave/v3`)
      store = await seedStore(api, getContainer())
    })

    beforeEach(() => getContainer().resolve<any>("flutterwave").settingsStore.invalidate())

    afterEach(async () => {
      getContainer().resolve<any>("flutterwave").settingsStore.invalidate()
      await expectEveryPaidSaleSettled(getContainer(), v3Ledger(sandbox()))
      await forgetV3Payments(sandbox())
    })

    const settings = async () => (await api.get("/admin/flutterwave/settings", store.admin)).data.settings
    const save = (body: Record<string, unknown>) => api.post("/admin/flutterwave/settings", body, store.admin).catch((e: any) => e.response)
    const test = (body: Record<string, unknown>) =>
      api.post("/admin/flutterwave/settings/test-connection", body, store.admin).catch((e: any) => e.response)
    const directKeys = () => ({
      rail: "flutterwave-v3",
      flutterwave_public_key: V3_PUBLIC_KEY,
      flutterwave_secret_key: V3_SECRET_KEY,
      flutterwave_encryption_key: ENCRYPTION_KEY,
      flutterwave_secret_hash: V3_SECRET_HASH,
      flutterwave_api_url: sandbox().url,
    })

    it("shows the webhook URL to paste and the four options to tick; takes the keys write-only and seals them", async () => {
      const before = await settings()
      expect(before.rail).toBe("ecommpay")
      expect(before.flutterwave_v3.webhook_url).toBe(`${api.defaults.baseURL}/hooks/flutterwave/v3`)
      expect(before.flutterwave_v3.webhook_options.map((o: any) => o.id)).toEqual(["json", "retries", "failed", "v3"])
      expect(before.secrets.flutterwave_secret_key).toEqual({ set: false, ends_with: null })

      // Typed keys are tested before anything is saved: a wrong secret key says so, without repeating it.
      const wrong = await test({ ...directKeys(), flutterwave_secret_key: WRONG_SECRET_KEY })
      expect(wrong.data).toMatchObject({ ok: false, code: "auth" })
      expect(wrong.data.message).toMatch(/secret key/i)
      const right = await test(directKeys())
      expect(right.data).toMatchObject({ ok: true, checks: [{ target: "flutterwave_api", ok: true }] })
      // Saving runs the same test: a wrong secret key is not saved, and the rail in force stays.
      const refused = await save({ ...directKeys(), flutterwave_secret_key: WRONG_SECRET_KEY })
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/^Not saved: the connection test failed with these values: .*secret key/i)
      expect(JSON.stringify(refused.data)).not.toContain(WRONG_SECRET_KEY)
      expect(await settings()).toMatchObject({ rail: "ecommpay", secrets: { flutterwave_secret_key: { set: false, ends_with: null } } })

      const saved = await save(directKeys())
      expect(saved.status).toBe(200)
      const after = saved.data.settings
      expect(after).toMatchObject({ configured: true, rail: "flutterwave-v3", problem: null })
      expect(after.secrets.flutterwave_secret_key).toEqual({ set: true, ends_with: V3_SECRET_KEY.slice(-4) })
      expect(after.secrets.flutterwave_secret_hash).toEqual({ set: true, ends_with: V3_SECRET_HASH.slice(-4) })
      expect(after.secrets.flutterwave_encryption_key).toEqual({ set: true, ends_with: ENCRYPTION_KEY.slice(-4) })
      expect(after.flutterwave_v3).toMatchObject({ public_key: V3_PUBLIC_KEY, api_url: sandbox().url, mode: "sandbox" })
      expect(after.payout_currencies.sort()).toEqual(["GHS", "KES", "NGN", "TZS", "UGX", "ZAR"])
      expect(after.fields.flutterwave_secret_key).toMatchObject({ source: "admin", editable: true, variable: "FLUTTERWAVE_V3_SECRET_KEY" })

      // Sealed in the database: no key in clear, in any column.
      const pg = getContainer().resolve<any>("__pg_connection__")
      const [row] = await pg("fw_settings").where({ id: "default" })
      const stored = JSON.stringify(row)
      for (const secret of [V3_SECRET_KEY, V3_SECRET_HASH, ENCRYPTION_KEY]) expect(stored).not.toContain(secret)
      expect(row.fw_secret_key_sealed).toMatch(/^v1:/)
      expect(row.rail).toBe("flutterwave-v3")
      const [change] = await pg("fw_settings_change").orderBy("created_at", "desc")
      expect(change.fields).toEqual(expect.arrayContaining(["rail", "flutterwave_secret_key", "flutterwave_secret_hash"]))

      // Saved, the keys take payments: a checkout through the hosted link, its webhook verified with the saved hash.
      const variant = await store.product("ngn", 4200)
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      expect(checkout.session.data.checkout).toBe("hosted_link")
      const answer = await redirectFor(api, store, checkout.sessionId)
      await fetch(`${answer.redirect.url}/pay`, { method: "POST", redirect: "manual" })
      const order = await waitFor(async () => {
        const placed = await orderForCart(api, getContainer(), store, checkout.cartId)
        return placed?.payment_status === "captured" ? placed : undefined
      }, 20_000)
      expect(order.total).toBe(4200)
      const [sale] = await pg("fw_gate_operation").where({ kind: "sale", gate_payment_id: checkout.sessionId })
      expect(sale.rail).toBe("flutterwave-v3")
    })

    it("refuses to move payments to another rail while one started on this rail can still be paid", async () => {
      expect((await save(directKeys())).status).toBe(200)
      const variant = await store.product("ngn", 990)
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      await redirectFor(api, store, checkout.sessionId)

      const moved = await save({ rail: "ecommpay" })
      expect(moved.status).toBe(400)
      expect(moved.data.message).toMatch(/cannot move from flutterwave-v3 to ecommpay while 1 sale/)
      expect((await settings()).rail).toBe("flutterwave-v3")
    })

    it("a webhook before the keys are set is answered 503 (Flutterwave retries), and nothing is recorded", async () => {
      const answer = await fetch(`${api.defaults.baseURL}/hooks/flutterwave/v3`, {
        method: "POST",
        headers: { "content-type": "application/json", "verif-hash": V3_SECRET_HASH },
        body: JSON.stringify({ event: "charge.completed", data: { id: 1, tx_ref: "payses_x", status: "successful" } }),
      })
      expect(answer.status).toBe(503)
      const pg = getContainer().resolve<any>("__pg_connection__")
      expect(await pg("fw_gate_callback").count("* as n")).toEqual([{ n: "0" }])
    })

    it("never shows a key: not in any answer of this suite, not in the app's log", async () => {
      for (const answer of answers) for (const secret of SECRETS) expect(answer).not.toContain(secret)
      const logs = readFileSync(LOG_FILE, "utf8")
      for (const secret of SECRETS) expect(logs).not.toContain(secret)
    })
  },
})
