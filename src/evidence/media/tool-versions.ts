import { runTool } from './run-tool.js';

/** Versions of the tools whose output the vault records; `null` when a tool is not installed. */
export interface ToolVersions {
  exiftool: string | null;
  ffprobe: string | null;
  ffmpeg: string | null;
  sharp: string;
  libvips: string;
}

let cached: Promise<ToolVersions> | undefined;

type Sharp = typeof import('sharp')['default'];
let sharpModule: Promise<Sharp> | undefined;
/** sharp (with libvips) loads with the first image to process, not with every process that opens the vault. */
export function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then((module) => module.default);
  return sharpModule;
}

async function ffVersion(cmd: 'ffmpeg' | 'ffprobe'): Promise<string | null> {
  const r = await runTool(cmd, cmd, ['-hide_banner', '-version'], { timeoutMs: 10_000 });
  if (!r.ok) return null;
  // "ffmpeg version 5.1.9-0+deb12u1 Copyright ..."
  const m = /version\s+(\S+)/.exec(r.stdout.toString('utf8'));
  return m?.[1] ?? null;
}

async function exiftoolVersion(): Promise<string | null> {
  const r = await runTool('exiftool', 'exiftool', ['-ver'], { timeoutMs: 10_000 });
  return r.ok ? r.stdout.toString('utf8').trim() || null : null;
}

/**
 * Versions of exiftool, ffprobe, ffmpeg, sharp and libvips, read once per process and cached, so
 * every derived file and metadata record can name the exact tool that made it.
 */
export function toolVersions(): Promise<ToolVersions> {
  cached ??= (async () => {
    const [exiftool, ffprobe, ffmpeg, sharp] = await Promise.all([
      exiftoolVersion(),
      ffVersion('ffprobe'),
      ffVersion('ffmpeg'),
      loadSharp(),
    ]);
    return { exiftool, ffprobe, ffmpeg, sharp: sharp.versions.sharp, libvips: sharp.versions.vips };
  })();
  return cached;
}

/** The version string recorded for sharp-made files: sharp's own and the libvips it wraps. */
export async function sharpVersionLabel(): Promise<string> {
  const sharp = await loadSharp();
  return `sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips})`;
}
