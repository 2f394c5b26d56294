import { describe, expect, it } from 'vitest';
import { CONVENTIONS, renderInConvention } from '../../test/fixtures/screening/conventions.js';
import { compareTokens, isEquivalent } from './compare.js';
import { phoneticKey } from './phonetic.js';
import { damerauLevenshtein, jaroWinkler, levenshtein } from './similarity.js';
import { skeleton, skeletonVariants } from './skeleton.js';

function sameSkeleton(...spellings: string[]) {
  const first = skeletonVariants(spellings[0]!);
  for (const s of spellings.slice(1)) {
    const v = skeletonVariants(s);
    expect(
      v.some((x) => first.includes(x)),
      `${spellings[0]} [${first}] vs ${s} [${v}]`,
    ).toBe(true);
  }
}

describe('skeleton collapses scheme differences', () => {
  it('х: kh / ch / h', () => sameSkeleton('Mikhal', 'Michal', 'Mihal'));
  it('ш: sh / sch / sz / š / sj', () =>
    sameSkeleton('Lukashenka', 'Lukaschenka', 'Lukaszenka', 'Lukašenka', 'Lukasjenka'));
  it('ж: zh / ž / ż / zj', () => sameSkeleton('Zhuk', 'Žuk', 'Żuk', 'Zjuk'));
  it('ц: ts / c / tz', () => sameSkeleton('Tsvirko', 'Cvirko', 'Tzvirko'));
  it('ч: ch / tch / tsch / cz / č / tj (final)', () =>
    sameSkeleton('Ryhoravich', 'Ryhoravitch', 'Ryhorawitsch', 'Ryhorawicz', 'Ryhoravič', 'Ryhoravitj'));
  it('я: ia / ya / ja / â', () => sameSkeleton('Aliaksandr', 'Alyaksandr', 'Aljaksandr', 'Alâksandr'));
  it('ю: iu / yu / ju / û', () => sameSkeleton('Liubou', 'Lyubou', 'Ljubou', 'Lûbou'));
  it('е: e / ye / ie / je', () => sameSkeleton('Vileika', 'Vilyeyka', 'Vilieika', 'Vilejka'));
  it('й: i / y / j and final -iy / -yi / -ij / -y', () => {
    sameSkeleton('Dzmitry', 'Dzmitryi', 'Dzmitrij', 'Dzmitriy', 'Dzmitrii');
    sameSkeleton('Siarhei', 'Siarhey', 'Siarhej', 'Syarhey');
  });
  it('ў: u / w / ŭ', () => sameSkeleton('Navumau', 'Navumaw', 'Navumaŭ'));
  it('-sky / -ski / -skii / -skiy / -skij', () =>
    sameSkeleton('Buzouski', 'Buzouskiy', 'Buzouskii', 'Buzousky', 'Buzouskij'));
  it('doubled letters collapse', () => sameSkeleton('Tatstsiana', 'Tatsiana', 'Tacciana'));
  it('French ou/ch reading is tried only for French-looking words', () => {
    sameSkeleton('Loukachenko', 'Lukashenko');
    expect(skeletonVariants('Kazlou')).toEqual([skeleton('Kazlou')]);
  });
  it('keeps different letters apart', () => {
    expect(skeleton('Navumau')).not.toBe(skeleton('Naumenko'));
    expect(skeleton('Aliaksandr')).not.toBe(skeleton('Aliaksei'));
    expect(skeleton('Ivanov')).not.toBe(skeleton('Ivanova'));
  });
  it('has ASCII output and tolerates garbage', () => {
    expect(skeleton('')).toBe('');
    expect(skeleton('123 !!')).toBe('');
    expect(skeleton('Łódź-Ĺuboŭ')).toMatch(/^[a-z]+$/);
    expect(skeletonVariants('😀')).toEqual([]);
  });
});

describe('phoneticKey merges Belarusian/Russian differences', () => {
  const p = (s: string) => phoneticKey(skeleton(s));
  it('akanne, яканне, г h/g, дз/д, ц/т', () => {
    expect(p('Navumau')).toBe(p('Naumov'));
    expect(p('Lukashenka')).toBe(p('Lukashenko'));
    expect(p('Siarhei')).toBe(p('Sergei'));
    expect(p('Aliaksandr')).toBe(p('Aleksandr'));
    expect(p('Hryhoryavich')).toBe(p('Grigorievich'));
    expect(p('Dzmitry')).toBe(p('Dmitry'));
    expect(p('Tatsiana')).toBe(p('Tatiana'));
    expect(p('Kavaliova')).toBe(p('Kovaleva'));
    expect(p('Buzouskaya')).toBe(p('Buzovskaya'));
  });
  it('still separates different names', () => {
    expect(p('Navumau')).not.toBe(p('Naumenko'));
    expect(p('Aliaksandr')).not.toBe(p('Aliaksei'));
    expect(phoneticKey('')).toBe('');
  });
});

describe('similarity measures', () => {
  it('Jaro-Winkler', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('', 'abc')).toBe(0);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });
  it('Damerau-Levenshtein with transpositions and early exit', () => {
    expect(damerauLevenshtein('ivanov', 'ivnaov')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('kitten', 'sitting', 1)).toBe(2);
    expect(damerauLevenshtein('', 'abc')).toBe(3);
  });
  it('Levenshtein', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('ivanov', 'ivnaov')).toBe(2);
  });
});

describe("other languages' romanization conventions (issue 14 item 3)", () => {
  // Synthetic names rendered by our own renderers of each convention (test/fixtures/screening/conventions.ts).
  const words = [
    'Чарнашэвіч',
    'Жураўскі',
    'Шчаглоў',
    'Хадзюк',
    'Цярэшка',
    'Кацярына',
    'Чэславаў',
    'Жданович',
    'Щукин',
    'Шугай',
  ];
  it.each(CONVENTIONS)('%s spellings match the Cyrillic form', (convention) => {
    for (const word of words) {
      const latin = renderInConvention(word, convention);
      const result = compareTokens(word, latin);
      expect(isEquivalent(result), `${word} / ${latin}: ${result.rule} ${result.score}`).toBe(true);
    }
  });
  it.each(['u', 'w', 'v'] as const)('ў written %s', (u) => {
    for (const word of ['Жураўскі', 'Шчаглоў', 'Кавалёў']) {
      const latin = renderInConvention(word, 'pl', { u });
      expect(isEquivalent(compareTokens(word, latin)), latin).toBe(true);
    }
  });
  it('reads Estonian tš, Danish tsj and Hungarian cs/zs/sz as ч, ч/ц+я, ч/ж/с', () => {
    expect(skeletonVariants('tšarnaševitš')).toContain(skeletonVariants('charnashevich')[0]);
    expect(skeletonVariants('tsjarnasjevitsj')).toContain(skeleton('charnashevich'));
    expect(skeletonVariants('tsjapa')).toContain(skeleton('tsiapa'));
    expect(skeletonVariants('csarnasevics')).toContain(skeleton('charnashevich'));
    expect(skeletonVariants('zsdanovics')).toContain(skeleton('zhdanovich'));
  });
});
