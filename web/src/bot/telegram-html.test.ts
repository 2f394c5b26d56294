import { describe, expect, it } from 'vitest';
import { isSafeHref, messageLength, messageLimit, parseTelegramHtml, plainText } from './telegram-html.js';

describe('parseTelegramHtml', () => {
  it('turns the supported tags into nodes', () => {
    const { nodes, problems } = parseTelegramHtml(
      '<b>Увага</b>: <i>сход</i> <a href="https://example.org/x">тут</a>',
    );
    expect(problems).toEqual([]);
    expect(nodes).toEqual([
      { kind: 'bold', children: [{ kind: 'text', text: 'Увага' }] },
      { kind: 'text', text: ': ' },
      { kind: 'italic', children: [{ kind: 'text', text: 'сход' }] },
      { kind: 'text', text: ' ' },
      { kind: 'link', href: 'https://example.org/x', children: [{ kind: 'text', text: 'тут' }] },
    ]);
  });

  it('knows every alias Telegram accepts', () => {
    const source =
      '<strong>a</strong><em>b</em><ins>c</ins><u>d</u><s>e</s><strike>f</strike><del>g</del>' +
      '<span class="tg-spoiler">h</span><tg-spoiler>i</tg-spoiler><code>j</code>' +
      '<pre><code class="language-ts">k</code></pre><blockquote expandable>l</blockquote>' +
      '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>';
    const { nodes, problems } = parseTelegramHtml(source);
    expect(problems).toEqual([]);
    expect(nodes.map((node) => node.kind)).toEqual([
      'bold',
      'italic',
      'underline',
      'underline',
      'strike',
      'strike',
      'strike',
      'spoiler',
      'spoiler',
      'code',
      'pre',
      'blockquote',
      'emoji',
    ]);
    const pre = nodes[10];
    expect(pre && pre.kind !== 'text' ? pre.children[0] : undefined).toMatchObject({
      kind: 'code',
      language: 'ts',
    });
    expect(plainText(nodes)).toBe('abcdefghijkl👍');
  });

  it('nests formatting', () => {
    const { nodes } = parseTelegramHtml('<b>bold <i>both</i></b>');
    expect(nodes).toEqual([
      {
        kind: 'bold',
        children: [
          { kind: 'text', text: 'bold ' },
          { kind: 'italic', children: [{ kind: 'text', text: 'both' }] },
        ],
      },
    ]);
  });

  it('decodes the entities Telegram knows', () => {
    const { nodes, problems } = parseTelegramHtml(
      '1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;ok&quot; &#8470; &#x1F4E2;',
    );
    expect(problems).toEqual([]);
    expect(plainText(nodes)).toBe('1 < 2 && 3 > 2 "ok" № 📢');
  });

  it('keeps script and other markup as visible text and reports it', () => {
    const { nodes, problems } = parseTelegramHtml('<script>alert(1)</script><img src=x onerror=alert(1)>');
    expect(nodes).toEqual([{ kind: 'text', text: '<script>alert(1)</script><img src=x onerror=alert(1)>' }]);
    expect(problems).toEqual([
      { code: 'unsupportedTag', tag: 'script' },
      { code: 'unsupportedTag', tag: 'script' },
      { code: 'unsupportedTag', tag: 'img' },
    ]);
  });

  it('accepts a span only as a spoiler', () => {
    expect(parseTelegramHtml('<span style="color:red">x</span>').problems).toContainEqual({
      code: 'unsupportedTag',
      tag: 'span',
    });
  });

  it('reports a bare < and a bare &', () => {
    const { nodes, problems } = parseTelegramHtml('a < b & c');
    expect(plainText(nodes)).toBe('a < b & c');
    expect(problems.map((problem) => problem.code)).toEqual(['bareLessThan', 'bareAmpersand']);
  });

  it('reports unclosed, crossed and stray tags but keeps the text', () => {
    expect(parseTelegramHtml('<b>open').problems).toEqual([{ code: 'unclosedTag', tag: 'b' }]);
    const crossed = parseTelegramHtml('<b><i>x</b></i>');
    expect(crossed.problems).toEqual([
      { code: 'unclosedTag', tag: 'i' },
      { code: 'unexpectedClose', tag: 'i' },
    ]);
    expect(plainText(crossed.nodes)).toBe('x');
    expect(parseTelegramHtml('x</u>').problems).toEqual([{ code: 'unexpectedClose', tag: 'u' }]);
  });

  it('treats tag names case-insensitively and keeps line breaks', () => {
    const { nodes, problems } = parseTelegramHtml('<B>A</B>\nB');
    expect(problems).toEqual([]);
    expect(plainText(nodes)).toBe('A\nB');
  });

  it('never throws on arbitrary input', () => {
    const samples = [
      '<',
      '&',
      '<<>>',
      '<a href=">x</a>',
      '&#99999999;',
      '&#xD800;',
      '<b',
      '</',
      '<a\nhref=x>y</a>',
    ];
    for (const sample of samples) expect(() => parseTelegramHtml(sample)).not.toThrow();
    expect(plainText(parseTelegramHtml('&#xD800;').nodes)).toBe('\uFFFD');
  });
});

describe('links and lengths', () => {
  it('shows only web, tg and mail links as links', () => {
    expect(isSafeHref('https://example.org')).toBe(true);
    expect(isSafeHref('tg://user?id=1')).toBe(true);
    expect(isSafeHref('javascript:alert(1)')).toBe(false);
    expect(isSafeHref('data:text/html,x')).toBe(false);
    expect(isSafeHref(undefined)).toBe(false);
  });

  it('counts characters like the server and knows the caption limit', () => {
    expect(messageLength('👍👍')).toBe(2);
    expect(messageLength('Прывітанне')).toBe(10);
    expect(messageLimit(false)).toBe(4096);
    expect(messageLimit(true)).toBe(1024);
  });
});
