/**
 * What the citizen page's resumable uploads may use, without identifying anyone.
 *
 * The old rule (a global bucket of 30 creates, one more a minute) let ~30 empty creates a minute shut
 * the channel for everyone. Here nothing is global per request: a form token is minted free, but before
 * its first upload the page's script must solve a small proof of work on it (`proofBits` leading zero
 * bits of SHA-256(token.proof)), so each token costs its holder CPU time. A token then has its own small
 * allowance (`openPerForm` unfinished uploads at a time). What is shared is storage, counted in bytes
 * actually received (plus a small charge per open upload for its files), bounded by `storageBytes`;
 * a transfer that would pass the bound is refused for now (503, Retry-After), never a create. Uploads
 * idle for `idleMs` are removed, which frees their share quickly.
 *
 * The form posted without JavaScript keeps its slower path (a global bucket in routes.ts): it cannot
 * solve a proof, and it streams straight into the vault, so it holds no partial upload storage.
 */
import { createHash } from 'node:crypto';
import type { DataStore } from '@tus/server';
import { AppError, defineErrors } from '../../platform/errors.js';

export const citizenUploadErrors = defineErrors({
  SVD_EVIDENCE_PROOF_REQUIRED: {
    status: 400,
    message: 'The page did not finish preparing the upload. Reload the page and send again.',
  },
  SVD_EVIDENCE_FORM_BUSY: {
    status: 429,
    message: 'This form already has unfinished uploads. Wait for them or reload the page.',
  },
  SVD_EVIDENCE_UPLOADS_FULL: {
    status: 503,
    message: 'The server is receiving many files right now. The upload continues in a few minutes.',
  },
});

export interface CitizenUploadLimits {
  /** Leading zero bits of SHA-256(`<token>.<proof>`) a token needs before its first upload. */
  proofBits: number;
  /** An unfinished upload that receives nothing for this long is removed. */
  idleMs: number;
  /** Bytes all unfinished citizen uploads together may hold on disk. */
  storageBytes: number;
  /** Unfinished uploads one form token may hold at a time. */
  openPerForm: number;
}

/**
 * What an open upload is charged besides its bytes: its two files, and its share of memory. Charging
 * this much makes the storage bound a bound on how many uploads can be open too (16 GB: 262,144).
 */
export const UPLOAD_OVERHEAD_BYTES = 64 * 1024;

/** Open uploads at which the proof of work starts to get harder (one bit more each time they double). */
const BUSY_FROM = 1000;

/** The limits from the configuration (SVIEDKA_CITIZEN_*; defaults in the README). */
export function citizenUploadLimits(config: {
  citizenProofBits: number;
  citizenUploadIdleMinutes: number;
  citizenUploadStorageBytes: number;
}): CitizenUploadLimits {
  return {
    proofBits: config.citizenProofBits,
    idleMs: config.citizenUploadIdleMinutes * 60_000,
    storageBytes: config.citizenUploadStorageBytes,
    openPerForm: 4,
  };
}

/** Whether `proof` is a solution of the token's puzzle at `bits` leading zero bits. */
export function proofHolds(token: string, proof: string | undefined, bits: number): boolean {
  if (bits <= 0) return true;
  if (!proof || !/^[0-9]{1,16}$/.test(proof)) return false;
  const first = createHash('sha256').update(`${token}.${proof}`).digest().readUInt32BE(0);
  return first >>> (32 - bits) === 0;
}

/** Finds a proof for `token` (tests and tools; the page's script has its own SHA-256). */
export function solveProof(token: string, bits: number): string {
  for (let counter = 0; ; counter++) if (proofHolds(token, String(counter), bits)) return String(counter);
}

interface OpenUpload {
  form: string;
  /** Plaintext bytes received so far (the tus offset). */
  stored: number;
  /** Transfers into this upload now running. */
  transfers: number;
  lastActivity: number;
}

/** A transfer admitted against the storage bound; `end` gives its reservation back. */
export interface Transfer {
  /** Once the bytes are written: `uploadId` (if the transfer created it) is re-read for its offset. */
  end(uploadId?: string): Promise<void>;
}

/** Admission and bookkeeping of the citizen page's unfinished uploads; see the module comment. */
export class CitizenUploads {
  readonly #uploads = new Map<string, OpenUpload>();
  readonly #forms = new Map<string, Set<string>>();
  #stored = 0;
  #reserved = 0;

  constructor(
    readonly store: DataStore,
    readonly limits: CitizenUploadLimits,
    readonly clock: () => number = Date.now,
  ) {}

  /** Bytes held and reserved now (for tests and the log). */
  get used(): number {
    return this.#stored + this.#reserved;
  }

  /** Unfinished uploads known now. */
  get open(): number {
    return this.#uploads.size;
  }

  /**
   * The proof of work a new form token needs: the configured bits, one more each time the open
   * uploads double past BUSY_FROM. Under a flood of empty uploads the flood gets dearer (and honest
   * pages slower) instead of the channel closing.
   */
  proofBits(): number {
    if (this.limits.proofBits <= 0) return 0;
    const extra = this.open > BUSY_FROM ? Math.ceil(Math.log2(this.open / BUSY_FROM)) : 0;
    return Math.min(30, this.limits.proofBits + extra);
  }

  /** Throws a coded error unless the form whose nonce is `form` may start one more upload now. */
  checkCreate(form: string): void {
    if ((this.#forms.get(form)?.size ?? 0) >= this.limits.openPerForm)
      throw new AppError('SVD_EVIDENCE_FORM_BUSY');
    if (this.used + UPLOAD_OVERHEAD_BYTES > this.limits.storageBytes)
      throw new AppError('SVD_EVIDENCE_UPLOADS_FULL', { details: { retryAfterSeconds: 60 } });
  }

  /** A new upload under the form whose nonce is `form` (after `checkCreate`). */
  addUpload(form: string, uploadId: string): void {
    const open = this.#forms.get(form) ?? new Set<string>();
    open.add(uploadId);
    this.#forms.set(form, open);
    this.#uploads.set(uploadId, { form, stored: 0, transfers: 0, lastActivity: this.clock() });
    this.#stored += UPLOAD_OVERHEAD_BYTES;
  }

  /**
   * Admits a transfer of up to `bytes` (the request's Content-Length, or what the upload still lacks)
   * into `uploadId` (undefined: a create carrying its first bytes). Throws SVD_EVIDENCE_UPLOADS_FULL
   * when the bytes would pass the storage bound.
   */
  beginTransfer(uploadId: string | undefined, bytes: number): Transfer {
    if (this.used + bytes > this.limits.storageBytes)
      throw new AppError('SVD_EVIDENCE_UPLOADS_FULL', { details: { retryAfterSeconds: 60 } });
    this.#reserved += bytes;
    const known = uploadId ? this.#uploads.get(uploadId) : undefined;
    if (known) known.transfers++;
    let ended = false;
    return {
      end: async (createdId?: string) => {
        if (ended) return;
        ended = true;
        this.#reserved -= bytes;
        if (known) known.transfers--;
        const id = createdId ?? uploadId;
        if (id) await this.refresh(id);
      },
    };
  }

  /** Re-reads an upload's offset from the store; forgets it when the store no longer has it. */
  async refresh(uploadId: string): Promise<void> {
    const open = this.#uploads.get(uploadId);
    if (!open) return;
    open.lastActivity = this.clock();
    try {
      const upload = await this.store.getUpload(uploadId);
      this.#stored += (upload.offset ?? 0) - open.stored;
      open.stored = upload.offset ?? 0;
    } catch {
      this.forget(uploadId);
    }
  }

  /** The upload is finished (taken into the vault) or removed: its share is free again. */
  forget(uploadId: string): void {
    const open = this.#uploads.get(uploadId);
    if (!open) return;
    this.#uploads.delete(uploadId);
    this.#stored -= open.stored + UPLOAD_OVERHEAD_BYTES;
    const siblings = this.#forms.get(open.form);
    siblings?.delete(uploadId);
    if (siblings?.size === 0) this.#forms.delete(open.form);
  }

  /** Removes uploads that received nothing for `idleMs` (none with a transfer running). */
  async sweep(now = this.clock()): Promise<number> {
    let removed = 0;
    for (const [id, open] of [...this.#uploads]) {
      if (open.transfers > 0 || now - open.lastActivity <= this.limits.idleMs) continue;
      this.forget(id);
      await this.store.remove(id).catch(() => {});
      removed++;
    }
    return removed;
  }
}
