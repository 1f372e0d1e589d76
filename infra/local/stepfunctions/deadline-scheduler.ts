/** Longest delay `setTimeout` takes; longer ones overflow and fire at once. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

interface Entry {
  readonly dueAt: number;
  readonly fire: () => void;
}

/**
 * Calls functions at absolute times (epoch ms), however far away: one timer is armed for the
 * earliest deadline, capped at what `setTimeout` can take, and re-armed when it wakes. A clock
 * moved by hand is honoured through `fireDue(now)`.
 */
export class DeadlineScheduler {
  readonly #now: () => number;
  readonly #entries = new Set<Entry>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  public constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Schedules `fire` at `dueAt`; returns a function that cancels it. */
  public schedule(dueAt: number, fire: () => void): () => void {
    if (this.#closed) return () => {};
    const entry: Entry = { dueAt, fire };
    this.#entries.add(entry);
    this.#arm();
    return () => {
      if (this.#entries.delete(entry)) this.#arm();
    };
  }

  /** Fires everything due at `now` (default: the clock); returns how many fired. */
  public fireDue(now: number = this.#now()): number {
    const due = [...this.#entries].filter((entry) => entry.dueAt <= now);
    due.sort((a, b) => a.dueAt - b.dueAt);
    for (const entry of due) this.#entries.delete(entry);
    for (const entry of due) {
      try {
        entry.fire();
      } catch {
        // A failing callback must not stop the others; callers handle their own errors.
      }
    }
    this.#arm();
    return due.length;
  }

  public get size(): number {
    return this.#entries.size;
  }

  public close(): void {
    this.#closed = true;
    this.#entries.clear();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#closed || this.#entries.size === 0) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.#entries) earliest = Math.min(earliest, entry.dueAt);
    const delay = Math.min(Math.max(0, earliest - this.#now()), MAX_TIMER_DELAY_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.fireDue();
    }, delay);
    // The HTTP server keeps a running service alive; a pending deadline alone should not.
    this.#timer.unref();
  }
}
