/**
 * The simulated number's rate limit: at most `max` sends within any `windowMs`. A ring of the last
 * `max` send times answers in O(1): the send `max` places back must be older than the window.
 */
export class SendWindow {
  readonly #times: Float64Array;
  #next = 0;
  #count = 0;

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {
    this.#times = new Float64Array(max);
  }

  /** Records a send at `at` and returns 0, or returns how many ms to wait (recording nothing). */
  take(at: number): number {
    if (this.#count === this.max) {
      const wait = this.#times[this.#next]! + this.windowMs - at;
      if (wait > 0) return wait;
    }
    this.#times[this.#next] = at;
    this.#next = (this.#next + 1) % this.max;
    if (this.#count < this.max) this.#count++;
    return 0;
  }
}
