/**
 * Nobody can shut the citizen channel with cheap requests (issue 15, item 3): a form token must pay a
 * proof of work before its first resumable upload, each token has its own small allowance of unfinished
 * uploads, storage is bounded in bytes actually received, and idle uploads expire. The tus endpoints'
 * refusals, even those the tus library makes itself, use the coded JSON envelope (item 7).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CitizenUploadLimits } from '../../src/evidence/citizen/upload-allowance.js';
import { CitizenUploads, solveProof } from '../../src/evidence/citizen/upload-allowance.js';
import type { EvidenceArea } from '../../src/evidence/index.js';
import type { Runtime } from '../../src/runtime.js';
import { loggedInClient, useTestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';

function evidenceOf(runtime: Runtime): EvidenceArea {
  return (runtime.areas as unknown as { evidence: EvidenceArea }).evidence;
}

function metadata(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `${name} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

const tus = { 'tus-resumable': '1.0.0' };

describeEachDatabase('the citizen channel under a flood', (ctx) => {
  const t = useTestApp(ctx);
  let saved: CitizenUploadLimits;
  const limits = () => evidenceOf(t.runtime).citizenUploads.limits as CitizenUploadLimits;
  beforeEach(() => {
    saved = { ...limits() };
    // A small difficulty keeps the test quick: the attacker's tokens are proven like an honest page's.
    limits().proofBits = 10;
  });
  afterEach(() => {
    Object.assign(limits(), saved);
  });

  async function formToken(): Promise<string> {
    const page = await t.app.inject({ method: 'GET', url: '/submit?lang=en' });
    expect(page.body).toContain(`data-proof-bits="${limits().proofBits}"`);
    return /name="t" value="([^"]+)"/.exec(page.body)![1]!;
  }
  const create = (fields: Record<string, string>, length: number, body?: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: '/submit/tus',
      headers: {
        ...tus,
        'upload-length': String(length),
        'upload-metadata': metadata(fields),
        ...(body ? { 'content-type': 'application/offset+octet-stream' } : {}),
      },
      ...(body ? { payload: body } : {}),
    });
  const patch = (location: string, offset: number, body: Buffer) =>
    t.app.inject({
      method: 'PATCH',
      url: location,
      headers: { ...tus, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
      payload: body,
    });

  it('200 empty creates do not shut the channel: an honest submission afterwards succeeds', async () => {
    const before = evidenceOf(t.runtime).citizenUploads.open;
    // 100 creates with free tokens (no proof of work): refused, and they cost nobody anything.
    for (let i = 0; i < 100; i++) {
      const refused = await create({ t: await formToken() }, 1000);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.code).toBe('SVD_EVIDENCE_PROOF_REQUIRED');
    }
    // 100 creates with proven tokens, sending nothing: each token holds at most 4 open uploads.
    for (let i = 0; i < 25; i++) {
      const token = await formToken();
      const p = solveProof(token, limits().proofBits);
      for (let j = 0; j < 4; j++) expect((await create({ t: token, p }, 1000)).statusCode).toBe(201);
      const fifth = await create({ t: token, p }, 1000);
      expect(fifth.statusCode).toBe(429);
      expect(fifth.json().error.code).toBe('SVD_EVIDENCE_FORM_BUSY');
    }
    expect(evidenceOf(t.runtime).citizenUploads.open - before).toBe(100);

    // An honest page: a fresh token, its proof, the file (sent with the create, as a small file is).
    const token = await formToken();
    const file = Buffer.from('photo of the detention, honest submission\n');
    const honest = await create({ t: token, p: solveProof(token, limits().proofBits) }, file.length, file);
    expect(honest.statusCode, honest.body).toBe(201);
    expect(String(honest.headers['submit-receipt'])).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){3}$/);
    // The form without JavaScript (its own, slower path) still works too.
    const formTokenValue = await formToken();
    const form = [
      `--x\r\nContent-Disposition: form-data; name="t"\r\n\r\n${formTokenValue}`,
      'Content-Disposition: form-data; name="lang"\r\n\r\nen',
      'Content-Disposition: form-data; name="files"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nform path',
    ].join('\r\n--x\r\n');
    const posted = await t.app.inject({
      method: 'POST',
      url: '/submit',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: `${form}\r\n--x--\r\n`,
    });
    expect(posted.statusCode).toBe(200);
    expect(posted.body).toContain('receipt-code');
    await evidenceOf(t.runtime).citizenUploads.sweep(Date.now() + limits().idleMs + 1);
  }, 120_000);

  it('storage is bounded by the bytes received; idle uploads expire and free their share', async () => {
    const uploads = evidenceOf(t.runtime).citizenUploads;
    limits().storageBytes = uploads.used + 400_000;
    const token = await formToken();
    const p = solveProof(token, limits().proofBits);
    const first = await create({ t: token, p }, 300_000);
    expect(first.statusCode).toBe(201);
    const firstAt = String(first.headers.location);
    expect((await patch(firstAt, 0, Buffer.alloc(150_000, 1))).statusCode).toBe(204);
    // Empty creates cost next to nothing; bytes are what count.
    const second = await create({ t: token, p }, 300_000);
    expect(second.statusCode).toBe(201);
    const full = await patch(String(second.headers.location), 0, Buffer.alloc(150_000, 2));
    expect(full.statusCode).toBe(503);
    expect(full.headers['retry-after']).toBe('60');
    expect(full.json().error.code).toBe('SVD_EVIDENCE_UPLOADS_FULL');

    // Nothing arrives for longer than the idle limit: both uploads are removed.
    expect(await uploads.sweep(Date.now() + limits().idleMs + 1)).toBeGreaterThanOrEqual(2);
    const gone = await t.app.inject({ method: 'HEAD', url: firstAt, headers: tus });
    expect([404, 410]).toContain(gone.statusCode);
    const third = await create({ t: token, p }, 100_000);
    expect(third.statusCode).toBe(201);
    const done = await patch(String(third.headers.location), 0, Buffer.alloc(100_000, 3));
    expect(done.statusCode, done.body).toBe(204);
    expect(String(done.headers['submit-receipt'])).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){3}$/);
  });
});

describeEachDatabase('resumable upload errors', (ctx) => {
  const t = useTestApp(ctx);

  it('every refusal of the tus endpoints answers in the coded JSON envelope', async () => {
    const coded = (answer: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }) => {
      expect(String(answer.headers['content-type'])).toMatch(/^application\/json/);
      return (answer.json() as { error: { code: string } }).error.code;
    };
    // The library's own plain-text answers: no Tus-Resumable, an unknown upload.
    const noVersion = await t.app.inject({
      method: 'POST',
      url: '/submit/tus',
      headers: { 'upload-length': '5' },
    });
    expect(noVersion.statusCode).toBe(412);
    expect(coded(noVersion)).toBe('SVD_EVIDENCE_UPLOAD_PROTOCOL');
    const unknown = await t.app.inject({
      method: 'PATCH',
      url: '/submit/tus/0123456789abcdef0123456789abcdef',
      headers: { ...tus, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      payload: Buffer.from('x'),
    });
    expect(unknown.statusCode).toBe(404);
    expect(coded(unknown)).toBe('SVD_HTTP_NOT_FOUND');

    const analyst = await loggedInClient(t, 'analyst');
    const staff = { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf };
    const staffNoVersion = await t.app.inject({
      method: 'POST',
      url: '/api/evidence/tus',
      headers: { ...staff, 'upload-length': '5' },
    });
    expect(staffNoVersion.statusCode).toBe(412);
    expect(coded(staffNoVersion)).toBe('SVD_EVIDENCE_UPLOAD_PROTOCOL');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/evidence/tus',
      headers: { ...staff, ...tus, 'upload-length': '5' },
    });
    expect(created.statusCode).toBe(201);
    const conflict = await t.app.inject({
      method: 'PATCH',
      url: String(created.headers.location),
      headers: { ...staff, ...tus, 'upload-offset': '3', 'content-type': 'application/offset+octet-stream' },
      payload: Buffer.from('ab'),
    });
    expect(conflict.statusCode).toBe(409);
    expect(coded(conflict)).toBe('SVD_EVIDENCE_UPLOAD_OFFSET');
    const noOffset = await t.app.inject({
      method: 'PATCH',
      url: String(created.headers.location),
      headers: { ...staff, ...tus, 'content-type': 'application/offset+octet-stream' },
      payload: Buffer.from('ab'),
    });
    expect(noOffset.statusCode).toBe(403);
    expect(coded(noOffset)).toBe('SVD_EVIDENCE_UPLOAD_HEADERS');
  });
});

it('the proof of work gets one bit harder each time the open uploads double past a thousand', () => {
  const store = { getUpload: async () => ({ offset: 0 }), remove: async () => {} } as never;
  const uploads = new CitizenUploads(store, {
    proofBits: 18,
    idleMs: 60_000,
    storageBytes: 2 ** 40,
    openPerForm: 4,
  });
  expect(uploads.proofBits()).toBe(18);
  for (let i = 0; i < 4000; i++) uploads.addUpload(`form-${i}`, `upload-${i}`);
  expect(uploads.proofBits()).toBe(20);
  for (let i = 0; i < 4000; i++) uploads.forget(`upload-${i}`);
  expect(uploads.proofBits()).toBe(18);
});
