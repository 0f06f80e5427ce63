// `npm run demo`: a whole Flutterwave checkout on this machine, end to end, against the Gate sandbox.
// `npm run demo -- --rail flutterwave-v3`: the same story on a merchant's own Flutterwave account, against the
// Flutterwave v3 sandbox (scripts/demo-flutterwave-v3.mjs).
// Exits 0 only if every step held. DEMO_VERBOSE=1 also prints the app's and the sandbox's own logs.
import { capturedOrder, check, completeCartAgain, demoLog, orderCard, printTable, refundLeftPending, runDemo, setUpDemoStore, shopperChoosesFlutterwave } from "./demo-steps.mjs"
import { Stack } from "./stack.mjs"

/** `--rail <rail>` or `--rail=<rail>`: "ecommpay" (default) or "flutterwave-v3". */
function railArgument(args) {
  const at = args.findIndex((arg) => arg === "--rail" || arg.startsWith("--rail="))
  if (at === -1) return "ecommpay"
  return args[at].startsWith("--rail=") ? args[at].slice("--rail=".length) : (args[at + 1] ?? "")
}

const rail = railArgument(process.argv.slice(2))
if (rail !== "ecommpay" && rail !== "flutterwave-v3") {
  process.stderr.write(`--rail must be "ecommpay" (default) or "flutterwave-v3", not "${rail}"\n`)
  process.exit(2)
}
if (rail === "flutterwave-v3") {
  if (process.argv.includes("--gate")) {
    process.stderr.write("--gate is an ECommPay checkout mode; the flutterwave-v3 rail pays on Flutterwave's hosted link\n")
    process.exit(2)
  }
  const { runFlutterwaveV3Demo } = await import("./demo-flutterwave-v3.mjs")
  process.exit(await runFlutterwaveV3Demo())
}

const { log, step } = demoLog(10)

// Payment Page mode (the plugin's default, no PCI DSS needed); `npm run demo -- --gate` runs the Gate sale instead.
const checkout = process.argv.includes("--gate") ? "gate" : "payment_page"
const stack = new Stack({ log, databaseName: "medusa_flutterwave_demo", checkout })
const starting = `starting PostgreSQL, the ECommPay sandbox and Medusa with the Flutterwave plugin (checkout: ${checkout === "gate" ? "Gate sale" : "Payment Page"})`

const exitCode = await runDemo({ stack, log, starting }, async (client) => {
  const { http, ok, waitFor } = client
  const sandbox = stack.sandboxUrl

  step(1, "admin signs in and sets up a Nigerian store (NGN region with Flutterwave, a product at 12,500.50 NGN)")
  const store = await setUpDemoStore(stack, ok, 12500.5)
  const { admin, shop } = store

  step(2, "a shopper in Lagos fills a cart and chooses Flutterwave")
  const { email, cart, session } = await shopperChoosesFlutterwave(ok, store)
  check(session.data.amount_minor === 1_250_050, `expected 1250050 kobo at Gate, session says ${session.data.amount_minor}`)
  log(
    checkout === "gate"
      ? `      payment session ${session.id}: Gate sale accepted for ${session.data.amount_minor} kobo (${session.data.currency})`
      : `      payment session ${session.id}: Payment Page signed for ${session.data.amount_minor} kobo (${session.data.currency}); nothing sent to Gate yet`
  )

  step(3, checkout === "gate" ? "the storefront asks where to send the shopper (Gate's redirect callback)" : "the storefront asks where to send the shopper (the signed Payment Page, at once)")
  const redirect = await waitFor("the Flutterwave redirect", async () => {
    const answer = await ok("GET", session.data.redirect_status_url, { headers: shop })
    return answer.status === "redirect" ? answer.redirect : undefined
  })
  const shown = new URL(redirect.url)
  log(`      ${redirect.method} ${shown.origin}${shown.pathname}${shown.search ? ` (${[...shown.searchParams.keys()].length} signed parameters)` : ""}`)

  step(4, "the shopper pays on the Flutterwave page")
  const pageUrl = new URL(redirect.url)
  const page = await http("GET", pageUrl.pathname + pageUrl.search, { base: sandbox })
  check(page.status === 200 && page.text.includes("12500.50 NGN"), "the payment page does not show 12500.50 NGN")
  // The page's Pay button posts to /pay/<payment id>/confirm, whichever way the shopper reached it.
  const paid = await http("POST", `/pay/${encodeURIComponent(session.id)}/confirm`, { base: sandbox })
  check(paid.status === 303, `paying answered ${paid.status}`)
  log(`      sent back to the store: ${paid.headers.get("location")}`)

  step(5, "Gate's signed callback lands; the order is placed and captured without the shopper returning")
  const orderFields = "id,display_id,email,total,currency_code,payment_status,*payment_collections.payments,*payment_collections.payments.refunds"
  const { order, payment } = await capturedOrder(client, admin, email, orderFields)
  log(`      order #${order.display_id}: ${order.total} ${order.currency_code.toUpperCase()}, payment ${order.payment_status}`)

  step(6, "the shopper comes back to the store: completing the cart again finds the same order")
  await completeCartAgain(ok, shop, cart, order)

  const card = orderCard(ok, admin, order)
  const gateRefunds = async () =>
    (await ok("GET", `/_sandbox/payments/${session.id}`, { base: sandbox })).payment.operations.filter((op) => op.type === "refund")

  step(7, "the admin refunds 2,500.25 NGN; Flutterwave accepts it and will take days: the admin does not wait")
  // The sandbox leaves the next two refunds processing, as Flutterwave does, until we settle them below.
  await ok("POST", "/_sandbox/scripts", { base: sandbox, body: { paymentId: session.id, operation: "refund", stall: true, times: 2 } })
  const { answeredIn, pending } = await refundLeftPending(ok, admin, payment, 2500.25, card)
  log(`      answered in ${answeredIn} ms; the order's Flutterwave card shows the refund: ${pending[0].state}`)

  step(8, "days later Flutterwave pays it out: Gate's callback settles the refund on the order card")
  const [first] = await gateRefunds()
  await ok("POST", `/_sandbox/payments/${session.id}/operations/${first.id}/settle`, { base: sandbox, body: { outcome: "success" } })
  const settledRefunds = await waitFor("the refund to settle", async () => {
    const refunds = (await card()).refunds
    return refunds.length === 1 && refunds[0].state === "success" ? refunds : undefined
  })
  log(`      the card now shows the refund: ${settledRefunds[0].state} (${settledRefunds[0].amount} NGN)`)

  step(9, "another refund of 1,000 NGN is declined by Flutterwave after it accepted it; the admin retries it at Gate")
  await ok("POST", `/admin/payments/${payment.id}/refund`, { headers: admin, body: { amount: 1000 } })
  const second = (await gateRefunds())[1]
  await ok("POST", `/_sandbox/payments/${session.id}/operations/${second.id}/settle`, { base: sandbox, body: { outcome: "decline", code: "3610" } })
  const declined = await waitFor("the declined refund on the order card", async () =>
    (await card()).refunds.find((r) => r.state === "declined" && r.attention_id)
  )
  log(`      the card shows a red banner: "${declined.message} (code ${declined.code})" with Retry at Gate / Mark as not refunded`)
  await ok("POST", `/admin/flutterwave/attention/${declined.attention_id}/actions`, { headers: admin, body: { action: "retry_refund" } })
  const retried = await waitFor("the retried refund to settle", async () =>
    (await card()).refunds.find((r) => r.medusa_refund_id === declined.medusa_refund_id && r.state === "success")
  )
  log(`      retried at Gate under a derived key: ${retried.state} after ${retried.attempts} attempts`)

  step(10, "checking Medusa against Gate")
  const gate = (await ok("GET", `/_sandbox/payments/${session.id}`, { base: sandbox })).payment
  const after = await ok("GET", `/admin/payments/${payment.id}?fields=*refunds,*captures`, { headers: admin })
  const medusaRefunded = after.payment.refunds.reduce((sum, r) => sum + Math.round(Number(r.amount) * 100), 0)
  const gateRefunded = gate.operations.filter((op) => op.type === "refund" && op.status === "success").reduce((s, op) => s + op.sumInitial.amount, 0)
  check(gate.sum.amount === 1_250_050 - 250_025 - 100_000, `Gate holds ${gate.sum.amount} kobo, expected 900025`)
  check(medusaRefunded === gateRefunded, `Medusa records ${medusaRefunded} kobo refunded, Gate ${gateRefunded}`)
  check((await card()).refund_alerts.length === 0, "the order card still shows a refund alert")

  const { order: final } = await ok("GET", `/admin/orders/${order.id}?fields=id,payment_status`, { headers: admin })
  printTable(
    [
      ["", "Medusa", "Gate (sandbox)"],
      ["charged", `${payment.amount} NGN`, `${gate.initialSum.amount} kobo`],
      ["refunded", `${(medusaRefunded / 100).toFixed(2)} NGN`, `${gateRefunded} kobo`],
      ["payment status", final.payment_status, gate.status],
      ["refund attempts", `${after.payment.refunds.length} refunds`, gate.operations.filter((op) => op.type === "refund").map((op) => op.status).join(", ")],
    ],
    20
  )
})
process.exit(exitCode)
