/**
 * The flutterwave-v3 rail, built as the plugin builds it (railFor), passes the rail contract against the local
 * Flutterwave v3 sandbox: a real HTTP server with hosted pages, the v3 API and verif-hash webhooks to a real receiver.
 */
import { FlutterwaveV3Sandbox } from "../../sandbox/flutterwave-v3"
import { CallbackReceiver } from "../../sandbox/__tests__/callback-receiver"
import { railFor } from "../index"
import { describeRailContract } from "./rail-contract"

const SECRET_KEY = "FLWSECK_TEST-contract-0123456789abcdef-X"
const SECRET_HASH = "contract-secret-hash-5e2a"
/** The rail gives up after this long; a scripted hang outlasts it, so the answer is unknown. */
const TIMEOUT_MS = 800
const HANG_MS = 1_500

let sandbox: FlutterwaveV3Sandbox
let receiver: CallbackReceiver

beforeAll(async () => {
  receiver = new CallbackReceiver()
  await receiver.start()
  sandbox = new FlutterwaveV3Sandbox({ secretKey: SECRET_KEY, secretHash: SECRET_HASH, webhookRetryDelaysMs: [20, 20, 20], refundSettleMs: 20, transferSettleMs: 20 })
  await sandbox.start()
})

afterAll(async () => {
  await sandbox.close()
  await receiver.close()
})

describeRailContract(
  "flutterwave-v3",
  async () => {
    await sandbox.webhooksDelivered()
    sandbox.reset()
    sandbox.setWebhookUrl(receiver.url)
    receiver.bodies.length = 0
    const { rail } = railFor({
      rail: "flutterwave-v3",
      checkout: "payment_page",
      projectId: 0,
      secretKey: "",
      gateUrl: "http://127.0.0.1:9",
      paymentPageUrl: "http://127.0.0.1:9",
      returnUrl: "http://shop.test/return",
      timeoutMs: TIMEOUT_MS,
      flutterwaveV3: { secretKey: SECRET_KEY, secretHash: SECRET_HASH, apiUrl: sandbox.url, acceptSignatureHeader: false },
    })
    return {
      rail,
      supports: {
        payout: true,
        unknownStart: true,
        startAgain: "new_start",
        redirectAtStart: true,
        beforeShopper: "not_found",
        notificationTrust: "sender",
      },
      fixtures: { account: { number: "0690000031", bankId: "044" }, payoutRef: (ref) => `fwpo_${ref}` },
      backend: {
        async shopperPays(_paymentRef, sent, outcome) {
          if (sent.kind !== "accepted" || !sent.redirect) throw new Error(`the start gave no hosted link: ${JSON.stringify(sent)}`)
          const page = await fetch(sent.redirect.url)
          await page.arrayBuffer()
          expect(page.status).toBe(200)
          const pressed = await fetch(`${sent.redirect.url}/${outcome === "success" ? "pay" : "fail"}`, { method: "POST", redirect: "manual" })
          await pressed.arrayBuffer()
          // 409: this reference was paid already (on another link to it): Flutterwave takes one payment per tx_ref.
          expect([302, 409]).toContain(pressed.status)
        },
        scriptUnknown(operation, paymentRef) {
          const v3 = ({ start: "payments", refund: "refund", lookup: "verify" } as const)[operation]
          // Behind a start's or a refund's hang the work is done (the harder case); a lookup changes nothing either way.
          sandbox.script({ operation: v3, reference: paymentRef, hangMs: HANG_MS, process: operation !== "lookup" })
        },
        settled: () => sandbox.webhooksDelivered(),
        async capturedNotifications() {
          await sandbox.webhooksDelivered()
          return sandbox.deliveries.filter((d) => d.status === 200).map((d) => ({ body: d.body, headers: d.headers }))
        },
      },
    }
  },
  () => sandbox.webhooksDelivered()
)
