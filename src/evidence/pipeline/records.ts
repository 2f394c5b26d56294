/**
 * What processing one item produces, gathered while the tools run and written afterwards in one
 * transaction: processing events, metadata records, working copies (already staged in the blob store),
 * perceptual hashes, near-duplicate links and the custody events that describe them.
 */
import { randomUUID } from 'node:crypto';
import type { StagedBlob } from '../../platform/blobs/index.js';
import type { MetadataSummary } from '../media/index.js';
import type { CustodyAction } from '../model.js';

export type StepOutcome = 'ok' | 'failed' | 'warning' | 'skipped';

export interface ProcessingEvent {
  id: string;
  step: string;
  outcome: StepOutcome;
  tool: string | null;
  toolVersion: string | null;
  code: string | null;
  message: string | null;
  at: Date;
}

export interface MetadataRecordRow {
  id: string;
  tool: string;
  toolVersion: string;
  data: Record<string, unknown>;
  summary: MetadataSummary;
  warnings: string[];
}

export interface DerivedCopy {
  purpose: 'thumbnail' | 'stripped';
  staged: StagedBlob;
  tool: string;
  toolVersion: string;
  mediaType: string;
  width: number | null;
  height: number | null;
}

export interface PhashRecord {
  frames: Array<{ timeSeconds: number; hash: string }>;
  algorithm: string;
  tool: string;
  toolVersion: string;
}

export class ProcessingRecords {
  readonly events: ProcessingEvent[] = [];
  readonly metadata: MetadataRecordRow[] = [];
  readonly derivatives: DerivedCopy[] = [];
  readonly custody: Array<{ action: CustodyAction; details: Record<string, unknown> }> = [];
  readonly links: Array<{ itemId: string; distance: number; algorithm: string }> = [];
  phashes: PhashRecord | undefined;
  mediaType: { mediaType: string; kind: string } | undefined;
  capturedAt: Date | undefined;
  #last = 0;

  /**
   * @param day For a citizen's item: the day its events are dated to (finer times would date the
   *   submission). Events then keep their order by millisecond offsets from the day's start.
   */
  constructor(readonly day: Date | undefined) {}

  newId(): string {
    return randomUUID();
  }

  /** A time for the next record: now, strictly after the previous one, or the day for a citizen. */
  nextTime(): Date {
    const base = this.day ? this.day.getTime() : Date.now();
    this.#last = Math.max(base, this.#last + 1);
    return new Date(this.#last);
  }

  event(
    step: string,
    outcome: StepOutcome,
    extra: { tool?: string; toolVersion?: string; code?: string; message?: string } = {},
  ): void {
    this.events.push({
      id: randomUUID(),
      step,
      outcome,
      tool: extra.tool ?? null,
      toolVersion: extra.toolVersion ?? null,
      code: extra.code ?? null,
      message: extra.message?.slice(0, 2000) ?? null,
      at: this.nextTime(),
    });
  }

  /** A tool's failure as a processing event (the item stays; the failure is never dropped). */
  failed(step: string, failure: { tool: string; code: string; message: string }): void {
    this.event(step, 'failed', { tool: failure.tool, code: failure.code, message: failure.message });
  }

  /** Removes the staged working copies when the records will not be written. */
  async abort(): Promise<void> {
    await Promise.all(this.derivatives.map((copy) => copy.staged.abort()));
  }
}
