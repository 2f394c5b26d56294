import { describe, expect, it } from 'vitest';
import { isNameError } from './errors.js';
import { type NameForms, nameForms } from './forms.js';
import { normalizeName } from './normalize-name.js';

function forms(raw: string): NameForms {
  const result = nameForms(raw);
  if (isNameError(result)) throw new Error(result.code);
  return result;
}

describe('nameForms', () => {
  it('Belarusian Cyrillic input: BE romanizations, the Russian form and its romanizations', () => {
    const f = forms('Лукашэнка Аляксандр Рыгоравіч');
    const texts = f.full.map((x) => x.text);
    expect(texts).toContain('Lukashenka Aliaksandr Ryhoravich');
    expect(texts).toContain('Лукашенко Александр Григорьевич');
    expect(texts).toContain('Lukashenko Aleksandr Grigorevich');
    expect(texts).toContain('Lukasjenka Aljaksandr Ryhoravitj');
    expect(texts).toContain('Lukasjenko Aleksandr Grigorjevitj');
    const ru = f.full.find((x) => x.text === 'Лукашенко Александр Григорьевич')!;
    expect(ru.rule).toBe('equivalence:be-ru');
    expect(ru.viaEquivalence).toBe(true);
    const icao = f.full.find((x) => x.text === 'Lukashenka Aliaksandr Ryhoravich')!;
    expect(icao.rule).toBe('scheme:icao-be');
    expect(icao.viaEquivalence).toBe(false);
    expect(f.full.some((x) => x.rule === 'skeleton')).toBe(true);
    expect(f.full.some((x) => x.rule === 'phonetic')).toBe(true);
  });

  it('Russian Cyrillic input gives the Belarusian form', () => {
    const f = forms('Ковалёв Сергей Иванович');
    const texts = f.full.map((x) => x.text);
    // Unstressed о → а (akanne) cannot be derived without stress: Ковалёў, not Кавалёў.
    expect(texts).toContain('Ковалёў Сяргей Іванавіч');
    expect(texts).toContain('Kovaliou Siarhei Ivanavich');
    expect(texts).toContain('Kovalev Sergei Ivanovich');
  });

  it('Latin input: Cyrillic forms reversed through the dictionary, per token', () => {
    const f = forms('Aliaksandr Ryhoravich KAVALIOU');
    const given = f.tokens[0]!;
    expect(given.role).toBe('given');
    const cyr = given.forms.filter((x) => x.script === 'cyrillic').map((x) => x.text);
    expect(cyr).toContain('Аляксандр');
    expect(cyr).toContain('Александр');
    expect(given.forms.find((x) => x.text === 'Аляксандр')!.rule).toBe('scheme:icao-be');
    expect(given.forms.find((x) => x.text === 'Александр')!.rule).toBe('equivalence:be-ru');
    const patronymic = f.tokens[1]!.forms.map((x) => x.text);
    expect(patronymic).toContain('Рыгоравіч');
    expect(patronymic).toContain('Григорьевич');
    const full = f.full.map((x) => x.text);
    expect(full).toContain('Aleksandr Grigorevich KAVALIOV');
  });

  it('tags every form with a rule', () => {
    const f = forms('Іван Кавалёў');
    for (const form of [...f.full, ...f.tokens.flatMap((t) => t.forms)]) {
      expect(form.rule).toMatch(/^(exact|scheme:[a-z0-9-]+|equivalence:be-ru|skeleton|phonetic)$/);
    }
  });

  it('accepts a NormalizedName and passes errors through', () => {
    const normalized = normalizeName('Ганна Сідарэнка');
    if (isNameError(normalized)) throw new Error('unexpected');
    expect(forms(normalized.original).full.length).toBeGreaterThan(5);
    const direct = nameForms(normalized);
    expect(isNameError(direct)).toBe(false);
    const error = nameForms('   ');
    expect(isNameError(error) && error.code).toBe('SVD_NAMES_EMPTY');
  });
});
