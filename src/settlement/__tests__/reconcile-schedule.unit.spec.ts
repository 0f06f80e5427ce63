import { LIMIT_TIME_MS, PAYMENT_PAGE_VALIDITY_MS } from "../../rails/ecommpay"
import {
  OPERATION_BACKOFF_MS,
  OPERATION_LOOKBACK_MS,
  SALE_DECISIVE_AFTER_MS,
  SALE_LOOKBACK_MS,
  SALE_PAYABLE_MS,
  LATE_SALE_BACKOFF,
  nextCheckAt,
  workWhileAllowed,
  type CheckedOperation,
} from "../reconcile-schedule"

const MINUTE = 60 * 1000
const HOUR = 60 * MINUTE
const RUN_EVERY_MS = 5 * MINUTE
const BASE_TIME_MS = 10 * MINUTE
const created = new Date("2026-11-25T12:00:00.000Z")
const at = (ms: number) => new Date(created.getTime() + ms)

/**
 * Plays the job: a run every 5 minutes from the base time until the window ends, asking about the operation only when
 * it is due, as reconciliation selects (created within the window, next check null or past, still pending). Gate's
 * answer makes the row final at `finalAtAgeMs` (never, by default). Returns when it asked.
 */
function simulate(kind: CheckedOperation["kind"], windowMs: number, finalAtAgeMs = Number.POSITIVE_INFINITY): number[] {
  const asked: number[] = []
  let next: Date | undefined
  let checks = 0
  for (let age = BASE_TIME_MS; age < windowMs; age += RUN_EVERY_MS) {
    const now = at(age)
    if (next && next.getTime() > now.getTime()) continue
    asked.push(age)
    // A final answer takes the row out of "pending": nothing reschedules or selects it again.
    if (age >= finalAtAgeMs) break
    next = nextCheckAt({ kind, createdAt: created, checks }, now)
    checks++
  }
  return asked
}

describe("reconciliation schedule: sales", () => {
  it("asks on every run while the shopper may still be paying, then once decisively; Gate's final answer ends it", () => {
    // Gate's answer at the decisive check is final (paid, declined, or no such payment: declined as never paid).
    const asked = simulate("sale", OPERATION_LOOKBACK_MS, SALE_DECISIVE_AFTER_MS)
    const payable = asked.filter((age) => age <= SALE_PAYABLE_MS)
    // Every 5-minute run from the base time to the end of the payable time (page expiry plus the limit time).
    expect(payable).toEqual([10, 15, 20, 25, 30, 35, 40].map((m) => m * MINUTE))
    // One decisive check, at the first run from the page's expiry plus the margin; nothing after it.
    expect(asked.filter((age) => age > SALE_PAYABLE_MS)).toEqual([SALE_DECISIVE_AFTER_MS])
  })

  it("the decisive check comes when reconciliation may decline a sale Gate never heard of, after Gate's limit time", () => {
    expect(SALE_PAYABLE_MS).toBe(PAYMENT_PAGE_VALIDITY_MS + LIMIT_TIME_MS)
    expect(SALE_DECISIVE_AFTER_MS).toBeGreaterThan(SALE_PAYABLE_MS)
    expect(SALE_DECISIVE_AFTER_MS).toBeLessThan(SALE_LOOKBACK_MS)
    // A check late in the payable time is followed by the decisive one, not by another before it.
    expect(nextCheckAt({ kind: "sale", createdAt: created, checks: 6 }, at(SALE_PAYABLE_MS + MINUTE))).toEqual(at(SALE_DECISIVE_AFTER_MS))
  })

  it("a sale still pending after the decisive check (Gate says in progress, or cannot be asked) is never dropped", () => {
    // Its money may still move: every run until the first window ends, then backing off, for the 30-day window.
    const asked = simulate("sale", OPERATION_LOOKBACK_MS)
    const firstWindow = asked.filter((age) => age >= SALE_DECISIVE_AFTER_MS && age < SALE_LOOKBACK_MS)
    expect(firstWindow.length).toBe((SALE_LOOKBACK_MS - SALE_DECISIVE_AFTER_MS) / RUN_EVERY_MS)
    const gaps = asked.slice(1).map((age, i) => age - asked[i])
    expect(Math.max(...gaps)).toBeLessThanOrEqual(LATE_SALE_BACKOFF[LATE_SALE_BACKOFF.length - 1].everyMs)
    expect(asked[asked.length - 1]).toBeGreaterThan(OPERATION_LOOKBACK_MS - 13 * HOUR)
    // …and far fewer lookups than one per run: about 110 over 30 days instead of 8,638.
    expect(asked.length).toBeLessThan(130)
  })

  it("backs off by age once the first window is over: 15 min, then hourly, then every 4 h, then twice a day", () => {
    const step = (ageMs: number) => nextCheckAt({ kind: "sale", createdAt: created, checks: 20 }, at(ageMs)).getTime() - at(ageMs).getTime()
    expect([step(SALE_LOOKBACK_MS), step(3 * HOUR), step(10 * HOUR), step(3 * 24 * HOUR)]).toEqual([15 * MINUTE, HOUR, 4 * HOUR, 12 * HOUR])
  })

  it("a job running early by a few seconds still finds a sale due on each run", () => {
    const next = nextCheckAt({ kind: "sale", createdAt: created, checks: 0 }, at(BASE_TIME_MS))
    expect(next.getTime()).toBeLessThan(at(BASE_TIME_MS + RUN_EVERY_MS - 30 * 1000).getTime())
  })
})

describe("reconciliation schedule: refunds and payouts", () => {
  it.each(["refund", "payout"] as const)("%s: 5 min, 15 min, 1 h, 4 h, then every 12 h", (kind) => {
    const steps = [0, 1, 2, 3, 4, 5, 40].map(
      (checks) => nextCheckAt({ kind, createdAt: created, checks }, at(HOUR)).getTime() - at(HOUR).getTime()
    )
    expect(steps).toEqual([5 * MINUTE, 15 * MINUTE, HOUR, 4 * HOUR, 12 * HOUR, 12 * HOUR, 12 * HOUR])
  })

  it("a refund pending for its whole 30-day window is asked about about 65 times, not on every run", () => {
    const asked = simulate("refund", OPERATION_LOOKBACK_MS)
    expect(asked.length).toBeLessThan(70)
    expect(asked.length).toBeGreaterThan(55)
    expect(OPERATION_LOOKBACK_MS / RUN_EVERY_MS).toBe(8640)
    // Never more than 12 hours without a check, once the early checks are done.
    const gaps = asked.slice(1).map((age, i) => age - asked[i])
    expect(Math.max(...gaps)).toBeLessThanOrEqual(OPERATION_BACKOFF_MS[OPERATION_BACKOFF_MS.length - 1])
  })

  it("a negative count (a row edited by hand) is read as no check yet", () => {
    expect(nextCheckAt({ kind: "refund", createdAt: created, checks: -3 }, at(HOUR))).toEqual(at(HOUR + 5 * MINUTE))
  })
})

describe("a run's budget", () => {
  it("starts nothing once the budget is spent; lookups in flight finish; the rest are counted as left", async () => {
    let clock = 0
    const started: number[] = []
    const finished: number[] = []
    const deadline = 250
    const { results, notStarted } = await workWhileAllowed([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 2, () => clock < deadline, async (item) => {
      started.push(item)
      // Each lookup moves the run's clock on by 50 "ms".
      await new Promise((resolve) => setImmediate(resolve))
      clock += 50
      finished.push(item)
      return item * 10
    })
    // Two lanes: item 5 starts at 200 (inside the budget) and still finishes after the clock passed 250; none after it.
    expect(started).toEqual([0, 1, 2, 3, 4, 5])
    expect(finished).toEqual(started)
    expect(clock).toBe(300)
    expect(notStarted).toBe(4)
    expect(results).toEqual([0, 10, 20, 30, 40, 50, undefined, undefined, undefined, undefined])
  })

  it("keeps at most `concurrency` lookups in flight", async () => {
    let inFlight = 0
    let most = 0
    await workWhileAllowed([...Array(20).keys()], 3, () => true, async () => {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise((resolve) => setTimeout(resolve, 2))
      inFlight--
    })
    expect(most).toBe(3)
  })

  it("a budget spent before the first lookup leaves every item for the next run", async () => {
    const work = jest.fn(async () => 1)
    const { notStarted, results } = await workWhileAllowed(["a", "b", "c"], 8, () => false, work)
    expect(work).not.toHaveBeenCalled()
    expect(notStarted).toBe(3)
    expect(results).toEqual([undefined, undefined, undefined])
  })
})
