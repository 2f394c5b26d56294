import { describe, expect, it } from 'vitest';
import { findUnsafeText, terminalSafe, unsafeCharacter } from './text-safety.js';

describe('text safety', () => {
  it('refuses controls, C1, bidi overrides and broken UTF-16, and keeps ordinary text of every script', () => {
    for (const bad of ['a\u0000', '\u001b[2J', '\u009b31m', 'x\u202Ey', '\u2067', '\ud800', 'a\u007f'])
      expect(unsafeCharacter(bad), JSON.stringify(bad)).toBeDefined();
    for (const good of ['Аляксандр Лукашэнка', 'line\nbreak\ttab', 'שלום', 'عربي', '😀', 'a\u200Fb'])
      expect(unsafeCharacter(good), good).toBeUndefined();
    expect(unsafeCharacter('two\nlines', true)).toBe('\n');
    expect(findUnsafeText({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toEqual({
      path: 'a.1.c',
      character: '\u0000',
    });
  });

  it('shows escape sequences and bidi controls as visible text on a terminal', () => {
    expect(terminalSafe('Ivan\u001b]0;pwned\u0007 \u202Etxt.exe\r')).toBe(
      'Ivan\\u{1b}]0;pwned\\u{7} \\u{202e}txt.exe\\u{d}',
    );
    expect(terminalSafe('Сьвятлана\n')).toBe('Сьвятлана\n');
  });
});
