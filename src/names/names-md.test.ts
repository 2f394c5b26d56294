/**
 * Whole-name checks built from the spellings cited in names.md (public sanctions-list spellings of
 * a public official, allowed as test vectors) and synthetic names: each token of one spelling must
 * find an equivalent token in the other, whatever the order, script or scheme.
 */
import { describe, expect, it } from 'vitest';
import { compareTokens, EQUIVALENCE_THRESHOLD } from './compare.js';
import { isNameError } from './errors.js';
import { tokenKeys } from './keys.js';
import { normalizeName } from './normalize-name.js';

function tokensOf(name: string): string[] {
  const n = normalizeName(name);
  if (isNameError(n)) throw new Error(`${name}: ${n.code}`);
  return n.tokens.map((t) => t.text);
}

/** Every token of `a` has an equivalent token in `b` (greedy, one-to-one). */
function sameName(a: string, b: string): { ok: boolean; report: string } {
  const ta = tokensOf(a);
  const tb = tokensOf(b);
  const used = new Set<number>();
  const lines: string[] = [];
  let ok = true;
  for (const x of ta) {
    let best = -1;
    let bestScore = 0;
    let bestRule = '';
    tb.forEach((y, j) => {
      if (used.has(j)) return;
      const r = compareTokens(x, y);
      if (r.score > bestScore) {
        best = j;
        bestScore = r.score;
        bestRule = r.rule;
      }
    });
    // An initial is a weaker signal but fits: "А.Г." matches the given name and patronymic.
    if (best < 0 || (bestScore < EQUIVALENCE_THRESHOLD && bestRule !== 'initial')) ok = false;
    else used.add(best);
    lines.push(`${x} → ${best >= 0 ? tb[best] : '∅'} ${bestScore.toFixed(2)} ${bestRule}`);
  }
  return { ok, report: lines.join('; ') };
}

describe('names.md: the spellings of one person are one name', () => {
  const spellings = [
    'Aliaksandr Ryhoravich LUKASHENKA',
    'Alexandr Grigorievich LUKASHENKO',
    'Alexander Grigorievich LUKASHENKO',
    'Aljaksandr Ryhoravitj LUKASJENKA',
    'Aleksandr Grigorjevitj LUKASJENKO',
    'Аляксандр Рыгоравіч Лукашэнка',
    'Александр Григорьевич Лукашенко',
    'LUKASHENKA, Alyaksandr Hryhoryavich',
    'LUKASHENKA, Aliaksandr Grigorievich',
    'LUKASHENKA, Aliaksandr Grigoriyevich',
    'LUKASHENKO Aleksandr Grigorievich',
    'Alexander Ryhorovich Lukashenko',
    'Aleksandr Grogorievich Lukashenka',
    'Łukaszenka Aleksandr',
    'Aljaksandr Ryhoravič Lukašenka',
    'Aljaksandr Lukaschenko',
    'Alexandre Loukachenko',
    'Лукашенко А.Г.',
    'A. G. Lukashenko',
  ];
  for (let i = 0; i < spellings.length; i++) {
    for (let j = 0; j < spellings.length; j++) {
      if (i === j) continue;
      const a = spellings[i]!;
      const b = spellings[j]!;
      // The shorter name's tokens must all be found in the longer one.
      if (tokensOf(a).length > tokensOf(b).length) continue;
      it(`${a} ⊆ ${b}`, () => {
        const { ok, report } = sameName(a, b);
        expect(ok, report).toBe(true);
      });
    }
  }

  it('the UK Cyrillic entry with Latin I (homoglyphs) matches its Latin and Russian forms', () => {
    for (const other of [
      'Ігар Іванавіч Бузоўскі',
      'Ihar Ivanavich BUZOUSKI',
      'Игорь Иванович Бузовский',
      'Igor Ivanovich Buzovsky',
    ]) {
      const { ok, report } = sameName('Iгар Iванавiч БУЗОЎСКI', other);
      expect(ok, report).toBe(true);
    }
  });

  it('retrieval: every spelling shares an index key with the Belarusian Cyrillic form on every part', () => {
    const reference = tokensOf('Аляксандр Рыгоравіч Лукашэнка').map((t) => new Set(tokenKeys(t)));
    for (const s of spellings.filter((x) => !x.includes('.'))) {
      for (const token of tokensOf(s)) {
        const keys = tokenKeys(token);
        expect(
          reference.some((ref) => keys.some((k) => ref.has(k))),
          `${token} (${s}) shares no key: ${keys.join(' ')}`,
        ).toBe(true);
      }
    }
  });
});

describe('synthetic persons: Belarusian/Russian forms and romanizations', () => {
  const people: string[][] = [
    [
      'Навумаў Сяргей Пятровіч',
      'Наумов Сергей Петрович',
      'Siarhei Piatrovich NAVUMAU',
      'NAUMOV, Sergey Petrovich',
      'Sjarhej Pjatrovitj Navumau',
    ],
    [
      'Кавалёва Вольга Іванаўна',
      'Ковалёва Ольга Ивановна',
      'Volha Ivanauna KAVALIOVA',
      'Olga Ivanovna KOVALYOVA',
      'Wolha Iwanauna Kawaljowa',
    ],
    [
      "Сідарэнка Дзмітрый Юр'евіч",
      'Сидоренко Дмитрий Юрьевич',
      'Dzmitry Yuryevich SIDARENKA',
      'SIDORENKO, Dmitriy Yurievich',
      'Dzmitryj Jurjevič Sidarenka',
    ],
    [
      'Цімафеева Таццяна Мікалаеўна',
      'Тимофеева Татьяна Николаевна',
      'Tatsiana Mikalaeuna TSIMAFEYEVA',
      'Tatiana Nikolaevna Timofeeva',
    ],
  ];
  for (const forms of people) {
    for (let i = 1; i < forms.length; i++) {
      it(`${forms[0]} ≡ ${forms[i]}`, () => {
        const forward = sameName(forms[0]!, forms[i]!);
        expect(forward.ok, forward.report).toBe(true);
        const backward = sameName(forms[i]!, forms[0]!);
        expect(backward.ok, backward.report).toBe(true);
      });
    }
  }

  it('different persons sharing a surname or given name are not the same name', () => {
    expect(sameName('Навумаў Сяргей Пятровіч', 'Навумаў Аляксей Пятровіч').ok).toBe(false);
    expect(sameName('Navumau Siarhei Piatrovich', 'Naumenko Siarhei Piatrovich').ok).toBe(false);
    expect(sameName('Кавалёва Вольга Іванаўна', 'Кавалёў Вольга Іванаўна').ok).toBe(false);
  });
});
