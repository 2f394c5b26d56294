import { describe, expect, it } from 'vitest';
import { compareTokens, EQUIVALENCE_THRESHOLD, isEquivalent, RULE_SCORES } from './compare.js';

/** Every pair must compare as the same name (score ≥ EQUIVALENCE_THRESHOLD). */
function expectSame(a: string, b: string) {
  const r = compareTokens(a, b);
  expect(r.score, `${a} ~ ${b}: ${r.rule} ${r.detail}`).toBeGreaterThanOrEqual(EQUIVALENCE_THRESHOLD);
  expect(compareTokens(b, a).score, `${b} ~ ${a} (reversed)`).toBeGreaterThanOrEqual(EQUIVALENCE_THRESHOLD);
  return r;
}

function expectDifferent(a: string, b: string) {
  const r = compareTokens(a, b);
  expect(r.score, `${a} ~ ${b}: ${r.rule} ${r.detail}`).toBeLessThan(EQUIVALENCE_THRESHOLD);
  expect(compareTokens(b, a).score).toBeLessThan(EQUIVALENCE_THRESHOLD);
  return r;
}

describe('compareTokens: spellings from names.md are the same name', () => {
  // The EU/OFAC/UK spellings cited in names.md for the public example: every variant of each part.
  const given = [
    'Аляксандр',
    'Александр',
    'Aliaksandr',
    'Alyaksandr',
    'Aljaksandr',
    'Alexandr',
    'Alexander',
    'Aleksandr',
    'ALIAKSANDR',
  ];
  const patronymic = [
    'Рыгоравіч',
    'Григорьевич',
    'Ryhoravich',
    'Hryhoryavich',
    'Ryhoravitj',
    'Grigorievich',
    'Grigoriyevich',
    'Grigorjevitj',
    'Ryhorovich',
    'Grigorevich',
    'Ryhoravič',
  ];
  const surname = [
    'Лукашэнка',
    'Лукашенко',
    'LUKASHENKA',
    'LUKASHENKO',
    'LUKASJENKA',
    'LUKASJENKO',
    'Lukaschenko',
    'Łukaszenka',
    'Łukašenka',
    'Lukašenka',
    'Loukachenko',
  ];
  for (const [label, list] of [
    ['given name', given],
    ['patronymic', patronymic],
    ['surname', surname],
  ] as const) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        it(`${label}: ${list[i]} ~ ${list[j]}`, () => {
          expectSame(list[i]!, list[j]!);
        });
      }
    }
  }

  it('a list typo one edit away still matches, flagged as a typo (UK "Grogorievich")', () => {
    const r = expectSame('Grogorievich', 'Григорьевич');
    expect(r.rule).toBe('equivalence:be-ru');
    expect(r.detail).toContain('typo');
    expect(r.score).toBeLessThan(compareTokens('Grigorievich', 'Григорьевич').score);
    // A surname typo has no dictionary behind it: plain edit distance.
    expect(expectSame('Sidaremka', 'Sidarenka').rule).toBe('edit-distance');
  });

  it('a list that leaves ў out: -аўна patronymics and -аў surnames, explained', () => {
    for (const [cyrillic, latin] of [
      ['Пятроўна', 'Piatrona'],
      ['Станіславаўна', 'Stanislavana'],
      ['Мікалаеўна', 'Mikalajena'],
      ['Навумаў', 'Navuma'],
      ['Ціханоўская', 'Tsikhanoskaya'],
    ] as const) {
      const r = compareTokens(latin, cyrillic);
      expect(isEquivalent(r), `${latin} ~ ${cyrillic}: ${r.detail}`).toBe(true);
      expect(r.detail).toContain('ў left out');
      expect(r.score).toBeLessThan(RULE_SCORES.scheme);
    }
    // A kept ў is the plain romanization, scored above the dropped one.
    expect(compareTokens('Piatrouna', 'Пятроўна').score).toBe(RULE_SCORES.scheme);
    // Leaving ў out makes no other name: a different father stays different.
    expect(isEquivalent(compareTokens('Piatrona', 'Іванаўна'))).toBe(false);
  });

  it('Навумаў ↔ Наумов ↔ Navumau ↔ Naumov (short surnames beyond any edit budget)', () => {
    const forms = ['Навумаў', 'Наумов', 'Navumau', 'Naumov', 'Navumaw', 'NAVUMAU'];
    for (const a of forms) for (const b of forms) if (a !== b) expectSame(a, b);
  });

  it('given names across languages (names.md §1)', () => {
    const pairs: Array<[string, string]> = [
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
      ['Uladzimir', 'Vladimir'],
      ['Yauheni', 'Evgeny'],
      ['Yauhen', 'Yevgeniy'],
      ['Dzmitry', 'Dmitriy'],
      ['Siarhei', 'Sergey'],
      ['Volha', 'Olga'],
      ['Hanna', 'Anna'],
      ['Tatsiana', 'Tatiana'],
      ['Mikalai', 'Nikolay'],
      ['Ihar', 'Igor'],
      ['Maryia', 'Maria'],
      ['Yury', 'Yuriy'],
      ['Viktar', 'Victor'],
      ['Dzmitry', 'Дмитрий'],
    ];
    for (const [a, b] of pairs) expectSame(a, b);
  });

  it('rules are reported with the strongest applicable one', () => {
    expect(compareTokens('Лукашэнка', 'Лукашэнка').rule).toBe('exact');
    expect(compareTokens('ЛУКАШЭНКА', 'лукашэнка').rule).toBe('normalized');
    expect(compareTokens('Iгар', 'Ігар').rule).toBe('normalized');
    expect(compareTokens('Сямён', 'Семен').rule).toBe('equivalence:be-ru');
    expect(compareTokens('Lukashenka', 'Лукашэнка').rule).toBe('scheme:icao-be');
    expect(compareTokens('Лукашэнка', 'Vitsyebsk').rule).not.toMatch(/^scheme/);
    expect(compareTokens('Lukasjenka', 'Лукашэнка').rule).toBe('scheme:swedish-be');
    expect(compareTokens('Łukašenka', 'Лукашэнка').rule).toBe('scheme:lacinka-be');
    expect(compareTokens('Lukashenko', 'Лукашэнка').rule).toBe('equivalence:be-ru');
    expect(compareTokens('Лукашэнка', 'Лукашенко').rule).toBe('equivalence:be-ru');
    expect(compareTokens('Lukashenka', 'Lukaschenka').rule).toBe('skeleton');
    expect(compareTokens('Navumau', 'Naumov').rule).toBe('phonetic');
    expect(compareTokens('Aliaksandr', 'Александр').rule).toBe('equivalence:be-ru');
    expect(compareTokens('Aliaksandr', 'Alyaksandr').rule).toMatch(/^scheme:/);
  });

  it('scores are ordered by rule strength', () => {
    const exact = compareTokens('Ігар', 'Ігар').score;
    const normalized = compareTokens('ІГАР', 'Ігар').score;
    const scheme = compareTokens('Ihar', 'Ігар').score;
    const equivalence = compareTokens('Igor', 'Ігар').score;
    const skeletonScore = compareTokens('Kavaliou', 'Kavaljow').score;
    const phonetic = compareTokens('Navumau', 'Naumov').score;
    const typo = compareTokens('Grogorievich', 'Григорьевич').score;
    const gender = compareTokens('Ivanov', 'Ivanova').score;
    const scores = [exact, normalized, scheme, equivalence, skeletonScore, phonetic, typo, gender];
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    expect(new Set(scores).size).toBe(scores.length);
  });
});

describe('compareTokens: BE ↔ RU surname rules (synthetic names)', () => {
  const pairs: Array<[string, string]> = [
    ['Кавалёў', 'Ковалёв'],
    ['Сідарэнка', 'Сидоренко'],
    ['Міхалевіч', 'Михалевич'],
    ['Бузоўскі', 'Бузовский'],
    ['Бузоўская', 'Бузовская'],
    ['Кавалёва', 'Ковалёва'],
    ['Жукаў', 'Жуков'],
    ['Сідарэнка', 'Sidorenko'],
    ['Кавалёў', 'Kovalyov'],
    ['Kavaliou', 'Kovalev'],
    ['Buzouski', 'Buzovsky'],
    ['Buzouski', 'Buzovskiy'],
    ['Buzouskaya', 'Buzovskaya'],
    ['Цімафееў', 'Тимофеев'],
    ['Дзямідаў', 'Демидов'],
    ['Рудзь', 'Рудь'],
    ['Rudz', 'Rud'],
    ['Цвяткоў', 'Tsvetkov'],
  ];
  for (const [a, b] of pairs) it(`${a} ~ ${b}`, () => expectSame(a, b));
});

describe('compareTokens: hard negatives are not the same name', () => {
  it('different given names', () => {
    expectDifferent('Aliaksandr', 'Aliaksei');
    expectDifferent('Аляксандр', 'Аляксей');
    expectDifferent('Alexander', 'Alexei');
    expectDifferent('Ivan', 'Yan');
    expectDifferent('Alena', 'Alina');
    expectDifferent('Mikalai', 'Mikhail');
    expectDifferent('Yury', 'Yakov');
    expectDifferent('Inna', 'Anna');
  });

  it('different surnames that share a stem', () => {
    expectDifferent('Navumau', 'Naumenko');
    expectDifferent('Навумаў', 'Навуменка');
    expectDifferent('Kavaliou', 'Kavalenka');
    expectDifferent('Sidarenka', 'Sidarovich');
    expectDifferent('Ivanov', 'Ivashkevich');
    expectDifferent('Petrov', 'Petrash');
  });

  it('patronymics from different fathers', () => {
    expectDifferent('Ryhoravich', 'Ivanavich');
    expectDifferent('Рыгоравіч', 'Іванавіч');
    expectDifferent('Sergeevich', 'Nikolaevich');
  });

  it('gender variants are flagged with their own rule, below the threshold', () => {
    for (const [a, b] of [
      ['Ivanov', 'Ivanova'],
      ['Іванаў', 'Іванава'],
      ['Ivanou', 'Ivanova'],
      ['Бузоўскі', 'Бузоўская'],
      ['Buzouski', 'Buzouskaya'],
      ['Aliaksandr', 'Aliaksandra'],
      ['Ryhoravich', 'Ryhorauna'],
      ['Рыгоравіч', 'Рыгораўна'],
      ['Григорьевич', 'Григорьевна'],
    ] as const) {
      const r = compareTokens(a, b);
      expect(r.rule, `${a} ~ ${b}: ${r.detail}`).toBe('gender-variant');
      expect(isEquivalent(r)).toBe(false);
    }
  });
});

describe('compareTokens: initials', () => {
  it('an initial fits the names that start with it in any script', () => {
    expect(compareTokens('A.', 'Aliaksandr').rule).toBe('initial');
    expect(compareTokens('А.', 'Aliaksandr').rule).toBe('initial');
    expect(compareTokens('Г.', 'Grigorievich').rule).toBe('initial');
    expect(compareTokens('Г.', 'Hryhoryavich').rule).toBe('initial');
    expect(compareTokens('G', 'Григорьевич').rule).toBe('initial');
    expect(compareTokens('Y.', 'Евгений').rule).toBe('initial');
    expect(compareTokens('A.', 'А.').rule).toBe('initial');
  });
  it('a different initial does not fit', () => {
    expect(compareTokens('B.', 'Aliaksandr').score).toBe(0);
    expect(compareTokens('A.', 'B.').score).toBe(0);
  });
});

describe('compareTokens: robustness', () => {
  it('never throws on garbage and scores it 0', () => {
    for (const [a, b] of [
      ['', ''],
      ['', 'Ivan'],
      ['!!!', 'Ivan'],
      ['12345', '12345x'],
      ['\u0000\u0001', 'Іван'],
      ['😀', '😀😀'],
      ['x'.repeat(10_000), 'Ivan'],
      ['\ud800', 'Ivan'],
    ]) {
      const r = compareTokens(a!, b!);
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }
    expect(compareTokens('', 'Ivan').score).toBe(0);
    expect(compareTokens('!!!', '???').score).toBe(0);
  });

  it('handles other scripts without matching them to names', () => {
    expect(compareTokens('Ιβαν', 'Ivan').score).toBeLessThan(EQUIVALENCE_THRESHOLD);
  });
});
