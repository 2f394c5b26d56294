/**
 * Token bucket used for the emulator's flood control. A bucket holds up to `burst` tokens and refills
 * continuously at `rate` tokens per second; each send takes one token. This matches Telegram's
 * documented behaviour ("short bursts" tolerated, sustained rate limited) better than a fixed window,
 * and costs O(1) per request with no timers.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param rate tokens added per second (Infinity disables the limit)
   * @param burst bucket capacity; the number of back-to-back sends allowed after a quiet period
   * @param now current time in milliseconds
   */
  constructor(
    public rate: number,
    public burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token. Returns 0 on success, otherwise the milliseconds until a token is available. */
  take(now: number): number {
    if (this.rate === Number.POSITIVE_INFINITY) return 0;
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.rate) / 1000);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.rate);
  }

  /** Returns a token taken by a send that was refused for another reason. */
  refund(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }
}
