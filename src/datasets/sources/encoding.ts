/**
 * Which text encoding a CSV dump is in. Files from the region's systems come as UTF-8 (with or without
 * a byte-order mark), Windows-1251, KOI8-R or CP866; the three single-byte ones decode any byte, so
 * the choice is by what the text looks like: decoded the right way, Cyrillic words are mostly
 * lower-case letters of the common kind; decoded the wrong way, KOI8-R shows swapped case inside
 * words and CP866 or Windows-1251 show box-drawing signs, rare letters or control characters.
 */

export type Encoding = 'utf-8' | 'windows-1251' | 'koi8-r' | 'ibm866';

const COMMON = new Set([...'оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъёіў']);
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;

/** A score for how much `text` looks like Belarusian or Russian text: higher is more likely. */
function cyrillicScore(text: string): number {
  let score = 0;
  let previous = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      previous = ch;
      continue;
    }
    if (COMMON.has(ch)) score += 2;
    else if (code >= 0x0410 && code <= 0x042f) score += 0;
    else if (code >= 0x2500 && code <= 0x25ff) score -= 6;
    else if (code < 0xa0 || code === 0xfffd) score -= 8;
    else score -= 3;
    if (UPPER.test(ch) && LOWER.test(previous)) score -= 4;
    previous = ch;
  }
  return score;
}

/** True when `bytes` is valid UTF-8, ignoring a sequence cut at the end of the sample. */
export function isUtf8(bytes: Uint8Array, complete: boolean): boolean {
  let end = bytes.length;
  if (!complete) {
    // Drop a multi-byte sequence cut by the sample's end.
    let i = end - 1;
    let back = 0;
    while (i >= 0 && back < 3 && (bytes[i]! & 0xc0) === 0x80) {
      i--;
      back++;
    }
    if (i >= 0 && bytes[i]! >= 0xc0) end = i;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * Guesses the encoding from the first bytes of a file (`complete` when the sample is the whole file).
 * A BOM or valid UTF-8 means UTF-8; otherwise the single-byte encoding whose decoding looks most like
 * Cyrillic text.
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): Encoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (isUtf8(sample, complete)) return 'utf-8';
  let best: Encoding = 'windows-1251';
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const encoding of ['windows-1251', 'koi8-r', 'ibm866'] as const) {
    const score = cyrillicScore(new TextDecoder(encoding).decode(sample));
    if (score > bestScore) {
      best = encoding;
      bestScore = score;
    }
  }
  return best;
}

/** The delimiter of a CSV from its first line: the most frequent of `,` `;` tab `|` outside quotes. */
export function detectDelimiter(text: string, fileName: string): string {
  if (/\.tsv$/i.test(fileName)) return '\t';
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
    ['|', 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [ch, count] of counts) if (count > counts.get(best)!) best = ch;
  return best;
}
