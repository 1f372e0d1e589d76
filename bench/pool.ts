/**
 * Runs `work` over every item with at most `concurrency` in flight: `concurrency` clients, each
 * taking the next item as soon as its last one is done, so the load stays even to the end.
 * Client `c` is passed on so that each client can keep its own identity (a token, a socket).
 */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, client: number, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const clients = Array.from({ length: Math.min(concurrency, items.length) }, async (_, client) => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, client, index);
    }
  });
  await Promise.all(clients);
  return results;
}
