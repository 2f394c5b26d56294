/** Importing official lists into the registry, on PGlite and PostgreSQL: provenance, re-import, hostile files. */
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import type { Principal } from '../platform/auth/model.js';
import { isAppError } from '../platform/errors.js';
import type { SourceFile } from './lists/read-text.js';

const fixtures = path.resolve('test/fixtures/sanctions');
const system: Principal = { type: 'system', label: 'test' };

function file(name: string): SourceFile {
  const full = path.join(fixtures, name);
  return { name: path.basename(full), open: () => createReadStream(full) };
}

function text(name: string, content: string | Buffer): SourceFile {
  return { name, open: () => Readable.from([typeof content === 'string' ? Buffer.from(content) : content]) };
}

async function refused(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describeEachDatabase('official list import', (ctx) => {
  const t = useTestApp(ctx);
  const lists = () => t.runtime.areas.sanctions.lists;
  const registry = () => t.runtime.areas.registry.service;

  it('imports the EU file as FtM entities that keep the list ids, and re-imports without writing', async () => {
    const summary = await lists().importList(system, {
      format: 'eu-fsf-xml',
      dataset: 'eu-fsf',
      files: [file('eu-fsf.xml')],
    });
    expect(summary).toMatchObject({
      datasetCreated: true,
      entries: 3,
      persons: 2,
      organizations: 1,
      added: 3,
      ended: 0,
      generated: '2026-11-30',
    });
    expect(summary.files[0]).toMatchObject({
      name: 'eu-fsf.xml',
      bytes: readFileSync(path.join(fixtures, 'eu-fsf.xml')).length,
    });
    expect(summary.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);

    const entities = await registry().getEntitiesByIds([
      'eu-fsf-EU.9001.01',
      'eu-fsf-EU.9001.01-sanction',
      'eu-fsf-EU.9001.02',
    ]);
    const person = entities.get('eu-fsf-EU.9001.01')!;
    expect(person.schema).toBe('Person');
    expect(person.properties.name).toEqual([
      'Ihar Uladzimiravich Zhauranka',
      'Ігар Уладзіміравіч Жаўранка',
      'Игорь Владимирович Жаворонок',
    ]);
    expect(person.properties.alias).toEqual(['Igor Vladimirovich Zhavoronok']);
    expect(person.properties.weakAlias).toEqual(['Zhavr']);
    expect(person.properties.birthDate).toEqual(['1978-04-17']);
    expect(person.properties.birthPlace).toEqual(['Maladzechna, Belarus']);
    expect(person.properties.citizenship).toEqual(['by']);
    expect(person.properties.gender).toEqual(['male']);
    expect(person.properties.passportNumber).toEqual(['MP9001001']);
    expect(person.properties.position).toEqual([
      'Commander of a special police unit',
      'former deputy head of a district police department',
    ]);
    const sanction = entities.get('eu-fsf-EU.9001.01-sanction')!;
    expect(sanction.properties).toMatchObject({
      entity: ['eu-fsf-EU.9001.01'],
      authorityId: ['EU.9001.01'],
      program: ['BLR'],
      listingDate: ['2020-10-02'],
      status: ['active'],
    });
    expect(sanction.properties.reason?.[0]).toContain('special police unit');
    expect(entities.get('eu-fsf-EU.9001.02')!.schema).toBe('Organization');

    const again = await lists().importList(system, {
      format: 'eu-fsf-xml',
      dataset: 'eu-fsf',
      files: [file('eu-fsf.xml')],
    });
    expect(again).toMatchObject({
      datasetCreated: false,
      added: 0,
      updated: 0,
      unchanged: 3,
      ended: 0,
      entitiesWritten: 0,
    });

    const overview = await lists().officialLists(system);
    expect(overview.find((l) => l.dataset === 'eu-fsf')).toMatchObject({
      authority: 'EU',
      activeListings: 3,
    });
  });

  it('updates changed designations and ends removed ones; a designation that returns is active again', async () => {
    const original = readFileSync(path.join(fixtures, 'eu-fsf.xml'), 'utf8');
    const third = original.indexOf(
      '<sanctionEntity designationDetails="" unitedNationId="" euReferenceNumber="EU.9001.03"',
    );
    const withoutThird = `${original.slice(0, third)}</export>\n`;
    const changed = withoutThird
      .replace(
        'generationDate="2026-11-30T17:02:11.000+01:00"',
        'generationDate="2026-12-01T17:00:00.000+01:00"',
      )
      .replace('number="MP9001001"', 'number="MP9001002"');
    await lists().importList(system, {
      format: 'eu-fsf-xml',
      dataset: 'eu-reimport',
      files: [file('eu-fsf.xml')],
    });
    const second = await lists().importList(system, {
      format: 'eu-fsf-xml',
      dataset: 'eu-reimport',
      files: [text('eu-fsf.xml', changed)],
    });
    expect(second).toMatchObject({
      entries: 2,
      added: 0,
      updated: 1,
      unchanged: 1,
      ended: 1,
      entitiesDeleted: 1,
    });
    const ids = ['eu-reimport-EU.9001.03-sanction', 'eu-reimport-EU.9001.03', 'eu-reimport-EU.9001.01'];
    let entities = await registry().getEntitiesByIds(ids);
    expect(entities.get('eu-reimport-EU.9001.03-sanction')!.properties).toMatchObject({
      endDate: ['2026-12-01'],
      status: ['ended'],
    });
    expect(entities.get('eu-reimport-EU.9001.03')!.deleted).toBe(false);
    expect(entities.get('eu-reimport-EU.9001.01')!.properties.passportNumber).toEqual(['MP9001002']);

    const third2 = await lists().importList(system, {
      format: 'eu-fsf-xml',
      dataset: 'eu-reimport',
      files: [file('eu-fsf.xml')],
    });
    expect(third2).toMatchObject({ added: 0, updated: 2, ended: 0 });
    entities = await registry().getEntitiesByIds(ids);
    expect(entities.get('eu-reimport-EU.9001.03-sanction')!.properties.endDate).toBeUndefined();
    expect(entities.get('eu-reimport-EU.9001.03-sanction')!.properties.status).toEqual(['active']);
  });

  it('imports every format', async () => {
    const cases = [
      ['ofac-sdn-csv', [file('ofac/sdn.csv'), file('ofac/alt.csv'), file('ofac/add.csv')], 3],
      ['ofac-sdn-xml', [file('ofac-sdn.xml')], 2],
      ['uk-sanctions-list-csv', [file('uk-sanctions-list.csv')], 2],
      ['uk-sanctions-list-xml', [file('uk-sanctions-list.xml')], 2],
      ['ca-sema-xml', [file('ca-sema.xml')], 2],
      ['un-consolidated-xml', [file('un-consolidated.xml')], 2],
    ] as const;
    for (const [format, files, entries] of cases) {
      const summary = await lists().importList(system, {
        format,
        dataset: `list-${format}`,
        files: [...files],
      });
      expect(summary.entries, format).toBe(entries);
    }
    const ofac = await registry().getEntitiesByIds([
      'list-ofac-sdn-csv-36003',
      'list-ofac-sdn-csv-36001-sanction',
    ]);
    // Latin-1 bytes read as Latin-1; birth dates out of the remarks.
    expect(ofac.get('list-ofac-sdn-csv-36003')!.properties).toMatchObject({
      name: ['Andrei MÜLLER-PRYKLAD'],
      birthDate: ['1960'],
      citizenship: ['by'],
    });
    expect(ofac.get('list-ofac-sdn-csv-36001-sanction')!.properties.program).toEqual(['BELARUS-EO14038']);
  });

  it('refuses broken, mislabelled and hostile files with a clear error and writes nothing', async () => {
    const original = readFileSync(path.join(fixtures, 'eu-fsf.xml'));
    const cases: Array<[string, SourceFile[], string, RegExp]> = [
      [
        'truncated',
        [text('eu.xml', original.subarray(0, 3000))],
        'SVD_SANCTIONS_LIST_PARSE',
        /eu\.xml.*well-formed/,
      ],
      [
        'wrong encoding',
        [text('eu.xml', Buffer.from(original.toString('utf8').replace('Minsk', 'Mińsk'), 'latin1'))],
        'SVD_SANCTIONS_LIST_ENCODING',
        /eu\.xml: bytes .* not valid UTF-8/,
      ],
      [
        'another format',
        [file('un-consolidated.xml')],
        'SVD_SANCTIONS_LIST_FORMAT',
        /root element is <CONSOLIDATED_LIST>/,
      ],
      [
        'entity expansion',
        [
          text(
            'bomb.xml',
            '<?xml version="1.0"?><!DOCTYPE export [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><export><sanctionEntity euReferenceNumber="X">&b;</sanctionEntity></export>',
          ),
        ],
        'SVD_SANCTIONS_LIST_PARSE',
        /undefined entity/,
      ],
      [
        'empty list',
        [text('eu.xml', '<export generationDate="2026-01-01"></export>')],
        'SVD_SANCTIONS_LIST_EMPTY',
        /no designations/,
      ],
      ['two files', [file('eu-fsf.xml'), file('eu-fsf.xml')], 'SVD_SANCTIONS_LIST_FILES', /one file/],
    ];
    for (const [label, files, code, message] of cases) {
      const error = await refused(
        lists().importList(system, { format: 'eu-fsf-xml', dataset: 'eu-hostile', files }),
      );
      expect(error.code, label).toBe(code);
      expect(error.message, label).toMatch(message);
    }
    expect(await registry().findDatasetByName('eu-hostile')).toBeUndefined();

    // A designation the registry cannot hold stops the whole import.
    const many = Array.from(
      { length: 501 },
      (_, i) => `<nameAlias wholeName="Alias ${i}" nameLanguage="" strong="true"/>`,
    ).join('');
    const error = await refused(
      lists().importList(system, {
        format: 'eu-fsf-xml',
        dataset: 'eu-hostile',
        files: [
          text(
            'eu.xml',
            `<export><sanctionEntity euReferenceNumber="EU.1"><subjectType code="person"/><nameAlias wholeName="Fine Person" strong="true"/></sanctionEntity><sanctionEntity euReferenceNumber="EU.2"><subjectType code="person"/>${many}</sanctionEntity></export>`,
          ),
        ],
      }),
    );
    expect(error).toMatchObject({ code: 'SVD_SANCTIONS_LIST_RECORD' });
    expect(error.message).toMatch(/Designation EU\.2 .*500/);
    expect(await registry().findDatasetByName('eu-hostile')).toBeUndefined();
  });

  it('imports an entity with 500 aliases whole', async () => {
    const aliases = Array.from(
      { length: 500 },
      (_, i) =>
        `<aka><uid>${i}</uid><type>a.k.a.</type><category>strong</category><lastName>ALIAS ${i}</lastName></aka>`,
    ).join('');
    const summary = await lists().importList(system, {
      format: 'ofac-sdn-xml',
      dataset: 'ofac-many',
      files: [
        text(
          'sdn.xml',
          `<sdnList><sdnEntry><uid>1</uid><lastName>MANY NAMES LLC</lastName><sdnType>Entity</sdnType><akaList>${aliases}</akaList></sdnEntry></sdnList>`,
        ),
      ],
    });
    expect(summary.entries).toBe(1);
    const entity = (await registry().getEntitiesByIds(['ofac-many-1'])).get('ofac-many-1')!;
    expect(entity.properties.alias).toHaveLength(500);
  });

  it('stops a 100 MB file without markup early, with bounded memory', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const huge: SourceFile = {
      name: 'huge.xml',
      open: () =>
        Readable.from(
          (function* () {
            yield Buffer.from('<export><sanctionEntity euReferenceNumber="EU.1"><remark>');
            for (let i = 0; i < 100; i++) {
              sent++;
              yield chunk;
            }
            yield Buffer.from('</remark></sanctionEntity></export>');
          })(),
        ),
    };
    const before = process.memoryUsage().rss;
    const error = await refused(
      lists().importList(system, { format: 'eu-fsf-xml', dataset: 'eu-huge', files: [huge] }),
    );
    expect(error.code).toBe('SVD_SANCTIONS_LIST_PARSE');
    expect(error.message).toMatch(/huge\.xml.*larger than 8,000,000 characters/);
    expect(sent).toBeLessThan(20);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses to import a list into a dataset of another kind', async () => {
    await lists().importList(system, {
      format: 'un-consolidated-xml',
      dataset: 'un-only',
      files: [file('un-consolidated.xml')],
    });
    const error = await refused(
      lists().importList(system, { format: 'eu-fsf-xml', dataset: 'un-only', files: [file('eu-fsf.xml')] }),
    );
    expect(error.code).toBe('SVD_SANCTIONS_LIST_DATASET');
  });
});
