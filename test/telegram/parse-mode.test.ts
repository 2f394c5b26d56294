import { describe, expect, it } from 'vitest';
import { parseMultipart } from './multipart.js';
import { detectCommandEntities, parseEntities } from './parse-mode.js';
import { TokenBucket } from './rate-limit.js';

describe('parseEntities', () => {
  it('handles nested HTML, numeric entities, pre with language and UTF-16 offsets', () => {
    const r = parseEntities(
      '😀 <b>bold <i>both</i></b> &#1041; <pre><code class="language-ts">x</code></pre>',
      'HTML',
    );
    expect(r).toEqual({
      ok: true,
      text: '😀 bold both Б x',
      entities: [
        { type: 'bold', offset: 3, length: 9 },
        { type: 'italic', offset: 8, length: 4 },
        { type: 'pre', offset: 15, length: 1, language: 'ts' },
      ],
    });
  });

  it('keeps a bare ampersand and rejects unmatched or unknown tags', () => {
    expect(parseEntities('Tom & Jerry', 'HTML')).toMatchObject({ ok: true, text: 'Tom & Jerry' });
    expect(parseEntities('<b>x</i>', 'HTML')).toMatchObject({
      ok: false,
      error: expect.stringContaining('Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
    });
    expect(parseEntities('<script>x</script>', 'HTML')).toMatchObject({
      ok: false,
      error: expect.stringContaining('Unsupported start tag "script" at byte offset 0'),
    });
    expect(parseEntities('<span>x</span>', 'HTML')).toMatchObject({ ok: false });
    expect(parseEntities('x', 'Fancy')).toEqual({ ok: false, error: 'Bad Request: unsupported parse_mode' });
  });

  it('parses MarkdownV2 with escapes, underline, spoiler, code and links', () => {
    expect(parseEntities('__u__ ||s|| `a\\`b` [t](https://e.org) 1\\+1\\=2', 'MarkdownV2')).toEqual({
      ok: true,
      text: 'u s a`b t 1+1=2',
      entities: [
        { type: 'underline', offset: 0, length: 1 },
        { type: 'spoiler', offset: 2, length: 1 },
        { type: 'code', offset: 4, length: 3 },
        { type: 'text_link', offset: 8, length: 1, url: 'https://e.org' },
      ],
    });
    expect(parseEntities('*open', 'MarkdownV2')).toMatchObject({
      ok: false,
      error: expect.stringContaining('bold'),
    });
    expect(parseEntities('a-b', 'MarkdownV2')).toMatchObject({
      ok: false,
      error: expect.stringContaining("'-'"),
    });
  });

  it('parses legacy Markdown', () => {
    expect(parseEntities('*b* _i_ [l](https://e.org)', 'Markdown')).toMatchObject({
      ok: true,
      text: 'b i l',
    });
    expect(parseEntities('snake_case', 'Markdown')).toMatchObject({ ok: false });
  });
});

describe('detectCommandEntities', () => {
  it('marks commands at the start and after whitespace, with bot mentions', () => {
    expect(detectCommandEntities('/start@sviedka_test_bot payload')).toEqual([
      { type: 'bot_command', offset: 0, length: 23 },
    ]);
    expect(detectCommandEntities('see /help and a/b and http://x/y')).toEqual([
      { type: 'bot_command', offset: 4, length: 5 },
    ]);
  });
});

describe('parseMultipart', () => {
  it('reads grammY-style parts (lower-case headers, unquoted filename)', () => {
    const body = Buffer.from(
      '--B\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n5\r\n--B\r\n' +
        'content-disposition:form-data;name="abc";filename=my file.jpg\r\ncontent-type:application/octet-stream\r\n\r\n' +
        'BYTES\r\n--B--\r\n',
    );
    const mp = parseMultipart(body, 'B');
    expect(mp.fields).toEqual({ chat_id: '5' });
    expect(mp.files.abc?.fileName).toBe('my file.jpg');
    expect(mp.files.abc?.bytes.toString()).toBe('BYTES');
  });
});

describe('TokenBucket', () => {
  it('allows the burst, then refills at the rate', () => {
    const b = new TokenBucket(2, 3, 0);
    expect([b.take(0), b.take(0), b.take(0)]).toEqual([0, 0, 0]);
    expect(b.take(0)).toBe(500);
    expect(b.take(499)).toBe(2);
    expect(b.take(501)).toBe(0);
  });
});
