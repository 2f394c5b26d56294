/**
 * What the submission page tells citizens is what the code does: the page makes no promise of anonymity,
 * names what the network still sees, and says that the files are kept unchanged (metadata included), that no
 * file name is kept and that a contact links the files to the sender. Each claim is checked against a real
 * submission, so a change of behaviour fails here until the texts change too.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { ensureFixtures, type FixturePaths } from '../../../scripts/make-fixtures.js';
import { loggedInClient, useTestApp } from '../../../test/support/app.js';
import { describeEachDatabase } from '../../../test/support/databases.js';
import type { Runtime } from '../../runtime.js';

const claims = {
  network: {
    be: ['правайдар', 'VPN', 'Tor Browser'],
    ru: ['провайдер', 'VPN', 'Tor Browser'],
    en: ['provider', 'VPN', 'Tor Browser'],
  },
  unchanged: {
    be: 'мы захоўваем файлы без змен',
    ru: 'мы храним файлы без изменений',
    en: 'we keep the files unchanged',
  },
  noFileNames: { be: 'назваў файлаў', ru: 'названия файлов', en: 'no file names' },
  contactLinks: {
    be: 'звязвае гэтыя файлы з вамі',
    ru: 'связывает эти файлы с вами',
    en: 'links these files to you',
  },
} as const;

const evidenceMaxBytes = (runtime: Runtime) => runtime.areas.evidence.intakeService.options.maxBytes;

const promisesAnonymity = /ананімн|анонимн|anonym/i;
const languages = ['be', 'ru', 'en'] as const;

function multipart(parts: Array<{ name: string; value?: string; filename?: string; data?: Buffer }>) {
  const boundary = `----svdtexts${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
    const type = part.filename ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(part.data ?? Buffer.from(part.value ?? ''));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachDatabase('what the submission page says is what it does', (ctx) => {
  const t = useTestApp(ctx);
  let fx: FixturePaths;
  beforeAll(async () => {
    fx = await ensureFixtures();
  });

  it('promises no anonymity, names what the network sees, and each data claim holds for a real submission', async () => {
    const pages: Record<string, string> = {};
    for (const lang of languages) {
      const page = await t.app.inject({ method: 'GET', url: `/submit?lang=${lang}` });
      expect(page.statusCode).toBe(200);
      pages[lang] = page.body;
      expect(page.body).not.toMatch(promisesAnonymity);
      for (const word of claims.network[lang]) expect(page.body).toContain(word);
      expect(page.body).toContain(claims.unchanged[lang]);
      expect(page.body).toContain(claims.noFileNames[lang]);
      expect(page.body).toContain(claims.contactLinks[lang]);
      // A refused file is told the limit the intake enforces.
      const limit = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(
        evidenceMaxBytes(t.runtime) / 1024 ** 2,
      );
      const scriptTexts = JSON.parse(
        /data-i18n="([^"]+)"/
          .exec(page.body)![1]!
          .replace(/&#(\d+);/g, (_m, code) => String.fromCharCode(Number(code))),
      );
      expect(scriptTexts.SVD_BLOB_TOO_LARGE).toContain(`${limit} `);
    }

    // A photo with EXIF place and time, a file name and a contact.
    const photo = readFileSync(fx.jpeg);
    const token = /name="t" value="([^"]+)"/.exec(pages.en!)![1]!;
    const form = multipart([
      { name: 't', value: token },
      { name: 'lang', value: 'en' },
      { name: 'contact', value: 'texts-test contact 5521' },
      { name: 'files', filename: 'IMG_TEXTS_CLAIM_0042.jpg', data: photo },
    ]);
    const posted = await t.app.inject({
      method: 'POST',
      url: '/submit',
      headers: { 'content-type': form.contentType },
      payload: form.body,
    });
    expect(posted.statusCode).toBe(200);
    await t.runtime.jobs.drain();

    // "We keep the files unchanged": the vault holds exactly the bytes sent, metadata included.
    const admin = await loggedInClient(t, 'admin');
    const items = await admin.request('GET', '/api/evidence/items?channel=citizen&limit=200');
    const sha256 = createHash('sha256').update(photo).digest('hex');
    expect(items.json.items.some((item: { sha256: string }) => item.sha256 === sha256)).toBe(true);

    // "No file names": the name is nowhere in the database. "A contact links the files to you": it is kept.
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(ctx.database.db);
    let dump = '';
    for (const { table_name } of tables.rows)
      dump += JSON.stringify(
        (await sql`select * from ${sql.table(table_name)}`.execute(ctx.database.db)).rows,
      );
    expect(dump).not.toContain('IMG_TEXTS_CLAIM_0042');
    const contacts = await sql<{ n: number }>`select count(*)::int as n from evidence_submissions
      where contact is not null`.execute(ctx.database.db);
    expect(Number(contacts.rows[0]!.n)).toBeGreaterThan(0);
  });
});
