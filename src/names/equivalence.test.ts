import { describe, expect, it } from 'vitest';
import {
  belarusianPatronymics,
  belarusianToRussian,
  dictionaryIndex,
  femalePatronymic,
  lookupCyrillic,
  patronymicStem,
  russianPatronymics,
  russianToBelarusian,
} from './equivalence.js';
import { GIVEN_NAMES } from './given-names.js';
import { detectCyrillicLanguage } from './scripts.js';
import { skeleton } from './skeleton.js';

describe('given-name dictionary', () => {
  it('has at least 300 entries, male and female', () => {
    expect(GIVEN_NAMES.length).toBeGreaterThanOrEqual(300);
    expect(GIVEN_NAMES.filter((e) => e.gender === 'm').length).toBeGreaterThan(150);
    expect(GIVEN_NAMES.filter((e) => e.gender === 'f').length).toBeGreaterThan(120);
  });

  it('every entry has a Russian form, a Belarusian form and a Latin spelling', () => {
    for (const e of GIVEN_NAMES) {
      expect(e.ru.length, JSON.stringify(e)).toBeGreaterThan(0);
      expect(e.be.length, JSON.stringify(e)).toBeGreaterThan(0);
      expect(e.latin.length, JSON.stringify(e)).toBeGreaterThan(0);
    }
  });

  it('forms are in the right script and orthography', () => {
    for (const e of GIVEN_NAMES) {
      for (const f of e.ru) {
        expect(f, `${f} (Russian)`).toMatch(/^[А-ЯЁа-яё-]+$/);
        expect(detectCyrillicLanguage(f), f).not.toBe('be');
      }
      for (const f of e.be) {
        expect(f, `${f} (Belarusian)`).toMatch(/^[А-ЯЁа-яёІіЎў'-]+$/);
        expect(detectCyrillicLanguage(f), f).not.toBe('ru');
      }
      for (const f of e.latin) expect(f, f).toMatch(/^[A-Za-z\u00c0-\u024f'-]+$/);
    }
  });

  it('links the pairs named in names.md', () => {
    const pairs: Array<[string, string]> = [
      ['Аляксандр', 'Александр'],
      ['Уладзімір', 'Владимир'],
      ['Мікалай', 'Николай'],
      ['Сяргей', 'Сергей'],
      ['Ігар', 'Игорь'],
      ['Дзмітрый', 'Дмитрий'],
      ['Яўген', 'Евгений'],
      ['Вольга', 'Ольга'],
      ['Святлана', 'Светлана'],
      ['Алена', 'Елена'],
      ['Ганна', 'Анна'],
      ['Наталля', 'Наталья'],
      ['Таццяна', 'Татьяна'],
      ['Юрый', 'Юрий'],
      ['Віктар', 'Виктор'],
      ['Валянцін', 'Валентин'],
      ['Рыгор', 'Григорий'],
    ];
    for (const [be, ru] of pairs) {
      const beEntries = lookupCyrillic(be).map((h) => h.entry);
      const ruEntries = lookupCyrillic(ru).map((h) => h.entry);
      expect(
        beEntries.some((id) => ruEntries.includes(id)),
        `${be} ↔ ${ru}`,
      ).toBe(true);
    }
  });

  it('finds conventional Latin spellings', () => {
    const index = dictionaryIndex();
    const entryOf = (latin: string) => index.latin.get(latin.toLowerCase())?.[0]?.entry;
    expect(entryOf('Alexander')).toBe(entryOf('Aliaksandr'));
    expect(entryOf('Eugene')).toBe(entryOf('Yauheni'));
    expect(entryOf('Volha')).toBe(entryOf('Olga'));
  });
});

describe('patronymics', () => {
  it('derives Russian patronymics by the usual rules', () => {
    expect(russianPatronymics('Иван')).toEqual(['иванович']);
    expect(russianPatronymics('Сергей')).toEqual(['сергеевич']);
    expect(russianPatronymics('Николай')).toEqual(['николаевич']);
    expect(russianPatronymics('Игорь')).toEqual(['игоревич']);
    expect(russianPatronymics('Григорий')).toContain('григорьевич');
    expect(russianPatronymics('Дмитрий')[0]).toBe('дмитриевич');
    expect(russianPatronymics('Юрий')[0]).toBe('юрьевич');
  });
  it('derives Belarusian patronymics by the usual rules', () => {
    expect(belarusianPatronymics('Іван')).toContain('іванавіч');
    expect(belarusianPatronymics('Рыгор')).toContain('рыгоравіч');
    expect(belarusianPatronymics('Сяргей')).toEqual(['сяргеевіч']);
    expect(belarusianPatronymics('Мікалай')).toEqual(['мікалаевіч']);
    expect(belarusianPatronymics('Юрый')).toContain("юр'евіч");
    expect(belarusianPatronymics('Анатоль')).toEqual(['анатолевіч']);
    expect(belarusianPatronymics('Станіслаў')).toEqual(['станіслававіч']);
  });
  it('derives female patronymics from male ones', () => {
    expect(femalePatronymic('іванавіч')).toBe('іванаўна');
    expect(femalePatronymic('пятровіч')).toBe('пятроўна');
    expect(femalePatronymic('сяргеевіч')).toBe('сяргееўна');
    expect(femalePatronymic('иванович')).toBe('ивановна');
    expect(femalePatronymic('григорьевич')).toBe('григорьевна');
    expect(femalePatronymic('никитич')).toBe('никитична');
  });
  it('knows irregular patronymics from the dictionary', () => {
    expect(lookupCyrillic('Паўлавіч')[0]?.kind).toBe('patronymic');
    expect(lookupCyrillic('Павлович')[0]?.entry).toBe(lookupCyrillic('Павел')[0]?.entry);
    expect(lookupCyrillic('Львовіч')[0]?.entry).toBe(lookupCyrillic('Лев')[0]?.entry);
  });
  it('strips patronymic endings from skeletons of every scheme', () => {
    for (const p of ['Ryhoravich', 'Ryhoravitj', 'Ryhorawitsch', 'Ryhorawicz', 'Ryhoravič']) {
      expect(patronymicStem(skeleton(p)), p).toEqual({ stem: 'rihor', gender: 'm' });
    }
    expect(patronymicStem(skeleton('Ryhorauna'))).toEqual({ stem: 'rihor', gender: 'f' });
    expect(patronymicStem(skeleton('Grigorievna'))).toEqual({ stem: 'grigor', gender: 'f' });
    expect(patronymicStem(skeleton('Kavaliou'))).toBeNull();
  });
  it('maps Latin patronymics to their dictionary given name through the stem', () => {
    const stems = dictionaryIndex().patronymicStems;
    const grigory = lookupCyrillic('Григорий')[0]!.entry;
    expect(stems.get('hrihar')?.has(grigory)).toBe(true);
    expect(stems.get('rihar')?.has(grigory)).toBe(true);
  });
});

describe('surname rules', () => {
  it('Belarusian → Russian', () => {
    expect(belarusianToRussian('Сідарэнка')).toContain('сидаренко');
    expect(belarusianToRussian('Сяргееў')).toContain('сергеев');
    expect(belarusianToRussian('Лукашэнка')).toEqual(['лукашенко']);
    expect(belarusianToRussian('Навумаў')).toEqual(['навумов']);
    expect(belarusianToRussian('Бузоўскі')).toEqual(['бузовский']);
    expect(belarusianToRussian('Дзямідаў')).toContain('демидов');
    expect(belarusianToRussian('Міхалевіч')).toEqual(['михалевич']);
    expect(belarusianToRussian('Кавалёва')).toEqual(['кавалёва']);
    expect(belarusianToRussian('Жукаў')).toEqual(['жуков']);
    expect(belarusianToRussian('Цімафееў')).toEqual(['тимафеев']);
  });
  it('Russian → Belarusian', () => {
    expect(russianToBelarusian('Лукашенко')).toEqual(['лукашэнка']);
    expect(russianToBelarusian('Наумов')).toEqual(['наумаў']);
    expect(russianToBelarusian('Бузовский')).toEqual(['бузовскі']);
    expect(russianToBelarusian('Тимофеев')).toEqual(['цімофееў']);
    expect(russianToBelarusian('Щукин')).toEqual(['шчукін']);
    expect(russianToBelarusian('Демидов')).toEqual(['дземідаў']);
  });
});
