/**
 * OFAC's remarks: in the CSV files (and in older XML) birth dates, places, nationality, gender and
 * documents are written into one text field, `DOB 12 Mar 1965; POB Minsk, Belarus; nationality
 * Belarus; Gender Male; Passport MP1234567 (Belarus); ...`. This splits it into fields and leaves
 * what it does not know as notes.
 */

import { countryCode } from '../countries.js';
import { parseListDates } from '../dates.js';
import { addName, addUnique, clean, type OfficialEntry } from '../entry.js';

/** Splits on ";" outside parentheses and quotes. */
export function splitRemarks(remarks: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let current = '';
  for (const ch of remarks) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === "'" && /\s$|^$/.test(current.slice(-1))) quote = true;
    else if (ch === "'" && quote) quote = false;
    if (ch === ';' && depth === 0 && !quote) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((part) => part.trim().replace(/\.$/, '').trim()).filter(Boolean);
}

const DOCUMENTS: Array<[RegExp, 'passport' | 'national-id' | 'other']> = [
  [/^(?:alt\.\s+)?passport\b/i, 'passport'],
  [
    /^(?:alt\.\s+)?(?:national id no\.?|national identification number|personal id card|national id)\b/i,
    'national-id',
  ],
  [
    /^(?:alt\.\s+)?(?:tax id no\.?|identification number|registration number|residency number|driver'?s license no\.?|cedula no\.?|id no\.?|registration id)\b/i,
    'other',
  ],
];

/** "MP1234567 (Belarus) issued 01 Jan 2010" → number, country, issue date. */
function parseDocument(text: string) {
  const country = /\(([^)]+)\)/.exec(text)?.[1];
  const number = clean(
    text
      .replace(/^[\s.:#]+/, '')
      .replace(/\(.*$/, '')
      .replace(/\bissued\b.*$/i, ''),
  );
  const issued = /\bissued\s+(\d{1,2}\s+[A-Za-z]{3}\s+\d{4}|[A-Za-z]{3}\s+\d{4}|\d{4})/i.exec(text)?.[1];
  return {
    number,
    country: countryCode(country),
    issueDate: parseListDates(issued)[0],
    countryText: country,
  };
}

type Rule = [RegExp, (entry: OfficialEntry, match: RegExpExecArray, part: string) => void];

function addCountryTo(list: 'nationalities' | 'citizenships'): Rule[1] {
  return (entry, match, part) => {
    const code = countryCode(match[1]);
    if (code) addUnique(entry[list], code);
    else addUnique(entry.notes, part);
  };
}

const RULES: Rule[] = [
  [
    /^(?:alt\.\s+)?DOB\s+(.+)$/i,
    (entry, match, part) => {
      const dates = parseListDates(match[1]);
      if (dates.length === 0) addUnique(entry.notes, part);
      for (const date of dates) addUnique(entry.birthDates, date);
    },
  ],
  [/^(?:alt\.\s+)?POB\s+(.+)$/i, (entry, match) => addUnique(entry.birthPlaces, match[1])],
  [/^(?:alt\.\s+)?nationality\s+(.+)$/i, addCountryTo('nationalities')],
  [/^(?:alt\.\s+)?citizen\s+(.+)$/i, addCountryTo('citizenships')],
  [
    /^Gender\s+(Male|Female)$/i,
    (entry, match) => {
      entry.gender = match[1]!.toLowerCase() as 'male' | 'female';
    },
  ],
  [
    // Remarks carry OFAC's weak a.k.a.s (strong ones are in alt.csv or akaList).
    /^([af])\.k\.a\.?,?\s+'?(.+?)'?$/i,
    (entry, match) =>
      addName(entry, { full: match[2]!, quality: match[1]!.toLowerCase() === 'f' ? 'former' : 'weak' }),
  ],
];

/** Applies OFAC remarks to an entry. */
export function applyRemarks(entry: OfficialEntry, remarks: string | undefined): void {
  if (!remarks) return;
  for (const part of splitRemarks(remarks)) {
    const rule = RULES.find(([pattern]) => pattern.test(part));
    if (rule) {
      rule[1](entry, rule[0].exec(part)!, part);
      continue;
    }
    const document = DOCUMENTS.find(([pattern]) => pattern.test(part));
    if (document) {
      const [pattern, kind] = document;
      const label = pattern.exec(part)![0];
      const parsed = parseDocument(part.slice(label.length));
      if (parsed.number) {
        entry.identifications.push({
          kind,
          label: kind === 'other' ? clean(label.replace(/^alt\.\s+/i, '')) : undefined,
          number: parsed.number,
          country: parsed.country,
          issueDate: parsed.issueDate,
          note: parsed.country || !parsed.countryText ? undefined : parsed.countryText,
        });
        continue;
      }
    }
    addUnique(entry.notes, part);
  }
}
