// `npm run demo -- --rail flutterwave-v3`: the same story as `npm run demo`, for a merchant with their own Flutterwave
// account: PostgreSQL, the Flutterwave v3 sandbox (src/sandbox/flutterwave-v3, as a command) and Medusa with this
// plugin on rail "flutterwave-v3", each a real process. Standard hosted link, the verif-hash webhook, v3 refunds that
// settle days later (followed by reconciliation: v3 sends no refund event), a refusal, a transfer to a bank.
// Exits 0 only if every step held. DEMO_VERBOSE=1 also prints the app's and the sandbox's own logs.
import { capturedOrder, check, completeCartAgain, demoLog, orderCard, printTable, refundLeftPending, runDemo, setUpDemoStore, shopperChoosesFlutterwave } from "./demo-steps.mjs"
import { Stack } from "./stack.mjs"

const STEPS = 11
const PRICE = 12_500.5
const PRICE_MINOR = 1_250_050
const REFUND = 2_500.25
const REFUND_MINOR = 250_025
/** The storefront's return page (Flutterwave's redirect_url); nothing listens there, the demo reads the redirect. */
const RETURN_URL = "http://localhost:8000/checkout/flutterwave"

/** Runs the demo; resolves with the process's exit code (0: every step held). */
export async function runFlutterwaveV3Demo() {
  const { log, step } = demoLog(STEPS)

  const stack = new Stack({
    log,
    databaseName: "medusa_flutterwave_demo_v3",
    rail: "flutterwave-v3",
    env: {
      FLUTTERWAVE_RETURN_URL: RETURN_URL,
      // Refunds settle in days, and reconciliation leaves an operation alone for its first 10 minutes by default: the
      // demo compresses those days into seconds, so the admin's "Reconcile now" may look at a refund at once.
      FLUTTERWAVE_RECONCILE_AFTER_MS: "0",
      // The admin reconciles by hand in step 8. The 5-minute job runs the same pass; were it to run while the refund
      // is still pending, it would schedule the next look 5 minutes on and the admin's pass would skip it. So the job
      // runs hourly, at the minute half an hour from now: not during the demo's two minutes. (A schedule further off,
      // such as once a year, overflows Node's timers, and the job then runs every millisecond.)
      FLUTTERWAVE_RECONCILE_SCHEDULE: `${(new Date().getMinutes() + 30) % 60} * * * *`,
    },
  })
  const starting = "starting PostgreSQL, the Flutterwave v3 sandbox and Medusa with the Flutterwave plugin (rail: flutterwave-v3, Standard hosted link)"

  return runDemo({ stack, log, starting }, async (client) => {
    const { http, ok, waitFor } = client
    const sandbox = stack.sandboxUrl
    const atFlutterwave = async () => ok("GET", "/_sandbox/transactions", { base: sandbox })
    /** The sandbox's deliveries of `event` whose data `matches`, once the app has answered one of them 200. */
    const webhookAnswered = (event, matches) =>
      waitFor(`the ${event} webhook's answer`, async () => {
        const { deliveries } = await ok("GET", "/_sandbox/deliveries", { base: sandbox })
        const mine = deliveries.filter((d) => d.event === event && matches(JSON.parse(d.body).data))
        return mine.some((d) => d.status === 200) ? mine : undefined
      })

    step(1, "admin signs in and sets up a Nigerian store (NGN region with Flutterwave, a product at 12,500.50 NGN)")
    const store = await setUpDemoStore(stack, ok, PRICE)
    const { admin, shop } = store

    step(2, "a shopper in Lagos fills a cart and chooses Flutterwave: the plugin asks Flutterwave for a hosted link")
    const { email, cart, session } = await shopperChoosesFlutterwave(ok, store)
    check(session.data.checkout === "hosted_link", `expected a hosted link session, got checkout "${session.data.checkout}"`)
    check(session.data.amount_minor === PRICE_MINOR, `expected ${PRICE_MINOR} kobo, the session says ${session.data.amount_minor}`)
    check(session.data.currency === "NGN", `expected NGN, the session says ${session.data.currency}`)
    const [link] = (await atFlutterwave()).links.filter((l) => l.txRef === session.id)
    check(link && link.amount === PRICE_MINOR && link.currency === "NGN", `Flutterwave holds no hosted link for ${PRICE_MINOR} kobo under tx_ref ${session.id}`)
    check(link.payloadHashChecked, "the hosted link was created without a payload_hash")
    check(link.redirectUrl.startsWith(RETURN_URL), `the hosted link sends the shopper to ${link.redirectUrl}, not the store's return page`)
    log(`      payment session ${session.id}: hosted link for ${session.data.amount_minor} kobo (${session.data.currency}), tx_ref = the session id`)

    step(3, "the storefront asks where to send the shopper: the store route answers the hosted link at once")
    const askedAt = Date.now()
    const answer = await ok("GET", session.data.redirect_status_url, { headers: shop })
    const answeredIn = Date.now() - askedAt
    check(answer.status === "redirect", `the store route answered ${JSON.stringify(answer)}, not the redirect`)
    check(answer.redirect.method === "GET" && answer.redirect.url === link.link, `the store route sends the shopper to ${answer.redirect.url}, not ${link.link}`)
    check(answer.redirect.url.startsWith(`${sandbox}/v3/hosted/pay/flwlnk-`), `${answer.redirect.url} is not Flutterwave's hosted page`)
    log(`      ${answer.redirect.method} ${answer.redirect.url} (answered in ${answeredIn} ms, first ask)`)

    step(4, "the shopper pays on Flutterwave's hosted page and is sent back to the store")
    const hosted = new URL(answer.redirect.url)
    const page = await http("GET", hosted.pathname, { base: sandbox })
    check(page.status === 200 && page.text.includes("NGN 12,500.50"), `the hosted page (${page.status}) does not show NGN 12,500.50`)
    check(page.text.includes(email), "the hosted page does not show the shopper's email")
    const paid = await http("POST", `${hosted.pathname}/pay`, { base: sandbox })
    check(paid.status === 302, `paying answered ${paid.status}`)
    const back = new URL(paid.headers.get("location") ?? "")
    check(`${back.origin}${back.pathname}` === RETURN_URL, `paying sent the shopper to ${back.href}, not the store's return page`)
    check(back.searchParams.get("status") === "successful", `the return URL says status=${back.searchParams.get("status")}`)
    check(back.searchParams.get("tx_ref") === session.id, `the return URL says tx_ref=${back.searchParams.get("tx_ref")}`)
    const transactionId = back.searchParams.get("transaction_id")
    check(/^\d+$/.test(transactionId ?? ""), `the return URL's transaction_id is ${transactionId}`)
    log(`      sent back to the store: ${back.href}`)

    step(5, "Flutterwave's charge.completed webhook (verif-hash) lands; the order is placed and captured without the shopper returning")
    const orderFields = "id,display_id,email,total,currency_code,payment_status,*payment_collections.payments"
    const { order, payment } = await capturedOrder(client, admin, email, orderFields)
    check(payment.payment_session_id === session.id || payment.payment_session_id === undefined, `the order's payment belongs to session ${payment.payment_session_id}`)
    // The sandbox records a delivery once the app has answered it: the order may be visible a moment before.
    const charges = await webhookAnswered("charge.completed", (data) => data.tx_ref === session.id)
    check(charges.every((d) => d.headers["verif-hash"] !== undefined), "a charge webhook went without its verif-hash")
    log(`      order #${order.display_id}: ${order.total} ${order.currency_code.toUpperCase()}, payment ${order.payment_status}; webhook answered ${charges.map((d) => d.status).join(", ")}`)

    step(6, "the shopper comes back to the store: completing the cart again finds the same order")
    await completeCartAgain(ok, shop, cart, order)
    const status = await ok("GET", session.data.redirect_status_url, { headers: shop })
    check(status.status === "succeeded", `the store route now says ${JSON.stringify(status)}`)

    const card = orderCard(ok, admin, order)
    const medusaRefunds = async () => (await ok("GET", `/admin/payments/${payment.id}?fields=*refunds`, { headers: admin })).payment.refunds

    step(7, "the admin refunds 2,500.25 NGN; Flutterwave accepts it and will take days: the admin does not wait")
    // Flutterwave leaves the refund pending, as it does for 3–15 working days, until the demo settles it below.
    await ok("POST", "/_sandbox/script", { base: sandbox, body: { operation: "refund", reference: session.id, refund: "stall" } })
    const { answeredIn: refundIn, pending } = await refundLeftPending(ok, admin, payment, REFUND, card)
    const [flwRefund] = (await atFlutterwave()).refunds
    check(flwRefund?.amount === REFUND_MINOR && flwRefund.status === "pending", `Flutterwave holds ${JSON.stringify(flwRefund)}, not a pending refund of ${REFUND_MINOR} kobo`)
    log(`      answered in ${refundIn} ms; the order's Flutterwave card shows the refund: ${pending[0].state}; Flutterwave: refund ${flwRefund.id} ${flwRefund.status}`)

    step(8, "days later Flutterwave completes it (v3 sends no refund event): the admin's reconciliation settles it on the card")
    await ok("POST", `/_sandbox/refunds/${flwRefund.id}/settle`, { base: sandbox, body: { status: "completed" } })
    check((await card()).refunds[0].state === "pending", "the card changed before anyone asked Flutterwave")
    const { reconciliation } = await ok("POST", "/admin/flutterwave/reconcile", { headers: admin })
    const settled = (await card()).refunds
    check(settled.length === 1 && settled[0].state === "success", `after reconciliation the card shows ${JSON.stringify(settled)}`)
    const asked = reconciliation.items.find((item) => item.gate_payment_id === session.id && item.kind === "refund")
    check(asked, `the reconciliation did not ask Flutterwave about this payment's refund: ${JSON.stringify(reconciliation.items)}`)
    log(`      reconciliation asked Flutterwave (refund ${asked.before} → payment ${asked.after}); the card now shows the refund: ${settled[0].state} (${settled[0].amount} NGN)`)

    step(9, "refunds get disabled on the Flutterwave account: a second refund of 1,000 NGN is refused, readably, nothing recorded")
    await ok("POST", "/_sandbox/refunds-enabled", { base: sandbox, body: { enabled: false } })
    const refused = await http("POST", `/admin/payments/${payment.id}/refund`, { headers: admin, body: { amount: 1000 } })
    const message = refused.json?.message ?? ""
    check(refused.status >= 400 && refused.status < 500, `the refused refund answered ${refused.status}: ${refused.text.slice(0, 300)}`)
    check(/Refunds are not enabled/i.test(message), `the admin reads "${message}", not Flutterwave's "Refunds are not enabled…"`)
    const afterRefusal = await medusaRefunds()
    check(afterRefusal.length === 1, `Medusa records ${afterRefusal.length} refunds after the refusal, not 1`)
    check((await atFlutterwave()).refunds.length === 1, "Flutterwave holds a second refund")
    const refundRequests = (await ok("GET", "/_sandbox/requests", { base: sandbox })).requests.filter((r) => r.operation === "refund")
    const refusedAtFlutterwave = refundRequests.filter((r) => r.httpStatus === 400 && !r.processed)
    check(refusedAtFlutterwave.length === 1, `Flutterwave answered the refund requests ${refundRequests.map((r) => r.httpStatus).join(", ")}, not one refusal`)
    const cardAfter = (await card()).refunds
    check(cardAfter.length === 1 && cardAfter[0].state === "success", `the card shows ${JSON.stringify(cardAfter)}, not the one settled refund`)
    log(`      ${refused.status}: "${message}"`)
    log(`      Medusa: ${afterRefusal.length} refund; Flutterwave: 1 refund; the card: ${cardAfter.map((r) => `${r.amount} NGN ${r.state}`).join(", ")}`)

    step(10, "the admin pays a supplier 5,000.50 NGN to a bank from Flutterwave's list; transfer.completed settles it")
    const { banks } = await ok("GET", "/admin/flutterwave/banks?currency=NGN", { headers: admin })
    const bank = banks.find((b) => b.id === "044") ?? banks[0]
    check(bank, "Flutterwave lists no NGN banks")
    const payoutRequest = {
      amount: "5000.50",
      currency_code: "NGN",
      bank_id: bank.id,
      account_number: "0690000031",
      description: "Adire supplier, July",
      idempotency_key: `demo-payout-${Date.now()}`,
    }
    const { payout } = await ok("POST", "/admin/flutterwave/payouts", { headers: admin, body: payoutRequest })
    const done = await waitFor("the payout to succeed", async () => {
      const { payout: now } = await ok("GET", `/admin/flutterwave/payouts/${payout.id}`, { headers: admin })
      return now.status === "success" ? now : undefined
    })
    const ledger = await atFlutterwave()
    const transfer = ledger.transfers.find((t) => t.reference === done.gate_payment_id)
    check(transfer?.status === "SUCCESSFUL" && transfer.amount === 500_050 && transfer.bankCode === bank.id, `Flutterwave holds ${JSON.stringify(transfer)}`)
    const transferHooks = await webhookAnswered("transfer.completed", (data) => data.reference === transfer.reference)
    const again = await ok("POST", "/admin/flutterwave/payouts", { headers: admin, body: payoutRequest })
    check(again.payout.id === payout.id, "the same idempotency key made a second payout")
    check((await atFlutterwave()).transfers.length === 1, "the same idempotency key reached Flutterwave twice")
    log(`      ${bank.name} (${bank.id}) · 0690000031: payout ${done.status}; Flutterwave transfer ${transfer.id} ${transfer.status}, transfer.completed answered ${transferHooks.map((d) => d.status).join(", ")}; the same key again pays nothing more`)

    step(11, "checking Medusa against Flutterwave, to the kobo")
    const flw = await atFlutterwave()
    const tx = flw.transactions.find((t) => t.txRef === session.id && t.status === "successful")
    check(tx && String(tx.id) === transactionId, `Flutterwave's successful transaction for ${session.id} is ${JSON.stringify(tx)}`)
    const after = await ok("GET", `/admin/payments/${payment.id}?fields=*refunds,*captures`, { headers: admin })
    const kobo = (amount) => Math.round(Number(amount) * 100)
    const medusaCaptured = after.payment.captures.reduce((sum, c) => sum + kobo(c.amount), 0)
    const medusaRefunded = after.payment.refunds.reduce((sum, r) => sum + kobo(r.amount), 0)
    const flwRefunds = flw.refunds.filter((r) => r.txId === tx.id)
    const flwRefunded = flwRefunds.filter((r) => r.status === "completed").reduce((sum, r) => sum + r.amount, 0)
    check(medusaCaptured === tx.amount, `Medusa captured ${medusaCaptured} kobo, Flutterwave charged ${tx.amount}`)
    check(medusaRefunded === flwRefunded, `Medusa records ${medusaRefunded} kobo refunded, Flutterwave ${flwRefunded}`)
    check(flwRefunded === REFUND_MINOR && tx.refunded === REFUND_MINOR, `Flutterwave refunded ${flwRefunded} kobo (refundable used: ${tx.refunded}), expected ${REFUND_MINOR}`)
    check((await card()).refund_alerts.length === 0, "the order card still shows a refund alert")

    const { order: final } = await ok("GET", `/admin/orders/${order.id}?fields=id,payment_status`, { headers: admin })
    const naira = (minor) => `${(minor / 100).toFixed(2)} NGN`
    printTable(
      [
        ["", "Medusa", "Flutterwave (v3 sandbox)"],
        ["charged", naira(medusaCaptured), `${tx.amount} kobo (transaction ${tx.id}, ${tx.status})`],
        ["refunded", naira(medusaRefunded), `${flwRefunded} kobo (${flwRefunds.map((r) => r.status).join(", ")})`],
        ["payment status", final.payment_status, `${tx.status}, ${flwRefunded === 0 ? "nothing" : flwRefunded >= tx.amount ? "all" : `${flwRefunded} of ${tx.amount} kobo`} refunded`],
        ["refund attempts", `${after.payment.refunds.length} refund`, `${flwRefunds.length} refund; ${refusedAtFlutterwave.length} refused (${refusedAtFlutterwave.map((r) => r.httpStatus).join(", ")})`],
        ["payout", `${done.amount} ${done.currency_code} ${done.status}`, `${transfer.amount} kobo ${transfer.status}`],
      ],
      22
    )
  })
}
