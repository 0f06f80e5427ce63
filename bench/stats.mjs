// Percentiles for the benchmarks that time requests one by one (bench/refunds.mjs, bench/load.mjs): one definition,
// so a p99 in one table means what it means in the other.

/** Percentile by linear interpolation between the closest ranks (with 50 samples, p99 lies between the top two). */
export function percentile(sorted, p) {
  const rank = (p / 100) * (sorted.length - 1)
  const below = Math.floor(rank)
  const above = Math.min(below + 1, sorted.length - 1)
  return sorted[below] + (sorted[above] - sorted[below]) * (rank - below)
}

/** Count, p50, p90, p99 and max of `samples` (any order). */
export function summarise(samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  }
}
