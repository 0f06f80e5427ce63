/**
 * Both ECommPay rails, built as the plugin builds them (railFor), pass the rail contract against the local Gate
 * sandbox: a real HTTP server, with a real HTTP receiver for its callbacks.
 */
import { GateSandbox } from "../../sandbox"
import { CallbackReceiver } from "../../sandbox/__tests__/callback-receiver"
import { railFor, type RailOptions } from "../index"
import type { Sent } from "../rail"
import { describeRailContract, type RailBackend, type RailContractWorld, type RailSupports } from "./rail-contract"

const PROJECT_ID = 261
const SECRET = "rail-contract-test-secret"
/** The rail gives up after this long; a scripted hang outlasts it, so the answer is unknown. */
const TIMEOUT_MS = 800
const HANG_MS = 1_500

let sandbox: GateSandbox
let receiver: CallbackReceiver

beforeAll(async () => {
  receiver = new CallbackReceiver()
  await receiver.start()
  // No project callback URL: the callbacks the scenarios read reach the receiver only if the rail names it.
  sandbox = new GateSandbox({ projectId: PROJECT_ID, secretKey: SECRET, callbackRetryDelaysMs: [20, 20, 20] })
  await sandbox.start()
})

afterAll(async () => {
  await sandbox.close()
  await receiver.close()
})

async function shopperPage(path: string, method: "GET" | "POST"): Promise<Response> {
  const response = await fetch(new URL(path, sandbox.url), { method, redirect: "manual" })
  await response.arrayBuffer()
  return response
}

const sandboxBackend = (shopperPays: RailBackend["shopperPays"]): RailBackend => ({
  shopperPays,
  scriptUnknown(operation, paymentRef) {
    const gateOperation = ({ start: "sale", refund: "refund", lookup: "status" } as const)[operation]
    // Gate processes the request behind the hang (the harder case); a status request changes nothing either way,
    // and only process: false makes the sandbox hang over a payment it does not have (3061 otherwise comes at once).
    sandbox.script({ operation: gateOperation, paymentId: paymentRef, hangMs: HANG_MS, process: operation !== "lookup" })
  },
  settled: () => sandbox.callbacksDelivered(),
  async capturedNotifications() {
    await sandbox.callbacksDelivered()
    return receiver.bodies.map((body) => ({ body, headers: {} }))
  },
})

function world(checkout: RailOptions["checkout"], backend: RailBackend, supports: RailSupports): () => Promise<RailContractWorld> {
  return async () => {
    await sandbox.callbacksDelivered()
    sandbox.reset()
    receiver.bodies.length = 0
    receiver.failNext = 0
    const { rail } = railFor({
      checkout,
      projectId: PROJECT_ID,
      secretKey: SECRET,
      gateUrl: sandbox.url,
      paymentPageUrl: sandbox.url,
      callbackUrl: receiver.url,
      timeoutMs: TIMEOUT_MS,
    })
    return { rail, backend, supports }
  }
}

/** Lets the previous scenario's last callbacks land before the next one clears the receiver. */
const teardown = () => sandbox.callbacksDelivered()

// The Gate sale: the shopper pays on the page Gate's redirect names; the sandbox's control route is that page's button.
describeRailContract(
  "ecommpay-gate",
  world(
    "gate",
    sandboxBackend(async (paymentRef, _sent, outcome) => {
      await sandbox.callbacksDelivered() // Gate has handed over the shopper's page
      const response = await fetch(`${sandbox.url}/_sandbox/payments/${encodeURIComponent(paymentRef)}/${outcome === "success" ? "pay" : "decline"}`, {
        method: "POST",
      })
      await response.arrayBuffer()
      expect(response.status).toBe(200)
    }),
    { payout: true, unknownStart: true, redirectAtStart: false, beforeShopper: "pending" }
  ),
  teardown
)

// The Payment Page: the shopper opens the signed URL the start gave (ECommPay creates the payment then), then
// presses Pay or Decline.
describeRailContract(
  "ecommpay-page",
  world(
    "payment_page",
    sandboxBackend(async (paymentRef, sent: Sent, outcome) => {
      if (sent.kind !== "accepted" || !sent.redirect) throw new Error(`the page rail's start gave no page: ${JSON.stringify(sent)}`)
      expect(sent.redirect.method).toBe("GET")
      expect((await shopperPage(sent.redirect.url, "GET")).status).toBe(200)
      const pressed = await shopperPage(`/pay/${encodeURIComponent(paymentRef)}/${outcome === "success" ? "confirm" : "cancel"}`, "POST")
      expect(pressed.status).toBe(303)
    }),
    { payout: true, unknownStart: false, redirectAtStart: true, beforeShopper: "not_found" }
  ),
  teardown
)
