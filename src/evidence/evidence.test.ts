import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs, {
  closeSync,
  createReadStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureFixtures, type FixturePaths } from '../../scripts/make-fixtures.js';
import { apiKeyClient, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import { zipEntries } from '../../test/support/zip.js';
import { generateSealKeyPair } from '../platform/crypto.js';
import type { Runtime } from '../runtime.js';
import { createApp } from '../server.js';
import { validateBag } from './export/bagit-check.js';
import { decryptPackage, exportToPath } from './export/package.js';
import type { EvidenceArea } from './index.js';
import { exiftoolDirect } from './media/test-helpers.js';
import { TaxonomyStore } from './store/taxonomy.js';
import { TAXONOMY_VERSIONS } from './taxonomy-data.js';

const system = { type: 'system' as const, label: 'test' };

function evidenceOf(runtime: Runtime): EvidenceArea {
  return (runtime.areas as unknown as { evidence: EvidenceArea }).evidence;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function multipart(
  parts: Array<{ name: string; value?: string; filename?: string; data?: Buffer; type?: string }>,
): { body: Buffer; contentType: string } {
  const boundary = `----svdtest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.filename
      ? `form-data; name="${part.name}"; filename="${part.filename}"`
      : `form-data; name="${part.name}"`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.filename ? `Content-Type: ${part.type ?? 'application/octet-stream'}\r\n` : ''}\r\n`,
      ),
    );
    chunks.push(part.data ?? Buffer.from(part.value ?? ''));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

let fx: FixturePaths;
beforeAll(async () => {
  fx = await ensureFixtures();
}, 120_000);

describeEachDatabase('evidence vault', (ctx) => {
  const t = useTestApp(ctx);
  const add = (file: string, extra: Record<string, unknown> = {}) =>
    evidenceOf(t.runtime).intake({
      stream: createReadStream(file),
      fileName: path.basename(file),
      channel: 'cli',
      actor: system,
      ...extra,
    });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    for (const key of [
      'jpeg',
      'jpegNearDuplicate',
      'jpegDifferent',
      'mp4',
      'png',
      'truncatedJpeg',
      'empty',
      'executableJpg',
    ] as const) {
      ids[key] = (await add(fx[key]!)).itemId;
    }
    await t.runtime.jobs.drain();
  }, 120_000);

  it('records metadata equal to what exiftool reports, with GPS in decimal degrees', async () => {
    const item = await evidenceOf(t.runtime).items.show(system, ids.jpeg!);
    const direct = exiftoolDirect(fx.jpeg, [
      'GPSLatitude',
      'GPSLongitude',
      'DateTimeOriginal',
      'Make',
      'Model',
    ]);
    const record = item.metadata.find((m) => m.tool === 'exiftool')!;
    expect(record.toolVersion).toMatch(/^\d+\.\d+/);
    expect(record.summary.latitude).toBeCloseTo(direct.GPSLatitude as number, 6);
    expect(record.summary.longitude).toBeCloseTo(direct.GPSLongitude as number, 6);
    expect(record.summary.make).toBe(direct.Make);
    expect(record.summary.model).toBe(direct.Model);
    expect(
      record.summary.captureTime?.startsWith(
        (direct.DateTimeOriginal as string).replace(/^(\d{4}):(\d{2}):(\d{2}) /, '$1-$2-$3T'),
      ),
    ).toBe(true);
    expect(item.latitude).toBeCloseTo(53.9006, 4);
    expect(item.longitude).toBeCloseTo(27.559, 3);
    expect(item.mediaType).toBe('image/jpeg');
    // Working copies record their parent, tool and version, and carry no GPS.
    const thumb = item.derivatives.find((d) => d.purpose === 'thumbnail')!;
    expect(thumb.parentSha256).toBe(item.sha256);
    expect(thumb.toolVersion).toMatch(/sharp/);
    const video = await evidenceOf(t.runtime).items.show(system, ids.mp4!);
    expect(video.metadata.map((m) => m.tool).sort()).toEqual(['exiftool', 'ffprobe']);
    expect(video.metadata.find((m) => m.tool === 'ffprobe')!.summary.videoCodec).toBe('h264');
    expect(video.phashes.length).toBeGreaterThan(1);
  });

  it('stores the same bytes once, with a second custody event', async () => {
    const again = await add(fx.jpeg, { channel: 'import', sourceLabel: 'second copy' });
    expect(again.duplicate).toBe(true);
    expect(again.itemId).toBe(ids.jpeg);
    const db = ctx.database.db;
    const blobs = await sql<{
      n: number;
    }>`select count(*)::int as n from blobs where sha256 = ${again.sha256}`.execute(db);
    expect(blobs.rows[0]!.n).toBe(1);
    const custody = await evidenceOf(t.runtime).items.custodyLog(system, ids.jpeg!);
    const actions = custody.map((e) => e.action);
    expect(actions.filter((a) => a === 'received')).toHaveLength(1);
    expect(actions.filter((a) => a === 'received-again')).toHaveLength(1);
    expect(custody.find((e) => e.action === 'received-again')!.details).toMatchObject({
      channel: 'import',
      source: 'second copy',
    });
    // Mirrored in the platform audit log.
    const audit = await t.runtime.audit.list({ target: ids.jpeg, limit: 100 });
    expect(audit.some((row) => row.action === 'evidence.custody.received-again')).toBe(true);
  });

  it('lists the resized, re-encoded JPEG as a possible duplicate, and not the different photo', async () => {
    const item = await evidenceOf(t.runtime).items.show(system, ids.jpeg!);
    const near = item.possibleDuplicates.find((d) => d.itemId === ids.jpegNearDuplicate);
    expect(near).toBeDefined();
    expect(near!.distance).toBeLessThanOrEqual(10);
    expect(item.possibleDuplicates.some((d) => d.itemId === ids.jpegDifferent)).toBe(false);
  });

  it('keeps broken and hostile files with recorded processing events', async () => {
    const service = evidenceOf(t.runtime).items;
    const truncated = await service.show(system, ids.truncatedJpeg!);
    expect(
      truncated.processing.some((p) => p.outcome === 'warning' && /truncated/.test(p.message ?? '')),
    ).toBe(true);
    expect(truncated.processing.some((p) => p.step === 'thumbnail' && p.outcome === 'failed')).toBe(true);
    const empty = await service.show(system, ids.empty!);
    expect(empty.size).toBe(0);
    expect(empty.processing.some((p) => p.code === 'empty')).toBe(true);
    const exe = await service.show(system, ids.executableJpg!);
    expect(exe.mediaType).not.toBe('image/jpeg');
    expect(exe.processing.some((p) => p.code === 'name-mismatch')).toBe(true);
    for (const item of [truncated, empty, exe]) expect(item.processingState).toBe('done');
  });

  it('verify catches a flipped byte in a blob and an edited custody row', async () => {
    const evidence = evidenceOf(t.runtime);
    expect((await evidence.verifier.verify(system)).ok).toBe(true);
    const victim = await evidence.items.show(system, ids.png!, { recordView: false });
    const file = evidenceOf(t.runtime).blobs.pathOf(victim.sha256);
    const original = readFileSync(file);
    const fd = openSync(file, 'r+');
    const one = Buffer.alloc(1);
    readSync(fd, one, 0, 1, 100);
    one[0] = one[0]! ^ 0x80;
    writeSync(fd, one, 0, 1, 100);
    closeSync(fd);
    const db = ctx.database.db;
    await sql`alter table evidence_custody disable trigger evidence_custody_no_update`.execute(db);
    await sql`update evidence_custody set details = '{"channel":"web"}'::jsonb where item_id = ${ids.mp4} and seq = 1`.execute(
      db,
    );
    await sql`alter table evidence_custody enable trigger evidence_custody_no_update`.execute(db);
    const report = await evidence.verifier.verify(system);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      itemId: ids.png,
      problem: expect.stringMatching(/blob content does not match sha256/),
    });
    expect(report.problems).toContainEqual({ itemId: ids.mp4, problem: 'custody event #1 altered' });
    // The database refuses edits while the trigger is on.
    await expect(sql`delete from evidence_custody where item_id = ${ids.mp4}`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    const restore = openSync(file, 'r+');
    writeSync(restore, original, 0, original.length, 0);
    closeSync(restore);
  });

  it('exports a package that sha256sum -c verifies, and records the export', async () => {
    const evidence = evidenceOf(t.runtime);
    const { service: incidents, links } = t.runtime.areas.incidents;
    const incident = await incidents.createIncident(system, {
      title: 'Detention at a police station',
      description: 'Synthetic test incident',
      occurredFrom: '2024-08-09T18:00:00Z',
      occurredTo: '2024-08-09T22:00:00Z',
      place: 'Minsk',
      placeType: 'LOC.POLICE_STATION',
      latitude: 53.9,
      longitude: 27.56,
      responsibleInstitution: 'ORG.MVD',
      responsibleUnit: 'District police department',
    });
    await links.linkItem(system, incident.id, ids.jpeg!, 'ROLE.CRIMEBASE');
    await links.linkItem(system, incident.id, ids.jpegDifferent!, 'ROLE.LINKAGE');
    await links.addPerson(system, incident.id, { role: 'victim', name: 'Ales Testovich' });
    await incidents.classifyIncident(system, incident.id, ['BY.V.ARREST', 'CAH.E'], []);
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'svd-export-')), 'package');
    const result = await exportToPath(
      evidence.exportVault,
      system,
      { incidentId: incident.id, purpose: 'OHCHR test' },
      dir,
    );
    expect(result.items).toBe(2);
    const output = execFileSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: dir, encoding: 'utf8' });
    expect(output).toMatch(/photo\.jpg: OK/);
    expect(output).not.toMatch(/FAILED/);
    expect(readFileSync(path.join(dir, 'data', 'index.html'), 'utf8')).toMatch(
      /Detention at a police station/,
    );
    const chain = JSON.parse(readFileSync(path.join(dir, 'data', 'custody', `${ids.jpeg}.json`), 'utf8'));
    // A valid BagIt bag (RFC 8493), and the checker sees a changed byte and a missing file.
    expect(await validateBag(dir)).toEqual([]);
    expect(
      execFileSync('sha512sum', ['-c', 'manifest-sha512.txt'], { cwd: dir, encoding: 'utf8' }),
    ).not.toMatch(/FAILED/);
    expect(readFileSync(path.join(dir, 'bag-info.txt'), 'utf8')).toMatch(
      new RegExp(`External-Identifier: ${result.exportId}`),
    );
    const original = readdirSync(path.join(dir, 'data', 'originals', ids.jpeg!))[0]!;
    const originalPath = path.join(dir, 'data', 'originals', ids.jpeg!, original);
    const bytes = readFileSync(originalPath);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(originalPath, bytes);
    expect(await validateBag(dir)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`${original} does not match its sha256`))]),
    );
    rmSync(path.join(dir, 'data', 'metadata', `${ids.jpeg}.json`));
    expect(await validateBag(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/manifest-sha256.txt: data\/metadata\/.*\.json is missing/),
        expect.stringMatching(/Payload-Oxum/),
      ]),
    );
    expect(chain.events.at(-1).action).toBe('exported');
    const custody = await evidence.items.custodyLog(system, ids.jpeg!);
    expect(custody.at(-1)!.details).toMatchObject({ exportId: result.exportId, purpose: 'OHCHR test' });
    rmSync(path.dirname(dir), { recursive: true, force: true });

    // Encrypted to a recipient: only their key opens it, and inside is the same ZIP.
    const pair = generateSealKeyPair();
    const zipDir = mkdtempSync(path.join(tmpdir(), 'svd-export-'));
    const sealed = path.join(zipDir, 'package.sviedka');
    await exportToPath(
      evidence.exportVault,
      system,
      { itemIds: [ids.jpeg!], recipientKey: pair.publicKey },
      sealed,
    );
    const parts: Buffer[] = [];
    for await (const part of decryptPackage(createReadStream(sealed), pair.publicKey, pair.secretKey))
      parts.push(part);
    const zip = Buffer.concat(parts);
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
    // The ZIP holds one bag, as valid as the directory.
    const unpacked = mkdtempSync(path.join(tmpdir(), 'svd-bag-'));
    for (const [name, read] of zipEntries(zip)) {
      mkdirSync(path.dirname(path.join(unpacked, name)), { recursive: true });
      writeFileSync(path.join(unpacked, name), read());
    }
    const [bagDir] = readdirSync(unpacked);
    expect(await validateBag(path.join(unpacked, bagDir!))).toEqual([]);
    rmSync(unpacked, { recursive: true, force: true });
    const other = generateSealKeyPair();
    await expect(async () => {
      for await (const _ of decryptPackage(createReadStream(sealed), other.publicKey, other.secretKey));
    }).rejects.toThrow();
    rmSync(zipDir, { recursive: true, force: true });
  });

  it('classifies items multi-label; admins extend the taxonomy without breaking old codes', async () => {
    const { items: service, taxonomy: codes } = evidenceOf(t.runtime);
    const taxonomy = await codes.taxonomy();
    expect(taxonomy.find((c) => c.code === 'BY.V.TORTURE')!.labels.be).toMatch(/Катаванні/);
    expect(taxonomy.filter((c) => c.axis === 'violation')).toHaveLength(24);
    expect(
      await service.classifyItem(system, ids.mp4!, ['BY.V.FORCE', 'ROLE.CRIMEBASE', 'EVT.VIDEO'], []),
    ).toEqual(['BY.V.FORCE', 'EVT.VIDEO', 'ROLE.CRIMEBASE']);
    await codes.addCode(system, {
      code: 'BY.V.TESTCODE',
      axis: 'violation',
      labels: { en: 'Test', be: 'Тэст', ru: 'Тест' },
      mapsTo: [],
    });
    await service.classifyItem(system, ids.mp4!, ['BY.V.TESTCODE'], []);
    await codes.deprecateCode(system, 'BY.V.TESTCODE');
    // Old classifications keep the code; new ones cannot use it.
    expect((await service.show(system, ids.mp4!, { recordView: false })).codes).toContain('BY.V.TESTCODE');
    await expect(service.classifyItem(system, ids.png!, ['BY.V.TESTCODE'], [])).rejects.toThrow(/deprecated/);
    const listed = await service.list(system, { code: 'BY.V.FORCE', limit: 10 });
    expect(listed.items.map((i) => i.id)).toEqual([ids.mp4]);
    expect(await codes.seedTaxonomy()).toEqual([]);

    // A database seeded before a shipped relabel gets the corrected labels; an administrator's codes keep theirs.
    const db = ctx.database.db;
    await sql`update taxonomy_codes set labels = ${JSON.stringify({ en: 'Imprisonment', be: 'Пазбаўленне волі', ru: 'Лишение свободы' })}::jsonb
      where code = 'CAH.E'`.execute(db);
    const relabel = { version: 999, note: 'relabel (test)', codes: [], relabel: ['CAH.E', 'BY.V.TESTCODE'] };
    expect(await new TaxonomyStore(db).seedTaxonomy([...TAXONOMY_VERSIONS, relabel])).toEqual([999]);
    const relabelled = await codes.taxonomy();
    expect(relabelled.find((c) => c.code === 'CAH.E')!.labels.ru).toBe(
      'Заключение в тюрьму или иное жестокое лишение физической свободы',
    );
    expect(relabelled.find((c) => c.code === 'BY.V.TESTCODE')!.labels.be).toBe('Тэст');
  });

  it('HTTP: analysts upload many files in one multipart request; tus uploads resume', async () => {
    const analyst = await loggedInClient(t, 'analyst');
    const form = multipart([
      { name: 'source', value: 'volunteer drive' },
      { name: 'files', filename: 'a.txt', data: Buffer.from('first test file\n'), type: 'text/plain' },
      { name: 'files', filename: 'b.png', data: readFileSync(fx.png), type: 'image/png' },
    ]);
    const upload = await t.app.inject({
      method: 'POST',
      url: '/api/evidence/upload',
      headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf, 'content-type': form.contentType },
      payload: form.body,
    });
    expect(upload.statusCode).toBe(200);
    const items = upload.json().items;
    expect(items).toHaveLength(2);
    expect(items[0].sha256).toBe(sha256(Buffer.from('first test file\n')));
    expect(items[1].duplicate).toBe(true);

    const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
    const headers = { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf, 'tus-resumable': '1.0.0' };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/evidence/tus',
      headers: {
        ...headers,
        'upload-length': String(data.length),
        'upload-metadata': `filename ${Buffer.from('clip.bin').toString('base64')}`,
      },
    });
    expect(created.statusCode).toBe(201);
    const location = String(created.headers.location);
    const patch = (offset: number, chunk: Buffer) =>
      t.app.inject({
        method: 'PATCH',
        url: location,
        headers: {
          ...headers,
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
        },
        payload: chunk,
      });
    expect((await patch(0, data.subarray(0, 100_000))).statusCode).toBe(204);
    const head = await t.app.inject({ method: 'HEAD', url: location, headers });
    expect(head.headers['upload-offset']).toBe('100000');
    // Another analyst cannot touch this upload.
    const other = await loggedInClient(t, 'analyst');
    const foreign = await t.app.inject({
      method: 'HEAD',
      url: location,
      headers: { cookie: other.cookie, 'tus-resumable': '1.0.0' },
    });
    expect(foreign.statusCode).toBe(404);
    const done = await patch(100_000, data.subarray(100_000));
    expect(done.statusCode).toBe(204);
    expect(done.headers['upload-sha256']).toBe(sha256(data));
    const itemId = String(done.headers['upload-evidence-id']);
    const detail = await analyst.request('GET', `/api/evidence/items/${itemId}`);
    expect(detail.status).toBe(200);
    expect(detail.json.fileName).toBe('clip.bin');
    expect(detail.json.custody.at(-1).action).toBe('viewed');

    // Partners with the evidence:submit scope may upload but not read.
    const partner = await apiKeyClient(t, ['evidence:submit']);
    expect((await partner.request('GET', `/api/evidence/items/${itemId}`)).status).toBe(404);

    const exported = await t.app.inject({
      method: 'POST',
      url: '/api/evidence/export',
      headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf },
      payload: { itemIds: [itemId] },
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('application/zip');
    expect(exported.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('citizen page: works without JavaScript, gives a receipt, stores and logs no IP or user agent', async () => {
    // The HTTP layer logs to stdout at the runtime logger's level: capture fd 1 writes at 'trace'.
    const lines: string[] = [];
    const logger = pino(
      { level: 'trace', base: undefined },
      new Writable({ write: (_c, _e, done) => done() }),
    );
    const originalWriteSync = fs.writeSync;
    const originalWrite = fs.write;
    const isStdout = (fd: unknown) => fd === 1;
    const text = (data: unknown) =>
      typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
    const writeSync = vi.spyOn(fs, 'writeSync').mockImplementation(((
      fd: number,
      data: unknown,
      ...rest: unknown[]
    ) => {
      if (!isStdout(fd)) return (originalWriteSync as (...args: unknown[]) => number)(fd, data, ...rest);
      lines.push(text(data));
      return typeof data === 'string' ? Buffer.byteLength(data) : (data as Uint8Array).length;
    }) as typeof fs.writeSync);
    const write = vi.spyOn(fs, 'write').mockImplementation(((
      fd: number,
      data: unknown,
      ...rest: unknown[]
    ) => {
      if (!isStdout(fd)) return (originalWrite as (...args: unknown[]) => void)(fd, data, ...rest);
      lines.push(text(data));
      const callback = rest.at(-1) as (error: null, written: number) => void;
      callback(null, typeof data === 'string' ? Buffer.byteLength(data) : (data as Uint8Array).length);
    }) as typeof fs.write);
    const app = await createApp({ ...t.runtime, logger } as Runtime, {
      logger: true,
      webDist: '/nonexistent',
    });
    await app.ready();
    try {
      const userAgent = 'Mozilla/5.0 (TestPhone; UA-MARKER-7731)';
      const ip = '203.0.113.77';
      const page = await app.inject({
        method: 'GET',
        url: '/submit?lang=be',
        headers: { 'user-agent': userAgent },
        remoteAddress: ip,
      });
      expect(page.statusCode).toBe(200);
      // No inline script or style; the only script is the optional /submit.js from this origin.
      expect(page.body).not.toMatch(/<script(?! src="\/submit\.js\?v=[0-9a-f]+")|style=/);
      expect(page.headers['set-cookie']).toBeUndefined();
      expect(String(page.headers['content-security-policy'])).toMatch(/default-src 'self'/);
      const token = /name="t" value="([^"]+)"/.exec(page.body)![1]!;
      const css = await app.inject({ method: 'GET', url: '/submit.css' });
      expect(css.headers['content-type']).toMatch(/text\/css/);

      const secretContact = 'signal: +000 TEST CONTACT';
      const form = multipart([
        { name: 't', value: token },
        { name: 'lang', value: 'be' },
        { name: 'note', value: 'Затрыманне каля ст. метро' },
        { name: 'contact', value: secretContact },
        {
          name: 'files',
          filename: 'IMG_20240809_my-name.jpg',
          data: readFileSync(fx.jpegDifferent),
          type: 'image/jpeg',
        },
        {
          name: 'files',
          filename: 'second.txt',
          data: Buffer.from('citizen text evidence\n'),
          type: 'text/plain',
        },
      ]);
      const posted = await app.inject({
        method: 'POST',
        url: '/submit',
        headers: { 'content-type': form.contentType, 'user-agent': userAgent, 'x-forwarded-for': ip },
        remoteAddress: ip,
        payload: form.body,
      });
      expect(posted.statusCode).toBe(200);
      const receipt = /id="receipt-code">([A-Z0-9-]+)</.exec(posted.body)![1]!;
      expect(receipt).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){3}$/);

      // The same token cannot be used twice.
      const replay = await app.inject({
        method: 'POST',
        url: '/submit',
        headers: { 'content-type': form.contentType },
        payload: form.body,
      });
      expect(replay.statusCode).toBe(400);

      // Add more with the receipt code.
      const page2 = await app.inject({ method: 'GET', url: '/submit' });
      const token2 = /name="t" value="([^"]+)"/.exec(page2.body)![1]!;
      const more = multipart([
        { name: 't', value: token2 },
        { name: 'receipt', value: receipt.toLowerCase() },
        { name: 'files', filename: 'more.txt', data: Buffer.from('more citizen evidence\n') },
      ]);
      const added = await app.inject({
        method: 'POST',
        url: '/submit',
        headers: { 'content-type': more.contentType },
        payload: more.body,
      });
      expect(added.statusCode).toBe(200);

      const db = ctx.database.db;
      const submissions = await sql<{
        n: number;
      }>`select count(*)::int as n from evidence_submission_items`.execute(db);
      expect(submissions.rows[0]!.n).toBe(3);
      // Nothing identifying anywhere in the database: dump every text-like column of every table.
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
        db,
      );
      let dump = '';
      for (const { table_name } of tables.rows) {
        const rows = await sql`select * from ${sql.table(table_name)}`.execute(db);
        dump += JSON.stringify(rows.rows);
      }
      for (const needle of [
        'UA-MARKER-7731',
        'TestPhone',
        ip,
        'IMG_20240809_my-name',
        secretContact,
        'TEST CONTACT',
        receipt,
      ]) {
        expect(dump.includes(needle), `database contains ${needle}`).toBe(false);
      }
      const logs = lines.join('');
      // The citizen routes are not logged at all: a request line's time would date the submission.
      expect(logs).not.toContain('/submit');
      for (const needle of ['UA-MARKER-7731', ip, 'IMG_20240809_my-name', secretContact, receipt]) {
        expect(logs.includes(needle), `log contains ${needle}`).toBe(false);
      }
      // Times of a citizen's submission are kept to the day, in custody and in the audit log alike,
      // processing included.
      await t.runtime.jobs.drain();
      const times = await sql<{ at: Date }>`
        select at from audit_log where actor_type = 'citizen'
        union all
        select c.at from evidence_custody c join evidence_items i on i.id = c.item_id where i.channel = 'citizen'`.execute(
        db,
      );
      expect(times.rows.length).toBeGreaterThan(0);
      for (const row of times.rows) expect(new Date(row.at).toISOString()).toMatch(/T00:00:00\.000Z$/);
      // The contact is kept, encrypted, for authorised follow-up.
      const contact = await sql<{
        id: string;
        contact: Buffer;
      }>`select id, contact from evidence_submissions where contact is not null`.execute(db);
      expect(contact.rows).toHaveLength(1);
      expect(
        t.runtime.keys.decryptFieldText(
          contact.rows[0]!.contact,
          `evidence_submissions.contact:${contact.rows[0]!.id}`,
        ),
      ).toBe(secretContact);
    } finally {
      writeSync.mockRestore();
      write.mockRestore();
      await app.close();
    }
  });

  it('streams a 100 MB file with bounded memory', async () => {
    const large = await ensureFixtures(undefined, { large: true });
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const result = await evidenceOf(t.runtime).intake({
      stream: createReadStream(large.large!),
      channel: 'cli',
      actor: system,
    });
    clearInterval(timer);
    expect(result.size).toBe(100 * 1024 * 1024);
    // A buffered implementation would grow by at least the file size (plus its ciphertext).
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
    const hash = createHash('sha256');
    for await (const piece of createReadStream(large.large!)) hash.update(piece as Buffer);
    expect(result.sha256).toBe(hash.digest('hex'));
  }, 120_000);

  it('rejects a file over the maximum with a coded error and keeps nothing', async () => {
    const service = evidenceOf(t.runtime).intakeService;
    const saved = service.options.maxBytes;
    (service.options as { maxBytes: number }).maxBytes = 1000;
    try {
      await expect(
        evidenceOf(t.runtime).intake({
          stream: Readable.from([Buffer.alloc(5000, 7)]),
          channel: 'cli',
          actor: system,
        }),
      ).rejects.toMatchObject({ code: 'SVD_BLOB_TOO_LARGE' });
    } finally {
      (service.options as { maxBytes: number }).maxBytes = saved;
    }
    const row = await sql<{
      n: number;
    }>`select count(*)::int as n from blobs where sha256 = ${sha256(Buffer.alloc(5000, 7))}`.execute(
      ctx.database.db,
    );
    expect(row.rows[0]!.n).toBe(0);
  });
});

describe('receipt and token helpers', () => {
  it('form tokens are single-use and bound to this server', async () => {
    const { FormTokens } = await import('./citizen/form-tokens.js');
    const tokens = new FormTokens();
    const token = tokens.issue();
    expect(tokens.check(token, false)).toBe(true);
    expect(tokens.check(token, true)).toBe(true);
    expect(tokens.check(token, true)).toBe(false);
    expect(new FormTokens().check(tokens.issue(), true)).toBe(false);
    expect(tokens.check('1.2.3', true)).toBe(false);
  });
});
