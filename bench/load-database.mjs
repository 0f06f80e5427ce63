// What `npm run load` reads and writes in PostgreSQL directly (`pg`, the stack's DATABASE_URL): the ledger check
// every run ends with, read from Medusa's own tables and the plugin's, and the pending sales reconciliation is
// measured on. Medusa's table names are those of 2.21 (order, order_cart, cart_payment_collection, payment, capture,
// refund, payment_session).

/** The plugin's and Medusa's tables that must be empty when a run starts: every row the checks count is this run's. */
const MUST_START_EMPTY = ["fw_gate_callback", "fw_gate_operation", '"order"', "payment", "refund"]

export async function requireEmptyStore(db) {
  for (const table of MUST_START_EMPTY) {
    const { rows } = await db.query(`select count(*)::int as n from ${table}`)
    if (rows[0].n !== 0) return `${table} already holds ${rows[0].n} rows: run against a fresh database`
  }
  return undefined
}

/**
 * Reconciliation's pending items: sales the store sent to Gate 20 minutes ago (past the 10-minute base time after
 * which reconciliation asks about them, inside its lookback) and has heard nothing about since, written as the
 * provider writes a sale before sending it (SqlLedger.recordSaleSent). The session id is the Gate payment id, as for
 * every sale this plugin sends.
 */
export async function insertPendingSales(db, gatePaymentIds, amountMinor, currency) {
  await db.query(
    `INSERT INTO fw_gate_operation (id, kind, gate_payment_id, session_id, amount, raw_amount, currency_code, status, source,
                                    created_at, updated_at)
     SELECT 'fwop_load_' || md5(id), 'sale', id, id, $2::numeric, jsonb_build_object('value', $2::text, 'precision', 20), $3,
            'pending', 'request', now() - interval '20 minutes', now() - interval '20 minutes'
     FROM unnest($1::text[]) AS id`,
    [gatePaymentIds, String(amountMinor), currency]
  )
}

/** Takes the measured pending sales out of the ledger afterwards, so the scheduled job does not ask about them again. */
export async function retirePendingSales(db, gatePaymentIds) {
  await db.query(`UPDATE fw_gate_operation SET deleted_at = now() WHERE kind = 'sale' AND gate_payment_id = ANY($1::text[])`, [gatePaymentIds])
}

/** What a callback with a bad signature must not change: counted before and after such a burst. */
export async function callbackFootprint(db) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM fw_gate_callback)::int AS callbacks,
            (SELECT coalesce(sum(deliveries), 0) FROM fw_gate_callback)::int AS deliveries,
            (SELECT count(*) FROM fw_gate_operation)::int AS operations,
            (SELECT count(*) FROM fw_attention)::int AS attention,
            (SELECT count(*) FROM "order")::int AS orders,
            (SELECT count(*) FROM payment)::int AS payments`
  )
  return rows[0]
}

/**
 * The ledger check: every paid cart (Flutterwave's, paid by a callback; the manual provider's, completed and captured
 * by the admin) became exactly one order with exactly one payment, captured once for its full amount and never
 * refunded; no other order, payment or refund exists. Each Flutterwave success callback has exactly one
 * fw_gate_callback row, applied, whose delivery count is 1 + the re-deliveries sent; each unknown-payment callback one
 * row, unmatched; no row that this run did not cause. Returns the problems found (empty: all held) and counts.
 *
 * flutterwave: [{ cartId, sessionId, amountMinor }], duplicatesSent: Map sessionId → re-deliveries,
 * manual: [{ cartId }], unknownPrefix + unknownSent: the unknown-payment callbacks, otherSessions: Flutterwave
 * sessions of carts never paid (their Gate callbacks, e.g. "awaiting redirect result", are allowed rows).
 */
export async function checkLedger(db, { flutterwave, duplicatesSent, manual, unknownPrefix, unknownSent, otherSessions }) {
  const problems = []
  const paidCarts = [...flutterwave.map((c) => c.cartId), ...manual.map((c) => c.cartId)]
  const expectedProvider = new Map([
    ...flutterwave.map((c) => [c.cartId, { provider: "pp_flutterwave_flutterwave", sessionId: c.sessionId }]),
    ...manual.map((c) => [c.cartId, { provider: "pp_system_default" }]),
  ])

  const orders = await db.query(
    `SELECT oc.cart_id, o.id AS order_id, o.status, o.canceled_at
     FROM order_cart oc JOIN "order" o ON o.id = oc.order_id AND o.deleted_at IS NULL
     WHERE oc.deleted_at IS NULL AND oc.cart_id = ANY($1::text[])`,
    [paidCarts]
  )
  const ordersOf = groupBy(orders.rows, (row) => row.cart_id)
  const payments = await db.query(
    `SELECT cpc.cart_id, p.id, p.provider_id, p.amount::numeric AS amount, p.captured_at, p.canceled_at, p.payment_session_id,
            opc.order_id AS collection_order_id,
            (SELECT count(*) FROM capture k WHERE k.payment_id = p.id AND k.deleted_at IS NULL)::int AS captures,
            (SELECT coalesce(sum(k.amount), 0) FROM capture k WHERE k.payment_id = p.id AND k.deleted_at IS NULL)::numeric AS captured,
            (SELECT count(*) FROM refund r WHERE r.payment_id = p.id AND r.deleted_at IS NULL)::int AS refunds
     FROM cart_payment_collection cpc
     JOIN payment p ON p.payment_collection_id = cpc.payment_collection_id AND p.deleted_at IS NULL
     LEFT JOIN order_payment_collection opc ON opc.payment_collection_id = cpc.payment_collection_id AND opc.deleted_at IS NULL
     WHERE cpc.deleted_at IS NULL AND cpc.cart_id = ANY($1::text[])`,
    [paidCarts]
  )
  const paymentsOf = groupBy(payments.rows, (row) => row.cart_id)
  for (const cartId of paidCarts) {
    const expected = expectedProvider.get(cartId)
    const cartOrders = ordersOf.get(cartId) ?? []
    const cartPayments = paymentsOf.get(cartId) ?? []
    if (cartOrders.length !== 1) {
      problems.push(`cart ${cartId} (${expected.provider}) has ${cartOrders.length} orders`)
      continue
    }
    const [order] = cartOrders
    if (order.canceled_at || order.status === "canceled") problems.push(`order ${order.order_id} of cart ${cartId} is canceled`)
    if (cartPayments.length !== 1) {
      problems.push(`cart ${cartId} (${expected.provider}) has ${cartPayments.length} payments`)
      continue
    }
    const [payment] = cartPayments
    const label = `payment ${payment.id} of cart ${cartId}`
    if (payment.provider_id !== expected.provider) problems.push(`${label} is of ${payment.provider_id}, expected ${expected.provider}`)
    if (expected.sessionId && payment.payment_session_id !== expected.sessionId) {
      problems.push(`${label} comes from session ${payment.payment_session_id}, not the paid ${expected.sessionId}`)
    }
    if (payment.collection_order_id !== order.order_id) problems.push(`${label} belongs to order ${payment.collection_order_id}, not ${order.order_id}`)
    if (!payment.captured_at || payment.canceled_at) problems.push(`${label} is not captured (captured_at ${payment.captured_at}, canceled_at ${payment.canceled_at})`)
    if (payment.captures !== 1) problems.push(`${label} has ${payment.captures} captures`)
    if (Number(payment.captured) !== Number(payment.amount)) problems.push(`${label}: captured ${payment.captured} of ${payment.amount}`)
    if (payment.refunds !== 0) problems.push(`${label} has ${payment.refunds} refunds`)
  }

  const totals = (
    await db.query(
      `SELECT (SELECT count(*) FROM "order" WHERE deleted_at IS NULL)::int AS orders,
              (SELECT count(*) FROM payment WHERE deleted_at IS NULL)::int AS payments,
              (SELECT count(*) FROM capture WHERE deleted_at IS NULL)::int AS captures,
              (SELECT count(*) FROM refund)::int AS refunds,
              (SELECT count(*) FROM fw_gate_operation WHERE kind <> 'sale')::int AS gate_refunds_and_payouts,
              (SELECT count(*) FROM fw_attention)::int AS attention`
    )
  ).rows[0]
  if (totals.orders !== paidCarts.length) problems.push(`${totals.orders} orders in the store for ${paidCarts.length} paid carts`)
  if (totals.payments !== paidCarts.length) problems.push(`${totals.payments} payments in the store for ${paidCarts.length} paid carts`)
  if (totals.captures !== paidCarts.length) problems.push(`${totals.captures} captures in the store for ${paidCarts.length} paid carts`)
  if (totals.refunds !== 0) problems.push(`${totals.refunds} refunds in Medusa`)
  if (totals.gate_refunds_and_payouts !== 0) problems.push(`${totals.gate_refunds_and_payouts} refunds or payouts in the plugin's ledger`)
  if (totals.attention !== 0) problems.push(`${totals.attention} needs-attention items`)

  // The ledger's sale of each paid Flutterwave cart: one row, paid.
  const sessionIds = flutterwave.map((c) => c.sessionId)
  const sales = await db.query(
    `SELECT gate_payment_id, status FROM fw_gate_operation WHERE kind = 'sale' AND deleted_at IS NULL AND gate_payment_id = ANY($1::text[])`,
    [sessionIds]
  )
  const salesOf = groupBy(sales.rows, (row) => row.gate_payment_id)
  for (const sessionId of sessionIds) {
    const rows = salesOf.get(sessionId) ?? []
    if (rows.length !== 1 || rows[0].status !== "success") {
      problems.push(`the ledger holds ${rows.map((r) => r.status).join(", ") || "no"} sale rows for paid session ${sessionId}`)
    }
  }

  // Callbacks: each applied success once, with its deliveries; each unknown once; nothing else.
  const callbacks = (await db.query(`SELECT gate_payment_id, operation_type, operation_status, outcome, deliveries FROM fw_gate_callback WHERE deleted_at IS NULL`)).rows
  const paid = new Set(sessionIds)
  const others = new Set(otherSessions)
  const successRows = groupBy(
    callbacks.filter((row) => paid.has(row.gate_payment_id) && row.operation_type === "sale" && row.operation_status === "success"),
    (row) => row.gate_payment_id
  )
  let deliveriesCounted = 0
  let deliveriesSent = 0
  for (const sessionId of sessionIds) {
    const rows = successRows.get(sessionId) ?? []
    const expectedDeliveries = 1 + (duplicatesSent.get(sessionId) ?? 0)
    deliveriesSent += expectedDeliveries
    if (rows.length !== 1) {
      problems.push(`${rows.length} fw_gate_callback rows for the success callback of ${sessionId}`)
      continue
    }
    deliveriesCounted += Number(rows[0].deliveries)
    if (rows[0].outcome !== "applied") problems.push(`the success callback of ${sessionId} is ${rows[0].outcome}, not applied`)
    if (Number(rows[0].deliveries) !== expectedDeliveries) {
      problems.push(`the success callback of ${sessionId} counts ${rows[0].deliveries} deliveries, ${expectedDeliveries} were sent`)
    }
  }
  const unknown = callbacks.filter((row) => row.gate_payment_id.startsWith(unknownPrefix))
  if (unknown.length !== unknownSent) problems.push(`${unknown.length} rows for ${unknownSent} distinct unknown-payment callbacks`)
  const unknownOutcomes = new Set(unknown.map((row) => row.outcome))
  if ([...unknownOutcomes].some((outcome) => outcome !== "unmatched")) problems.push(`unknown-payment callbacks recorded as ${[...unknownOutcomes].join(", ")}`)
  // Besides those: Gate's "awaiting redirect result" callbacks of the run's own sessions (Gate checkout mode).
  const stray = callbacks.filter(
    (row) => !row.gate_payment_id.startsWith(unknownPrefix) && !paid.has(row.gate_payment_id) && !others.has(row.gate_payment_id)
  )
  if (stray.length > 0) {
    problems.push(`${stray.length} fw_gate_callback rows this run did not cause, e.g. ${JSON.stringify(stray[0])}`)
  }
  return { problems, totals, deliveriesCounted, deliveriesSent, callbackRows: callbacks.length }
}

function groupBy(rows, key) {
  const groups = new Map()
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row])
  return groups
}
