/**
 * Scheme-independent skeleton of a Latin-script name token. Romanization schemes disagree on how to
 * write the same Cyrillic letter (х: kh/ch/h; ш: sh/sch/sz/š/sj; ц: ts/c/tz/z; я: ia/ya/ja/â; й: i/y/j;
 * ў: u/w/ŭ); the skeleton maps all those spellings to one symbol so every romanization of one Cyrillic
 * form ideally shares one skeleton.
 *
 * Skeleton alphabet: vowels a e i o u; consonants as in ASCII, plus
 *   h = г (h) / х (kh, ch, x-less) / ч (ch, tch, tsch, cz, tj, č) — Belarusian г, х and ч merge;
 *   x = ш / ж (sh, sch, sz, sj, š, zh, ž, ż, zj);  c = ц (ts, tz, c, ć);  v = в / ў (v, w, ŭ, u after a vowel);
 *   i = і / и / ы / й and the glide of я ю ё (i, y, j).
 * Runs of one symbol collapse; the glide before e is dropped (ye/ie/je → e).
 */

/** Letters with diacritics (and a few special letters) mapped before the digraph pass. */
const PRE_MAP: Record<string, string> = {
  č: 'ch',
  ć: 'c',
  ç: 'c',
  š: 'sh',
  ś: 's',
  ş: 'sh',
  ž: 'zh',
  ż: 'zh',
  ź: 'z',
  ŭ: 'w',
  ł: 'l',
  ĺ: 'l',
  ľ: 'l',
  ń: 'n',
  ň: 'n',
  ñ: 'n',
  ŕ: 'r',
  ř: 'r',
  ŝ: 'shch',
  û: 'iu',
  â: 'ia',
  ä: 'a',
  ë: 'e',
  ö: 'o',
  ü: 'iu',
  ï: 'i',
  ß: 'ss',
  đ: 'd',
  ď: 'd',
  ť: 't',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
};

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);
const LATIN_VOWEL_INPUT = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

/** Lower-cases and reduces to ASCII letters, expanding letters with diacritics per PRE_MAP. */
function toAsciiLower(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  for (const ch of lower) {
    const code = ch.charCodeAt(0);
    if (code >= 0x61 && code <= 0x7a) {
      out += ch;
      continue;
    }
    const mapped = PRE_MAP[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    if (code < 0x80) continue;
    const base = ch.normalize('NFD')[0]!;
    const baseCode = base.charCodeAt(0);
    if (baseCode >= 0x61 && baseCode <= 0x7a) out += base;
  }
  return out;
}

/**
 * Digraph pass. `alternate` selects the second reading of the two spellings that are ambiguous between
 * schemes: `sj` (Swedish ш vs German/Czech с+я) and `tj` before a vowel (Swedish ч vs т+я).
 * Returns the raw symbol string and whether an ambiguous spelling was met.
 */
function mapSymbols(s: string, alternate: boolean): { symbols: string; ambiguous: boolean } {
  let out = '';
  let ambiguous = false;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s[i]!;
    const c1 = i + 1 < n ? s[i + 1]! : '';
    const c2 = i + 2 < n ? s[i + 2]! : '';
    const c3 = i + 3 < n ? s[i + 3]! : '';
    switch (c) {
      case 't':
        if (c1 === 's' && c2 === 'c' && c3 === 'h') {
          out += 'h';
          i += 3;
        } else if (c1 === 'c' && c2 === 'h') {
          out += 'h';
          i += 2;
        } else if (c1 === 's' && c2 === 'h') {
          // Estonian/Finnish tš (š already spelled sh): ч, not ц + х.
          out += 'h';
          i += 2;
        } else if (c1 === 's' && c2 === 'j') {
          // Danish tsj is ч; Swedish ts + ja is ц + я: both readings.
          ambiguous = true;
          if (alternate) {
            out += 'h';
            i += 2;
          } else {
            out += 'c';
            i += 1;
          }
        } else if (c1 === 's' || c1 === 'z') {
          out += 'c';
          i += 1;
        } else if (c1 === 'h') {
          out += 't';
          i += 1;
        } else if (c1 === 'j') {
          const beforeVowel = LATIN_VOWEL_INPUT.has(c2);
          if (beforeVowel) ambiguous = true;
          if (!beforeVowel || alternate) {
            out += 'h';
            i += 1;
          } else out += 't';
        } else out += 't';
        break;
      case 's':
        if (c1 === 'c' && c2 === 'h') {
          out += 'x';
          i += 2;
        } else if (c1 === 'h' || c1 === 'z') {
          out += 'x';
          i += 1;
        } else if (c1 === 'j') {
          ambiguous = true;
          if (alternate) {
            out += 'x';
            i += 1;
          } else out += 's';
        } else out += 's';
        break;
      case 'z':
        if (c1 === 'h' || c1 === 'j') {
          out += 'x';
          i += 1;
        } else out += 'z';
        break;
      case 'c':
        if (c1 === 'h' || c1 === 'z') {
          out += 'h';
          i += 1;
        } else if (c1 === 'k') {
          out += 'c';
        } else if (c1 === 'l' || c1 === 'r' || c1 === 't') {
          // English "Victor", "Nicolas"-style c; before vowels c is ц in the 2007, Czech and Polish systems.
          out += 'k';
        } else out += 'c';
        break;
      case 'k':
        if (c1 === 'h') {
          out += 'h';
          i += 1;
        } else if (c1 === 's') {
          out += 'ks';
          i += 1;
        } else out += 'k';
        break;
      case 'p':
        if (c1 === 'h') {
          out += 'f';
          i += 1;
        } else out += 'p';
        break;
      case 'q':
        out += 'k';
        if (c1 === 'u') {
          out += 'v';
          i += 1;
        }
        break;
      case 'x':
        out += 'ks';
        break;
      case 'w':
        out += 'v';
        break;
      case 'y':
      case 'j':
        out += 'i';
        break;
      case 'u': {
        const prev = out.length > 0 ? out[out.length - 1]! : '';
        out += prev === 'a' || prev === 'e' || prev === 'o' ? 'v' : 'u';
        break;
      }
      default:
        out += c;
    }
  }
  return { symbols: out, ambiguous };
}

/** Collapses runs of one symbol and drops the glide before e (ye/ie/je → e). */
function finish(symbols: string): string {
  let out = '';
  for (let i = 0; i < symbols.length; i++) {
    const c = symbols[i]!;
    if (out.length > 0 && out[out.length - 1] === c) continue;
    if (c === 'e' && out.length > 0 && out[out.length - 1] === 'i') out = out.slice(0, -1);
    if (out.length > 0 && out[out.length - 1] === c) continue;
    out += c;
  }
  return out;
}

/**
 * Skeleton keys of a Latin token: the primary skeleton first, then (when the token contains `sj`,
 * `tsj` or `tj` before a vowel, which schemes use for different letters) the alternate reading, then
 * the Hungarian and the French readings when the word looks so transcribed. At most four.
 */
export function skeletonVariants(latin: string): string[] {
  const ascii = toAsciiLower(latin);
  if (ascii.length === 0) return [];
  const primary = mapSymbols(ascii, false);
  const variants = [finish(primary.symbols)];
  if (primary.ambiguous) {
    const second = finish(mapSymbols(ascii, true).symbols);
    if (!variants.includes(second)) variants.push(second);
  }
  const hungarian = hungarianReading(ascii);
  if (hungarian !== undefined) {
    const reading = finish(mapSymbols(hungarian, false).symbols);
    if (!variants.includes(reading)) variants.push(reading);
  }
  const french = frenchReading(ascii);
  if (french !== undefined) {
    const third = finish(mapSymbols(french, false).symbols);
    if (!variants.includes(third)) variants.push(third);
  }
  return variants;
}

/**
 * French transcription (Loukachenko, Tchernov, Jdanov) reads ou as u, ch as ш, tch as ч, j as ж.
 * Only tried when the word has "ou" inside it (word-final -ou is the Belarusian -оў), so other
 * schemes are unaffected. Returns the re-spelled word in the common (English-like) convention.
 */
function frenchReading(ascii: string): string | undefined {
  const at = ascii.indexOf('ou');
  if (at < 0 || at + 2 >= ascii.length) return undefined;
  let out = '';
  for (let i = 0; i < ascii.length; i++) {
    if (ascii.startsWith('ou', i)) {
      out += 'u';
      i += 1;
    } else if (ascii.startsWith('tch', i)) {
      out += 'ch';
      i += 2;
    } else if (ascii.startsWith('ch', i)) {
      out += 'sh';
      i += 1;
    } else if (ascii[i] === 'j') out += 'zh';
    else out += ascii[i];
  }
  return out;
}

/**
 * Hungarian transcription (Lukasenko, Csaduk, Zsdanov, Alekszandr) writes ш as s, с as sz, ч as cs,
 * ж as zs. Only tried when the word has one of the digraphs cs, zs or sz (Polish sz is ш, so the
 * primary reading stays). Returns the word re-spelled in the common convention.
 */
function hungarianReading(ascii: string): string | undefined {
  if (!/cs|zs|sz/.test(ascii)) return undefined;
  let out = '';
  for (let i = 0; i < ascii.length; i++) {
    const two = ascii.slice(i, i + 2);
    if (two === 'cs') {
      out += 'ch';
      i += 1;
    } else if (two === 'zs') {
      out += 'zh';
      i += 1;
    } else if (two === 'sz') {
      out += 's';
      i += 1;
    } else if (ascii[i] === 's') out += 'sh';
    else out += ascii[i];
  }
  return out;
}

/** Primary skeleton of a Latin token ('' when it has no Latin letters). */
export function skeleton(latin: string): string {
  const ascii = toAsciiLower(latin);
  if (ascii.length === 0) return '';
  return finish(mapSymbols(ascii, false).symbols);
}

/** True when `symbol` is a skeleton vowel. */
export function isSkeletonVowel(symbol: string): boolean {
  return VOWELS.has(symbol);
}
