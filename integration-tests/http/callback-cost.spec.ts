import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { capturePaymentWorkflow, completeCartWorkflow } from "@medusajs/medusa/core-flows"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { signParams } from "../../src/rails/ecommpay"
import { saleSuccessCallback, useGateSandbox } from "../helpers/sandbox"
import { prepareStore, startCheckout, type Store } from "../helpers/store"

jest.setTimeout(240_000)

// The plugin's default checkout: the page's address is signed at once, so no Gate traffic runs beside the count.
const { sandbox } = useGateSandbox({}, { checkout: "payment_page" })

/** The plugin's own statements on the paid-callback path may not exceed this (issue 12). */
const PLUGIN_STATEMENT_BUDGET = 4

/**
 * What a paid sale's callback costs the database, counted on the app's one PostgreSQL connection pool (Medusa's
 * modules and this plugin share it): every statement from the request's arrival to its answer. The baseline is the
 * same order placed and captured by Medusa's own workflows (the storefront's cart completion, the admin's capture) for
 * a cart paid with Medusa's system provider, which calls no one: what Medusa itself costs.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: Store
    let variant: string

    beforeAll(async () => {
      ;({ store, variant } = await prepareStore(api, getContainer(), sandbox()))
      // The same region also offers Medusa's system provider (the baseline's carts).
      const region = store.regions.ngn
      await api.post(`/admin/regions/${region}`, { payment_providers: ["pp_flutterwave_flutterwave", "pp_system_default"] }, store.admin)
    })

    /**
     * Counts statements on the shared pool while `work` runs. The settings cache's refresh is left out: every instance
     * rereads its settings row at most every 2 s (SETTINGS_REFRESH_MS) however much traffic there is, so it is no
     * request's cost, and it would land in a measurement only by the clock.
     */
    async function countStatements(work: () => Promise<unknown>): Promise<string[]> {
      const knex = getContainer().resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
      const seen: string[] = []
      const listener = (query: { sql: string }) => {
        if (!/^select \* from "fw_settings"/.test(query.sql)) seen.push(query.sql)
      }
      knex.on("query", listener)
      try {
        await work()
      } finally {
        knex.off("query", listener)
      }
      return seen
    }

    const post = (body: string) =>
      api.post("/hooks/flutterwave", body, { headers: { "Content-Type": "application/json" }, transformRequest: [(d: unknown) => d] })

    async function systemProviderCart(): Promise<{ cartId: string; sessionId: string }> {
      const cart = await api.post(
        "/store/carts",
        { region_id: store.regions.ngn, email: "ada@example.ng", items: [{ variant_id: variant, quantity: 1 }], sales_channel_id: store.salesChannelId },
        store.store
      )
      const collection = await api.post("/store/payment-collections", { cart_id: cart.data.cart.id }, store.store)
      const withSession = await api.post(
        `/store/payment-collections/${collection.data.payment_collection.id}/payment-sessions`,
        { provider_id: "pp_system_default" },
        store.store
      )
      return { cartId: cart.data.cart.id, sessionId: withSession.data.payment_collection.payment_sessions[0].id }
    }

    it("places and captures the order with at most 4 statements of the plugin's own, and answers a duplicate with one", async () => {
      // Warm both paths once (first use loads modules and prepares caches), then measure the second of each.
      const measure = async () => {
        const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
        const body = JSON.stringify(saleSuccessCallback(checkout.sessionId, { amount: checkout.session.data.amount_minor }))
        let answer: any
        const plugin = await countStatements(async () => {
          answer = await post(body)
        })
        expect(answer.status).toBe(200)
        expect(answer.data.outcome).toBe("applied")

        // Medusa's own: the storefront's cart completion, then the admin's capture, with the system provider.
        const { cartId, sessionId } = await systemProviderCart()
        const medusa = await countStatements(async () => {
          await completeCartWorkflow(getContainer()).run({ input: { id: cartId } })
          const [payment] = await getContainer().resolve(Modules.PAYMENT).listPayments({ payment_session_id: sessionId })
          await capturePaymentWorkflow(getContainer()).run({ input: { payment_id: payment.id } })
        })
        const duplicate = await countStatements(async () => {
          answer = await post(body)
        })
        expect(answer.data.outcome).toBe("duplicate")
        return { checkout, sessionId, plugin, medusa, duplicate }
      }
      await measure()
      const { checkout, sessionId, plugin, medusa, duplicate } = await measure()

      // Both carts became orders with one captured payment each.
      const payments = getContainer().resolve(Modules.PAYMENT)
      for (const session of [checkout.sessionId, sessionId]) {
        const [payment] = await payments.listPayments({ payment_session_id: session }, { relations: ["captures"] })
        expect(payment.captures).toHaveLength(1)
      }

      const ours = plugin.filter((sql) => /fw_|\/\* flutterwave/.test(sql))
      process.stdout.write(
        `\ncallback cost: ${plugin.length} statements for a paid callback (order placed and captured), ` +
          `${medusa.length} for Medusa's own cart completion and capture with the system provider; ` +
          `the plugin's own ${ours.length}; a duplicate: ${duplicate.length}\n` +
          ours.map((sql) => `  · ${sql.replace(/\s+/g, " ").slice(0, 140)}`).join("\n") +
          "\n"
      )
      if (process.env.CALLBACK_COST_VERBOSE) {
        const shape = (sql: string) => sql.replace(/\s+/g, " ").slice(0, 160)
        const left = new Map<string, number>()
        for (const sql of medusa) left.set(shape(sql), (left.get(shape(sql)) ?? 0) + 1)
        for (const sql of plugin) {
          const n = left.get(shape(sql)) ?? 0
          if (n > 0) left.set(shape(sql), n - 1)
          else process.stdout.write(`  + ${shape(sql)}\n`)
        }
        for (const [sql, n] of left) if (n > 0) process.stdout.write(`  - ${n}× ${sql}\n`)
      }
      expect(ours.length).toBeLessThanOrEqual(PLUGIN_STATEMENT_BUDGET)
      // Everything else is Medusa's own completion and capture: no more than the system provider's path costs.
      expect(plugin.length).toBeLessThanOrEqual(medusa.length + PLUGIN_STATEMENT_BUDGET)
      // A re-delivered callback: one statement, which counts it and returns what became of it.
      expect(duplicate).toHaveLength(1)
      expect(duplicate[0]).toMatch(/INSERT INTO fw_gate_callback .* ON CONFLICT/s)
    })

    it("answers a bad signature without touching the database", async () => {
      const checkout = await startCheckout(api, store, { currency: "ngn", variantId: variant })
      const forged = saleSuccessCallback(checkout.sessionId, { amount: checkout.session.data.amount_minor })
      forged.signature = signParams({ anything: 1 }, "not-our-secret")
      let status = 0
      const statements = await countStatements(async () => {
        status = await post(JSON.stringify(forged)).then(
          (answer: { status: number }) => answer.status,
          (error: { response: { status: number } }) => error.response.status
        )
      })
      expect(status).toBe(401)
      expect(statements).toEqual([])
    })
  },
})
