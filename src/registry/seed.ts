/**
 * Demo registry data: about 200 invented officials, judges and police/OMON officers in invented units
 * of invented towns, each with Belarusian and Russian Cyrillic names and Latin spellings, positions over
 * time, some identifications and a few sanctions of an invented authority. Generated deterministically
 * from the name lists below, which combine common given names and surnames at random: no real person.
 */
import { romanize } from '../names/index.js';

type Gender = 'male' | 'female';

// [Belarusian, Russian]
const MALE: Array<[string, string]> = [
  ['Аляксандр', 'Александр'],
  ['Уладзімір', 'Владимир'],
  ['Мікалай', 'Николай'],
  ['Сяргей', 'Сергей'],
  ['Ігар', 'Игорь'],
  ['Дзмітрый', 'Дмитрий'],
  ['Яўген', 'Евгений'],
  ['Юрый', 'Юрий'],
  ['Віктар', 'Виктор'],
  ['Валянцін', 'Валентин'],
  ['Андрэй', 'Андрей'],
  ['Аляксей', 'Алексей'],
  ['Павел', 'Павел'],
  ['Іван', 'Иван'],
  ['Міхаіл', 'Михаил'],
  ['Максім', 'Максим'],
  ['Дзяніс', 'Денис'],
  ['Вадзім', 'Вадим'],
  ['Генадзь', 'Геннадий'],
  ['Васіль', 'Василий'],
];
const FEMALE: Array<[string, string]> = [
  ['Вольга', 'Ольга'],
  ['Святлана', 'Светлана'],
  ['Алена', 'Елена'],
  ['Ганна', 'Анна'],
  ['Наталля', 'Наталья'],
  ['Таццяна', 'Татьяна'],
  ['Ірына', 'Ирина'],
  ['Марына', 'Марина'],
  ['Людміла', 'Людмила'],
  ['Юлія', 'Юлия'],
  ['Вікторыя', 'Виктория'],
  ['Кацярына', 'Екатерина'],
];
// Patronymics: [BE male, BE female, RU male, RU female]
const PATRONYMICS: Array<[string, string, string, string]> = [
  ['Аляксандравіч', 'Аляксандраўна', 'Александрович', 'Александровна'],
  ['Уладзіміравіч', 'Уладзіміраўна', 'Владимирович', 'Владимировна'],
  ['Мікалаевіч', 'Мікалаеўна', 'Николаевич', 'Николаевна'],
  ['Сяргеевіч', 'Сяргееўна', 'Сергеевич', 'Сергеевна'],
  ['Віктаравіч', 'Віктараўна', 'Викторович', 'Викторовна'],
  ['Іванавіч', 'Іванаўна', 'Иванович', 'Ивановна'],
  ['Пятровіч', 'Пятроўна', 'Петрович', 'Петровна'],
  ['Юр’евіч', 'Юр’еўна', 'Юрьевич', 'Юрьевна'],
  ['Васільевіч', 'Васільеўна', 'Васильевич', 'Васильевна'],
  ['Анатольевіч', 'Анатольеўна', 'Анатольевич', 'Анатольевна'],
  ['Міхайлавіч', 'Міхайлаўна', 'Михайлович', 'Михайловна'],
  ['Аляксеевіч', 'Аляксееўна', 'Алексеевич', 'Алексеевна'],
];
// Surnames: [BE male, BE female, RU male, RU female]
const SURNAMES: Array<[string, string, string, string]> = [
  ['Навумаў', 'Навумава', 'Наумов', 'Наумова'],
  ['Шаўчэнка', 'Шаўчэнка', 'Шевченко', 'Шевченко'],
  ['Кавалёў', 'Кавалёва', 'Ковалёв', 'Ковалёва'],
  ['Лысенка', 'Лысенка', 'Лысенко', 'Лысенко'],
  ['Грыгаровіч', 'Грыгаровіч', 'Григорович', 'Григорович'],
  ['Ждановіч', 'Ждановіч', 'Жданович', 'Жданович'],
  ['Багдановіч', 'Багдановіч', 'Богданович', 'Богданович'],
  ['Каржанеўскі', 'Каржанеўская', 'Корженевский', 'Корженевская'],
  ['Валошын', 'Валошына', 'Волошин', 'Волошина'],
  ['Мацкевіч', 'Мацкевіч', 'Мацкевич', 'Мацкевич'],
  ['Зайцаў', 'Зайцава', 'Зайцев', 'Зайцева'],
  ['Быкаў', 'Быкава', 'Быков', 'Быкова'],
  ['Ярашэвіч', 'Ярашэвіч', 'Ярошевич', 'Ярошевич'],
  ['Сіняўскі', 'Сіняўская', 'Синявский', 'Синявская'],
  ['Казлоў', 'Казлова', 'Козлов', 'Козлова'],
  ['Марозаў', 'Марозава', 'Морозов', 'Морозова'],
  ['Бараноўскі', 'Бараноўская', 'Барановский', 'Барановская'],
  ['Яўменка', 'Яўменка', 'Евменко', 'Евменко'],
  ['Клімовіч', 'Клімовіч', 'Климович', 'Климович'],
  ['Дзянісенка', 'Дзянісенка', 'Денисенко', 'Денисенко'],
  ['Карпенка', 'Карпенка', 'Карпенко', 'Карпенко'],
  ['Сакалоў', 'Сакалова', 'Соколов', 'Соколова'],
  ['Цярэшчанка', 'Цярэшчанка', 'Терещенко', 'Терещенко'],
  ['Гурыновіч', 'Гурыновіч', 'Гуринович', 'Гуринович'],
  ['Пракапенка', 'Пракапенка', 'Прокопенко', 'Прокопенко'],
  ['Сідарэвіч', 'Сідарэвіч', 'Сидоревич', 'Сидоревич'],
  ['Лябёдка', 'Лябёдка', 'Лебедько', 'Лебедько'],
  ['Рудзь', 'Рудзь', 'Рудь', 'Рудь'],
];

type Kind = 'judge' | 'police' | 'omon' | 'official' | 'prosecutor';

// Invented towns (Прыдзвінск, Верасава, Лугавы) and units. [id, BE name, RU name, kind]
const BODIES: Array<[string, string, string, Kind]> = [
  [
    'court-central',
    'Суд Цэнтральнага раёна г. Прыдзвінска',
    'Суд Центрального района г. Придвинска',
    'judge',
  ],
  ['court-veras', 'Суд Верасаўскага раёна', 'Суд Вересовского района', 'judge'],
  ['police-luh', 'Аддзел унутраных спраў Лугавога раёна', 'Отдел внутренних дел Лугового района', 'police'],
  [
    'police-pry',
    'Упраўленне ўнутраных спраў г. Прыдзвінска',
    'Управление внутренних дел г. Придвинска',
    'police',
  ],
  [
    'omon-pry',
    'Атрад міліцыі асобага прызначэння г. Прыдзвінска',
    'Отряд милиции особого назначения г. Придвинска',
    'omon',
  ],
  ['exec-pry', 'Выканаўчы камітэт г. Прыдзвінска', 'Исполнительный комитет г. Придвинска', 'official'],
  [
    'exec-veras',
    'Верасаўскі раённы выканаўчы камітэт',
    'Вересовский районный исполнительный комитет',
    'official',
  ],
  ['prosecutor-veras', 'Пракуратура Верасаўскага раёна', 'Прокуратура Вересовского района', 'prosecutor'],
];
// [BE, RU, EN] posts by kind.
const POSTS: Record<Kind, Array<[string, string, string]>> = {
  judge: [
    ['Суддзя', 'Судья', 'Judge'],
    ['Старшыня суда', 'Председатель суда', 'Court president'],
  ],
  police: [
    ['Участковы інспектар', 'Участковый инспектор', 'District inspector'],
    ['Начальнік аддзела', 'Начальник отдела', 'Head of department'],
    ['Следчы', 'Следователь', 'Investigator'],
  ],
  omon: [
    ['Байец', 'Боец', 'Officer'],
    ['Камандзір роты', 'Командир роты', 'Company commander'],
  ],
  official: [
    ['Намеснік старшыні', 'Заместитель председателя', 'Deputy chair'],
    ['Сакратар выбарчай камісіі', 'Секретарь избирательной комиссии', 'Election commission secretary'],
  ],
  prosecutor: [
    ['Пракурор раёна', 'Прокурор района', 'District prosecutor'],
    ['Памочнік пракурора', 'Помощник прокурора', 'Assistant prosecutor'],
  ],
};

/** A small deterministic PRNG (mulberry32), so every demo database holds the same people. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FtmLine {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const unique = (...values: string[]) => [...new Set(values)];

/** The demo entities as FtM objects: bodies, positions, persons, occupancies, identifications, sanctions. */
export function demoEntities(options: { persons?: number; prefix?: string; seed?: number } = {}): FtmLine[] {
  const count = options.persons ?? 200;
  const prefix = options.prefix ?? 'demo';
  const random = prng(options.seed ?? 20_200_809);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const out: FtmLine[] = [];

  const positionsByKind = new Map<Kind, string[]>();
  for (const [bodyId, be, ru, kind] of BODIES) {
    const body = `${prefix}-body-${bodyId}`;
    out.push({
      id: body,
      schema: 'PublicBody',
      properties: { name: [be], alias: [ru], country: ['by'], notes: ['Invented unit for demonstration.'] },
    });
    for (const [index, [postBe, postRu, postEn]] of POSTS[kind].entries()) {
      const id = `${prefix}-position-${bodyId}-${index + 1}`;
      out.push({
        id,
        schema: 'Position',
        properties: {
          name: [`${postBe}, ${be}`],
          alias: [`${postRu}, ${ru}`, `${postEn} (${romanize(be, 'passport-be')})`],
          organization: [body],
          country: ['by'],
        },
      });
      positionsByKind.set(kind, [...(positionsByKind.get(kind) ?? []), id]);
    }
  }

  for (let i = 1; i <= count; i++) {
    const gender: Gender = random() < 0.72 ? 'male' : 'female';
    const [givenBe, givenRu] = pick(gender === 'male' ? MALE : FEMALE);
    const patronymic = pick(PATRONYMICS);
    const surname = pick(SURNAMES);
    const female = gender === 'female';
    const patBe = female ? patronymic[1] : patronymic[0];
    const patRu = female ? patronymic[3] : patronymic[2];
    const surBe = female ? surname[1] : surname[0];
    const surRu = female ? surname[3] : surname[2];
    const year = 1955 + Math.floor(random() * 45);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const precision = random();
    const birthDate =
      precision < 0.65
        ? `${year}-${pad(month)}-${pad(day)}`
        : precision < 0.85
          ? `${year}-${pad(month)}`
          : `${year}`;
    const latinBe = `${romanize(givenBe, 'passport-be')} ${romanize(patBe, 'passport-be')} ${romanize(surBe, 'passport-be').toUpperCase()}`;
    const latinRu = `${romanize(givenRu, 'icao-ru')} ${romanize(patRu, 'icao-ru')} ${romanize(surRu, 'icao-ru').toUpperCase()}`;
    const kind = pick(['judge', 'police', 'omon', 'official', 'prosecutor', 'police', 'omon'] as const);
    const [postBe, postRu] = POSTS[kind][0]!;
    const person = `${prefix}-person-${pad(i, 3)}`;
    out.push({
      id: person,
      schema: 'Person',
      properties: {
        name: [`${surBe} ${givenBe} ${patBe}`, `${surRu} ${givenRu} ${patRu}`],
        alias: unique(latinBe, latinRu),
        firstName: unique(givenBe, givenRu),
        fatherName: unique(patBe, patRu),
        lastName: unique(surBe, surRu),
        birthDate: [birthDate],
        gender: [gender],
        nationality: ['by'],
        position: [`${postBe} / ${postRu}`],
        notes: ['Invented person (demo data).'],
      },
    });

    // One to three posts over time, the latest possibly ongoing.
    const positions = positionsByKind.get(kind)!;
    let start = 2005 + Math.floor(random() * 10);
    const posts = 1 + Math.floor(random() * 3);
    for (let p = 1; p <= posts; p++) {
      const end = p < posts || random() < 0.4 ? start + 1 + Math.floor(random() * 5) : undefined;
      out.push({
        id: `${person}-occupancy-${p}`,
        schema: 'Occupancy',
        properties: {
          holder: [person],
          post: [positions[Math.min(p - 1, positions.length - 1)]!],
          startDate: [`${start}-${pad(1 + Math.floor(random() * 12))}`],
          ...(end ? { endDate: [`${end}`] } : {}),
          status: [end ? 'ended' : 'current'],
        },
      });
      start = (end ?? start) + 1;
    }
    if (i % 10 === 0) {
      out.push({
        id: `${person}-id-1`,
        schema: 'Identification',
        properties: {
          holder: [person],
          type: ['Personal number (demo format)'],
          number: [`DEMO${pad(year % 100)}${pad(month)}${pad(i, 4)}`],
          country: ['by'],
        },
      });
    }
    if (i % 12 === 0) {
      out.push({
        id: `${person}-sanction-1`,
        schema: 'Sanction',
        properties: {
          entity: [person],
          authority: ['Demo Sanctions Authority (invented)'],
          program: ['DEMO-BY-2021'],
          reason: ['Invented listing for demonstration: repression of peaceful protesters.'],
          startDate: [`${2020 + (i % 4)}-${pad(1 + (i % 12))}-15`],
          country: ['zz'],
        },
      });
    }
  }
  return out;
}

/** The demo data as FtM JSON lines. */
export function demoLines(options: Parameters<typeof demoEntities>[0] = {}): string[] {
  return demoEntities(options).map((entity) => `${JSON.stringify(entity)}\n`);
}
