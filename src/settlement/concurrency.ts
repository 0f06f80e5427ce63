/**
 * Runs `work` over `items` with at most `limit` in flight, keeping the input order in the results. Used where the
 * plugin asks Gate about many payments at once (reconciliation): Gate's latency, not our CPU, is the cost, so a few
 * requests in flight make a run minutes shorter while the cap keeps the merchant's Gate rate limit safe.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("mapWithConcurrency: limit must be a positive integer")
  const results = new Array<R>(items.length)
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index], index)
    }
  })
  await Promise.all(lanes)
  return results
}
