/**
 * Builds real evidence fixtures (photos, video, broken and hostile files) with Debian's ffmpeg and
 * exiftool and with sharp, so media tests run on files made by the same tools the vault meets.
 *
 * Usage: npx tsx scripts/make-fixtures.ts [outDir] [--large]
 *   outDir   defaults to test/.tmp/fixtures (git-ignored)
 *   --large  also writes a 100 MB pseudo-random file
 *
 * Idempotent: a manifest (fixtures.json) records each file's SHA-256 and the recipe version; a file that
 * exists with the recorded hash is left alone. Concurrent callers (Vitest workers) serialise on a lock file.
 */
import { execFile } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';

const execFileP = promisify(execFile);

/** Bump when a recipe changes so existing fixture directories are rebuilt. */
const RECIPE_VERSION = 4;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Default fixture directory (inside the git-ignored test/.tmp). */
export const DEFAULT_FIXTURE_DIR = join(REPO_ROOT, 'test', '.tmp', 'fixtures');

/** The values written into the fixtures, for tests to compare extracted metadata against. */
export const FIXTURE_FACTS = {
  photo: {
    latitude: 53.9006,
    longitude: 27.559,
    altitude: 220,
    dateTimeOriginal: '2024:08:09 21:15:30',
    offsetTimeOriginal: '+03:00',
    make: 'Fixturecam',
    model: 'FC-100',
    serial: 'FC100-0000123',
    width: 800,
    height: 600,
  },
  different: {
    latitude: -34.6037,
    longitude: -58.3816,
    dateTimeOriginal: '2023:12:01 08:00:05',
    make: 'Othercam',
    model: 'OC-7',
    serial: 'OC7-SN-445566',
  },
  video: {
    creationTime: '2024-08-09T18:15:30.000000Z',
    location: '+53.9006+027.5590/',
    latitude: 53.9006,
    longitude: 27.559,
    durationSeconds: 2,
    width: 320,
    height: 240,
    videoCodec: 'h264',
    audioCodec: 'aac',
  },
  heic: {
    latitude: 53.9006,
    longitude: 27.559,
    dateTimeOriginal: '2024:08:09 21:16:02',
    make: 'Fixturecam',
    model: 'FC-100',
    width: 640,
    height: 480,
  },
  largeBytes: 100 * 1024 * 1024,
} as const;

/** Paths of the generated fixtures. `heic` is null when the tools present cannot make one. */
export interface FixturePaths {
  dir: string;
  /** JPEG with GPS, capture time, Make/Model, serial, XMP and IPTC. */
  jpeg: string;
  /** The same scene resized to 60 % and re-encoded at low quality, metadata stripped. */
  jpegNearDuplicate: string;
  /** A visually different JPEG, GPS in the southern and western hemispheres. */
  jpegDifferent: string;
  png: string;
  /** 2 s H.264 + AAC MP4 with creation_time and an ISO 6709 location. */
  mp4: string;
  heic: string | null;
  /** The first 40 % of `jpeg`. */
  truncatedJpeg: string;
  /** Zero bytes, named .jpg. */
  empty: string;
  /** An ELF executable header and bytes, named .jpg. */
  executableJpg: string;
  /** 100 MB pseudo-random bytes (only with `large: true`). */
  large: string | null;
}

interface Manifest {
  recipe: number;
  files: Record<string, string>;
}

type Recipe = (out: string, dir: string) => Promise<void>;

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function run(cmd: string, args: string[]): Promise<void> {
  try {
    await execFileP(cmd, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error(`${cmd} is not installed: run \`bash scripts/setup-system.sh\``);
    }
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

/** One frame of an ffmpeg test source as PNG (lossless, so the JPEG encode below is the only loss). */
async function lavfiFrame(source: string, out: string): Promise<void> {
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-frames:v', '1', out]);
}

const photoRecipe: Recipe = async (out) => {
  const f = FIXTURE_FACTS.photo;
  const png = `${out}.src.png`;
  await lavfiFrame(`testsrc2=size=${f.width}x${f.height}:rate=1`, png);
  await sharp(png).jpeg({ quality: 90 }).toFile(out);
  await rm(png, { force: true });
  await run('exiftool', [
    '-q',
    '-overwrite_original',
    `-GPSLatitude=${f.latitude}`,
    '-GPSLatitudeRef=N',
    `-GPSLongitude=${f.longitude}`,
    '-GPSLongitudeRef=E',
    `-GPSAltitude=${f.altitude}`,
    '-GPSAltitudeRef=0',
    `-DateTimeOriginal=${f.dateTimeOriginal}`,
    `-OffsetTimeOriginal=${f.offsetTimeOriginal}`,
    `-Make=${f.make}`,
    `-Model=${f.model}`,
    `-SerialNumber=${f.serial}`,
    '-XMP-dc:Creator=Synthetic Fixture',
    '-IPTC:City=Fixtureville',
    out,
  ]);
};

const nearDuplicateRecipe =
  (source: string): Recipe =>
  async (out) => {
    const { width } = FIXTURE_FACTS.photo;
    await sharp(source)
      .resize({ width: Math.round(width * 0.6) })
      .jpeg({ quality: 40 })
      .toFile(out);
  };

const differentRecipe: Recipe = async (out) => {
  const f = FIXTURE_FACTS.different;
  const png = `${out}.src.png`;
  await lavfiFrame('mandelbrot=size=640x480:rate=1', png);
  await sharp(png).jpeg({ quality: 85 }).toFile(out);
  await rm(png, { force: true });
  await run('exiftool', [
    '-q',
    '-overwrite_original',
    `-GPSLatitude=${Math.abs(f.latitude)}`,
    '-GPSLatitudeRef=S',
    `-GPSLongitude=${Math.abs(f.longitude)}`,
    '-GPSLongitudeRef=W',
    `-DateTimeOriginal=${f.dateTimeOriginal}`,
    `-Make=${f.make}`,
    `-Model=${f.model}`,
    `-SerialNumber=${f.serial}`,
    out,
  ]);
};

const pngRecipe: Recipe = async (out) => {
  await lavfiFrame('testsrc=size=400x300:rate=1', out);
  await run('exiftool', ['-q', '-overwrite_original', '-XMP-dc:Title=Synthetic PNG fixture', out]);
};

const mp4Recipe: Recipe = async (out) => {
  const v = FIXTURE_FACTS.video;
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${v.width}x${v.height}:rate=25`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=44100',
    '-t',
    String(v.durationSeconds),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    // One thread keeps the bitstream identical across runs, which the manifest relies on.
    '-threads',
    '1',
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    '-metadata',
    `creation_time=${v.creationTime}`,
    '-metadata',
    `location=${v.location}`,
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    out,
  ]);
};

/** An ISO BMFF box: 32-bit size, four-character type, payload. */
function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/** A full box: a box whose payload starts with an 8-bit version and 24-bit flags. */
function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  const vf = Buffer.alloc(4);
  vf.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff), 0);
  return box(type, vf, ...payload);
}

const u8 = (v: number) => Buffer.from([v & 0xff]);
const u16 = (v: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v, 0);
  return b;
};
const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0, 0);
  return b;
};

/** Splits an Annex B stream (00 00 01 start codes) into NAL units. */
function annexBUnits(stream: Buffer): Buffer[] {
  const starts: number[] = [];
  for (let i = 0; i + 2 < stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  return starts.map((start, k) => {
    let end = k + 1 < starts.length ? starts[k + 1]! - 3 : stream.length;
    while (end > start && stream[end - 1] === 0) end--;
    return stream.subarray(start, end);
  });
}

/** Removes emulation-prevention bytes (00 00 03 -> 00 00) from a NAL unit. */
function rbsp(nal: Buffer): Buffer {
  const out: number[] = [];
  let zeros = 0;
  for (const byte of nal) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    out.push(byte);
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out);
}

/**
 * Wraps one HEVC intra frame in a minimal HEIF ('heic') container: ftyp, meta (hdlr, pitm, iloc,
 * iinf, iprp with hvcC and ispe, ipma) and mdat. The prebuilt sharp has no HEVC encoder and Debian's
 * ffmpeg 5 cannot write HEIF, but ffmpeg's libx265 can make the frame; exiftool then adds EXIF.
 */
function heifFromHevc(units: Buffer[], width: number, height: number): Buffer {
  const type = (u: Buffer) => (u[0]! >> 1) & 0x3f;
  const vps = units.filter((u) => type(u) === 32);
  const sps = units.filter((u) => type(u) === 33);
  const pps = units.filter((u) => type(u) === 34);
  const vcl = units.filter((u) => type(u) < 32);
  if (!sps[0] || vcl.length === 0) throw new Error('no SPS or slice in the HEVC stream');
  // profile_tier_level sits byte-aligned after the SPS's 2-byte header and first byte, read from the
  // RBSP (emulation-prevention 0x03 bytes removed: Main's flags 60 00 00 00 are stored as 60 00 00 03 00).
  const ptl = rbsp(sps[0]).subarray(3, 15);
  const arrays = [
    [32, vps],
    [33, sps],
    [34, pps],
  ] as const;
  const hvcC = box(
    'hvcC',
    u8(1),
    ptl.subarray(0, 1), // profile space, tier, profile idc
    ptl.subarray(1, 5), // compatibility flags
    ptl.subarray(5, 11), // constraint flags
    ptl.subarray(11, 12), // level idc
    u16(0xf000),
    u8(0xfc),
    u8(0xfc | 1), // 4:2:0
    u8(0xf8),
    u8(0xf8), // 8-bit
    u16(0),
    u8(0x0f), // lengthSizeMinusOne = 3
    u8(arrays.length),
    ...arrays.flatMap(([t, list]) => [
      u8(0x80 | t),
      u16(list.length),
      ...list.flatMap((u) => [u16(u.length), u]),
    ]),
  );
  const ispe = fullBox('ispe', 0, 0, u32(width), u32(height));
  const data = Buffer.concat(vcl.flatMap((u) => [u32(u.length), u]));

  const ftyp = box('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
  const build = (mdatOffset: number) => {
    const meta = fullBox(
      'meta',
      0,
      0,
      fullBox('hdlr', 0, 0, u32(0), Buffer.from('pict', 'latin1'), Buffer.alloc(12), u8(0)),
      fullBox('pitm', 0, 0, u16(1)),
      // iloc v0: offset and length sizes 4, no base offset; one item with one extent.
      fullBox(
        'iloc',
        0,
        0,
        u8(0x44),
        u8(0x00),
        u16(1),
        u16(1),
        u16(0),
        u16(1),
        u32(mdatOffset + 8),
        u32(data.length),
      ),
      fullBox(
        'iinf',
        0,
        0,
        u16(1),
        fullBox('infe', 2, 0, u16(1), u16(0), Buffer.from('hvc1', 'latin1'), u8(0)),
      ),
      box(
        'iprp',
        box('ipco', hvcC, ispe),
        // item 1: property 1 (hvcC, essential) and property 2 (ispe).
        fullBox('ipma', 0, 0, u32(1), u16(1), u8(2), u8(0x81), u8(0x02)),
      ),
    );
    return meta;
  };
  const metaLength = build(0).length;
  const meta = build(ftyp.length + metaLength);
  return Buffer.concat([ftyp, meta, box('mdat', data)]);
}

/** HEIC: an x265 intra frame in a hand-built HEIF container, then the photo's EXIF added by exiftool. */
const heicRecipe: Recipe = async (out) => {
  const f = FIXTURE_FACTS.heic;
  const hevc = `${out}.src.hevc`;
  try {
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${f.width}x${f.height}:rate=1`,
      '-frames:v',
      '1',
      '-pix_fmt',
      'yuv420p',
      '-c:v',
      'libx265',
      '-x265-params',
      'log-level=none:info=0:frame-threads=1:pools=none',
      '-f',
      'hevc',
      hevc,
    ]);
    await writeFile(out, heifFromHevc(annexBUnits(await readFile(hevc)), f.width, f.height));
  } finally {
    await rm(hevc, { force: true });
  }
  await run('exiftool', [
    '-q',
    '-overwrite_original',
    `-GPSLatitude=${f.latitude}`,
    '-GPSLatitudeRef=N',
    `-GPSLongitude=${f.longitude}`,
    '-GPSLongitudeRef=E',
    `-DateTimeOriginal=${f.dateTimeOriginal}`,
    `-Make=${f.make}`,
    `-Model=${f.model}`,
    out,
  ]);
};

const truncatedRecipe =
  (source: string): Recipe =>
  async (out) => {
    const buf = await readFile(source);
    await writeFile(out, buf.subarray(0, Math.floor(buf.length * 0.4)));
  };

const emptyRecipe: Recipe = async (out) => {
  await writeFile(out, Buffer.alloc(0));
};

/** A 64-bit little-endian ELF header (x86-64 executable) followed by deterministic filler. */
const executableRecipe: Recipe = async (out) => {
  const header = Buffer.alloc(64);
  header.write('\x7fELF', 0, 'latin1');
  header[4] = 2; // 64-bit
  header[5] = 1; // little-endian
  header[6] = 1; // ELF version
  header.writeUInt16LE(2, 16); // ET_EXEC
  header.writeUInt16LE(0x3e, 18); // x86-64
  header.writeUInt32LE(1, 20);
  header.writeUInt16LE(64, 52); // header size
  const body = Buffer.alloc(4096);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
  await writeFile(out, Buffer.concat([header, body]));
};

/** AES-256-CTR over zeros with a fixed key: fast, incompressible and the same bytes every run. */
const largeRecipe: Recipe = async (out) => {
  const cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 0));
  const chunk = Buffer.alloc(1024 * 1024);
  const ws = createWriteStream(out);
  for (let i = 0; i < FIXTURE_FACTS.largeBytes / chunk.length; i++) {
    if (!ws.write(cipher.update(chunk))) await new Promise<void>((r) => ws.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => ws.end((err?: Error | null) => (err ? rej(err) : res())));
};

async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(dir, '.lock');
  const started = Date.now();
  for (;;) {
    try {
      const fh = await open(lock, 'wx');
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      // A lock older than two minutes belongs to a process that died mid-build.
      if (age > 120_000) await rm(lock, { force: true });
      else if (Date.now() - started > 300_000) throw new Error(`fixture lock ${lock} held too long`);
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

/**
 * Makes sure every fixture exists in `dir` with the content this recipe version produces, building only
 * what is missing or different. Safe to call from several processes at once.
 */
export async function ensureFixtures(
  dir: string = DEFAULT_FIXTURE_DIR,
  options: { large?: boolean; log?: (line: string) => void } = {},
): Promise<FixturePaths> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const log = options.log ?? (() => {});
  return withLock(root, async () => {
    const manifestPath = join(root, 'fixtures.json');
    let manifest: Manifest = { recipe: RECIPE_VERSION, files: {} };
    try {
      const read = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
      if (read.recipe === RECIPE_VERSION) manifest = read;
    } catch {
      // No manifest or unreadable: rebuild everything.
    }

    const p = (name: string) => join(root, name);
    const paths: FixturePaths = {
      dir: root,
      jpeg: p('photo.jpg'),
      jpegNearDuplicate: p('photo-near-duplicate.jpg'),
      jpegDifferent: p('photo-different.jpg'),
      png: p('image.png'),
      mp4: p('video.mp4'),
      heic: p('photo.heic'),
      truncatedJpeg: p('truncated.jpg'),
      empty: p('empty.jpg'),
      executableJpg: p('executable.jpg'),
      large: options.large ? p('large.bin') : null,
    };

    // Order matters: derived fixtures come after their source.
    const plan: Array<[keyof FixturePaths, Recipe, { optional?: boolean }]> = [
      ['jpeg', photoRecipe, {}],
      ['jpegNearDuplicate', nearDuplicateRecipe(paths.jpeg), {}],
      ['jpegDifferent', differentRecipe, {}],
      ['png', pngRecipe, {}],
      ['mp4', mp4Recipe, {}],
      ['heic', heicRecipe, { optional: true }],
      ['truncatedJpeg', truncatedRecipe(paths.jpeg), {}],
      ['empty', emptyRecipe, {}],
      ['executableJpg', executableRecipe, {}],
    ];
    if (options.large) plan.push(['large', largeRecipe, {}]);

    let changed = false;
    for (const [key, recipe, { optional }] of plan) {
      const out = paths[key] as string;
      const name = out.slice(root.length + 1);
      const want = manifest.files[name];
      if (want && (await exists(out)) && (await sha256File(out)) === want) continue;
      const tmp = join(root, `.tmp-${process.pid}-${name}`);
      try {
        await rm(tmp, { force: true });
        await recipe(tmp, root);
        await rename(tmp, out);
        manifest.files[name] = await sha256File(out);
        log(`made ${name}`);
      } catch (err) {
        await rm(tmp, { force: true });
        if (!optional) throw err;
        // Retried on every run (a failing attempt is cheap), so newly installed tools are picked up.
        (paths as unknown as Record<string, string | null>)[key] = null;
        log(`skipped ${name}: ${(err as Error).message.split('\n')[0]}`);
        if (want === undefined) continue;
        delete manifest.files[name];
      }
      changed = true;
    }
    if (changed) {
      const tmp = `${manifestPath}.tmp-${process.pid}`;
      await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
      await rename(tmp, manifestPath);
    }
    return paths;
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const large = args.includes('--large');
  const dir = args.find((a) => !a.startsWith('--')) ?? DEFAULT_FIXTURE_DIR;
  const t0 = Date.now();
  const paths = await ensureFixtures(dir, { large, log: (l) => console.log(l) });
  for (const [k, v] of Object.entries(paths)) if (k !== 'dir') console.log(`${k.padEnd(18)} ${v ?? '-'}`);
  console.log(`fixtures ready in ${paths.dir} (${Date.now() - t0} ms)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
