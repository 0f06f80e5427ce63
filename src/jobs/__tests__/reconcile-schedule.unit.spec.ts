import { DEFAULT_RECONCILE_SCHEDULE, LONGEST_RECONCILE_GAP_DAYS, reconcileSchedule } from "../flutterwave-reconcile"

/** A fixed "now", so the gaps checked are the same on every run. */
const NOW = new Date("2026-12-07T05:00:00Z")

describe("the reconciliation job's schedule (FLUTTERWAVE_RECONCILE_SCHEDULE)", () => {
  it("is every 5 minutes when unset or empty", () => {
    expect(DEFAULT_RECONCILE_SCHEDULE).toBe("*/5 * * * *")
    expect(reconcileSchedule(undefined)).toBe("*/5 * * * *")
    expect(reconcileSchedule("  ")).toBe("*/5 * * * *")
  })

  it("takes a cron expression of five fields, or six with seconds first", () => {
    expect(reconcileSchedule("* * * * *")).toBe("* * * * *")
    expect(reconcileSchedule(" */10  * * * * * ")).toBe("*/10 * * * * *")
    expect(reconcileSchedule("0 2,14 * * MON-FRI")).toBe("0 2,14 * * MON-FRI")
  })

  it("refuses anything else, naming the variable", () => {
    for (const wrong of ["every 5 minutes", "*/5 * * *", "* * * * * * *", "*/5 * * * *; rm"]) {
      expect(() => reconcileSchedule(wrong)).toThrow(/FLUTTERWAVE_RECONCILE_SCHEDULE must be a cron expression/)
    }
  })

  it("refuses a field out of range as Medusa's scheduler (cron-parser) would, naming the variable and the field", () => {
    expect(() => reconcileSchedule("61 * * * *", NOW)).toThrow(/FLUTTERWAVE_RECONCILE_SCHEDULE must be a cron expression.*got value 61/)
    expect(() => reconcileSchedule("0 0 32 * *", NOW)).toThrow(/FLUTTERWAVE_RECONCILE_SCHEDULE must be a cron expression/)
  })

  it("takes schedules that run at least every 23 days, sparse ones included", () => {
    expect(LONGEST_RECONCILE_GAP_DAYS).toBe(23)
    for (const fine of ["0 3 * * *", "0 3 * * SUN", "0 0 1,15 * *", "0 2,14 * * MON-FRI"]) expect(reconcileSchedule(fine, NOW)).toBe(fine)
  })

  it("refuses a schedule that can leave more than 23 days between runs: Medusa's one timer would overflow and fire at once", () => {
    // Monthly (31 days between two runs across a long month), yearly, and Feb 29 (four years).
    for (const sparse of ["0 0 1 * *", "0 0 1 1 *", "0 0 29 2 *"]) {
      expect(() => reconcileSchedule(sparse, NOW)).toThrow(/FLUTTERWAVE_RECONCILE_SCHEDULE must run reconciliation at least once every 23 days/)
    }
    // From NOW (Dec 7) the next monthly run is Jan 1: the first wait seen over the limit is the one named.
    expect(() => reconcileSchedule("0 0 1 * *", NOW)).toThrow(/"0 0 1 \* \*" can wait 2[45] days between two runs/)
  })
})
