import { DEFAULT_RECONCILE_SCHEDULE, reconcileSchedule } from "../flutterwave-reconcile"

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
})
