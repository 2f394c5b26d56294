/**
 * The citizen page's resumable upload (/submit/tus), spoken by hand over a real socket: create, PATCH
 * in parts, a PATCH cut off in the middle, HEAD, resume, finish; and what is kept about the sender
 * (nothing), in the database, on disk and in the log.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs, { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { expect, it } from 'vitest';
import { useTestApp } from '../../../test/support/app.js';
import { captureStdout } from '../../../test/support/capture-stdout.js';
import { describeEachDatabase } from '../../../test/support/databases.js';
import type { App } from '../../platform/http/app.js';
import type { Runtime } from '../../runtime.js';
import { createApp } from '../../server.js';
import type { EvidenceArea } from '../index.js';
import { FormTokens } from './form-tokens.js';
import { SHA256_FIRST_JS } from './script.js';
import { proofHolds, solveProof } from './upload-allowance.js';

const USER_AGENT = 'Mozilla/5.0 (TestPhone; UA-MARKER-4412)';
const FILE_NAME = 'VID_20240809_my-own-name.mp4';
const CONTACT = 'signal: +000 TUS TEST CONTACT';

function evidenceOf(runtime: Runtime): EvidenceArea {
  return (runtime.areas as unknown as { evidence: EvidenceArea }).evidence;
}

function metadata(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `${name} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  base: string,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(url, base), { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString() }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function formToken(base: string): Promise<string> {
  const page = await request(base, 'GET', '/submit?lang=en', {});
  return /name="t" value="([^"]+)"/.exec(page.body)![1]!;
}

describeEachDatabase('citizen resumable upload', (ctx) => {
  const t = useTestApp(ctx);

  /** An app with the HTTP log on (at trace), listening on a free port. */
  async function listening(): Promise<{ app: App; base: string }> {
    const logger = pino(
      { level: 'trace', base: undefined },
      new Writable({ write: (_c, _e, done) => done() }),
    );
    const app = await createApp({ ...t.runtime, logger } as Runtime, {
      logger: true,
      webDist: '/nonexistent',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address() as { port: number };
    return { app, base: `http://127.0.0.1:${address.port}` };
  }

  it('the page loads its script from this origin; the script is served and keeps nothing on the device', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/submit?lang=ru' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<script src="\/submit\.js\?v=[0-9a-f]{12}" defer><\/script>/);
    // No inline script or style: the only script element is the external one.
    expect(page.body.match(/<script/g)).toHaveLength(1);
    expect(page.body).not.toMatch(/style=|\son[a-z]+=/);
    const texts = JSON.parse(
      /data-i18n="([^"]+)"/
        .exec(page.body)![1]!
        .replace(/&#(\d+);/g, (_m, code) => String.fromCharCode(code)),
    );
    expect(texts.retrying).toBe('Нет связи. Повтор через {s} с…');
    expect(texts.keep).toMatch(/запишите этот код/);

    const script = await t.app.inject({ method: 'GET', url: '/submit.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.headers['set-cookie']).toBeUndefined();
    expect(() => new Function(script.body)).not.toThrow();
    expect(script.body).toContain("'/submit/tus'");
    expect(script.body).not.toMatch(/localStorage|sessionStorage|indexedDB|document\.cookie|https?:\/\//);
  });

  it('create, PATCH in parts, a cut-off PATCH, HEAD, resume, finish: the item is stored and nothing about the sender', async () => {
    const stdout = captureStdout();
    const { app, base } = await listening();
    // The socket's address is 127.0.0.1; a proxy's header names another.
    const forwarded = '203.0.113.77';
    try {
      const token = await formToken(base);
      const data = randomBytes(1_500_000);
      const sha256 = createHash('sha256').update(data).digest('hex');
      const tus = { 'tus-resumable': '1.0.0', 'user-agent': USER_AGENT, 'x-forwarded-for': forwarded };
      const created = await request(base, 'POST', '/submit/tus', {
        ...tus,
        'upload-length': String(data.length),
        'upload-metadata': metadata({
          t: token,
          p: solveProof(token, evidenceOf(t.runtime).citizenUploads.limits.proofBits),
          note: 'Затрыманне каля рынку',
          contact: CONTACT,
          filename: FILE_NAME,
        }),
      });
      expect(created.status, created.body).toBe(201);
      expect(created.headers['set-cookie']).toBeUndefined();
      expect(created.headers['access-control-allow-origin']).toBeUndefined();
      const location = String(created.headers.location);
      expect(location).toMatch(/^\/submit\/tus\/[0-9a-f]{32}$/);
      const patch = (offset: number, chunk: Buffer) =>
        request(
          base,
          'PATCH',
          location,
          { ...tus, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
          chunk,
        );

      const first = await patch(0, data.subarray(0, 400_000));
      expect(first.status, first.body).toBe(204);
      expect(first.headers['upload-offset']).toBe('400000');

      // The next PATCH announces 600 000 bytes, sends 250 000 and the connection dies.
      await new Promise<void>((resolve) => {
        const cut = http.request(new URL(location, base), {
          method: 'PATCH',
          headers: {
            ...tus,
            'upload-offset': '400000',
            'content-type': 'application/offset+octet-stream',
            'content-length': '600000',
          },
        });
        cut.on('error', () => resolve());
        cut.write(data.subarray(400_000, 650_000), () =>
          setTimeout(() => {
            cut.destroy();
            resolve();
          }, 300),
        );
      });
      const head = await request(base, 'HEAD', location, tus);
      expect(head.status).toBe(200);
      const offset = Number(head.headers['upload-offset']);
      // What arrived is kept (a true offset, never past what was sent); the note is not echoed.
      expect(offset).toBeGreaterThan(400_000);
      expect(offset).toBeLessThanOrEqual(650_000);
      expect(head.headers['upload-length']).toBe(String(data.length));
      expect(head.headers['upload-metadata']).toBeUndefined();
      // The partial upload on disk is ciphertext, and its description does not name the file.
      const uploadsDir = path.join(t.runtime.config.dataDir, 'uploads', 'citizen-tus');
      for (const name of readdirSync(uploadsDir)) {
        const bytes = fs.readFileSync(path.join(uploadsDir, name));
        expect(bytes.includes(data.subarray(0, 64))).toBe(false);
        expect(bytes.includes(Buffer.from('my-own-name'))).toBe(false);
        expect(bytes.includes(Buffer.from('TUS TEST CONTACT'))).toBe(false);
      }

      // A stale offset is refused; the true one finishes.
      expect((await patch(400_000, data.subarray(400_000))).status).toBe(409);
      const done = await patch(offset, data.subarray(offset));
      expect(done.status, done.body).toBe(204);
      const receipt = String(done.headers['submit-receipt']);
      expect(receipt).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){3}$/);
      expect(readdirSync(uploadsDir)).toEqual([]);
      // The directory that held the partial upload carries the day only.
      const day = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
      expect(fs.statSync(uploadsDir).mtimeMs).toBe(day);
      // The answer was lost? A HEAD soon after still gives the receipt.
      const after = await request(base, 'HEAD', location, tus);
      expect(after.status).toBe(200);
      expect(after.headers['upload-offset']).toBe(String(data.length));
      expect(after.headers['submit-receipt']).toBe(receipt);

      // A second file with the same page's token joins the submission through the receipt code.
      const second = Buffer.from('a second file, sent at creation\n');
      const joined = await request(
        base,
        'POST',
        '/submit/tus',
        {
          ...tus,
          'upload-length': String(second.length),
          'upload-metadata': metadata({ t: token, receipt }),
          'content-type': 'application/offset+octet-stream',
        },
        second,
      );
      expect(joined.status, joined.body).toBe(201);
      expect(joined.headers['submit-receipt']).toBe(receipt);
      // The token now belongs to the script: the form cannot be posted with it.
      const form = [
        `--x\r\nContent-Disposition: form-data; name="t"\r\n\r\n${token}`,
        'Content-Disposition: form-data; name="lang"\r\n\r\nen',
        'Content-Disposition: form-data; name="files"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello',
      ].join('\r\n--x\r\n');
      const posted = await request(
        base,
        'POST',
        '/submit',
        { 'content-type': 'multipart/form-data; boundary=x' },
        Buffer.from(`${form}\r\n--x--\r\n`),
      );
      expect(posted.status).toBe(400);
      expect(posted.body).toContain('The form expired');

      const db = ctx.database.db;
      const items = await sql<{
        id: string;
        channel: string;
        file_name: string | null;
        note: string | null;
        collection: string;
      }>`select i.id, i.channel, i.file_name, i.note, c.name as collection
           from evidence_items i join evidence_collections c on c.id = i.collection_id
          where i.sha256 = ${sha256}`.execute(db);
      expect(items.rows).toHaveLength(1);
      const item = items.rows[0]!;
      // The note and the restricted collection's name are encrypted at rest; the service reads them.
      expect(item).toMatchObject({ channel: 'citizen', file_name: null, note: null });
      const shown = await evidenceOf(t.runtime).items.show({ type: 'system', label: 'test' }, item.id, {
        recordView: false,
      });
      expect(shown).toMatchObject({ note: 'Затрыманне каля рынку', collectionName: 'Citizen submissions' });
      const members = await sql<{ n: number }>`
        select count(*)::int as n from evidence_submission_items
         where submission_id = (select submission_id from evidence_submission_items where item_id = ${item.id})`.execute(
        db,
      );
      expect(members.rows[0]!.n).toBe(2);
      // The blob holds exactly the bytes sent.
      const stored: Buffer[] = [];
      for await (const part of evidenceOf(t.runtime).blobs.get(sha256)) stored.push(part as Buffer);
      expect(Buffer.concat(stored).equals(data)).toBe(true);

      // Nothing identifying anywhere in the database (every column of every table) or in the log.
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
         where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
      let dump = '';
      for (const { table_name } of tables.rows)
        dump += JSON.stringify((await sql`select * from ${sql.table(table_name)}`.execute(db)).rows);
      for (const needle of [
        'UA-MARKER-4412',
        'TestPhone',
        '127.0.0.1',
        forwarded,
        'my-own-name',
        'TUS TEST CONTACT',
        receipt,
        location,
      ]) {
        expect(dump.includes(needle), `database contains ${needle}`).toBe(false);
      }
      const logs = stdout.text();
      // Not logged at all: a request line's time would date the submission.
      expect(logs).not.toContain('/submit');
      // ("Server listening at http://127.0.0.1:…" is the server's own address, so the socket's is not checked here.)
      for (const needle of [
        'UA-MARKER-4412',
        forwarded,
        'my-own-name',
        'TUS TEST CONTACT',
        receipt,
        location,
        token,
      ]) {
        expect(logs.includes(needle), `log contains ${needle}`).toBe(false);
      }
      // The contact is kept sealed, for authorised follow-up.
      const contacts = await sql<{ id: string; contact: Buffer }>`
        select s.id, s.contact from evidence_submissions s
          join evidence_submission_items m on m.submission_id = s.id where m.item_id = ${item.id}`.execute(
        db,
      );
      expect(
        t.runtime.keys.decryptFieldText(
          contacts.rows[0]!.contact,
          `evidence_submissions.contact:${contacts.rows[0]!.id}`,
        ),
      ).toBe(CONTACT);
    } finally {
      stdout.restore();
      await app.close();
    }
  }, 60_000);

  it('refuses a bad form token, an unknown receipt code and a file over the maximum, with coded errors', async () => {
    const tus = { 'tus-resumable': '1.0.0' };
    const refusedToken = await t.app.inject({
      method: 'POST',
      url: '/submit/tus',
      headers: { ...tus, 'upload-length': '10', 'upload-metadata': metadata({ t: '1.2.3' }) },
    });
    expect(refusedToken.statusCode).toBe(400);
    expect(refusedToken.json().error.code).toBe('SVD_EVIDENCE_FORM_EXPIRED');
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/submit/tus',
      headers: { ...tus, 'upload-length': '10' },
    });
    expect(noToken.json().error.code).toBe('SVD_EVIDENCE_FORM_EXPIRED');
    // An unknown receipt code is refused before any byte of the file is sent.
    const fresh = await t.app.inject({ method: 'GET', url: '/submit' });
    const freshToken = /name="t" value="([^"]+)"/.exec(fresh.body)![1]!;
    const unknownReceipt = await t.app.inject({
      method: 'POST',
      url: '/submit/tus',
      headers: {
        ...tus,
        'upload-length': '10',
        'upload-metadata': metadata({
          t: freshToken,
          p: solveProof(freshToken, evidenceOf(t.runtime).citizenUploads.limits.proofBits),
          receipt: 'AAAAA-BBBBB-CCCCC-DDDDD',
        }),
      },
    });
    expect(unknownReceipt.json().error.code).toBe('SVD_EVIDENCE_RECEIPT_UNKNOWN');

    const page = await t.app.inject({ method: 'GET', url: '/submit' });
    const token = /name="t" value="([^"]+)"/.exec(page.body)![1]!;
    const p = solveProof(token, evidenceOf(t.runtime).citizenUploads.limits.proofBits);
    const service = evidenceOf(t.runtime).intakeService;
    const saved = service.options.maxBytes;
    (service.options as { maxBytes: number }).maxBytes = 1000;
    try {
      const tooLarge = await t.app.inject({
        method: 'POST',
        url: '/submit/tus',
        headers: { ...tus, 'upload-length': '5000', 'upload-metadata': metadata({ t: token, p }) },
      });
      expect(tooLarge.statusCode).toBe(413);
      expect(tooLarge.json().error.code).toBe('SVD_BLOB_TOO_LARGE');
      // A deferred length cannot be used to slip past it either.
      const deferred = await t.app.inject({
        method: 'POST',
        url: '/submit/tus',
        headers: { ...tus, 'upload-defer-length': '1', 'upload-metadata': metadata({ t: token, p }) },
      });
      expect(deferred.statusCode).toBe(201);
      const over = await t.app.inject({
        method: 'PATCH',
        url: String(deferred.headers.location),
        headers: { ...tus, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
        payload: Buffer.alloc(5000, 1),
      });
      expect(over.statusCode).toBe(413);
      expect(over.json().error.code).toBe('SVD_BLOB_TOO_LARGE');
    } finally {
      (service.options as { maxBytes: number }).maxBytes = saved;
    }
  });
});

it('a form token used by the script starts one submission and can no longer be posted with the form', () => {
  const tokens = new FormTokens();
  const token = tokens.issue();
  expect(tokens.checkBatch(token)).toBe('first');
  expect(tokens.checkBatch(token)).toBe('again');
  expect(tokens.check(token, true)).toBe(false);
  const posted = tokens.issue();
  expect(tokens.check(posted, true)).toBe(true);
  expect(tokens.checkBatch(posted)).toBe(false);
  const limited = tokens.issue();
  expect(tokens.checkBatch(limited, 2)).toBe('first');
  expect(tokens.checkBatch(limited, 2)).toBe('again');
  expect(tokens.checkBatch(limited, 2)).toBe(false);
  expect(tokens.checkBatch('1.2.3')).toBe(false);
});

it("the page script's SHA-256 agrees with Node's, so its proofs of work are accepted", () => {
  const sha256First = new Function(`${SHA256_FIRST_JS}; return sha256First;`)() as (
    bytes: Uint8Array,
  ) => number;
  for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 200]) {
    const bytes = randomBytes(length);
    expect(sha256First(bytes)).toBe(createHash('sha256').update(bytes).digest().readUInt32BE(0));
  }
  const token = new FormTokens().issue();
  const proof = solveProof(token, 12);
  const message = Buffer.from(`${token}.${proof}`);
  expect(sha256First(message) >>> 20).toBe(0);
  expect(proofHolds(token, proof, 12)).toBe(true);
  expect(proofHolds(token, 'x', 12)).toBe(false);
});
