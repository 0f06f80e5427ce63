import { LIMIT_TIME_MS, PAYMENT_PAGE_VALIDITY_MS } from "../rails/ecommpay"
import { mapWithConcurrency } from "./concurrency"

/**
 * When reconciliation asks Gate about each pending operation again, and when a run stops starting new lookups. Plain
 * functions of times and counts, so the whole schedule is tested without a database or a Gate.
 */

/**
 * A sale's first window: a sale Gate finished within its limit time is settled well before it ends. Medusa's pending
 * sessions are looked at within it; the ledger's pending sales, which follow their own schedule, within 30 days.
 */
export const SALE_LOOKBACK_MS = Math.max(LIMIT_TIME_MS, PAYMENT_PAGE_VALIDITY_MS) + 50 * 60 * 1000
/** Refunds and payouts settle in days (Flutterwave quotes 3–15 working days for refunds). */
export const OPERATION_LOOKBACK_MS = 30 * 24 * 3600 * 1000
/** How long past a Payment Page's expiry a sale Gate never heard of is still given before it is declined. */
export const NEVER_PAID_MARGIN_MS = 20 * 60 * 1000

/**
 * Until when the shopper may still be paying: the page can be opened until it expires, and Gate then gives the
 * payment the method's limit time. While this lasts a sale is asked about on every run, so a paid sale whose callback
 * was lost becomes an order within a run.
 */
export const SALE_PAYABLE_MS = PAYMENT_PAGE_VALIDITY_MS + LIMIT_TIME_MS
/**
 * The decisive check: from here Gate's "no such payment" (3061) means never paid (the sale is declined), and any
 * payment Gate has was finished by its limit time. Reconciliation declines a sale Gate never heard of only after it.
 */
export const SALE_DECISIVE_AFTER_MS = PAYMENT_PAGE_VALIDITY_MS + NEVER_PAID_MARGIN_MS
/**
 * Between two checks of a sale the shopper may still be paying: a little under the job's 5 minutes, so that each run
 * finds it due even when it starts a few seconds early; a job scheduled more often asks no more often than this.
 */
export const SALE_RECHECK_MS = 4 * 60 * 1000
/**
 * Refunds and payouts: how long after the n-th lookup that left them pending (n = 0, 1, …) the next one comes. They
 * settle in minutes (payouts) to days (refunds): early checks catch the quick ones, then a few a day. Over the 30-day
 * window that is about 65 lookups instead of one every run (8,640).
 */
export const OPERATION_BACKOFF_MS: readonly number[] = Object.freeze([
  5 * 60 * 1000,
  15 * 60 * 1000,
  60 * 60 * 1000,
  4 * 3600 * 1000,
  12 * 3600 * 1000,
])

export type ScheduledKind = "sale" | "refund" | "payout"

export type CheckedOperation = {
  kind: ScheduledKind
  /** When the operation was sent (its ledger row was written). */
  createdAt: Date
  /** Lookups made before this one. */
  checks: number
}

/**
 * A sale still pending after its decisive check: Gate reports the payment still in progress (it can outlast the limit
 * time at the bank's end), or could not be asked. Its money may still move, so it is followed like a refund: by age,
 * every 15 minutes for its first 2 hours, hourly to 6 hours, every 4 hours to a day, then twice a day.
 */
export const LATE_SALE_BACKOFF: ReadonlyArray<{ untilAgeMs: number; everyMs: number }> = Object.freeze([
  { untilAgeMs: 2 * 3600 * 1000, everyMs: 15 * 60 * 1000 },
  { untilAgeMs: 6 * 3600 * 1000, everyMs: 60 * 60 * 1000 },
  { untilAgeMs: 24 * 3600 * 1000, everyMs: 4 * 3600 * 1000 },
  { untilAgeMs: Number.POSITIVE_INFINITY, everyMs: 12 * 3600 * 1000 },
])

/**
 * When to ask Gate about an operation again after a lookup at `now` that left it pending. Only rows still pending are
 * rescheduled: an answer that made the row final (paid, declined, or "never paid" after the decisive check) ends its
 * checks for good.
 *
 * Sales: every run while the shopper may be paying; then the decisive check once the page has expired plus the margin
 * (by then Gate's answer is final for any payment it finished within its limit time, and "no such payment" declines
 * the sale): for nearly every sale the last one. A sale still pending after it is asked on every run until its first
 * window ends (SALE_LOOKBACK_MS), then on LATE_SALE_BACKOFF until final or out of the 30-day window.
 *
 * Refunds and payouts: growing intervals (OPERATION_BACKOFF_MS), whatever the answer, until final or out of the
 * 30-day window.
 */
export function nextCheckAt(operation: CheckedOperation, now: Date): Date {
  const at = now.getTime()
  if (operation.kind !== "sale") {
    const step = OPERATION_BACKOFF_MS[Math.min(Math.max(operation.checks, 0), OPERATION_BACKOFF_MS.length - 1)]
    return new Date(at + step)
  }
  const created = operation.createdAt.getTime()
  const decisiveAt = created + SALE_DECISIVE_AFTER_MS
  if (at < created + SALE_PAYABLE_MS) return new Date(at + SALE_RECHECK_MS)
  if (at < decisiveAt) return new Date(decisiveAt)
  if (at < saleWindowEnd(operation.createdAt).getTime()) return new Date(at + SALE_RECHECK_MS)
  const age = at - created
  const step = LATE_SALE_BACKOFF.find((band) => age < band.untilAgeMs)!.everyMs
  return new Date(at + step)
}

/** The end of a sale's first window: until then a pending sale is asked on every run. */
export function saleWindowEnd(createdAt: Date): Date {
  return new Date(createdAt.getTime() + SALE_LOOKBACK_MS)
}

/**
 * Runs `work` over `items` with at most `concurrency` in flight, starting each only while `mayStart()` holds (a run's
 * time budget, the lock still held). Work already started when it stops holding finishes normally; the items never
 * started are left for the next run, their results undefined.
 */
export async function workWhileAllowed<T, R>(
  items: readonly T[],
  concurrency: number,
  mayStart: () => boolean,
  work: (item: T) => Promise<R>
): Promise<{ results: Array<R | undefined>; notStarted: number }> {
  let notStarted = 0
  const results = await mapWithConcurrency(items, concurrency, async (item) => {
    if (!mayStart()) {
      notStarted++
      return undefined
    }
    return work(item)
  })
  return { results, notStarted }
}
