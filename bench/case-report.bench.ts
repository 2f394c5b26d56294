/**
 * Report generation of a verification case: the document model built from a case with many findings and
 * evidence references, rendered to PDF/A with the embedded Cyrillic font, plus its JSON twin — what
 * `cases report` does between reading the case and recording the hash. Baseline in the same run: the
 * same renderer on a one-page report (fixed costs: font subsetting, PDF/A metadata; the fonts are parsed
 * once per process, in the warm-up), so the ratio shows what the size of the case adds. Target (issue 11): ≤ 2 s for 50 findings, 200 references.
 *
 * Usage: npx tsx bench/case-report.bench.ts [findings=50] [references=200] [runs=5]
 */
import { createHash } from 'node:crypto';
import type { Hit } from '../src/cases/model.js';
import { type CaseReportInput, caseReportDocument, caseReportJson } from '../src/cases/report-document.js';
import { cryptoReady } from '../src/platform/crypto.js';
import { renderPdf } from '../src/platform/reports/pdf.js';

const FINDINGS = Number(process.argv[2] ?? 50);
const REFERENCES = Number(process.argv[3] ?? 200);
const RUNS = Number(process.argv[4] ?? 5);

const sha = (i: number) => createHash('sha256').update(`evidence ${i}`).digest('hex');
const sentence =
  'Паводле сведкаў і відэа ад 12.08.2020, асоба кіравала затрыманнямі на вуліцы; паказанні супадаюць па часе і месцы. ';

function input(findings: number, references: number): CaseReportInput {
  const perFinding = Math.ceil(references / Math.max(findings, 1));
  let next = 0;
  const hits: Hit[] = Array.from({ length: 20 }, (_, i) => ({
    id: `h${i}`,
    entityId: `synthetic-${i}`,
    clusterId: null,
    schema: 'Person',
    caption: `Іван Іванавіч Тэставы ${i}`,
    score: 0.9 - i * 0.01,
    match: i < 3,
    datasets: ['demo-officials'],
    properties: {},
    explanations: [],
    source: { kind: 'registry' },
    review: i % 2 ? 'dismissed' : 'confirmed',
    reviewReason: i % 2 ? 'іншая дата нараджэння' : null,
    reviewedBy: 'user:1',
    reviewedAt: new Date().toISOString(),
    change: 'same',
  }));
  return {
    number: 'VR-2026-BENCH1',
    requesterOrg: 'Synthetic Partner',
    purpose: 'Residence permit vetting (synthetic)',
    legalBasis: 'GDPR Art. 6(1)(e)',
    receivedAt: new Date().toISOString(),
    releasedAt: new Date().toISOString(),
    subject: {
      names: ['Іван Іванавіч Тэставы', 'Иван Иванович Тестовый', 'Ivan Testavy'],
      birthDate: '1980-01-01',
    },
    findings: {
      conclusion: 'adverse_information_found',
      confidence: 'high',
      narrative: sentence.repeat(20),
      exculpatory: sentence.repeat(3),
      items: Array.from({ length: findings }, (_, i) => ({
        text: `${sentence}${sentence}(${i + 1})`,
        links: Array.from({ length: perFinding }, () => next++)
          .filter((n) => n < references)
          .map((n) => ({ kind: 'evidence' as const, sha256: sha(n) })),
      })),
    },
    hits,
    evidence: new Map(
      Array.from({ length: references }, (_, n) => [
        sha(n),
        {
          sha256: sha(n),
          itemId: `item-${n}`,
          mediaType: 'image/jpeg',
          receivedAt: new Date().toISOString(),
          custodyEvents: 4,
          custodyHead: sha(n + 1_000_000),
        },
      ]),
    ),
    review: {
      contentHash: 'a'.repeat(64),
      contributors: ['user:analyst'],
      approvals: [],
      approved: true,
      required: 1,
      history: [],
    },
    authors: ['analyst · 00000000-0000-4000-8000-000000000001'],
    reviewers: {},
  };
}

async function once(
  findings: number,
  references: number,
): Promise<{ ms: number; bytes: number; pages: number }> {
  const started = performance.now();
  const data = input(findings, references);
  const stamp = { version: 1, verificationCode: 'SVD-BENC-H000-0001', issuedAt: new Date(), draft: false };
  const json = caseReportJson(data, stamp, 'a'.repeat(64));
  const pdf = await renderPdf(caseReportDocument(data, 'be'), stamp, [
    { name: 'report.json', type: 'application/json', data: json, description: 'JSON twin' },
  ]);
  createHash('sha256').update(pdf).digest('hex');
  const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
  return { ms: performance.now() - started, bytes: pdf.length, pages };
}

await cryptoReady();
await once(1, 0); // warm-up: font files read, code paths compiled
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const base: number[] = [];
const full: number[] = [];
let last = { ms: 0, bytes: 0, pages: 0 };
for (let i = 0; i < RUNS; i++) {
  base.push((await once(1, 0)).ms);
  last = await once(FINDINGS, REFERENCES);
  full.push(last.ms);
}
const b = median(base);
const f = median(full);
console.log(`baseline (one-page report): ${b.toFixed(0)} ms median of ${RUNS}`);
console.log(
  `case report (${FINDINGS} findings, ${REFERENCES} evidence references): ${f.toFixed(0)} ms median of ${RUNS}, ${last.pages} pages, ${(last.bytes / 1024).toFixed(0)} KiB`,
);
console.log(`ratio to baseline: ${(f / b).toFixed(2)}×; target ≤ 2000 ms: ${f <= 2000 ? 'met' : 'NOT met'}`);
