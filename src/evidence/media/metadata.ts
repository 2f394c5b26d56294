import { resolve } from 'node:path';
import { exiftoolSettings, sharedExiftool } from './exiftool-process.js';
import { ffmpegInput, type RunOptions, runTool } from './run-tool.js';
import { LOCAL_FILES_ONLY } from './sandbox.js';
import { toolVersions } from './tool-versions.js';
import type { MediaKind, ToolFailure } from './types.js';
import { failure } from './types.js';

/** The few fields the vault indexes and shows; everything else stays in the raw `data`. */
export interface MetadataSummary {
  /** ISO 8601. With an offset (or `Z`) when the source states one; without, it is the camera's local time. */
  captureTime?: string;
  /** Decimal degrees, negative for the southern hemisphere. */
  latitude?: number;
  /** Decimal degrees, negative for the western hemisphere. */
  longitude?: number;
  /** Metres, negative below sea level. */
  altitude?: number;
  make?: string;
  model?: string;
  serial?: string;
  width?: number;
  height?: number;
  durationSeconds?: number;
  videoCodec?: string;
  audioCodec?: string;
}

/** One extractor's output, stored as its own record with the tool that made it. */
export interface MetadataRecord {
  ok: true;
  tool: 'exiftool' | 'ffprobe';
  toolVersion: string;
  /** The tool's JSON as printed (exiftool: the single object of its array). */
  data: Record<string, unknown>;
  summary: MetadataSummary;
  /** Non-fatal remarks from the tool (exiftool's `Warning`). */
  warnings: string[];
}

export type MetadataOutcome = MetadataRecord | ToolFailure;

type Json = Record<string, unknown>;

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (typeof v === 'number') return String(v);
  return undefined;
}

/**
 * The first present value among `keys`. A key written `:Tag` matches that tag in any group, because
 * exiftool's family-1 group names vary by file format (IFD0, XMP-tiff, QuickTime, Keys, ...).
 */
function pick(data: Json, ...keys: string[]): unknown {
  for (const key of keys) {
    if (key.startsWith(':')) {
      for (const [k, v] of Object.entries(data)) {
        if (k.endsWith(key) && v !== undefined && v !== null && v !== '') return v;
      }
    } else if (data[key] !== undefined && data[key] !== null && data[key] !== '') {
      return data[key];
    }
  }
  return undefined;
}

/**
 * Converts an EXIF/QuickTime date ("2024:08:09 21:15:30", optionally with sub-seconds and an offset)
 * to ISO 8601. `assumeUtc` marks times the format defines as UTC (QuickTime CreateDate). Unset dates
 * ("0000:00:00 ...") and garbage give undefined.
 */
export function exifDateToIso(value: unknown, assumeUtc = false): string | undefined {
  const s = str(value);
  if (!s) return undefined;
  const m =
    /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec = '00', frac = '', zone] = m;
  if (y === '0000' || mo === '00' || d === '00') return undefined;
  let tz = zone ?? (assumeUtc ? 'Z' : '');
  if (tz && tz !== 'Z' && !tz.includes(':')) tz = `${tz.slice(0, 3)}:${tz.slice(3)}`;
  return `${y}-${mo}-${d}T${h}:${mi}:${sec}${frac}${tz}`;
}

/** Joins an EXIF date with a separate offset tag (OffsetTimeOriginal) when the date carries none. */
function withOffset(iso: string | undefined, offset: unknown): string | undefined {
  const o = str(offset);
  if (!iso || !o || /(Z|[+-]\d{2}:\d{2})$/.test(iso) || !/^[+-]\d{2}:\d{2}$/.test(o)) return iso;
  return `${iso}${o}`;
}

function parseIsoPart(part: string, degreeDigits: number): number {
  const sign = part.startsWith('-') ? -1 : 1;
  const body = part.slice(1);
  const dot = body.indexOf('.');
  const intLen = dot < 0 ? body.length : dot;
  // ISO 6709 encodes D, DM or DMS by how many integer digits there are.
  let value: number;
  if (intLen <= degreeDigits) {
    value = Number(body);
  } else if (intLen <= degreeDigits + 2) {
    value = Number(body.slice(0, degreeDigits)) + Number(body.slice(degreeDigits)) / 60;
  } else {
    value =
      Number(body.slice(0, degreeDigits)) +
      Number(body.slice(degreeDigits, degreeDigits + 2)) / 60 +
      Number(body.slice(degreeDigits + 2)) / 3600;
  }
  return sign * value;
}

/**
 * Parses an ISO 6709 point as written by phones and ffmpeg into MP4/MOV (`location`,
 * `com.apple.quicktime.location.ISO6709`), e.g. "+53.9006+027.5590/" or "-3436.22-05822.90+025.0/".
 */
export function parseIso6709(
  value: string,
): { latitude: number; longitude: number; altitude?: number } | undefined {
  const m =
    /^\s*([+-]\d{2,6}(?:\.\d+)?)([+-]\d{3,7}(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?\s*(?:CRS[^/]*)?\/?\s*$/.exec(
      value,
    );
  if (!m) return undefined;
  const latitude = parseIsoPart(m[1]!, 2);
  const longitude = parseIsoPart(m[2]!, 3);
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  const altitude = m[3] === undefined ? undefined : Number(m[3]);
  return altitude === undefined ? { latitude, longitude } : { latitude, longitude, altitude };
}

function signedByRef(value: number | undefined, ref: unknown, negative: string): number | undefined {
  if (value === undefined) return undefined;
  const r = str(ref)?.toUpperCase();
  return r?.startsWith(negative) ? -Math.abs(value) : value;
}

function clean(summary: MetadataSummary): MetadataSummary {
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined)) as MetadataSummary;
}

/** Reduces exiftool's `-json -n -G1` object to the indexed fields. */
export function summarizeExiftool(data: Json): MetadataSummary {
  const s: MetadataSummary = {};

  const original = pick(
    data,
    'Composite:SubSecDateTimeOriginal',
    'ExifIFD:DateTimeOriginal',
    ':DateTimeOriginal',
  );
  s.captureTime = withOffset(exifDateToIso(original), pick(data, ':OffsetTimeOriginal'));
  s.captureTime ??= exifDateToIso(pick(data, 'XMP-photoshop:DateCreated', 'Keys:CreationDate'));
  // QuickTime's own CreateDate is defined as UTC.
  s.captureTime ??= exifDateToIso(pick(data, 'QuickTime:CreateDate', 'QuickTime:MediaCreateDate'), true);

  s.latitude = num(pick(data, 'Composite:GPSLatitude'));
  s.longitude = num(pick(data, 'Composite:GPSLongitude'));
  if (s.latitude === undefined || s.longitude === undefined) {
    s.latitude = signedByRef(num(pick(data, 'GPS:GPSLatitude')), pick(data, 'GPS:GPSLatitudeRef'), 'S');
    s.longitude = signedByRef(num(pick(data, 'GPS:GPSLongitude')), pick(data, 'GPS:GPSLongitudeRef'), 'W');
  }
  if (s.latitude === undefined || s.longitude === undefined) {
    const coords = str(pick(data, ':GPSCoordinates'));
    const iso = coords ? parseIso6709(coords) : undefined;
    const parts = coords?.split(/[\s,]+/).map(Number);
    if (iso) {
      s.latitude = iso.latitude;
      s.longitude = iso.longitude;
      s.altitude ??= iso.altitude;
    } else if (parts && parts.length >= 2 && parts.every(Number.isFinite)) {
      [s.latitude, s.longitude] = parts as [number, number];
      if (parts.length >= 3) s.altitude = parts[2];
    } else {
      s.latitude = undefined;
      s.longitude = undefined;
    }
  }
  s.altitude ??=
    num(pick(data, 'Composite:GPSAltitude')) ??
    (() => {
      const alt = num(pick(data, 'GPS:GPSAltitude'));
      return alt !== undefined && num(pick(data, 'GPS:GPSAltitudeRef')) === 1 ? -alt : alt;
    })();

  s.make = str(pick(data, 'IFD0:Make', ':Make'));
  s.model = str(pick(data, 'IFD0:Model', ':Model'));
  s.serial = str(
    pick(data, ':BodySerialNumber', ':SerialNumber', ':InternalSerialNumber', ':CameraSerialNumber'),
  );

  const size = str(pick(data, 'Composite:ImageSize'))
    ?.split(/[\sx]+/)
    .map(Number);
  s.width = num(pick(data, 'File:ImageWidth', ':ImageWidth')) ?? (size ? num(size[0]) : undefined);
  s.height = num(pick(data, 'File:ImageHeight', ':ImageHeight')) ?? (size ? num(size[1]) : undefined);
  s.durationSeconds = num(pick(data, 'QuickTime:Duration', 'Composite:Duration', ':Duration'));
  return clean(s);
}

/** Reduces ffprobe's `-show_format -show_streams` JSON to the indexed fields. */
export function summarizeFfprobe(data: Json): MetadataSummary {
  const s: MetadataSummary = {};
  const format = (data.format ?? {}) as Json;
  const formatTags = (format.tags ?? {}) as Json;
  const streams = (Array.isArray(data.streams) ? data.streams : []) as Json[];
  const video = streams.find(
    (st) => st.codec_type === 'video' && !(st.disposition as Json | undefined)?.attached_pic,
  );
  const audio = streams.find((st) => st.codec_type === 'audio');
  const videoTags = (video?.tags ?? {}) as Json;

  s.durationSeconds = num(format.duration) ?? num(video?.duration) ?? num(audio?.duration);
  s.width = num(video?.width);
  s.height = num(video?.height);
  s.videoCodec = str(video?.codec_name);
  s.audioCodec = str(audio?.codec_name);

  const tag = (name: string) =>
    Object.entries(formatTags).find(([k]) => k.toLowerCase() === name)?.[1] ??
    Object.entries(videoTags).find(([k]) => k.toLowerCase() === name)?.[1];
  // Apple's creationdate carries the local offset; creation_time is the container's UTC time.
  s.captureTime =
    exifDateToIso(tag('com.apple.quicktime.creationdate')) ?? exifDateToIso(tag('creation_time'), true);

  const location = str(tag('com.apple.quicktime.location.iso6709')) ?? str(tag('location'));
  const point = location ? parseIso6709(location) : undefined;
  if (point) {
    s.latitude = point.latitude;
    s.longitude = point.longitude;
    s.altitude = point.altitude;
  }
  s.make = str(tag('com.apple.quicktime.make') ?? tag('make'));
  s.model = str(tag('com.apple.quicktime.model') ?? tag('model'));
  return clean(s);
}

async function runExiftool(path: string, options: RunOptions): Promise<MetadataOutcome> {
  const version = (await toolVersions()).exiftool;
  if (version === null)
    return failure('exiftool', 'missing-tool', 'exiftool is not installed (run scripts/setup-system.sh)');
  // -n: numbers, not prose; -G1: group names; --System:all: the vault's own file name, dates and
  // permissions describe the stored copy, not the evidence.
  const args = [
    '-json',
    '-n',
    '-G1',
    '--System:all',
    '-api',
    'LargeFileSupport=1',
    '-charset',
    'filename=utf8',
    path,
  ];
  let r = exiftoolSettings().stayOpen
    ? await sharedExiftool().run(args, options.timeoutMs ? { timeoutMs: options.timeoutMs } : {})
    : undefined;
  // A path with a line break cannot go through the stay-open protocol: one process for it alone.
  if (!r || (!r.ok && r.code === 'unsupported'))
    r = await runTool('exiftool', 'exiftool', args, { ...options, allowNonZero: true });
  if (!r.ok) return r;
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.stdout.toString('utf8'));
  } catch {
    return failure(
      'exiftool',
      'parse',
      `exiftool output is not JSON (exit ${r.exitCode}): ${r.stderr.slice(0, 300)}`,
    );
  }
  const data = Array.isArray(parsed) ? (parsed[0] as Json | undefined) : undefined;
  if (!data || typeof data !== 'object') {
    return failure(
      'exiftool',
      'parse',
      `exiftool printed no record (exit ${r.exitCode}): ${r.stderr.slice(0, 300)}`,
    );
  }
  delete data.SourceFile;
  const error = str(data['ExifTool:Error']);
  if (error) return failure('exiftool', 'tool-error', error);
  const warning = data['ExifTool:Warning'];
  const warnings = (Array.isArray(warning) ? warning : warning === undefined ? [] : [warning]).map(String);
  return {
    ok: true,
    tool: 'exiftool',
    toolVersion: version,
    data,
    summary: summarizeExiftool(data),
    warnings,
  };
}

async function runFfprobe(path: string, options: RunOptions): Promise<MetadataOutcome> {
  const version = (await toolVersions()).ffprobe;
  if (version === null)
    return failure('ffprobe', 'missing-tool', 'ffprobe is not installed (run scripts/setup-system.sh)');
  const r = await runTool(
    'ffprobe',
    'ffprobe',
    [
      '-v',
      'error',
      '-print_format',
      'json',
      '-show_format',
      '-show_streams',
      ...LOCAL_FILES_ONLY,
      ffmpegInput(path),
    ],
    options,
  );
  if (!r.ok) return r.code === 'exit' ? { ...r, code: 'decode' } : r;
  let data: Json;
  try {
    data = JSON.parse(r.stdout.toString('utf8')) as Json;
  } catch {
    return failure('ffprobe', 'parse', 'ffprobe output is not JSON');
  }
  if (!data.format) return failure('ffprobe', 'decode', r.stderr || 'ffprobe found no container');
  const warnings = r.stderr ? r.stderr.split('\n').slice(0, 20) : [];
  return { ok: true, tool: 'ffprobe', toolVersion: version, data, summary: summarizeFfprobe(data), warnings };
}

/**
 * Extracts metadata as separate records, one per tool: exiftool (EXIF/XMP/IPTC/QuickTime, any kind)
 * and, for video and audio, ffprobe (container and streams). Never throws: a tool that cannot read the
 * file yields a {@link ToolFailure} in its place, for the vault to log as a processing event.
 */
export async function extractMetadata(
  path: string,
  kind: MediaKind,
  options: RunOptions = {},
): Promise<MetadataOutcome[]> {
  const abs = resolve(path);
  const jobs: Promise<MetadataOutcome>[] = [runExiftool(abs, options)];
  if (kind === 'video' || kind === 'audio') jobs.push(runFfprobe(abs, options));
  return Promise.all(jobs);
}
