/**
 * Runs `work` over `items` with at most `limit` running at once, and returns the results in the
 * items' order. For jobs that work through a page of cases: enough at once to hide the round
 * trips, few enough not to throttle the table or a registry.
 */
export async function eachLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(0, Math.min(limit, items.length)) }, lane));
  return results;
}
