/**
 * Country names as the lists print them ("Belarus", "BELARUS", "Russian Federation", "former USSR")
 * to FtM's lower-case ISO 3166-1 codes, and back to English names for exports. Built from the
 * runtime's own region names (Intl.DisplayNames) plus the spellings the lists use that differ.
 */

const EXTRA: Record<string, string> = {
  'russian federation': 'ru',
  'republic of belarus': 'by',
  'belarus republic': 'by',
  byelorussia: 'by',
  'belarussian ssr': 'by',
  беларусь: 'by',
  'рэспубліка беларусь': 'by',
  'республика беларусь': 'by',
  россия: 'ru',
  расія: 'ru',
  'soviet union': 'suhh',
  ussr: 'suhh',
  'former ussr': 'suhh',
  'united states of america': 'us',
  usa: 'us',
  'united kingdom of great britain and northern ireland': 'gb',
  uk: 'gb',
  'iran (islamic republic of)': 'ir',
  'iran, islamic republic of': 'ir',
  "democratic people's republic of korea": 'kp',
  'korea, north': 'kp',
  'north korea': 'kp',
  'republic of korea': 'kr',
  'korea, south': 'kr',
  'syrian arab republic': 'sy',
  'republic of moldova': 'md',
  'moldova, republic of': 'md',
  'venezuela (bolivarian republic of)': 've',
  'bolivia (plurinational state of)': 'bo',
  'united republic of tanzania': 'tz',
  "lao people's democratic republic": 'la',
  'viet nam': 'vn',
  'czech republic': 'cz',
  burma: 'mm',
  'congo, democratic republic of the': 'cd',
  'democratic republic of the congo': 'cd',
  'ivory coast': 'ci',
  "cote d'ivoire": 'ci',
  türkiye: 'tr',
  turkey: 'tr',
  'the netherlands': 'nl',
  'state of palestine': 'ps',
  'palestinian territories': 'ps',
  kosovo: 'xk',
};

let byName: Map<string, string> | undefined;
const englishNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

function fold(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[‘’`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function table(): Map<string, string> {
  if (byName) return byName;
  byName = new Map();
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const a of letters) {
    for (const b of letters) {
      const code = `${a}${b}`;
      const name = englishNames.of(code);
      if (name && name !== code) byName.set(fold(name), code.toLowerCase());
    }
  }
  for (const [name, code] of Object.entries(EXTRA)) byName.set(fold(name), code);
  return byName;
}

/**
 * The FtM country code for a list's country value: a two-letter code passes through (`00`, the EU's
 * "unknown", gives undefined), a name is looked up; undefined when it is not a country we know.
 */
export function countryCode(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === '00' || /^unknown$/i.test(trimmed)) return undefined;
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toLowerCase();
    return englishNames.of(code.toUpperCase()) ? code : undefined;
  }
  const folded = fold(trimmed);
  const direct = table().get(folded);
  if (direct) return direct;
  // "Belarus / Bélarus", "Minsk, Belarus (now ...)": the first part that is a country.
  for (const part of folded.split(/\s*[/,(]\s*|\)\s*/)) {
    const code = table().get(part.trim());
    if (code) return code;
  }
  return undefined;
}

/** The English name of a country code, as exports print it ("Belarus"). */
export function countryName(code: string): string {
  if (code === 'suhh') return 'former USSR';
  return englishNames.of(code.toUpperCase()) ?? code.toUpperCase();
}
