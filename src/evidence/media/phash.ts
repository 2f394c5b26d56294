import { resolve } from 'node:path';
import { hamming } from './hamming.js';
import { loadSharp, sharpVersionLabel, toolVersions } from './tool-versions.js';
import type { MediaKind, ToolFailure } from './types.js';
import { failure } from './types.js';
import { extractVideoFrame, probeDurationSeconds } from './video-frame.js';

const N = 32;
/** Frequencies 1..8 in each direction: the 8×8 low-frequency block without the DC row and column. */
const F = 8;

/** cos((2x+1)uπ/2N) for u = 1..8, x = 0..31, laid out [u-1][x]. */
const COS: Float64Array = (() => {
  const t = new Float64Array(F * N);
  for (let u = 1; u <= F; u++) {
    for (let x = 0; x < N; x++) t[(u - 1) * N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
  }
  return t;
})();

/**
 * The 64-bit DCT perceptual hash of a 32×32 grayscale image (row-major, 1024 values), as 16 hex digits.
 * As in the pHash library: 2-D DCT-II, keep the 8×8 coefficients at frequencies 1..8 (dropping the DC
 * row and column, which carry overall brightness), and set a bit where a coefficient exceeds their
 * median. The DCT's scale factors are equal for all kept coefficients, so they are left out.
 */
export function phashFromGray32(pixels: ArrayLike<number>): string {
  if (pixels.length !== N * N) throw new RangeError(`expected ${N * N} pixels, got ${pixels.length}`);
  // Separable DCT, computing only the 8 needed frequencies: first along rows (x), then columns (y).
  const rows = new Float64Array(F * N); // [v-1][y] = Σx cos_v(x)·p(x,y)
  for (let y = 0; y < N; y++) {
    for (let v = 0; v < F; v++) {
      let acc = 0;
      const c = v * N;
      for (let x = 0; x < N; x++) acc += COS[c + x]! * pixels[y * N + x]!;
      rows[v * N + y] = acc;
    }
  }
  const coef = new Float64Array(F * F); // [u-1][v-1], u vertical frequency
  for (let u = 0; u < F; u++) {
    for (let v = 0; v < F; v++) {
      let acc = 0;
      for (let y = 0; y < N; y++) acc += COS[u * N + y]! * rows[v * N + y]!;
      coef[u * F + v] = acc;
    }
  }
  const sorted = Float64Array.from(coef).sort();
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 32; i++) if (coef[i]! > median) hi |= 1 << (31 - i);
  for (let i = 0; i < 32; i++) if (coef[32 + i]! > median) lo |= 1 << (31 - i);
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** 32×32 grayscale pixels of an image, upright per EXIF orientation, transparency flattened on white. */
async function gray32(input: string | Buffer): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(input, { failOn: 'error' })
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(N, N, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) {
    // greyscale() may still give 2+ channels for unusual inputs; keep the first.
    const out = new Uint8Array(N * N);
    for (let i = 0; i < N * N; i++) out[i] = data[i * info.channels]!;
    return out;
  }
  return data;
}

export interface PhashFrame {
  /** Position of the frame in the video, seconds (0 for a still image). */
  timeSeconds: number;
  hash: string;
}

export interface PhashResult {
  ok: true;
  algorithm: 'dct-phash-64';
  tool: 'sharp' | 'ffmpeg+sharp';
  toolVersion: string;
  /** The item's representative hash (for video: the frame the thumbnail shows). */
  hash: string;
  /** One entry for an image; several keyframes spread over a video. */
  frames: PhashFrame[];
}

export interface PhashOptions {
  /** Video: number of frames to hash, spread evenly (default 5). */
  videoFrames?: number;
  timeoutMs?: number;
}

/**
 * Perceptual hash (64-bit DCT pHash, 16 hex digits) of an image file or buffer, or of keyframes of a
 * video file (`kind: 'video'`). Near-duplicates (re-encodes, resizes) differ by a few bits; compare with
 * {@link hamming}. Never throws: undecodable input gives a {@link ToolFailure}.
 */
export async function perceptualHash(
  input: string | Buffer,
  kind: MediaKind = 'image',
  options: PhashOptions = {},
): Promise<PhashResult | ToolFailure> {
  if (kind === 'image') {
    try {
      const hash = phashFromGray32(await gray32(typeof input === 'string' ? resolve(input) : input));
      return {
        ok: true,
        algorithm: 'dct-phash-64',
        tool: 'sharp',
        toolVersion: await sharpVersionLabel(),
        hash,
        frames: [{ timeSeconds: 0, hash }],
      };
    } catch (err) {
      return failure('sharp', 'decode', (err as Error).message);
    }
  }
  if (kind !== 'video') return failure('sharp', 'unsupported', `no perceptual hash for kind ${kind}`);
  if (typeof input !== 'string')
    return failure('ffmpeg', 'unsupported', 'video must be given as a file path');

  const path = resolve(input);
  const duration = await probeDurationSeconds(path, options);
  if (typeof duration !== 'number') return duration;
  const count = Math.max(1, options.videoFrames ?? 5);
  // The representative frame comes first (same choice as the thumbnail), then evenly spread ones.
  const times = [Math.min(1, duration / 2)];
  for (let i = 0; i < count - 1; i++) times.push((duration * (i + 0.5)) / (count - 1));
  const frames: PhashFrame[] = [];
  for (const t of times) {
    const frame = await extractVideoFrame(path, t, options);
    if (!frame.ok) {
      if (frames.length === 0) return frame;
      continue;
    }
    try {
      frames.push({ timeSeconds: frame.timeSeconds, hash: phashFromGray32(await gray32(frame.png)) });
    } catch (err) {
      if (frames.length === 0) return failure('sharp', 'decode', (err as Error).message);
    }
  }
  const versions = await toolVersions();
  return {
    ok: true,
    algorithm: 'dct-phash-64',
    tool: 'ffmpeg+sharp',
    toolVersion: `ffmpeg ${versions.ffmpeg}; ${await sharpVersionLabel()}`,
    hash: frames[0]!.hash,
    frames,
  };
}

export { hamming };
