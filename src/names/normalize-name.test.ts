import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNameError, MAX_NAME_LENGTH } from './errors.js';
import { normalizeName } from './normalize-name.js';

describe('normalizeName', () => {
  it('cleans, repairs homoglyphs and parses (UK list example from names.md)', () => {
    const result = normalizeName('  Iгар  Iванавiч\u200b БУЗОЎСКI ');
    if (isNameError(result)) throw new Error(result.code);
    expect(result.text).toBe('Ігар Іванавіч БУЗОЎСКІ');
    expect(result.fold).toBe('ігар іванавіч бузоўскі');
    expect(result.script).toBe('cyrillic');
    expect(result.cyrillicLanguage).toBe('be');
    expect(result.tokens.map((t) => t.role)).toEqual(['given', 'patronymic', 'surname']);
  });

  it('returns stable error codes', () => {
    const code = (raw: unknown) => {
      const r = normalizeName(raw as string);
      return isNameError(r) ? r.code : 'ok';
    };
    expect(code('')).toBe('SVD_NAMES_EMPTY');
    expect(code('   \t\n ')).toBe('SVD_NAMES_EMPTY');
    expect(code('\u200b\ufeff')).toBe('SVD_NAMES_EMPTY');
    expect(code(undefined)).toBe('SVD_NAMES_EMPTY');
    expect(code(42)).toBe('SVD_NAMES_EMPTY');
    expect(code('Іван\u0000Пятровіч')).toBe('SVD_NAMES_CONTROL_CHARS');
    expect(code('Іван\u001b[31m')).toBe('SVD_NAMES_CONTROL_CHARS');
    expect(code('x'.repeat(MAX_NAME_LENGTH + 1))).toBe('SVD_NAMES_TOO_LONG');
    expect(code('Іван '.repeat(10_000))).toBe('SVD_NAMES_TOO_LONG');
    expect(code('12345 !!! ---')).toBe('SVD_NAMES_NO_LETTERS');
    expect(code('Іван\tКавалёў')).toBe('ok');
    expect(code('x'.repeat(MAX_NAME_LENGTH))).toBe('ok');
  });

  it('errors carry a message', () => {
    const r = normalizeName('');
    expect(isNameError(r) && r.message.length > 0).toBe(true);
  });

  it('never throws, on any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const r = normalizeName(s);
        expect(r === undefined).toBe(false);
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."АаІіЎўЯяЁё'’ IiAaOo-.,ЛУКАШЭНКА"), maxLength: 60 }),
        (s) => {
          const r = normalizeName(s);
          if (!isNameError(r)) {
            expect(r.tokens.length).toBeGreaterThan(0);
            for (const t of r.tokens) expect(t.text.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles 10,000-character garbage quickly', () => {
    const garbage = Array.from({ length: 10_000 }, (_, i) =>
      String.fromCharCode(32 + ((i * 2654435761) % 0x2fff)),
    ).join('');
    const started = performance.now();
    normalizeName(garbage);
    normalizeName(garbage.slice(0, MAX_NAME_LENGTH));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
