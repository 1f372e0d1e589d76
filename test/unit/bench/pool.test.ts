import { describe, expect, it } from 'vitest';
import { runPool } from '../../../bench/pool.ts';

describe('runPool', () => {
  it('keeps at most `concurrency` items in flight and returns results in item order', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const clientsSeen = new Set<number>();

    // Act
    const results = await runPool([5, 1, 4, 2, 3, 0], 3, async (item, client) => {
      inFlight++;
      most = Math.max(most, inFlight);
      clientsSeen.add(client);
      await new Promise((resolve) => setTimeout(resolve, item));
      inFlight--;
      return item * 10;
    });

    // Assess
    expect(results).toEqual([50, 10, 40, 20, 30, 0]);
    expect(most).toBe(3);
    expect([...clientsSeen].sort()).toEqual([0, 1, 2]);
  });

  it('starts no more clients than there are items', async () => {
    // Prepare
    const clientsSeen = new Set<number>();

    // Act
    await runPool(['a'], 50, async (_, client) => {
      clientsSeen.add(client);
    });

    // Assess
    expect([...clientsSeen]).toEqual([0]);
  });
});
