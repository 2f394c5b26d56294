/**
 * Entity parsing for `parse_mode` as the Bot API does it, reduced to what catches real bot bugs:
 * unescaped user input in HTML or MarkdownV2 makes Telegram reject the whole message with
 * 400 "Bad Request: can't parse entities: ...", and the 4096/1024 limits count characters *after*
 * markup is removed. Offsets are UTF-16 code units, like Telegram's.
 */

/** A Telegram `MessageEntity` as produced by the emulator's parser. */
export interface ParsedEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  user?: { id: number };
}

/** Plain text and entities after markup removal, or the Telegram error description. */
export type ParseResult = { ok: true; text: string; entities: ParsedEntity[] } | { ok: false; error: string };

const PREFIX = "Bad Request: can't parse entities: ";

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8');
}

/**
 * Parses `text` according to `parseMode` ('HTML', 'MarkdownV2', 'Markdown'; anything else, including
 * undefined, means plain text). Unknown parse modes are rejected like Telegram does.
 */
export function parseEntities(text: string, parseMode: string | undefined): ParseResult {
  if (parseMode === undefined || parseMode === '') return { ok: true, text, entities: [] };
  switch (parseMode.toLowerCase()) {
    case 'html':
      return parseHtml(text);
    case 'markdownv2':
      return parseMarkdownV2(text);
    case 'markdown':
      return parseMarkdownLegacy(text);
    default:
      return { ok: false, error: `Bad Request: unsupported parse_mode` };
  }
}

const HTML_TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function decodeEntity(text: string, at: number): { ch: string; end: number } | undefined {
  const semi = text.indexOf(';', at);
  if (semi < 0 || semi - at > 10) return undefined;
  const name = text.slice(at + 1, semi);
  if (name.startsWith('#')) {
    const code =
      name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff) return undefined;
    return { ch: String.fromCodePoint(code), end: semi + 1 };
  }
  const ch = NAMED_ENTITIES[name];
  return ch === undefined ? undefined : { ch, end: semi + 1 };
}

function decodeAll(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '&') {
      const dec = decodeEntity(value, i);
      if (dec) {
        out += dec.ch;
        i = dec.end - 1;
        continue;
      }
    }
    out += value[i];
  }
  return out;
}

function parseHtml(src: string): ParseResult {
  let text = '';
  const entities: ParsedEntity[] = [];
  const stack: { tag: string; start: number; attrs: Record<string, string> }[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '&') {
      const dec = decodeEntity(src, i);
      if (dec) {
        text += dec.ch;
        i = dec.end;
      } else {
        text += c;
        i++;
      }
      continue;
    }
    if (c !== '<') {
      text += c;
      i++;
      continue;
    }
    if (src[i + 1] !== '/') {
      // Like tdlib: the tag name is checked before the closing '>' is looked for.
      const name = /^[a-zA-Z0-9-]*/.exec(src.slice(i + 1, i + 40))![0].toLowerCase();
      if (!(name in HTML_TAGS)) {
        return {
          ok: false,
          error: `${PREFIX}Unsupported start tag "${name}" at byte offset ${byteOffset(src, i)}`,
        };
      }
    }
    const close = src.indexOf('>', i);
    if (close < 0)
      return { ok: false, error: `${PREFIX}Unclosed start tag at byte offset ${byteOffset(src, i)}` };
    const inner = src.slice(i + 1, close);
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open)
        return { ok: false, error: `${PREFIX}Unexpected end tag at byte offset ${byteOffset(src, i)}` };
      if (name !== open.tag) {
        return {
          ok: false,
          error: `${PREFIX}Unmatched end tag at byte offset ${byteOffset(src, i)}, expected "</${open.tag}>", found "</${name}>"`,
        };
      }
      const length = text.length - open.start;
      if (length > 0) {
        const entity = htmlEntity(open.tag, open.start, length, open.attrs);
        const inner = entities.at(-1);
        // <pre><code class="language-x"> is one pre entity with a language, as in Telegram.
        if (
          entity.type === 'pre' &&
          inner?.type === 'code' &&
          inner.offset === entity.offset &&
          inner.length === length
        ) {
          entities.pop();
          if (inner.language) entity.language = inner.language;
        }
        entities.push(entity);
      }
      i = close + 1;
      continue;
    }
    const m = /^([a-zA-Z0-9-]*)(.*)$/s.exec(inner)!;
    const name = m[1]!.toLowerCase();
    const attrs: Record<string, string> = {};
    for (const a of (m[2] ?? '').matchAll(/([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))/g)) {
      attrs[a[1]!.toLowerCase()] = decodeAll(a[2] ?? a[3] ?? a[4] ?? '');
    }
    if (name === 'span' && attrs.class !== 'tg-spoiler') {
      return {
        ok: false,
        error: `${PREFIX}Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(src, i)}`,
      };
    }
    stack.push({ tag: name, start: text.length, attrs });
    i = close + 1;
  }
  const open = stack.pop();
  if (open)
    return { ok: false, error: `${PREFIX}Can't find end tag corresponding to start tag "${open.tag}"` };
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { ok: true, text, entities };
}

function htmlEntity(
  tag: string,
  offset: number,
  length: number,
  attrs: Record<string, string>,
): ParsedEntity {
  const type = HTML_TAGS[tag]!;
  if (type === 'text_link') {
    const href = attrs.href ?? '';
    const mention = /^tg:\/\/user\?id=(\d+)$/.exec(href);
    if (mention) return { type: 'text_mention', offset, length, user: { id: Number(mention[1]) } };
    return { type, offset, length, url: href };
  }
  if (type === 'code' && attrs.class?.startsWith('language-')) {
    return { type, offset, length, language: attrs.class.slice('language-'.length) };
  }
  if (type === 'blockquote' && 'expandable' in attrs)
    return { type: 'expandable_blockquote', offset, length };
  return { type, offset, length };
}

const MDV2_RESERVED = new Set('_*[]()~`>#+-=|{}.!'.split(''));

function parseMarkdownV2(src: string): ParseResult {
  let text = '';
  const entities: ParsedEntity[] = [];
  const open: { marker: string; type: string; start: number; at: number }[] = [];
  const isOpen = (marker: string) => open.some((o) => o.marker === marker);
  let i = 0;
  let lineStart = true;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const next = src[i + 1];
      if (next !== undefined && next.charCodeAt(0) > 0 && next.charCodeAt(0) < 127) {
        text += next;
        i += 2;
        lineStart = false;
        continue;
      }
      return {
        ok: false,
        error: `${PREFIX}Character '\\' is reserved and must be escaped with the preceding '\\'`,
      };
    }
    if (c === '`') {
      const isPre = src.startsWith('```', i);
      const fence = isPre ? '```' : '`';
      let j = i + fence.length;
      let language: string | undefined;
      if (isPre) {
        const nl = src.indexOf('\n', j);
        const end = src.indexOf('```', j);
        if (nl >= 0 && (end < 0 || nl < end)) {
          const lang = src.slice(j, nl);
          if (/^[\w+-]*$/.test(lang)) {
            language = lang || undefined;
            j = nl + 1;
          }
        }
      }
      const start = text.length;
      let closed = false;
      while (j < src.length) {
        if (src[j] === '\\' && j + 1 < src.length) {
          text += src[j + 1];
          j += 2;
          continue;
        }
        if (src.startsWith(fence, j)) {
          closed = true;
          break;
        }
        text += src[j];
        j++;
      }
      if (!closed) {
        return {
          ok: false,
          error: `${PREFIX}Can't find end of ${isPre ? 'Pre' : 'Code'} entity at byte offset ${byteOffset(src, i)}`,
        };
      }
      if (text.length > start) {
        entities.push({ type: isPre ? 'pre' : 'code', offset: start, length: text.length - start, language });
      }
      i = j + fence.length;
      lineStart = false;
      continue;
    }
    if (c === '>' && lineStart) {
      // Blockquote lines: the marker is dropped, the quoted text stays.
      i++;
      lineStart = false;
      continue;
    }
    if (c === '[') {
      open.push({ marker: '[', type: 'text_link', start: text.length, at: i });
      i++;
      lineStart = false;
      continue;
    }
    if (c === ']' && isOpen('[')) {
      const o = open[open.length - 1];
      if (o?.marker !== '[') {
        return {
          ok: false,
          error: `${PREFIX}Can't find end of ${o?.type ?? 'Link'} entity at byte offset ${o?.at ?? i}`,
        };
      }
      open.pop();
      if (src[i + 1] !== '(') {
        return {
          ok: false,
          error: `${PREFIX}Can't find end of a URL at byte offset ${byteOffset(src, i + 1)}`,
        };
      }
      let j = i + 2;
      let url = '';
      while (j < src.length && src[j] !== ')') {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        url += src[j];
        j++;
      }
      if (j >= src.length) {
        return {
          ok: false,
          error: `${PREFIX}Can't find end of a URL at byte offset ${byteOffset(src, i + 1)}`,
        };
      }
      if (text.length > o.start)
        entities.push({ type: 'text_link', offset: o.start, length: text.length - o.start, url });
      i = j + 1;
      lineStart = false;
      continue;
    }
    let marker: string | undefined;
    let type: string | undefined;
    if (src.startsWith('__', i)) [marker, type] = ['__', 'underline'];
    else if (src.startsWith('||', i)) [marker, type] = ['||', 'spoiler'];
    else if (c === '*') [marker, type] = ['*', 'bold'];
    else if (c === '_') [marker, type] = ['_', 'italic'];
    else if (c === '~') [marker, type] = ['~', 'strikethrough'];
    if (marker && type) {
      const top = open[open.length - 1];
      if (top && top.marker === marker) {
        open.pop();
        if (text.length > top.start)
          entities.push({ type, offset: top.start, length: text.length - top.start });
      } else if (isOpen(marker)) {
        return {
          ok: false,
          error: `${PREFIX}Can't find end of ${top?.type ?? type} entity at byte offset ${top?.at}`,
        };
      } else {
        open.push({ marker, type, start: text.length, at: byteOffset(src, i) });
      }
      i += marker.length;
      lineStart = false;
      continue;
    }
    if (MDV2_RESERVED.has(c)) {
      return {
        ok: false,
        error: `${PREFIX}Character '${c}' is reserved and must be escaped with the preceding '\\'`,
      };
    }
    text += c;
    lineStart = c === '\n';
    i++;
  }
  const top = open.pop();
  if (top)
    return { ok: false, error: `${PREFIX}Can't find end of ${top.type} entity at byte offset ${top.at}` };
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { ok: true, text, entities };
}

function parseMarkdownLegacy(src: string): ParseResult {
  let text = '';
  const entities: ParsedEntity[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const simple: Record<string, string> = { '*': 'bold', _: 'italic', '`': 'code' };
    if (c === '\\' && i + 1 < src.length && '*_`['.includes(src[i + 1]!)) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (src.startsWith('```', i)) {
      const end = src.indexOf('```', i + 3);
      if (end < 0)
        return {
          ok: false,
          error: `${PREFIX}Can't find end of the entity starting at byte offset ${byteOffset(src, i)}`,
        };
      const body = src.slice(i + 3, end);
      if (body.length > 0) entities.push({ type: 'pre', offset: text.length, length: body.length });
      text += body;
      i = end + 3;
      continue;
    }
    if (simple[c]) {
      const end = src.indexOf(c, i + 1);
      if (end < 0)
        return {
          ok: false,
          error: `${PREFIX}Can't find end of the entity starting at byte offset ${byteOffset(src, i)}`,
        };
      const body = src.slice(i + 1, end);
      if (body.length > 0) entities.push({ type: simple[c]!, offset: text.length, length: body.length });
      text += body;
      i = end + 1;
      continue;
    }
    if (c === '[') {
      const m = /^\[([^\]]*)\]\(([^)]*)\)/.exec(src.slice(i));
      if (!m)
        return {
          ok: false,
          error: `${PREFIX}Can't find end of the entity starting at byte offset ${byteOffset(src, i)}`,
        };
      if (m[1]!.length > 0)
        entities.push({ type: 'text_link', offset: text.length, length: m[1]!.length, url: m[2]! });
      text += m[1];
      i += m[0].length;
      continue;
    }
    text += c;
    i++;
  }
  return { ok: true, text, entities };
}

/** Finds `bot_command` entities the way Telegram clients mark them in user-written text. */
export function detectCommandEntities(text: string): ParsedEntity[] {
  const out: ParsedEntity[] = [];
  for (const m of text.matchAll(
    /(^|[\s(])(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)(?![A-Za-z0-9_@/])/g,
  )) {
    out.push({ type: 'bot_command', offset: m.index + m[1]!.length, length: m[2]!.length });
  }
  return out;
}
