import { ffmpegInput, type RunOptions, runTool } from './run-tool.js';
import { LOCAL_FILES_ONLY } from './sandbox.js';
import type { ToolFailure } from './types.js';
import { failure } from './types.js';

export interface VideoFrame {
  ok: true;
  /** One decoded frame as PNG, with no metadata (ffmpeg `-map_metadata -1`). */
  png: Buffer;
  /** Where the frame was taken, seconds. */
  timeSeconds: number;
}

/** Container duration in seconds via ffprobe (0 when the container does not state one). */
export async function probeDurationSeconds(
  absPath: string,
  options: RunOptions = {},
): Promise<number | ToolFailure> {
  const r = await runTool(
    'ffprobe',
    'ffprobe',
    [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'default=nw=1:nk=1',
      ...LOCAL_FILES_ONLY,
      ffmpegInput(absPath),
    ],
    options,
  );
  if (!r.ok) return r.code === 'exit' ? { ...r, code: 'decode' } : r;
  const d = Number.parseFloat(r.stdout.toString('utf8').trim());
  return Number.isFinite(d) && d > 0 ? d : 0;
}

async function grab(absPath: string, at: number, options: RunOptions): Promise<Buffer | ToolFailure> {
  const r = await runTool(
    'ffmpeg',
    'ffmpeg',
    [
      '-v',
      'error',
      '-nostdin',
      ...LOCAL_FILES_ONLY,
      // Input-side seek: jumps to the keyframe before `at`, then decodes forward to it.
      '-ss',
      at.toFixed(3),
      '-i',
      ffmpegInput(absPath),
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      '-map_metadata',
      '-1',
      '-f',
      'image2pipe',
      '-c:v',
      'png',
      'pipe:1',
    ],
    options,
  );
  if (!r.ok) return r.code === 'exit' ? { ...r, code: 'decode' } : r;
  return r.stdout;
}

/**
 * Decodes one video frame at `atSeconds` (falling back to the first frame when the video is shorter)
 * and returns it as a metadata-free PNG.
 */
export async function extractVideoFrame(
  absPath: string,
  atSeconds: number,
  options: RunOptions = {},
): Promise<VideoFrame | ToolFailure> {
  const first = await grab(absPath, Math.max(0, atSeconds), options);
  if (Buffer.isBuffer(first) && first.length > 0) return { ok: true, png: first, timeSeconds: atSeconds };
  if (atSeconds > 0) {
    const second = await grab(absPath, 0, options);
    if (Buffer.isBuffer(second) && second.length > 0) return { ok: true, png: second, timeSeconds: 0 };
    if (!Buffer.isBuffer(second)) return second;
  }
  if (!Buffer.isBuffer(first)) return first;
  return failure('ffmpeg', 'decode', 'the video has no decodable frame');
}
