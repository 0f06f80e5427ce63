import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders } from "../helpers/admin"
import { useGateSandbox } from "../helpers/sandbox"

jest.setTimeout(240_000)

const { sandbox } = useGateSandbox()

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    describe("Flutterwave provider registration", () => {
      it("is enabled in the payment module and can be attached to an NGN region", async () => {
        const headers = await adminHeaders(getContainer())

        const providers = await api.get("/admin/payments/payment-providers", headers)
        const ids = providers.data.payment_providers.map((p: { id: string }) => p.id)
        expect(ids).toContain("pp_flutterwave_flutterwave")

        const region = await api.post(
          "/admin/regions",
          { name: "Nigeria", currency_code: "ngn", countries: ["ng"], payment_providers: ["pp_flutterwave_flutterwave"] },
          headers
        )
        const regionId = region.data.region.id

        const listed = await api.get(`/admin/regions/${regionId}?fields=*payment_providers`, headers)
        expect(listed.data.region.payment_providers.map((p: { id: string }) => p.id)).toEqual([
          "pp_flutterwave_flutterwave",
        ])
        expect(sandbox().url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      })
    })
  },
})
