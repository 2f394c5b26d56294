/**
 * Demo evidence and incidents, generated on the spot: photos with EXIF capture time and GPS in Belarusian
 * cities (drawn with sharp, tagged with exiftool), a short video clip (ffmpeg), a PDF. They go through the
 * real intake and the real processing pipeline (the job workers), are classified, some sit in a restricted
 * collection, and two incidents link them to demo officials. Everything is synthetic: shapes, not scenes;
 * cities and dates, no addresses or people. A missing tool (exiftool, ffmpeg) leaves its files out.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Principal } from '../platform/auth/model.js';
import type { Runtime } from '../runtime.js';

const run = promisify(execFile);

const actor: Principal = { type: 'system', label: 'demo data' };

/** Cities only: the demo never names a street or a building. */
const CITIES = [
  { name: 'Minsk', lat: 53.9023, lon: 27.5619 },
  { name: 'Hrodna', lat: 53.6778, lon: 23.8297 },
  { name: 'Brest', lat: 52.0976, lon: 23.7341 },
  { name: 'Homiel', lat: 52.4345, lon: 30.9754 },
  { name: 'Mahilioŭ', lat: 53.9007, lon: 30.3314 },
  { name: 'Viciebsk', lat: 55.1904, lon: 30.2049 },
];

const VIOLATIONS = [
  'BY.V.ARREST',
  'BY.V.ASSEMBLY',
  'BY.V.FORCE',
  'BY.V.TORTURE',
  'BY.V.DETCOND',
  'BY.V.MEDIA',
];

interface DemoFile {
  file: string;
  city?: (typeof CITIES)[number];
  takenAt?: Date;
  restricted?: boolean;
  codes: string[];
}

/** A deterministic generator, so every demo looks the same. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** An abstract picture: a gradient and a few shapes (no text, so no font lookup). */
function pictureSvg(random: () => number, width: number, height: number): string {
  const hue = Math.floor(random() * 360);
  const shapes: string[] = [];
  for (let i = 0; i < 6; i++) {
    const x = Math.floor(random() * width);
    const y = Math.floor(random() * height);
    const size = 30 + Math.floor(random() * 160);
    const fill = `hsl(${(hue + i * 47) % 360},60%,${30 + Math.floor(random() * 40)}%)`;
    shapes.push(
      random() < 0.5
        ? `<circle cx="${x}" cy="${y}" r="${size / 2}" fill="${fill}"/>`
        : `<rect x="${x}" y="${y}" width="${size}" height="${size * 0.6}" fill="${fill}"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},40%,75%)"/>
<stop offset="1" stop-color="hsl(${(hue + 90) % 360},40%,35%)"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`;
}

/** A one-page PDF with a line of text, written by hand (the format is simple enough for one page). */
export function demoPdf(lines: string[]): Buffer {
  const text = lines
    .map((line, i) => `BT /F1 12 Tf 56 ${780 - i * 18} Td (${line.replace(/[()\\]/g, '\\$&')}) Tj ET`)
    .join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const exifDate = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');

/** Writes the demo files into `dir`; returns what to take in. */
async function makeFiles(dir: string, runtime: Runtime): Promise<DemoFile[]> {
  const { default: sharp } = await import('sharp');
  const random = generator(2020);
  const files: DemoFile[] = [];
  const base = Date.UTC(2020, 7, 9, 18, 0, 0);
  for (let i = 0; i < 26; i++) {
    const file = path.join(dir, `photo-${String(i + 1).padStart(2, '0')}.jpg`);
    const svg = pictureSvg(random, 960, 640);
    await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toFile(file);
    files.push({
      file,
      city: CITIES[i % CITIES.length]!,
      takenAt: new Date(base + Math.floor(random() * 4 * 86_400_000)),
      restricted: i % 7 === 3,
      codes: [VIOLATIONS[i % VIOLATIONS.length]!],
    });
  }
  // Two near-duplicates: the same pictures re-encoded smaller, as a messenger would resend them.
  for (const source of [files[0]!, files[5]!]) {
    const file = source.file.replace('.jpg', '-resent.jpg');
    await sharp(source.file).resize(640).jpeg({ quality: 60 }).toFile(file);
    files.push({ ...source, file, restricted: false });
  }
  const exiftool = 'exiftool';
  const args = files.flatMap((f) => [
    `-DateTimeOriginal=${exifDate(f.takenAt!)}`,
    `-GPSLatitude=${f.city!.lat}`,
    '-GPSLatitudeRef=N',
    `-GPSLongitude=${f.city!.lon}`,
    '-GPSLongitudeRef=E',
    '-Make=Demo',
    f.file,
    '-execute',
  ]);
  const argFile = path.join(dir, 'exiftool.args');
  await writeFile(argFile, `${args.join('\n')}\n`);
  await run(exiftool, ['-overwrite_original', '-q', '-@', argFile]).catch((error: Error) =>
    runtime.logger.warn({ err: error.message }, 'demo photos have no EXIF (exiftool is missing or failed)'),
  );
  const clip = path.join(dir, 'clip.mp4');
  try {
    await run('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=duration=3:size=320x240:rate=12',
      '-pix_fmt',
      'yuv420p',
      '-metadata',
      `creation_time=${new Date(base + 86_400_000).toISOString()}`,
      clip,
    ]);
    files.push({ file: clip, codes: ['BY.V.ASSEMBLY'] });
  } catch (error) {
    runtime.logger.warn(
      { err: (error as Error).message },
      'the demo has no video (ffmpeg is missing or failed)',
    );
  }
  const pdf = path.join(dir, 'detention-record.pdf');
  await writeFile(
    pdf,
    demoPdf([
      'DEMO DOCUMENT - synthetic, for trying the vault out',
      'Record of administrative detention (invented)',
      'District court, Minsk - August 2020',
      'Every name, number and fact in this file is invented.',
    ]),
  );
  files.push({ file: pdf, codes: ['BY.V.FAIRTRIAL'] });
  return files;
}

/** Seeds the demo evidence, collections and incidents (idempotent per database: run once by `seedDemo`). */
export async function seedDemoContent(runtime: Runtime): Promise<void> {
  const { compartments, items: evidenceItems } = runtime.areas.evidence;
  const { service: incidentsService, links } = runtime.areas.incidents;
  const dir = path.join(runtime.config.dataDir, 'work', `demo-${process.pid}-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  try {
    const files = await makeFiles(dir, runtime);
    const restricted = await compartments.createCollection(actor, {
      name: 'Detainee testimonies (demo, restricted)',
      description: 'A restricted compartment: only staff granted it see these items.',
      restricted: true,
    });
    const items: Array<{ id: string; demo: DemoFile }> = [];
    for (const demo of files) {
      const result = await runtime.areas.evidence.intake({
        stream: createReadStream(demo.file),
        fileName: path.basename(demo.file),
        channel: 'import',
        sourceLabel: 'Demo data (synthetic)',
        collection: demo.restricted ? restricted.id : undefined,
        actor,
      });
      if (result.duplicate) continue;
      await evidenceItems.classifyItem(actor, result.itemId, demo.codes, []);
      items.push({ id: result.itemId, demo });
    }
    const officials = await runtime.areas.registry.service.listEntities(actor, {
      dataset: 'demo-officials',
      schema: 'Person',
      limit: 3,
    });
    const incidents = [
      {
        title: 'Dispersal of a peaceful assembly (demo)',
        description: 'Synthetic incident for trying the vault out: riot police dispersed a gathering.',
        city: CITIES[0]!,
        day: '2020-08-10',
        codes: ['BY.V.ASSEMBLY', 'BY.V.FORCE'],
        pick: (item: DemoFile) => item.city?.name === 'Minsk' || item.file.endsWith('.mp4'),
      },
      {
        title: 'Ill-treatment in a temporary detention facility (demo)',
        description: 'Synthetic incident: detainees describe beatings on arrival.',
        city: CITIES[2]!,
        day: '2020-08-12',
        codes: ['BY.V.TORTURE', 'BY.V.DETCOND'],
        pick: (item: DemoFile) => item.city?.name === 'Brest' || item.file.endsWith('.pdf'),
      },
    ];
    for (const [index, spec] of incidents.entries()) {
      const incident = await incidentsService.createIncident(actor, {
        title: spec.title,
        description: spec.description,
        occurredFrom: `${spec.day}T18:00:00Z`,
        occurredTo: `${spec.day}T23:00:00Z`,
        place: spec.city.name,
        latitude: spec.city.lat,
        longitude: spec.city.lon,
      });
      await incidentsService.classifyIncident(actor, incident.id, spec.codes, []);
      for (const item of items.filter((i) => spec.pick(i.demo) && !i.demo.restricted))
        await links.linkItem(actor, incident.id, item.id);
      const official = officials.items[index];
      if (official) await links.addPerson(actor, incident.id, { role: 'perpetrator', entityId: official.id });
      await links.addPerson(actor, incident.id, { role: 'witness', name: `Witness ${index + 1} (demo)` });
    }
    await runtime.areas.bot.seedDemo();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
