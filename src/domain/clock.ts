/**
 * Time as something passed in (architecture.md: domain code takes time as an argument). The same
 * code runs on real time in production and on a virtual clock in tests and in `chorus simulate`,
 * where a week of sending is replayed in seconds. Times are milliseconds since the epoch.
 */
export interface Clock {
  now(): number;
  /** Calls `fn` once at `at` (at once, asynchronously, if `at` has passed). Returns a cancel function. */
  setTimer(at: number, fn: () => void): () => void;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

interface Timer {
  at: number;
  seq: number;
  /** null once run or cancelled: cancelled timers stay in the heap until popped or compacted. */
  fn: (() => void) | null;
}

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/**
 * A clock that only moves when told to. Timers run in time order, ties in the order they were set;
 * a timer set while the clock advances runs in the same advance when it falls before the target.
 * A binary heap keeps each timer O(log n), so millions of timers over a simulated week stay cheap.
 */
export class VirtualClock implements Clock {
  #now: number;
  #heap: Timer[] = [];
  #seq = 0;
  #live = 0;
  #advancing = false;

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(at: number, fn: () => void): () => void {
    const timer: Timer = { at, seq: this.#seq++, fn };
    this.#push(timer);
    this.#live++;
    return () => {
      if (timer.fn === null) return;
      timer.fn = null;
      this.#live--;
      if (this.#heap.length > 64 && this.#live < this.#heap.length / 2) this.#compact();
    };
  }

  /** Timers set and neither run nor cancelled. */
  get pending(): number {
    return this.#live;
  }

  /** When the next timer is due; null when none is pending. */
  nextAt(): number | null {
    this.#dropCancelledTop();
    return this.#heap[0]?.at ?? null;
  }

  /** Runs every timer due up to `t`, then sets the clock to `t`. Returns how many timers ran. */
  advanceTo(t: number): number {
    if (t < this.#now) throw new RangeError(`the clock cannot go back (now ${this.#now}, asked ${t})`);
    const ran = this.#run(t, Infinity);
    this.#now = t;
    return ran;
  }

  advanceBy(ms: number): number {
    return this.advanceTo(this.#now + ms);
  }

  /**
   * Runs timers until none is pending, moving the clock to each one's time. `limit` guards
   * against timers that keep setting new ones: past it, this throws.
   */
  runUntilIdle(limit = 10_000_000): number {
    const ran = this.#run(Infinity, limit);
    if (this.#live > 0) throw new Error(`runUntilIdle ran ${limit} timers and ${this.#live} are still pending`);
    return ran;
  }

  #run(until: number, limit: number): number {
    if (this.#advancing) throw new Error('a timer tried to advance the clock it runs on');
    this.#advancing = true;
    let ran = 0;
    try {
      while (ran < limit) {
        const top = this.#heap[0];
        if (!top || top.at > until) break;
        this.#pop();
        const fn = top.fn;
        if (fn === null) continue;
        top.fn = null;
        this.#live--;
        if (top.at > this.#now) this.#now = top.at;
        ran++;
        fn();
      }
    } finally {
      this.#advancing = false;
    }
    return ran;
  }

  #dropCancelledTop(): void {
    while (this.#heap[0] && this.#heap[0].fn === null) this.#pop();
  }

  #compact(): void {
    const live = this.#heap.filter((t) => t.fn !== null);
    this.#heap = [];
    for (const t of live) this.#push(t);
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    let i = heap.push(timer) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(timer, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = timer;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
