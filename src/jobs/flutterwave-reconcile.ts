import type { MedusaContainer } from "@medusajs/framework/types"
import { reconcile } from "../settlement/reconcile"

/**
 * Every 5 minutes: settle what Gate has finished but whose callback never reached us. Runs where Medusa runs scheduled
 * jobs: the worker (workerMode "worker" or "shared"), never a "server".
 */
export default async function flutterwaveReconcileJob(container: MedusaContainer): Promise<void> {
  await reconcile(container, "job")
}

export const DEFAULT_RECONCILE_SCHEDULE = "*/5 * * * *"

/**
 * FLUTTERWAVE_RECONCILE_SCHEDULE, read once when Medusa loads the job: a cron expression, five fields or six with
 * seconds first (Medusa's schedulers accept both). Checked for its shape here, so a typo names the variable instead of
 * failing inside the scheduler.
 */
export function reconcileSchedule(value: string | undefined = process.env.FLUTTERWAVE_RECONCILE_SCHEDULE): string {
  const schedule = value?.trim()
  if (!schedule) return DEFAULT_RECONCILE_SCHEDULE
  const fields = schedule.split(/\s+/)
  if (fields.length < 5 || fields.length > 6 || !fields.every((field) => /^[\d*/,\-A-Za-z?LW#]+$/.test(field))) {
    throw new Error(`FLUTTERWAVE_RECONCILE_SCHEDULE must be a cron expression of 5 or 6 fields, like "${DEFAULT_RECONCILE_SCHEDULE}"; got "${schedule}"`)
  }
  return fields.join(" ")
}

export const config = { name: "flutterwave-reconcile", schedule: reconcileSchedule() }
