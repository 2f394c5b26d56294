/**
 * Telegram's HTML subset (https://core.telegram.org/bots/api#html-style), parsed into a small tree so the
 * preview can render it as React elements: the admin's text never reaches the page as markup. Anything the
 * Bot API would refuse (unknown tags, unclosed tags, a bare "<" or "&") is reported as a problem and shown
 * literally, so the preview looks wrong where Telegram would fail.
 */

export type FormatKind =
  | 'bold'
  | 'italic'
  | 'underline'
  | 'strike'
  | 'spoiler'
  | 'code'
  | 'pre'
  | 'blockquote'
  | 'link'
  | 'emoji';

export type TelegramNode =
  | { kind: 'text'; text: string }
  | { kind: FormatKind; children: TelegramNode[]; href?: string; language?: string };

export type ProblemCode =
  | 'unsupportedTag'
  | 'unclosedTag'
  | 'unexpectedClose'
  | 'bareLessThan'
  | 'bareAmpersand';

export interface Problem {
  code: ProblemCode;
  /** The tag concerned, for tag problems. */
  tag?: string;
}

export interface ParsedMessage {
  nodes: TelegramNode[];
  problems: Problem[];
}

const tagKinds: Record<string, FormatKind> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strike',
  strike: 'strike',
  del: 'strike',
  'tg-spoiler': 'spoiler',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  a: 'link',
  'tg-emoji': 'emoji',
};

const tagPattern =
  /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*>/;
const attributePattern = /([a-zA-Z][a-zA-Z0-9-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
const entityPattern = /^&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/;
const namedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function decodeEntity(name: string): string {
  const named = namedEntities[name];
  if (named !== undefined) return named;
  const code = name.startsWith('#x')
    ? Number.parseInt(name.slice(2), 16)
    : Number.parseInt(name.slice(1), 10);
  return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
    ? String.fromCodePoint(code)
    : '\uFFFD';
}

function attributesOf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const match of text.matchAll(attributePattern)) {
    out.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? match[4] ?? '');
  }
  return out;
}

interface Open {
  tag: string;
  node: Extract<TelegramNode, { children: TelegramNode[] }>;
}

/** Parses a message written with parse mode HTML. Never throws; problems say what Telegram would reject. */
export function parseTelegramHtml(source: string): ParsedMessage {
  const root: TelegramNode[] = [];
  const stack: Open[] = [];
  const problems: Problem[] = [];
  const children = () => stack[stack.length - 1]?.node.children ?? root;
  const appendText = (text: string) => {
    const list = children();
    const last = list[list.length - 1];
    if (last?.kind === 'text') last.text += text;
    else list.push({ kind: 'text', text });
  };

  let at = 0;
  while (at < source.length) {
    const char = source[at]!;
    if (char === '<') {
      const match = tagPattern.exec(source.slice(at));
      if (!match) {
        problems.push({ code: 'bareLessThan' });
        appendText('<');
        at += 1;
        continue;
      }
      const [whole, slash, rawTag, rawAttributes] = match;
      const tag = rawTag!.toLowerCase();
      const attributes = attributesOf(rawAttributes ?? '');
      let kind = tagKinds[tag];
      if (tag === 'span') kind = slash || attributes.get('class') === 'tg-spoiler' ? 'spoiler' : undefined;
      if (!kind) {
        problems.push({ code: 'unsupportedTag', tag });
        appendText(whole);
      } else if (slash) {
        const index = stack.map((open) => open.tag).lastIndexOf(tag);
        if (index < 0) {
          problems.push({ code: 'unexpectedClose', tag });
        } else {
          if (index !== stack.length - 1)
            problems.push({ code: 'unclosedTag', tag: stack[stack.length - 1]!.tag });
          stack.length = index;
        }
      } else {
        const node: Open['node'] = { kind, children: [] };
        if (kind === 'link') node.href = attributes.get('href') ?? '';
        if (kind === 'code') {
          const language = /^language-(.+)$/.exec(attributes.get('class') ?? '')?.[1];
          if (language) node.language = language;
        }
        children().push(node);
        stack.push({ tag, node });
      }
      at += whole.length;
      continue;
    }
    if (char === '&') {
      const match = entityPattern.exec(source.slice(at));
      if (match) {
        appendText(decodeEntity(match[1]!));
        at += match[0].length;
      } else {
        problems.push({ code: 'bareAmpersand' });
        appendText('&');
        at += 1;
      }
      continue;
    }
    if (char === '>') {
      // Telegram accepts a bare ">" in practice, but the documentation asks for &gt;: no problem reported.
      appendText('>');
      at += 1;
      continue;
    }
    const next = source.slice(at).search(/[<&>]/);
    const end = next < 0 ? source.length : at + next;
    appendText(source.slice(at, end));
    at = end;
  }
  for (const open of stack.reverse()) problems.push({ code: 'unclosedTag', tag: open.tag });
  return { nodes: root, problems };
}

/** The plain text a parsed message shows (what Telegram counts once formatting is removed). */
export function plainText(nodes: readonly TelegramNode[]): string {
  return nodes.map((node) => (node.kind === 'text' ? node.text : plainText(node.children))).join('');
}

/** Message length as the server counts it (code points of the text as written). */
export function messageLength(text: string): number {
  return [...text].length;
}

/** The longest text the Bot API takes: 4096 characters, or 1024 for a caption under a photo or document. */
export function messageLimit(hasMedia: boolean): number {
  return hasMedia ? 1024 : 4096;
}

/** Link targets the preview shows as links; anything else (javascript:, data:) is shown as plain text. */
export function isSafeHref(href: string | undefined): boolean {
  return typeof href === 'string' && /^(https?:\/\/|tg:\/\/|mailto:)/i.test(href.trim());
}
