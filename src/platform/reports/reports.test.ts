import { inflateSync } from 'node:zlib';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { AuditService } from '../audit/service.js';
import type { Principal } from '../auth/model.js';
import { cryptoReady } from '../crypto.js';
import type { ReportDocument } from './model.js';
import { renderPdf } from './pdf.js';
import { newVerificationCode, ReportService, VERIFICATION_CODE } from './service.js';

const KEY = Buffer.alloc(32, 5);
const officer: Principal = {
  type: 'user',
  id: '00000000-0000-4000-8000-0000000000aa',
  username: 'o',
  role: 'analyst',
};

const belarusian = 'Справаздача аб праверцы: Ігар Мікалаевіч Пятровіч, ўдзел у перасьледзе не знойдзены.';
const russian = 'Отчёт о проверке: Игорь Николаевич Петрович, сведений об участии в преследованиях нет.';

function documentOf(rows: number): ReportDocument {
  return {
    title: 'Справаздача аб праверцы',
    language: 'be',
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Асоба', 'Ігар Пятровіч'],
          ['Дата нараджэння', '1979-04'],
        ],
      },
      { kind: 'heading', text: 'Высновы' },
      { kind: 'paragraph', text: belarusian },
      { kind: 'paragraph', text: russian },
      {
        kind: 'table',
        columns: ['#', 'SHA-256', 'Апісанне'],
        widths: [0.5, 4, 3],
        rows: Array.from({ length: rows }, (_, i) => [
          String(i + 1),
          'ab'.repeat(32),
          `Доказ ${i + 1}: фота`,
        ]),
      },
    ],
  };
}

/** The text of every Flate stream of a PDF (content, ToUnicode maps, metadata). */
function inflatedStreams(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  const re = /(?<!end)stream\r?\n/g;
  for (let match = re.exec(text); match; match = re.exec(text)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      out.push(pdf.subarray(start, end).toString('latin1'));
    }
    re.lastIndex = end;
  }
  return out.join('\n');
}

it('renders real text in an embedded Cyrillic font, PDF/A-3b, with the JSON twin attached', async () => {
  await cryptoReady();
  const stamp = { version: 3, verificationCode: newVerificationCode(), issuedAt: new Date(), draft: true };
  const json = Buffer.from(JSON.stringify({ hello: 'свет' }));
  const pdf = await renderPdf(documentOf(40), stamp, [
    { name: 'report.json', type: 'application/json', data: json, description: 'JSON twin' },
  ]);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const raw = pdf.toString('latin1');
  expect(raw).toContain('/FontFile2');
  expect(raw).toContain(stamp.verificationCode);
  expect(raw.match(/\/Type \/Page\b/g)!.length).toBeGreaterThan(1);
  const streams = inflatedStreams(pdf);
  // ToUnicode maps: Belarusian і (U+0456) and ў (U+045E), Russian ё (U+0451) map to real characters.
  for (const code of ['0456', '045e', '0451']) expect(streams.toLowerCase()).toContain(`<${code}>`);
  expect(streams).toContain('pdfaid:part');
  expect(streams).toContain('{"hello":"');
  expect(stamp.verificationCode).toMatch(VERIFICATION_CODE);
});

describeEachDatabase('issued reports', (ctx) => {
  it('issues versions with custody and audit, and verifies issued, altered and foreign files', async () => {
    await cryptoReady();
    const audit = new AuditService(ctx.database.db, KEY);
    const reports = new ReportService(ctx.database.db, audit);
    const subject = { type: 'test-case', id: 'c1' };
    const build = (draft: boolean) => ({
      subject,
      kind: 'test-report',
      draft,
      build: async (stamp: Parameters<typeof renderPdf>[1]) => {
        const json = Buffer.from(JSON.stringify({ code: stamp.verificationCode, version: stamp.version }));
        return { pdf: await renderPdf(documentOf(3), stamp), json };
      },
    });
    const first = await reports.issue(officer, build(true));
    const second = await reports.issue(officer, build(false));
    expect(first.report).toMatchObject({ version: 1, draft: true });
    expect(second.report).toMatchObject({ version: 2, draft: false });

    expect(await reports.verify(officer, second.pdf)).toMatchObject({
      status: 'issued',
      format: 'pdf',
      report: { version: 2, draft: false, subjectId: 'c1' },
      custodyIntact: true,
    });
    expect(await reports.verify(officer, second.json!)).toMatchObject({ status: 'issued', format: 'json' });

    // One changed byte inside the page content: the file still names our report but is not it.
    const altered = Buffer.from(second.pdf);
    const at = altered.indexOf('stream') + 40;
    altered[at] = altered[at]! ^ 0xff;
    expect(await reports.verify(officer, altered)).toMatchObject({
      status: 'altered',
      report: { version: 2 },
    });
    expect(await reports.verify(officer, Buffer.from('%PDF-1.7 nothing of ours'))).toMatchObject({
      status: 'unknown',
      report: null,
    });

    const events = await audit.list({ action: 'report.', limit: 20 });
    expect(events.filter((e) => e.action === 'report.issue').map((e) => e.details.pdfSha256)).toEqual([
      second.report.pdfSha256,
      first.report.pdfSha256,
    ]);

    await reports.recordDelivery(officer, second.report.id, { recipient: 'partner', channel: 'api' });
    expect(await reports.deliveries([second.report.id])).toHaveLength(1);

    await expect(sql`update report_issues set draft = false`.execute(ctx.database.db)).rejects.toThrow(
      /append-only/,
    );
    expect((await audit.verify()).ok).toBe(true);
  });
});
