/**
 * Part of `npm run bench`: one reconciliation run over many pending payments against a Gate that answers status
 * requests in 200 ms (the in-process GateSandbox over real loopback HTTP, with latency added). It runs the
 * reconciliation's Gate loop as production does (src/settlement/concurrency.ts with the configured cap, the real
 * GateClient, the one status table, a ledger write per answer) and compares it with the baseline measured in the same
 * run: the same loop one payment at a time, as reconciliation ran before (measured on a sample, per item).
 *
 * Environment: RECONCILE_ITEMS (default 2000), RECONCILE_LATENCY_MS (default 200), RECONCILE_CONCURRENCY (default 8,
 * the plugin's default `reconcileConcurrency`), RECONCILE_BASELINE_SAMPLE (default 40).
 */
import { cpus } from "node:os"
import { GateClient } from "../src/rails/ecommpay/client"
import { saleVerdict } from "../src/settlement/sale-verdict"
import { toRailPayment } from "../src/rails/ecommpay/ecommpay-rail"
import { GateSandbox } from "../src/sandbox/server"
import { mapWithConcurrency } from "../src/settlement/concurrency"
import { InMemoryLedger } from "../src/settlement/__tests__/in-memory"

const ITEMS = Number(process.env.RECONCILE_ITEMS ?? 2000)
const LATENCY_MS = Number(process.env.RECONCILE_LATENCY_MS ?? 200)
const CONCURRENCY = Number(process.env.RECONCILE_CONCURRENCY ?? 8)
const SAMPLE = Number(process.env.RECONCILE_BASELINE_SAMPLE ?? 40)
const SCHEDULE_MS = 5 * 60 * 1000
const SECRET = "sandbox-secret-not-for-production"
const PROJECT_ID = 1001

async function main(): Promise<void> {
  const sandbox = new GateSandbox({ projectId: PROJECT_ID, secretKey: SECRET })
  const url = await sandbox.start()
  const gate = new GateClient({ projectId: PROJECT_ID, secretKey: SECRET, baseUrl: url, timeoutMs: 15_000 })
  const ledger = new InMemoryLedger()
  const ids: string[] = []
  try {
    // The pending items: sales we sent; a third paid since, the rest still waiting for the shopper.
    await mapWithConcurrency([...Array(ITEMS).keys()], 16, async (i) => {
      const id = `payses_bench_${String(i).padStart(5, "0")}`
      await gate.sale({
        paymentId: id,
        amount: 150_050,
        currency: "NGN",
        description: `bench ${i}`,
        customer: { id: `cus_${i}`, ipAddress: "102.89.3.14", email: "ada@example.ng" },
      })
      await ledger.recordSaleSent({ gatePaymentId: id, sessionId: id, amount: 150_050, currency: "NGN" })
      if (i % 3 === 0) sandbox.pay(id)
      ids.push(id)
    })
    sandbox.script({ operation: "status", hangMs: LATENCY_MS, times: 1_000_000 })

    const reconcileOne = async (id: string): Promise<string> => {
      const status = await gate.status(id)
      const verdict = saleVerdict(toRailPayment(status), { amount: 150_050, currency: "NGN" })
      // The answer goes to the ledger, as in the real run (in memory here: the database write is not what is measured).
      await ledger.claimStatusCheck(id, 0)
      return verdict.state
    }

    const sample = ids.slice(0, SAMPLE)
    const baselineStart = performance.now()
    for (const id of sample) await reconcileOne(id)
    const baselinePerItem = (performance.now() - baselineStart) / sample.length

    const start = performance.now()
    const states = await mapWithConcurrency(ids, CONCURRENCY, reconcileOne)
    const totalMs = performance.now() - start
    const perItem = totalMs / ids.length
    const paid = states.filter((s) => s === "success").length
    const pending = states.filter((s) => s === "pending").length

    const baselineTotal = baselinePerItem * ids.length
    console.log(`\nreconciliation run: ${ids.length} pending payments, Gate status latency ${LATENCY_MS} ms, ${cpus().length} cores`)
    console.log("| run | concurrency | total | per item | vs one at a time | inside the 5-minute schedule |")
    console.log("|---|---|---|---|---|---|")
    console.log(
      `| one at a time (baseline, ${sample.length}-item sample) | 1 | ${(baselineTotal / 1000).toFixed(1)} s (extrapolated) | ` +
        `${baselinePerItem.toFixed(1)} ms | 1.00× | ${baselineTotal < SCHEDULE_MS ? "yes" : "no"} |`
    )
    console.log(
      `| reconcile (mapWithConcurrency) | ${CONCURRENCY} | ${(totalMs / 1000).toFixed(1)} s | ${perItem.toFixed(1)} ms | ` +
        `${(baselinePerItem / perItem).toFixed(2)}× faster | ${totalMs < SCHEDULE_MS ? "yes" : "no"} (${((totalMs / SCHEDULE_MS) * 100).toFixed(0)} % of it) |`
    )
    console.log(`answers: ${paid} paid, ${pending} still pending, ${ids.length - paid - pending} other`)
    if (paid + pending !== ids.length) throw new Error("some status answers were neither paid nor pending")
  } finally {
    await sandbox.close()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
