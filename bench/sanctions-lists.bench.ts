/**
 * Sanctions benchmark. (1) Import of a generated EU Financial Sanctions Files XML list (synthetic
 * persons with names in three scripts, birth dates, documents, addresses, regulations) through the
 * sanctions import into an embedded registry dataset, then the same file again (every designation
 * unchanged), against a same-run baseline that only reads, parses and maps the file to FtM (no
 * database). (2) Export of proposals in every text format and as the annex PDF, against a same-run
 * baseline of loading the same proposals. Prints designations/s, ratios and peak RSS.
 *
 *   npx tsx bench/sanctions-lists.bench.ts                                   # 20,000 designations, 1,000 proposals
 *   SANCTIONS_BENCH_ENTRIES=500 SANCTIONS_BENCH_PROPOSALS=50 npx tsx bench/sanctions-lists.bench.ts
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../src/platform/config.js';
import { validateEntity } from '../src/registry/validate.js';
import { openRuntime } from '../src/runtime.js';
import { EXPORT_FORMATS } from '../src/sanctions/exports/service.js';
import { LIST_READERS } from '../src/sanctions/lists/formats/index.js';
import { newReadContext } from '../src/sanctions/lists/reader.js';
import { entryToEntities } from '../src/sanctions/lists/to-ftm.js';

const entries = Number(process.env.SANCTIONS_BENCH_ENTRIES ?? 20_000);
const proposalCount = Number(process.env.SANCTIONS_BENCH_PROPOSALS ?? 1_000);
const work = mkdtempSync(path.join(tmpdir(), 'sviedka-sanctions-bench-'));
const file = path.join(work, 'eu-fsf.xml');
const system = { type: 'system' as const, label: 'bench' };

const GIVEN = ['Ihar', 'Aliaksandr', 'Siarhei', 'Dzmitry', 'Andrei', 'Alena', 'Volha', 'Mikalai'];
const GIVEN_BE = ['Ігар', 'Аляксандр', 'Сяргей', 'Дзмітрый', 'Андрэй', 'Алена', 'Вольга', 'Мікалай'];
const FAMILY = ['Prykladny', 'Uzorny', 'Testavy', 'Vydumany', 'Fiktyuny', 'Sintetychny'];
const FAMILY_BE = ['Прыкладны', 'Узорны', 'Тэставы', 'Выдуманы', 'Фіктыўны', 'Сінтэтычны'];

async function generate(): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write(
    '<?xml version="1.0" encoding="UTF-8"?>\n<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-12-01T00:00:00">\n',
  );
  for (let i = 0; i < entries; i++) {
    const g = i % GIVEN.length;
    const f = (i * 7) % FAMILY.length;
    const year = 1950 + (i % 50);
    await write(
      `<sanctionEntity euReferenceNumber="EU.B.${i}" logicalId="${i}" designationDate="2021-06-21">` +
        `<regulation regulationType="regulation" publicationDate="2021-06-21" entryIntoForceDate="2021-06-21" numberTitle="2021/997 (OJ L219)" programme="BLR"><publicationUrl>https://example.org/${i}</publicationUrl></regulation>` +
        `<subjectType code="person" classificationCode="P"/>` +
        `<nameAlias firstName="${GIVEN[g]}" lastName="${FAMILY[f]} ${i}" wholeName="${GIVEN[g]} ${FAMILY[f]} ${i}" function="Officer of unit ${i % 300}" gender="M" nameLanguage="" strong="true"/>` +
        `<nameAlias wholeName="${GIVEN_BE[g]} ${FAMILY_BE[f]} ${i}" nameLanguage="BE" strong="true"/>` +
        `<citizenship countryIso2Code="BY" countryDescription="BELARUS"/>` +
        `<birthdate birthdate="${year}-0${1 + (i % 9)}-1${i % 9}" year="${year}" city="Minsk" countryIso2Code="BY" countryDescription="BELARUS"/>` +
        `<identification number="MP${String(i).padStart(7, '0')}" identificationTypeCode="passport" countryIso2Code="BY"/>` +
        `<address city="Minsk" street="vul. Prykladnaja ${i % 200}" countryIso2Code="BY" countryDescription="BELARUS"/>` +
        `<remark>Synthetic designation number ${i}.</remark></sanctionEntity>\n`,
    );
  }
  await write('</export>\n');
  await new Promise<void>((resolve) => out.end(resolve));
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en');
const source = () => ({
  name: 'eu-fsf.xml',
  open: () => createReadStream(file, { highWaterMark: 256 * 1024 }),
});

try {
  await generate();
  const megabytes = statSync(file).size / 1024 / 1024;
  console.log(
    `Input: ${entries.toLocaleString('en')} designations, ${megabytes.toFixed(1)} MB EU FSF XML; embedded PGlite`,
  );

  const base = await timed(async () => {
    let count = 0;
    for await (const entry of LIST_READERS['eu-fsf-xml'].read([source()], newReadContext())) {
      for (const entity of entryToEntities(entry, { datasetName: 'b', authority: 'EU', publisher: 'b' }))
        validateEntity(entity);
      count++;
    }
    return count;
  });
  console.log(
    `Baseline (read + parse + map to FtM + validate, no database): ${rate(base.value, base.seconds)} designations/s`,
  );

  const runtime = await openRuntime(
    loadConfig({
      env: {},
      flags: { dataDir: path.join(work, 'data'), logLevel: 'silent', demo: false, workers: false },
    }),
  );
  try {
    const lists = runtime.areas.sanctions.lists;
    const importOnce = () =>
      lists.importList(system, { format: 'eu-fsf-xml', dataset: 'bench-eu', files: [source()] });
    const first = await timed(importOnce);
    console.log(
      `Import (new): ${rate(entries, first.seconds)} designations/s, ${first.seconds.toFixed(1)} s; ratio to baseline ${(base.seconds / first.seconds).toFixed(3)} (added ${first.value.added}, entities written ${first.value.entitiesWritten})`,
    );
    const second = await timed(importOnce);
    console.log(
      `Re-import (unchanged): ${rate(entries, second.seconds)} designations/s, ${second.seconds.toFixed(1)} s; ratio to baseline ${(base.seconds / second.seconds).toFixed(3)} (unchanged ${second.value.unchanged})`,
    );

    // Proposals on the first designations of the list.
    const registry = runtime.areas.registry.service;
    const dataset = await registry.createDataset(system, {
      name: 'bench-officials',
      title: 'Bench',
      restricted: false,
    });
    const lines = Array.from(
      { length: proposalCount },
      (_, i) =>
        `${JSON.stringify({ id: `bench-p-${i}`, schema: 'Person', properties: { name: [`${GIVEN[i % 8]} ${FAMILY[i % 6]} ${i}`, `${GIVEN_BE[i % 8]} ${FAMILY_BE[i % 6]} ${i}`], birthDate: ['1970-01-01'], nationality: ['by'], position: ['Officer'] } })}\n`,
    );
    await registry.importStream(system, dataset.id, Readable.from(lines));
    const proposals = runtime.areas.sanctions.proposals;
    const created = await timed(async () => {
      for (let i = 0; i < proposalCount; i++)
        await proposals.create(system, {
          entityId: `bench-p-${i}`,
          targets: [
            { jurisdiction: 'EU', programme: 'BLR' },
            { jurisdiction: 'US', programme: 'BELARUS-EO14038' },
            { jurisdiction: 'UK', programme: 'The Republic of Belarus' },
          ],
        });
    });
    console.log(`Create proposals: ${rate(proposalCount, created.seconds)} proposals/s`);
    const load = await timed(async () => (await proposals.list(system)).length);
    console.log(`Baseline (load ${load.value} proposals): ${load.seconds.toFixed(2)} s`);
    const exportsService = runtime.areas.sanctions.exports;
    for (const format of EXPORT_FORMATS) {
      const done = await timed(async () => {
        if (format === 'dossier-pdf') return (await exportsService.pdf(system, {})).pdf.length;
        let bytes = 0;
        for await (const chunk of exportsService.text(system, { format })) bytes += Buffer.byteLength(chunk);
        return bytes;
      });
      console.log(
        `Export ${format}: ${rate(proposalCount, done.seconds)} proposals/s, ${(done.value / 1024 / 1024).toFixed(1)} MB, ${done.seconds.toFixed(2)} s; ratio to load baseline ${(load.seconds / done.seconds).toFixed(3)}`,
      );
    }
  } finally {
    await runtime.close();
  }
  console.log(`Peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
