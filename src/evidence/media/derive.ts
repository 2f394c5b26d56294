import { rename, rm, stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import type { FormatEnum, OutputInfo } from 'sharp';
import { ffmpegInput, type RunOptions, runTool } from './run-tool.js';
import { LOCAL_FILES_ONLY } from './sandbox.js';
import { loadSharp, sharpVersionLabel, toolVersions } from './tool-versions.js';
import type { MediaKind, ToolFailure } from './types.js';
import { failure } from './types.js';
import { extractVideoFrame, probeDurationSeconds } from './video-frame.js';

/** A derived working copy; the vault adds the parent's hash and the derivative's own hash. */
export interface DerivedFile {
  ok: true;
  tool: 'sharp' | 'ffmpeg' | 'ffmpeg+sharp';
  toolVersion: string;
  mediaType: string;
  /** Bytes written. */
  size: number;
  width?: number;
  height?: number;
}

export interface ThumbnailOptions extends RunOptions {
  /** Longest side in pixels (default 512). */
  maxSize?: number;
  /** Output format; by default from `outPath`'s extension (.webp → WebP, anything else JPEG). */
  format?: 'jpeg' | 'webp';
  /**
   * Render what can be decoded of a damaged image (e.g. the top of a truncated JPEG) instead of failing.
   * Off by default so that a preview never silently hides damage.
   */
  allowDamaged?: boolean;
}

/** Writes via a temporary name so a failed encode never leaves a half-written derivative. */
async function writeAtomically(outPath: string, write: (tmp: string) => Promise<void>): Promise<number> {
  const tmp = `${outPath}.part-${process.pid}${extname(outPath)}`;
  try {
    await write(tmp);
    await rename(tmp, outPath);
  } finally {
    await rm(tmp, { force: true });
  }
  return (await stat(outPath)).size;
}

/**
 * Makes a JPEG or WebP preview no larger than 512 px with all metadata stripped (sharp writes none
 * unless asked). Images are rotated upright first, since their orientation tag is dropped; video uses a
 * frame at about 1 s (or the first), extracted by ffmpeg without metadata. Never throws.
 */
export async function makeThumbnail(
  path: string,
  kind: MediaKind,
  outPath: string,
  options: ThumbnailOptions = {},
): Promise<DerivedFile | ToolFailure> {
  const maxSize = options.maxSize ?? 512;
  const format = options.format ?? (extname(outPath).toLowerCase() === '.webp' ? 'webp' : 'jpeg');
  const abs = resolve(path);
  let input: string | Buffer = abs;
  let tool: DerivedFile['tool'] = 'sharp';
  const sharp = await loadSharp();
  let toolVersion = await sharpVersionLabel();
  if (kind === 'video') {
    const duration = await probeDurationSeconds(abs, options);
    if (typeof duration !== 'number') return duration;
    const frame = await extractVideoFrame(abs, Math.min(1, duration / 2), options);
    if (!frame.ok) return frame;
    input = frame.png;
    tool = 'ffmpeg+sharp';
    toolVersion = `ffmpeg ${(await toolVersions()).ffmpeg}; ${toolVersion}`;
  } else if (kind !== 'image') {
    return failure('sharp', 'unsupported', `no thumbnail for kind ${kind}`);
  }
  try {
    let info: OutputInfo | undefined;
    const size = await writeAtomically(resolve(outPath), async (tmp) => {
      const pipeline = sharp(input, { failOn: options.allowDamaged ? 'none' : 'error' })
        .autoOrient()
        .resize(maxSize, maxSize, { fit: 'inside', withoutEnlargement: true });
      info = await (format === 'webp'
        ? pipeline.webp({ quality: 80 })
        : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: true })
      ).toFile(tmp);
    });
    return {
      ok: true,
      tool,
      toolVersion,
      mediaType: format === 'webp' ? 'image/webp' : 'image/jpeg',
      size,
      width: info?.width,
      height: info?.height,
    };
  } catch (err) {
    return failure('sharp', 'decode', (err as Error).message);
  }
}

const SHARP_OUTPUT: Record<string, { format: keyof FormatEnum; mediaType: string }> = {
  jpeg: { format: 'jpeg', mediaType: 'image/jpeg' },
  png: { format: 'png', mediaType: 'image/png' },
  webp: { format: 'webp', mediaType: 'image/webp' },
  tiff: { format: 'tiff', mediaType: 'image/tiff' },
  gif: { format: 'gif', mediaType: 'image/gif' },
};

/**
 * Writes a working copy without identifying metadata (GPS, device make/model/serial, XMP, IPTC,
 * container tags). Images are decoded and re-encoded by sharp in their own format where sharp can
 * write it (PNG otherwise), upright, at high quality. Video and audio are remuxed by ffmpeg without
 * re-encoding, keeping only the video and audio streams, since data streams can carry GPS tracks.
 * The original is never touched. Never throws.
 */
export async function stripMetadataCopy(
  path: string,
  kind: MediaKind,
  outPath: string,
  options: RunOptions = {},
): Promise<DerivedFile | ToolFailure> {
  const abs = resolve(path);
  const out = resolve(outPath);
  if (kind === 'image') {
    const sharp = await loadSharp();
    try {
      const meta = await sharp(abs, { failOn: 'error' }).metadata();
      const target = SHARP_OUTPUT[meta.format ?? ''] ?? SHARP_OUTPUT.png!;
      let info: OutputInfo | undefined;
      const size = await writeAtomically(out, async (tmp) => {
        const img = sharp(abs, {
          failOn: 'error',
          animated: target.format === 'gif' || target.format === 'webp',
        })
          .autoOrient()
          .toFormat(
            target.format,
            target.format === 'jpeg' ? { quality: 95, chromaSubsampling: '4:4:4' } : {},
          );
        info = await img.toFile(tmp);
      });
      return {
        ok: true,
        tool: 'sharp',
        toolVersion: await sharpVersionLabel(),
        mediaType: target.mediaType,
        size,
        width: info?.width,
        height: info?.height,
      };
    } catch (err) {
      return failure('sharp', 'decode', (err as Error).message);
    }
  }
  if (kind !== 'video' && kind !== 'audio') {
    return failure('ffmpeg', 'unsupported', `no metadata stripping for kind ${kind}`);
  }
  const version = (await toolVersions()).ffmpeg;
  if (version === null)
    return failure('ffmpeg', 'missing-tool', 'ffmpeg is not installed (run scripts/setup-system.sh)');
  const ext = extname(out).slice(1).toLowerCase();
  let failed: ToolFailure | undefined;
  try {
    const size = await writeAtomically(out, async (tmp) => {
      const r = await runTool(
        'ffmpeg',
        'ffmpeg',
        [
          '-v',
          'error',
          '-nostdin',
          '-y',
          ...LOCAL_FILES_ONLY,
          '-i',
          ffmpegInput(abs),
          ...(kind === 'video' ? ['-map', '0:v?'] : []),
          '-map',
          '0:a?',
          '-map_metadata',
          '-1',
          '-map_chapters',
          '-1',
          '-c',
          'copy',
          // bitexact: no encoder name/version tag written into the copy.
          '-fflags',
          '+bitexact',
          '-flags:v',
          '+bitexact',
          '-flags:a',
          '+bitexact',
          ffmpegInput(tmp),
        ],
        { ...options, writable: [dirname(tmp)] },
      );
      if (!r.ok) {
        failed = r.code === 'exit' ? { ...r, code: 'decode' } : r;
        throw new Error(r.message);
      }
    });
    return {
      ok: true,
      tool: 'ffmpeg',
      toolVersion: `ffmpeg ${version}`,
      mediaType: mediaTypeFor(ext, kind),
      size,
    };
  } catch (err) {
    return failed ?? failure('ffmpeg', 'io', (err as Error).message);
  }
}

function mediaTypeFor(ext: string, kind: MediaKind): string {
  const known: Record<string, string> = {
    mp4: 'video/mp4',
    m4v: 'video/mp4',
    mov: 'video/quicktime',
    mkv: kind === 'audio' ? 'audio/x-matroska' : 'video/x-matroska',
    webm: kind === 'audio' ? 'audio/webm' : 'video/webm',
    m4a: 'audio/mp4',
    mp3: 'audio/mpeg',
    ogg: kind === 'audio' ? 'audio/ogg' : 'video/ogg',
    wav: 'audio/wav',
  };
  return known[ext] ?? 'application/octet-stream';
}
