/**
 * The processing pipeline as a declared list of steps. Each step names the tools that do its work;
 * every record it produces carries the tool's exact version. A step reads the decrypted copy of the
 * original and adds to the item's ProcessingRecords; nothing is written until all steps have run (see
 * pipeline.ts). A tool's failure is a processing event, never an exception: the item stays, marked.
 *
 *   step          tools                   produces
 *   type          file-type               the media type from the content; name/structure warnings
 *   metadata      exiftool, ffprobe       one metadata record per tool; the capture time
 *   thumbnail     sharp (ffmpeg: video)   a small metadata-free preview
 *   stripped      sharp / ffmpeg          a working copy without identifying metadata
 *   phash         sharp (ffmpeg: video)   64-bit DCT perceptual hashes (keyframes for video)
 *   duplicates    pHash index             "possible duplicate" links to near-identical items
 */
import path from 'node:path';
import type { StagedBlob } from '../../platform/blobs/index.js';
import type {
  DerivedFile,
  detectType,
  extractMetadata,
  MediaKind,
  PhashResult,
  ToolFailure,
} from '../media/index.js';
import type { ItemRow } from '../store/tables.js';
import { captureInstant } from './capture-time.js';
import type { ProcessingRecords } from './records.js';

/** The media tools the steps call: in-process functions or their sandboxed equivalents. */
export interface MediaTools {
  detectType: typeof detectType;
  extractMetadata: typeof extractMetadata;
  makeThumbnail(file: string, kind: MediaKind, out: string): Promise<DerivedFile | ToolFailure>;
  stripMetadataCopy(file: string, kind: MediaKind, out: string): Promise<DerivedFile | ToolFailure>;
  perceptualHash(file: string, kind: MediaKind): Promise<PhashResult | ToolFailure>;
}

/** What earlier runs already stored for the item (a re-run skips it). */
export interface DoneSteps {
  steps: ReadonlySet<string>;
  derivatives: ReadonlySet<string>;
  phashes: boolean;
}

export interface StepContext {
  readonly item: ItemRow;
  /** The decrypted original, in a private scratch directory. */
  readonly file: string;
  /** The scratch directory, for the tools' output. */
  readonly dir: string;
  readonly done: DoneSteps;
  readonly records: ProcessingRecords;
  readonly tools: MediaTools;
  /** Stages a working copy in the blob store (encrypted, not yet visible). */
  stage(file: string): Promise<StagedBlob>;
  /** Items whose perceptual hashes are near these (the item's own hashes join the index). */
  nearDuplicates(hashes: string[]): Array<{ itemId: string; distance: number }>;
  /** Set by the type step; the other steps route by it. */
  kind: MediaKind;
  extension: string;
}

export interface ProcessingStep {
  readonly name: string;
  /** The tools that do the step's work; their versions are recorded with each result. */
  readonly tools: readonly string[];
  /** Whether the step has anything to do for this item. */
  applies(context: StepContext): boolean;
  /** Runs the step; 'stop' ends the pipeline for this item (e.g. an empty file). */
  run(context: StepContext): Promise<'stop' | undefined>;
}

const visual = (context: StepContext) => context.kind === 'image' || context.kind === 'video';

const typeStep: ProcessingStep = {
  name: 'type',
  tools: ['file-type'],
  applies: () => true,
  async run(context) {
    const { item, records } = context;
    const detected = await context.tools.detectType(context.file, item.file_name ?? undefined);
    const first = !context.done.steps.has('type');
    if (!detected.ok) {
      if (first) records.failed('type', detected);
      return;
    }
    context.kind = detected.kind;
    context.extension = detected.extension;
    if (first) {
      records.event('type', 'ok', { tool: 'file-type', message: detected.mediaType });
      if (detected.nameMismatch)
        records.event('type', 'warning', {
          tool: 'file-type',
          code: 'name-mismatch',
          message: `the name claims .${detected.nameExtension} but the content is ${detected.mediaType}`,
        });
      for (const warning of detected.warnings)
        records.event('type', 'warning', { tool: 'file-type', code: 'structure', message: warning });
    }
    if (detected.mediaType !== item.media_type)
      records.mediaType = { mediaType: detected.mediaType, kind: detected.kind };
  },
};

const metadataStep: ProcessingStep = {
  name: 'metadata',
  tools: ['exiftool', 'ffprobe'],
  applies: (context) => context.item.size === 0 || !context.done.steps.has('metadata'),
  async run(context) {
    const { records } = context;
    if (Number(context.item.size) === 0) {
      if (!context.done.steps.has('metadata'))
        records.event('metadata', 'skipped', { code: 'empty', message: 'the file has no bytes' });
      return 'stop';
    }
    const outcomes = await context.tools.extractMetadata(context.file, context.kind);
    const stored: Array<{ id: string; tool: string; toolVersion: string }> = [];
    for (const outcome of outcomes) {
      if (!outcome.ok) {
        records.failed('metadata', outcome);
        continue;
      }
      const id = records.newId();
      records.metadata.push({
        id,
        tool: outcome.tool,
        toolVersion: outcome.toolVersion,
        data: outcome.data,
        summary: outcome.summary,
        warnings: outcome.warnings,
      });
      stored.push({ id, tool: outcome.tool, toolVersion: outcome.toolVersion });
      records.event('metadata', outcome.warnings.length ? 'warning' : 'ok', {
        tool: outcome.tool,
        toolVersion: outcome.toolVersion,
        ...(outcome.warnings.length ? { message: outcome.warnings.join('; ') } : {}),
      });
    }
    if (stored.length) records.custody.push({ action: 'metadata-extracted', details: { records: stored } });
    records.capturedAt =
      outcomes
        .map((outcome) => (outcome.ok ? captureInstant(outcome.summary.captureTime) : null))
        .find((at) => at !== null) ?? undefined;
  },
};

/** A step that makes one working copy (thumbnail or metadata-stripped copy) of an image or video. */
function derivedCopyStep(
  purpose: 'thumbnail' | 'stripped',
  make: (context: StepContext, out: string) => ReturnType<MediaTools['makeThumbnail']>,
  outName: (context: StepContext) => string,
): ProcessingStep {
  return {
    name: purpose,
    tools: ['sharp', 'ffmpeg'],
    applies: (context) => visual(context) && !context.done.derivatives.has(purpose),
    async run(context) {
      const out = path.join(context.dir, outName(context));
      const made = await make(context, out);
      if (!made.ok) {
        context.records.failed(purpose, made);
        return;
      }
      const staged = await context.stage(out);
      context.records.derivatives.push({
        purpose,
        staged,
        tool: made.tool,
        toolVersion: made.toolVersion,
        mediaType: made.mediaType,
        width: made.width ?? null,
        height: made.height ?? null,
      });
      context.records.custody.push({
        action: 'derived',
        details: {
          purpose,
          parentSha256: context.item.sha256,
          sha256: staged.sha256,
          tool: made.tool,
          toolVersion: made.toolVersion,
          metadataStripped: true,
        },
      });
    },
  };
}

const phashStep: ProcessingStep = {
  name: 'phash',
  tools: ['sharp', 'ffmpeg'],
  applies: (context) => visual(context) && !context.done.phashes,
  async run(context) {
    const result = await context.tools.perceptualHash(context.file, context.kind);
    if (!result.ok) {
      context.records.failed('phash', result);
      return;
    }
    context.records.phashes = {
      frames: result.frames,
      algorithm: result.algorithm,
      tool: result.tool,
      toolVersion: result.toolVersion,
    };
    context.records.event('phash', 'ok', {
      tool: result.tool,
      toolVersion: result.toolVersion,
      message: result.hash,
    });
  },
};

const duplicatesStep: ProcessingStep = {
  name: 'duplicates',
  tools: ['pHash index'],
  applies: (context) => context.records.phashes !== undefined,
  async run(context) {
    const hashes = context.records.phashes!.frames.map((frame) => frame.hash);
    for (const match of context.nearDuplicates(hashes))
      context.records.links.push({ ...match, algorithm: context.records.phashes!.algorithm });
  },
};

/** The steps, in the order they run. */
export const PROCESSING_STEPS: readonly ProcessingStep[] = [
  typeStep,
  metadataStep,
  derivedCopyStep(
    'thumbnail',
    (context, out) => context.tools.makeThumbnail(context.file, context.kind, out),
    () => 'thumbnail.jpg',
  ),
  derivedCopyStep(
    'stripped',
    (context, out) => context.tools.stripMetadataCopy(context.file, context.kind, out),
    (context) => `stripped.${context.extension}`,
  ),
  phashStep,
  duplicatesStep,
];
