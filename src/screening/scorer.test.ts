import { describe, expect, it } from 'vitest';
import { CandidateIndex, type IndexEntity } from './candidate-index.js';
import { screenQuery } from './engine.js';
import { assignParts, GIVEN, PATRONYMIC, SURNAME } from './parts.js';
import { prepareQuery } from './query.js';
import { analyseToken, boundedDistance, compareTokenInfo, splitName } from './tokens.js';

const t = (word: string) => analyseToken(word.toLowerCase());
const compare = (a: string, b: string) => compareTokenInfo(t(a), t(b));

describe('token rules', () => {
  it.each([
    ['Лукашэнка', 'лукашэнка', 'exact'],
    ['Lukashenka', 'Лукашэнка', 'scheme'],
    ['Aliaksandr', 'Аляксандр', 'scheme'],
    ['Lukasjenka', 'Лукашэнка', 'scheme'],
    ['Lukashenka', 'Lukaschenka', 'skeleton'],
    ['Alexander', 'Аляксандр', 'equivalence:be-ru'],
    ['Ryhoravich', 'Григорьевич', 'equivalence:be-ru'],
    ['Grigorievich', 'Рыгоравіч', 'equivalence:be-ru'],
    ['Siarhei', 'Sergey', 'equivalence:be-ru'],
    ['Вольга', 'Ольга', 'equivalence:be-ru'],
    ['Navumau', 'Наумов', 'phonetic'],
    ['Lukashenko', 'Лукашэнка', 'phonetic'],
    ['Kavalenka', 'Kavalenko', 'phonetic'],
    ['Lukashenkka', 'Lukashenka', 'skeleton'],
    ['Lukashenak', 'Lukashenka', 'edit-distance'],
    ['A', 'Аляксандр', 'initial'],
  ])('%s ~ %s by %s', (a, b, rule) => {
    const result = compare(a, b);
    expect(result.rule).toBe(rule);
    expect(result.score).toBeGreaterThan(0.7);
  });

  it.each([
    ['Kavalenka', 'Kovalchuk'],
    ['Ivanov', 'Petrov'],
    ['Аляксандр', 'Віктар'],
    ['A', 'Віктар'],
    ['Shytsik', 'Zhuk'],
  ])('%s and %s are different names', (a, b) => {
    expect(compare(a, b).score).toBeLessThan(0.75);
  });

  it('one slip scores above two slips', () => {
    const one = compare('Zhdanovich', 'Zhdanowicz').score;
    const typo = compare('Bahdanovich', 'Bagdanavich').score;
    const two = compare('Bahdanovich', 'Bakranovich').score;
    expect(one).toBeGreaterThan(0.75);
    expect(typo).toBeGreaterThan(two);
    expect(two).toBeLessThanOrEqual(0.7);
  });

  it('bounded distance stops early and agrees with small distances', () => {
    expect(boundedDistance('kavalenka', 'kavalenka', 2)).toBe(0);
    expect(boundedDistance('kavalenka', 'kavalneka', 2)).toBe(1);
    expect(boundedDistance('kavalenka', 'kaalenk', 2)).toBe(2);
    expect(boundedDistance('kavalenka', 'zhuk', 2)).toBe(3);
  });
});

describe('name splitting and parts', () => {
  const parts = (raw: string) => {
    const split = splitName(raw);
    if (typeof split === 'string') throw new Error(split);
    return assignParts(
      split.folded.map((f) => analyseToken(f)),
      split,
    );
  };

  it('reads SURNAME Given Patronymic in any order', () => {
    expect(parts('Лукашэнка Аляксандр Рыгоравіч')).toEqual([SURNAME, GIVEN, PATRONYMIC]);
    expect(parts('Aliaksandr Ryhoravich LUKASHENKA')).toEqual([GIVEN, PATRONYMIC, SURNAME]);
    expect(parts('LUKASHENKA, Aliaksandr')).toEqual([SURNAME, GIVEN]);
    expect(parts('Alexander Lukashenko')).toEqual([GIVEN, SURNAME]);
  });

  it('takes capitals and a comma over a patronymic-like ending', () => {
    expect(parts('BABRYKOVICH, Aliaksandr Viktaravich')).toEqual([SURNAME, GIVEN, PATRONYMIC]);
    expect(parts('Бабрыковіч Аляксандр Віктаравіч')).toEqual([SURNAME, GIVEN, PATRONYMIC]);
  });

  it('reads two words as a given name and a surname, even one ending like a patronymic', () => {
    expect(parts('Volha Zhdanovich')).toEqual([GIVEN, SURNAME]);
    expect(parts('Ждановіч Вольга')).toEqual([SURNAME, GIVEN]);
    expect(parts('Ждановіч Вольга Пятроўна')).toEqual([SURNAME, GIVEN, PATRONYMIC]);
  });

  it('rejects names that cannot be screened', () => {
    expect(splitName('')).toBe('SVD_SCREENING_NAME_EMPTY');
    expect(splitName('   \t ')).toBe('SVD_SCREENING_NAME_EMPTY');
    expect(splitName('x'.repeat(10_000))).toBe('SVD_SCREENING_NAME_TOO_LONG');
    expect(splitName('Ivan\u0000Petrov')).toBe('SVD_SCREENING_NAME_CONTROL_CHARS');
    expect(splitName('12345 !!!')).toBe('SVD_SCREENING_NAME_NO_LETTERS');
    expect(splitName('Ivan\u200b Petrov')).not.toBeTypeOf('string');
  });

  it('repairs Latin i inside Belarusian words', () => {
    const split = splitName('Iгар Iванавiч БУЗОЎСКI');
    if (typeof split === 'string') throw new Error(split);
    expect(split.folded).toEqual(['ігар', 'іванавіч', 'бузоўскі']);
  });
});

function entity(
  id: string,
  names: string[],
  props: Record<string, string[]> = {},
  datasetId = 'ds1',
): IndexEntity {
  return {
    id,
    schema: 'Person',
    datasetId,
    caption: names[0]!,
    properties: { name: names, ...props },
    changeSeq: 0,
    deleted: false,
  };
}

function buildIndex(entities: IndexEntity[]): CandidateIndex {
  const index = new CandidateIndex();
  for (const [i, e] of entities.entries()) index.upsert({ ...e, changeSeq: i + 1 });
  return index;
}

const people = [
  entity('luk', ['Лукашэнка Аляксандр Рыгоравіч', 'Лукашенко Александр Григорьевич'], {
    birthDate: ['1954-08-30'],
    gender: ['male'],
    nationality: ['by'],
  }),
  entity('luk-son', ['Лукашэнка Віктар Аляксандравіч'], { birthDate: ['1975-11-28'], gender: ['male'] }),
  entity('nav', ['Навумаў Уладзімір Уладзіміравіч'], { birthDate: ['1956-02'] }),
  entity('kav', ['Kavalenka Siarhei Ivanavich'], { idNumber: ['MP1234567'], gender: ['male'] }),
  entity('kava', ['Кавалёва Вольга Сяргееўна'], { gender: ['female'], birthDate: ['1980'] }),
  entity('other', ['Бабрыковіч Аляксандр Віктаравіч'], { birthDate: ['1970-01-01'] }, 'ds2'),
];

function screen(
  properties: Record<string, string[]>,
  options: { datasets?: 'all' | string[]; exclude?: string[] } = {},
) {
  const index = buildIndex(people);
  const prepared = prepareQuery({ schema: 'Person', properties }, index.analyse);
  if ('code' in prepared) throw new Error(prepared.code);
  return screenQuery(index, prepared, {
    datasets: options.datasets ?? 'all',
    excludeIds: options.exclude ?? [],
    threshold: 0.7,
    limit: 5,
  });
}

describe('scoring', () => {
  it.each([
    'Aliaksandr Ryhoravich LUKASHENKA',
    'Alexander Grigorievich Lukashenko',
    'LUKASHENKA, Alyaksandr Hryhoryavich',
    'Aljaksandr Ryhoravitj LUKASJENKA',
    'Łukaszenka Aleksandr',
    'Lukaschenko Alexander',
    'Лукашенко Александр',
    'ЛУКАШЭНКА Аляксандр Рыгоравіч',
  ])('finds the person from %s and ranks him first', (name) => {
    const answer = screen({ name: [name] });
    expect(answer.results[0]?.id).toBe('luk');
    expect(answer.results[0]?.match).toBe(true);
    expect(answer.results.filter((r) => r.match).map((r) => r.id)).toEqual(['luk']);
  });

  it('Navumau / Naumov: different words, one person', () => {
    const answer = screen({ name: ['Naumov Vladimir Vladimirovich'] });
    expect(answer.results[0]).toMatchObject({ id: 'nav', match: true });
  });

  it('explains which name matched which, per token and feature', () => {
    const answer = screen({ name: ['Aliaksandr Ryhoravich LUKASHENKA'], birthDate: ['1954-08-30'] });
    const explanation = answer.results[0]!.explanations[0]!;
    expect(explanation.queryName).toBe('Aliaksandr Ryhoravich LUKASHENKA');
    expect(explanation.matchedName).toBe('Лукашэнка Аляксандр Рыгоравіч');
    expect(explanation.tokens.map((t) => [t.query, t.matched, t.part, t.rule])).toEqual([
      ['Aliaksandr', 'Аляксандр', 'given', 'scheme:icao-be'],
      ['Ryhoravich', 'Рыгоравіч', 'patronymic', 'scheme:icao-be'],
      ['LUKASHENKA', 'Лукашэнка', 'surname', 'scheme:icao-be'],
    ]);
    expect(explanation.features.birthDate).toBeGreaterThan(0);
    expect(explanation.features.name).toBeGreaterThan(0.9);
    expect(explanation.notes.join(' ')).toContain('exact');
  });

  it('names the Russian scheme for a word spelled alike in both languages, from the rest of the name', () => {
    const answer = screen({ name: ['Aleksandr Grigorevich LUKASHENKO'] });
    const tokens = answer.results[0]!.explanations[0]!.tokens;
    expect(answer.results[0]!.explanations[0]!.matchedName).toBe('Лукашенко Александр Григорьевич');
    expect(tokens.find((t) => t.query === 'LUKASHENKO')?.rule).toBe('scheme:icao-ru');
  });

  it('same surname with another given name is not a match', () => {
    const answer = screen({ name: ['Lukashenka Dzmitry'] });
    expect(answer.results.filter((r) => r.match)).toEqual([]);
  });

  it('birth date: agreement raises, conflict lowers, partial and swapped dates count', () => {
    const base = screen({ name: ['Lukashenka Aliaksandr'] }).results[0]!.score;
    const exact = screen({ name: ['Lukashenka Aliaksandr'], birthDate: ['1954-08-30'] }).results[0]!;
    const year = screen({ name: ['Lukashenka Aliaksandr'], birthDate: ['1954'] }).results[0]!;
    const swapped = screen({ name: ['Lukashenka Aliaksandr'], birthDate: ['30.08.1954'] }).results[0]!;
    const offByOne = screen({ name: ['Lukashenka Aliaksandr'], birthDate: ['1955'] }).results[0]!;
    const conflict = screen({ name: ['Lukashenka Aliaksandr'], birthDate: ['1990-01-01'] });
    expect(exact.score).toBeGreaterThan(base);
    expect(year.score).toBeGreaterThan(base);
    expect(year.score).toBeLessThanOrEqual(exact.score);
    expect(swapped.score).toBe(exact.score);
    expect(offByOne.score).toBeLessThan(base);
    expect(offByOne.match).toBe(true);
    expect(conflict.results.find((r) => r.id === 'luk')?.match).toBe(false);
  });

  it('gender conflict lowers the score; nationality is a light qualifier', () => {
    const plain = screen({ name: ['Kavalenka Siarhei'] }).results[0]!;
    const female = screen({ name: ['Kavalenka Siarhei'], gender: ['female'] }).results[0]!;
    expect(female.score).toBeLessThan(plain.score);
    const by = screen({ name: ['Lukashenka Aliaksandr'], nationality: ['Belarus'] }).results[0]!;
    const ru = screen({ name: ['Lukashenka Aliaksandr'], nationality: ['ru'] }).results[0]!;
    expect(by.score).toBeGreaterThan(ru.score);
  });

  it('an exact identifier is very strong, even with a poor name', () => {
    const answer = screen({ name: ['S. Kovalenko'], idNumber: ['mp 123-4567'] });
    expect(answer.results[0]).toMatchObject({ id: 'kav', match: true });
    expect(answer.results[0]!.explanations[0]!.notes).toContain('identifier matches exactly');
  });

  it('female forms and the Belarusian/Russian pair', () => {
    const answer = screen({ name: ['Kovaleva Olga Sergeevna'] });
    expect(answer.results[0]).toMatchObject({ id: 'kava', match: true });
  });

  it('a surname shaped like a patronymic is still a surname', () => {
    const answer = screen({ name: ['Aliaksandr Viktaravich BABRYKOVICH'] });
    expect(answer.results[0]).toMatchObject({ id: 'other', match: true });
  });

  it('limits to datasets and excludes ids', () => {
    expect(
      screen({ name: ['Babrykovich Aliaksandr'] }, { datasets: ['ds1'] }).results.find(
        (r) => r.id === 'other',
      ),
    ).toBeUndefined();
    expect(
      screen({ name: ['Lukashenka Aliaksandr'] }, { exclude: ['luk'] }).results.find((r) => r.id === 'luk'),
    ).toBeUndefined();
  });

  it('updates and deletions take effect', () => {
    const index = buildIndex(people);
    index.upsert({ ...people[0]!, changeSeq: 100, deleted: true });
    const prepared = prepareQuery(
      { schema: 'Person', properties: { name: ['Lukashenka Aliaksandr'] } },
      index.analyse,
    );
    if ('code' in prepared) throw new Error(prepared.code);
    expect(
      screenQuery(index, prepared, { datasets: 'all', threshold: 0.7, limit: 5 }).results.find(
        (r) => r.id === 'luk',
      ),
    ).toBeUndefined();
    index.upsert({ ...people[0]!, properties: { name: ['Лукашэнка Аляксандр Рыгоравіч'] }, changeSeq: 101 });
    expect(screenQuery(index, prepared, { datasets: 'all', threshold: 0.7, limit: 5 }).results[0]?.id).toBe(
      'luk',
    );
    expect(index.lastSeq).toBe(101);
    expect(index.size).toBe(people.length);
  });
});

describe('query validation', () => {
  it.each([
    [{ properties: { name: [''] } }, 'SVD_SCREENING_NAME_EMPTY'],
    [{ properties: { name: ['   '] } }, 'SVD_SCREENING_NAME_EMPTY'],
    [{ properties: { name: ['x'.repeat(10_000)] } }, 'SVD_SCREENING_NAME_TOO_LONG'],
    [{ properties: { name: ['Ivan\u0007Petrov'] } }, 'SVD_SCREENING_NAME_CONTROL_CHARS'],
    [{ properties: { name: ['Ivan Petrov'], birthDate: ['1975-13-45'] } }, 'SVD_SCREENING_DATE_INVALID'],
    [{ properties: { name: ['Ivan Petrov'], birthDate: ['31.02.1980'] } }, 'SVD_SCREENING_DATE_INVALID'],
    [{ properties: {} }, 'SVD_SCREENING_NO_NAME'],
    [{ properties: { name: ['Ivan P\uFFFDtrov'] } }, 'SVD_SCREENING_BAD_UTF8'],
    [{ schema: 'Vessel', properties: { name: ['Ivan'] } }, 'SVD_SCREENING_SCHEMA'],
    [{ properties: { name: 42 } }, 'SVD_SCREENING_BAD_QUERY'],
    ['not an object', 'SVD_SCREENING_BAD_QUERY'],
  ])('rejects %j with %s', (query, code) => {
    const result = prepareQuery(query);
    expect('code' in result && result.code).toBe(code);
  });

  it('accepts a single string where a list is expected, and name parts', () => {
    const result = prepareQuery({
      properties: { firstName: ['Ivan'], lastName: ['Petrov'], birthDate: '1975' },
    });
    expect('code' in result).toBe(false);
  });
});

describe('spellings of multilingual lists and the patronymic as evidence', () => {
  const family = [
    entity('pav-s', ['Кавалёў Павел Сяргеевіч'], { gender: ['male'] }),
    entity('pav-i', ['Кавалёў Павел Іванавіч'], { gender: ['male'] }),
    entity('stress', ['Дубро́ўская Але́на Пятро́ўна'], { gender: ['female'] }),
  ];
  const run = (name: string) => {
    const index = buildIndex(family);
    const prepared = prepareQuery({ schema: 'Person', properties: { name: [name] } }, index.analyse);
    if ('code' in prepared) throw new Error(prepared.code);
    return screenQuery(index, prepared, { datasets: 'all', excludeIds: [], threshold: 0.7, limit: 5 });
  };

  it('a different patronymic is another father: the namesake falls below the threshold, and the note says why', () => {
    const answer = run('Kavaliou Pavel Siarheevich');
    expect(answer.results.filter((r) => r.match).map((r) => r.id)).toEqual(['pav-s']);
    expect(answer.results[0]!.explanations[0]!.features.patronymic).toBeGreaterThan(0);
    const index = buildIndex(family);
    const prepared = prepareQuery(
      { schema: 'Person', properties: { name: ['Kavaliou Pavel Siarheevich'] } },
      index.analyse,
    );
    if ('code' in prepared) throw new Error(prepared.code);
    const all = screenQuery(index, prepared, { datasets: 'all', excludeIds: [], threshold: 0, limit: 5 });
    const other = all.results.find((r) => r.id === 'pav-i')!;
    expect(other.score).toBeLessThan(0.5);
    expect(other.explanations[0]!.notes.join(' ')).toContain('patronymic differs');
  });

  it('a missing patronymic on either side is neutral', () => {
    const ids = run('Pavel Kavaliou')
      .results.filter((r) => r.match)
      .map((r) => r.id);
    expect(ids).toContain('pav-s');
    expect(ids).toContain('pav-i');
    expect(run('Pavel Kavaliou').results[0]!.explanations[0]!.features.patronymic).toBeUndefined();
  });

  it.each([
    ['a stored name with stress marks', 'Dubrouskaya Alena Piatrouna', 'stress'],
    ['a query with stress marks', 'Кавалёў Па́вел Сярге́евіч', 'pav-s'],
    ['a Latin kra inside Cyrillic', 'Каваĸёў Павел Сяргеевіч', 'pav-s'],
    ['Ukrainian letters in a Belarusian name', 'Кавальов Павел Сєргеевіч', 'pav-s'],
    ['a Serbian letter', 'Кавалёў Павел Сергејевич', 'pav-s'],
  ])('matches %s', (_label, query, id) => {
    const best = run(query).results[0];
    expect(best?.id).toBe(id);
    expect(best?.match).toBe(true);
  });
});

describe('Belarusian vernacular given names', () => {
  it.each([
    ['Зміцер', 'Дмитрий'],
    ['Зьміцер', 'Дзмітрый'],
    ['Zmitser', 'Дмитрий'],
    ['Алесь', 'Александр'],
    ['Янка', 'Іван'],
    ['Ясь', 'Иван'],
    ['Ганна', 'Анна'],
    ['Алена', 'Алёна'],
    ['Алена', 'Елена'],
    ['Кастусь', 'Константин'],
    ['Міхась', 'Михаил'],
    ['Вольга', 'Ольга'],
    ['Алег', 'Олег'],
    ['Сымон', 'Семён'],
    ['Тодар', 'Фёдор'],
  ])('%s ~ %s', (a, b) => {
    const result = compare(a, b);
    expect(result.rule).toMatch(/equivalence|exact|scheme|skeleton/);
    expect(result.score).toBeGreaterThan(0.7);
  });
});

describe("women's surnames as other languages write them", () => {
  const women = [
    entity('kaz', ['Казлова Алена Пятроўна'], { gender: ['female'] }),
    entity('kov', ['Ковальчук Ганна Іванаўна'], { gender: ['female'] }),
    entity('sha', ['Шарапова Мария Юрьевна'], { gender: ['female'] }),
    entity('luk', ['Лукашэвіч Вольга Паўлаўна'], { gender: ['female'] }),
    entity('kaz-m', ['Казлоў Андрэй Пятровіч'], { gender: ['male'] }),
  ];
  const index = buildIndex(women);
  const run = (name: string) => {
    const prepared = prepareQuery({ schema: 'Person', properties: { name: [name] } }, index.analyse);
    if ('code' in prepared) throw new Error(prepared.code);
    return screenQuery(index, prepared, { datasets: 'all', excludeIds: [], threshold: 0.7, limit: 5 });
  };

  it.each([
    ['Kazlovová Alena', 'kaz', 'cs-ova'],
    ['Kovaľčuková Hanna', 'kov', 'cs-ova'],
    ['Šarapovová Marija', 'sha', 'cs-ova'],
    ['Kazlovienė Alena', 'kaz', 'lt-iene'],
    ['Kazlovaitė Alena', 'kaz', 'lt-aite'],
    ['Kovalčukytė Hanna', 'kov', 'lt-yte'],
    ['Kazlovė Alena', 'kaz', 'lt-e'],
    ['Kovaļčuka Hanna', 'kov', 'lv-a'],
    ['Lukaševiča Volha', 'luk', 'lv-a'],
  ])('%s matches the stored form and names the rule', (name, id, rule) => {
    const best = run(name).results[0];
    expect(best?.id).toBe(id);
    expect(best?.match).toBe(true);
    const explanation = best!.explanations[0]!;
    expect(explanation.tokens.map((t) => t.rule)).toContain(`feminine-form:${rule}`);
    expect(explanation.notes.join(' ')).toMatch(/feminine|form/);
  });

  it('the merged Czech form matches as a romanization; a plain Russian feminine is not re-read', () => {
    expect(run('Šarapová Marija').results[0]?.id).toBe('sha');
    const ivanova = prepareQuery({ schema: 'Person', properties: { name: ['Ivanova Anna'] } }, index.analyse);
    if ('code' in ivanova) throw new Error(ivanova.code);
    expect(ivanova.names[0]!.infos[0]!.feminine).toEqual([]);
  });
});
