/**
 * Sign-in under attack. Per-name lockout alone lets an attacker try one password against every staff
 * name (spraying) and lets anyone lock any account. Three budgets, in memory only:
 *
 * - a global budget of failed sign-ins for the whole process (stops distributed spraying);
 * - a per-client budget, keyed by an HMAC of the client's address under a key that exists only in this
 *   process's memory (no address is ever written anywhere, and the key dies with the process);
 * - trusted devices: a browser where the user completed sign-in holds a signed device cookie. Such a
 *   device bypasses the two budgets above and the per-name lockout (it has its own small failure
 *   budget instead), so flooding a name with bad guesses cannot lock the real user out of their own
 *   browser. This is the "device cookie" defence against online guessing.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { TokenBuckets } from '../token-buckets.js';

export interface SignInBudgets {
  /** Failed sign-ins the whole process absorbs at once, and earns back per minute. */
  globalBurst: number;
  globalPerMinute: number;
  /** The same per client address. */
  clientBurst: number;
  clientPerMinute: number;
  /** Failed passwords a trusted device may send before it is treated as any other client. */
  deviceFailures: number;
}

export const DEFAULT_SIGN_IN_BUDGETS: SignInBudgets = {
  globalBurst: 60,
  globalPerMinute: 6,
  clientBurst: 10,
  clientPerMinute: 0.5,
  deviceFailures: 10,
};

/** Why a sign-in is refused before its password is checked, and for how long. */
export type Throttled = { scope: 'global' | 'client'; retryAfterSeconds: number };

export class SignInGuard {
  readonly #addressKey = randomBytes(32);
  readonly #global: TokenBuckets;
  readonly #clients: TokenBuckets;
  readonly #deviceFailures = new Map<string, number>();
  readonly #budgets: SignInBudgets;

  constructor(budgets: Partial<SignInBudgets> = {}) {
    this.#budgets = { ...DEFAULT_SIGN_IN_BUDGETS, ...budgets };
    this.#global = new TokenBuckets(this.#budgets.globalBurst, this.#budgets.globalPerMinute);
    this.#clients = new TokenBuckets(this.#budgets.clientBurst, this.#budgets.clientPerMinute);
  }

  /** An opaque key for a client address: an HMAC under a key kept only in this process's memory. */
  clientKey(address: string): string {
    return createHmac('sha256', this.#addressKey).update(address).digest('base64url').slice(0, 22);
  }

  /** Whether a sign-in from `client` may be checked now (spends nothing). */
  check(client: string): Throttled | undefined {
    const global = this.#global.wait('*');
    if (global > 0) return { scope: 'global', retryAfterSeconds: global };
    const own = this.#clients.wait(client);
    if (own > 0) return { scope: 'client', retryAfterSeconds: own };
    return undefined;
  }

  /** Counts a failed sign-in; answers the budget that became exhausted by it, if one did. */
  failed(client: string): Throttled['scope'] | undefined {
    const globalWait = this.#global.take('*');
    const clientWait = this.#clients.take(client);
    if (globalWait > 0) return 'global';
    if (clientWait > 0) return 'client';
    return undefined;
  }

  /** A trusted device may still skip the budgets (its own failures are below the limit). */
  deviceMayBypass(device: string): boolean {
    return (this.#deviceFailures.get(device) ?? 0) < this.#budgets.deviceFailures;
  }

  deviceFailed(device: string): void {
    this.#deviceFailures.set(device, (this.#deviceFailures.get(device) ?? 0) + 1);
    if (this.#deviceFailures.size > 10_000) this.#deviceFailures.clear();
  }

  deviceSucceeded(device: string): void {
    this.#deviceFailures.delete(device);
  }
}
