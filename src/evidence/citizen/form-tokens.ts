/**
 * Flood protection of the citizen page without identifying anyone: a global token bucket and the
 * form's single-use anti-forgery tokens.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual, randomBytes, randomToken } from '../../platform/crypto.js';

/**
 * A global token bucket for the citizen page. It is keyed by nothing: keying by IP would mean keeping
 * IPs. It only stops floods; one busy hour may make honest senders wait, which the page says.
 */
export class TokenBucket {
  #tokens: number;
  #last = Date.now();
  constructor(
    readonly capacity: number,
    readonly perSecond: number,
  ) {
    this.#tokens = capacity;
  }
  take(): boolean {
    const now = Date.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#last) / 1000) * this.perSecond);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/**
 * The citizen form's anti-forgery token: `<minute>.<nonce>.<proof bits>.<mac>` with an HMAC under a
 * per-process key,
 * valid for two hours and usable once. The platform's CSRF protection expects a cookie-bound token in
 * the x-csrf-token header, which a JavaScript-free form cannot send, and a cookie would be a device
 * identifier the page promises not to keep. A hidden field proves the form came from this server
 * recently (stopping blind cross-site posts and naive replays) without identifying anyone.
 */
export class FormTokens {
  readonly #key = randomBytes(32);
  readonly #used = new Map<string, number>();
  /** Tokens in use by the page's script: nonce → files started with it. */
  readonly #batches = new Map<string, number>();
  /** A new token; `proofBits`: the proof of work its first resumable upload will need (signed in it). */
  issue(proofBits = 0): string {
    const minute = Math.floor(Date.now() / 60_000);
    const nonce = randomToken(12);
    const signed = `${minute}.${nonce}.${proofBits}`;
    return `${signed}.${this.#mac(signed)}`;
  }
  #mac(text: string): string {
    return createHmac('sha256', this.#key).update(text).digest('base64url').slice(0, 32);
  }
  /** The token's nonce, minute and proof difficulty when its MAC and age are right. */
  #parse(token: string | undefined): { minute: number; nonce: string; proofBits: number } | undefined {
    const [minute, nonce, bits, mac, extra] = (token ?? '').split('.');
    if (!minute || !nonce || !bits || !mac || extra !== undefined) return undefined;
    if (!constantTimeEqual(mac, this.#mac(`${minute}.${nonce}.${bits}`))) return undefined;
    const age = Math.floor(Date.now() / 60_000) - Number(minute);
    if (!(age >= 0 && age <= 120)) return undefined;
    return { minute: Number(minute), nonce, proofBits: Number(bits) };
  }
  #markUsed(nonce: string, minute: number): void {
    this.#used.set(nonce, minute);
    for (const [key, at] of this.#used)
      if (Math.floor(Date.now() / 60_000) - at > 120) {
        this.#used.delete(key);
        this.#batches.delete(key);
      }
  }
  /**
   * Where a token stands for the page's script: its nonce and whether its submission has started
   * (a started one already paid its proof of work), or false when it is invalid, old or posted.
   */
  batchState(token: string | undefined): { nonce: string; started: boolean; proofBits: number } | false {
    const parsed = this.#parse(token);
    if (!parsed) return false;
    const started = this.#batches.has(parsed.nonce);
    if (!started && this.#used.has(parsed.nonce)) return false;
    return { nonce: parsed.nonce, started, proofBits: parsed.proofBits };
  }
  /** Checks a token; with `consume`, it cannot be used again. */
  check(token: string | undefined, consume: boolean): boolean {
    const parsed = this.#parse(token);
    if (!parsed || this.#used.has(parsed.nonce)) return false;
    if (consume) this.#markUsed(parsed.nonce, parsed.minute);
    return true;
  }
  /**
   * Checks a token for the page's script, which sends each chosen file as its own resumable upload
   * with the page's token: the first file starts a submission ('first': the caller takes a bucket
   * token), later ones join it ('again'), up to `limit` files. The form can no longer be posted with it.
   */
  checkBatch(token: string | undefined, limit = 200): 'first' | 'again' | false {
    const parsed = this.#parse(token);
    if (!parsed) return false;
    const started = this.#batches.get(parsed.nonce);
    if (started === undefined && this.#used.has(parsed.nonce)) return false;
    if ((started ?? 0) >= limit) return false;
    this.#batches.set(parsed.nonce, (started ?? 0) + 1);
    this.#markUsed(parsed.nonce, parsed.minute);
    return started === undefined ? 'first' : 'again';
  }
}
