/**
 * Token buckets by key, in memory, per process: each key may spend `capacity` at once and earns it back
 * at `perMinute`. Idle full buckets are forgotten, so the map stays bounded. Used for the per-API-key
 * rate limit and the sign-in budgets.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #capacity: number;
  readonly #perMs: number;

  constructor(capacity: number, perMinute: number) {
    this.#capacity = capacity;
    this.#perMs = perMinute / 60_000;
  }

  #refill(key: string, now: number) {
    const bucket = this.#buckets.get(key) ?? { tokens: this.#capacity, at: now };
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.at) * this.#perMs);
    bucket.at = now;
    return bucket;
  }

  /** 0 when `key` has a token left, else the seconds until it has one again. Spends nothing. */
  wait(key: string, now = Date.now()): number {
    const bucket = this.#refill(key, now);
    if (bucket.tokens >= 1) return 0;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000));
  }

  /** Spends one token of `key` (going no lower than empty); returns what `wait` answers afterwards. */
  take(key: string, now = Date.now()): number {
    const bucket = this.#refill(key, now);
    const had = bucket.tokens >= 1;
    if (had) bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > 10_000)
      for (const id of [...this.#buckets.keys()])
        if (this.#refill(id, now).tokens >= this.#capacity) this.#buckets.delete(id);
    return had ? 0 : this.wait(key, now);
  }
}
