import type { MedusaContainer } from "@medusajs/framework/types"
import { parseExpression, type CronExpression } from "cron-parser"
import { reconcile } from "../settlement/reconcile"

/**
 * Every 5 minutes: settle what Gate has finished but whose callback never reached us. Runs where Medusa runs scheduled
 * jobs: the worker (workerMode "worker" or "shared"), never a "server".
 */
export default async function flutterwaveReconcileJob(container: MedusaContainer): Promise<void> {
  await reconcile(container, "job")
}

export const DEFAULT_RECONCILE_SCHEDULE = "*/5 * * * *"

const DAY_MS = 24 * 3600 * 1000
/**
 * The longest a store may leave between two reconciliation runs. Medusa's in-memory scheduler waits for the next run
 * with one setTimeout, and Node fires a timer of more than 2^31 - 1 ms (24.8 days) at once: a monthly schedule would
 * run over and over. Reconciliation also looks 30 days back (OPERATION_LOOKBACK_MS), so a run must come well within.
 */
export const LONGEST_RECONCILE_GAP_DAYS = 23
/** How far ahead the schedule's gaps are checked: a year shows every month and weekday; Feb 29 shows as a wait of years. */
const GAPS_CHECKED_DAYS = 366

/**
 * FLUTTERWAVE_RECONCILE_SCHEDULE, read once when Medusa loads the job: a cron expression, five fields or six with
 * seconds first, parsed by the library Medusa's schedulers use (cron-parser), so a typo or an out-of-range field names
 * the variable instead of failing inside the scheduler, and a schedule with more than LONGEST_RECONCILE_GAP_DAYS
 * between two runs is refused for the reason above.
 */
export function reconcileSchedule(value: string | undefined = process.env.FLUTTERWAVE_RECONCILE_SCHEDULE, now = new Date()): string {
  const schedule = value?.trim()
  if (!schedule) return DEFAULT_RECONCILE_SCHEDULE
  const fields = schedule.split(/\s+/)
  const malformed = (why: string) =>
    new Error(`FLUTTERWAVE_RECONCILE_SCHEDULE must be a cron expression of 5 or 6 fields, like "${DEFAULT_RECONCILE_SCHEDULE}"; got "${schedule}"${why}`)
  if (fields.length < 5 || fields.length > 6 || !fields.every((field) => /^[\d*/,\-A-Za-z?LW#]+$/.test(field))) throw malformed("")
  let runs: CronExpression
  try {
    runs = parseExpression(fields.join(" "), { currentDate: now })
  } catch (error) {
    throw malformed(` (${(error as Error).message})`)
  }
  const gap = longestWaitDays(runs, now)
  if (gap > LONGEST_RECONCILE_GAP_DAYS) {
    throw new Error(
      `FLUTTERWAVE_RECONCILE_SCHEDULE must run reconciliation at least once every ${LONGEST_RECONCILE_GAP_DAYS} days; ` +
        `"${schedule}" can wait ${Math.floor(gap)} days between two runs`
    )
  }
  return fields.join(" ")
}

/**
 * The longest wait for the next run seen from a start once a day over GAPS_CHECKED_DAYS, in days. A gap between two
 * runs shows, from the day's start just after the first, as a wait at most one day shorter: a schedule passing with
 * LONGEST_RECONCILE_GAP_DAYS never leaves more than that plus one day (24, under the timer's 24.8) between runs.
 * Stops at the first wait over the limit.
 */
function longestWaitDays(runs: CronExpression, now: Date): number {
  let longest = 0
  for (let day = 0; day <= GAPS_CHECKED_DAYS && longest <= LONGEST_RECONCILE_GAP_DAYS; day++) {
    const from = now.getTime() + day * DAY_MS
    runs.reset(new Date(from))
    longest = Math.max(longest, (runs.next().getTime() - from) / DAY_MS)
  }
  return longest
}

export const config = { name: "flutterwave-reconcile", schedule: reconcileSchedule() }
