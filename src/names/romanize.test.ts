import { describe, expect, it } from 'vitest';
import { romanize, romanizeAll } from './romanize.js';
import type { SchemeId } from './schemes/index.js';

/** Test vectors published with the interscript maps (official examples of each standard). */
const VECTORS: Record<string, Array<[string, string]>> = {
  'icao-be': [
    ['Бабрыковіч Аляксандр', 'Babrykovich Aliaksandr'],
    ['Міховіч Марыя', 'Mikhovich Maryia'],
    ['Максім', 'Maksim'],
    ['Іван', 'Ivan'],
    ['СВЯТЛАНА', 'SVIATLANA'],
    ['Ігар', 'Ihar'],
    ['Палто Алена', 'Palto Alena'],
    ['Мікалай', 'Mikalai'],
    ['МІХАІЛ', 'MIKHAIL'],
  ],
  'mvd-be-2008': [
    ['Ева', 'Jeva'],
    ['Васільева', 'Vasiĺjeva'],
    ['Васілёнак', 'Vasilionak'],
    ['Ёрш', 'Jorsh'],
    ["Вераб'ёў", 'Vierabjow'],
    ['Салаўёва', 'Salawjova'],
    ['Любоў', 'Liubow'],
    ["В'юноў", 'Vjunow'],
    ['Чарняк', 'Charniak'],
    ['Лябецкая', 'Liabietskaja'],
    ["Дар'я", 'Darja'],
  ],
  'bgn-be-1979': [
    ['Антон', 'Anton'],
    ['Вілейка', 'Vilyeyka'],
    ['Брэст', 'Brest'],
    ['Віцебск', 'Vitsyebsk'],
    ['Асіповічы', 'Asipovichy'],
    ['Гродна', 'Hrodna'],
    ['Гомель', 'Homyel’'],
    ['Беліца', 'Byelitsa'],
    ['Ёдкавічы', 'Yodkavichy'],
    ['Нёман', 'Nyoman'],
    ['Жлобін', 'Zhlobin'],
    ['Зоя', 'Zoya'],
    ['князь', 'knyaz’'],
    ['Ігнат', 'Ihnat'],
    ['Йосель', 'Yosyel’'],
    ['Койданава', 'Koydanava'],
    ['Крапіўна', 'Krapiwna'],
    ['Лёсік', 'Lyosik'],
    ['Міхал', 'Mikhal'],
    ['Вільня', 'Vil’nya'],
    ['Магілёў', 'Mahilyow'],
    ['Наваградак', 'Navahradak'],
    ['Рагачоў', 'Rahachow'],
    ['Уладзімір', 'Uladzimir'],
    ['Бабруйск', 'Babruysk'],
    ['Іўе', 'Iwye'],
    ['Фолюш', 'Folyush'],
    ['Хатынь', 'Khatyn’'],
    ['Ганцавічы', 'Hantsavichy'],
    ['цьмяны', 'ts’myany'],
    ['Чэрыкаў', 'Cherykaw'],
    ['Шчара', 'Shchara'],
    ['Эйсманты', 'Eysmanty'],
    ['Юры', 'Yury'],
    ['Язэп', 'Yazep'],
    ['Івянец', 'Ivyanyets'],
    ["з'езд", 'z”yezd'],
    ["Дзям'янаўцы", 'Dzyam”yanawtsy'],
    ["Задвор'е", 'Zadvor”ye'],
  ],
  'national-be-2007': [
    ['Аршанскі', 'Aršanski'],
    ['Бешанковічы', 'Biešankovičy'],
    ['Віцебск', 'Viciebsk'],
    ['Гомель', 'Homieĺ'],
    ['Гаўя', 'Haŭja'],
    ['Ельск', 'Jeĺsk'],
    ['Бабаедава', 'Babajedava'],
    ['Ёды', 'Jody'],
    ["Вераб'ёвічы", 'Vierabjovičy'],
    ['Мёры', 'Miory'],
    ['Зэльва', 'Zeĺva'],
    ['Іўе', 'Iŭje'],
    ['Лагойск', 'Lahojsk'],
    ['Круглае', 'Kruhlaje'],
    ['Любань', 'Liubań'],
    ['Магілёў', 'Mahilioŭ'],
    ['Нясвіж', 'Niasviž'],
    ['Рагачоў', 'Rahačoŭ'],
    ['Смаргонь', 'Smarhoń'],
    ['Шаркаўшчына', 'Šarkaŭščyna'],
    ['Хоцімск', 'Chocimsk'],
    ['Цёмны Лес', 'Ciomny Lies'],
    ['Чэрвень', 'Červień'],
    ['Друць', 'Druć'],
    ['Юхнаўка', 'Juchnaŭka'],
    ['Гаюціна', 'Hajucina'],
    ["Валяр'яны", 'Valiarjany'],
  ],
};

describe('romanize: published test vectors', () => {
  for (const [scheme, vectors] of Object.entries(VECTORS)) {
    for (const [source, expected] of vectors) {
      it(`${scheme}: ${source} → ${expected}`, () => {
        expect(romanize(source, scheme as SchemeId)).toBe(expected);
      });
    }
  }
});

describe('romanize: spellings observed in passports and sanctions lists (names.md)', () => {
  const cases: Array<[SchemeId, string, string]> = [
    ['icao-be', 'Аляксандр Рыгоравіч ЛУКАШЭНКА', 'Aliaksandr Ryhoravich LUKASHENKA'],
    ['bgn-be-1979', 'Аляксандр', 'Alyaksandr'],
    ['swedish-be', 'Аляксандр Рыгоравіч ЛУКАШЭНКА', 'Aljaksandr Ryhoravitj LUKASJENKA'],
    ['swedish-ru', 'Александр Григорьевич ЛУКАШЕНКО', 'Aleksandr Grigorjevitj LUKASJENKO'],
    ['czech-be', 'Аляксандр Рыгоравіч Лукашэнка', 'Aljaksandr Ryhoravič Lukašenka'],
    ['german-ru', 'Лукашенко', 'Lukaschenko'],
    ['german-be', 'Аляксандр', 'Aljaksandr'],
    ['lacinka-be', 'Лукашэнка', 'Łukašenka'],
    ['polish-ru', 'Лукашенко', 'Łukaszenko'],
    ['french-ru', 'Лукашенко', 'Loukachenko'],
    ['passport-be', 'Яўгеній', 'Yauheni'],
    ['passport-be', 'Марыя', 'Maryia'],
    ['passport-be', 'Анастасія', 'Anastasiya'],
    ['passport-be', 'Каваленская', 'Kavalenskaya'],
    ['passport-be', 'Дзмітрый', 'Dzmitry'],
    ['passport-be', 'Сяргей', 'Siarhei'],
    ['passport-be', 'Аляксей', 'Aliaksei'],
    ['icao-ru', 'Александр Григорьевич Лукашенко', 'Aleksandr Grigorevich Lukashenko'],
    ['bgn-ru', 'Григорьевич', 'Grigor’yevich'],
    ['english-ru', 'Дмитрий', 'Dmitry'],
    ['english-ru', 'Алексей', 'Alexey'],
    ['iso9-ru', 'Щукин', 'Ŝukin'],
    ['polish-ru', 'Владимир', 'Władimir'],
    ['german-ru', 'Владимир', 'Wladimir'],
    ['lacinka-be', 'Аляксандр', 'Alaksandr'],
  ];
  for (const [scheme, source, expected] of cases) {
    it(`${scheme}: ${source} → ${expected}`, () => {
      expect(romanize(source, scheme)).toBe(expected);
    });
  }

  it('passes through separators, digits and Latin letters', () => {
    expect(romanize('Іванаў-Петрык, 1970', 'icao-be')).toBe('Ivanau-Petryk, 1970');
    expect(romanize('Iванава', 'national-be-2007')).toBe('Ivanava');
  });

  it('romanizeAll gives one rendering per scheme of the language', () => {
    const be = romanizeAll('Ігар', 'be');
    expect(be.map(([id]) => id)).toContain('icao-be');
    expect(be.every(([, latin]) => /^[A-Za-zŁłŭ]/.test(latin))).toBe(true);
    expect(romanizeAll('Игорь', 'ru').find(([id]) => id === 'icao-ru')?.[1]).toBe('Igor');
  });
});
