/**
 * A token bucket per connection: `burst` frames at once, refilled at `perSecond`. A phone tapping as fast as a
 * person can stays far below it; a misbehaving client is answered with `rate_limited` errors instead of being
 * allowed to write a row per frame. Pure: the caller passes the time.
 */
export class FrameBudget {
  #tokens: number;
  #at: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#at = now;
  }

  take(now: number): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
