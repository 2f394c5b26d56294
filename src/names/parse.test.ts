import { describe, expect, it } from 'vitest';
import { type NameRole, parseName } from './parse.js';

function roles(text: string): Array<[string, NameRole]> {
  return parseName(text).tokens.map((t) => [t.text, t.role]);
}

describe('parseName', () => {
  it('Given Patronymic SURNAME (EU list layout)', () => {
    expect(roles('Aliaksandr Ryhoravich LUKASHENKA')).toEqual([
      ['Aliaksandr', 'given'],
      ['Ryhoravich', 'patronymic'],
      ['LUKASHENKA', 'surname'],
    ]);
    expect(parseName('Aliaksandr Ryhoravich LUKASHENKA').layout).toBe('given-first');
  });

  it('SURNAME, Given Patronymic (OFAC layout)', () => {
    const parsed = parseName('LUKASHENKA, Alyaksandr Hryhoryavich');
    expect(parsed.layout).toBe('comma');
    expect(parsed.tokens.map((t) => t.role)).toEqual(['surname', 'given', 'patronymic']);
    expect(parsed.tokens[0]!.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('Surname Given Patronymic (document order), Cyrillic, no upper case', () => {
    expect(roles('Кавалёў Сяргей Іванавіч')).toEqual([
      ['Кавалёў', 'surname'],
      ['Сяргей', 'given'],
      ['Іванавіч', 'patronymic'],
    ]);
    expect(roles('Ковалёв Сергей Иванович').map(([, r]) => r)).toEqual(['surname', 'given', 'patronymic']);
  });

  it('a surname ending like a patronymic stays a surname', () => {
    expect(roles('Бабрыковіч Аляксандр')).toEqual([
      ['Бабрыковіч', 'surname'],
      ['Аляксандр', 'given'],
    ]);
    expect(roles('Babrykovich Aliaksandr Ivanavich').map(([, r]) => r)).toEqual([
      'surname',
      'given',
      'patronymic',
    ]);
    expect(roles('Сідаровіч Ганна Пятроўна').map(([, r]) => r)).toEqual(['surname', 'given', 'patronymic']);
  });

  it('initials before or after the surname, with or without spaces', () => {
    expect(roles('A. G. Lukashenko')).toEqual([
      ['A.', 'initial'],
      ['G.', 'initial'],
      ['Lukashenko', 'surname'],
    ]);
    expect(roles('Лукашенко А.Г.')).toEqual([
      ['Лукашенко', 'surname'],
      ['А.', 'initial'],
      ['Г.', 'initial'],
    ]);
    expect(roles('A.G.Lukashenko').map(([, r]) => r)).toEqual(['initial', 'initial', 'surname']);
  });

  it('hyphenated surnames stay one token with parts', () => {
    const parsed = parseName('Іванова-Сідарэнка Вольга Пятроўна');
    expect(parsed.tokens[0]!.role).toBe('surname');
    expect(parsed.tokens[0]!.parts).toEqual(['Іванова', 'Сідарэнка']);
  });

  it('two tokens without signals: dictionary decides the order', () => {
    expect(roles('Petrash Ivan')).toEqual([
      ['Petrash', 'surname'],
      ['Ivan', 'given'],
    ]);
    expect(roles('Hanna Kavaliova')).toEqual([
      ['Hanna', 'given'],
      ['Kavaliova', 'surname'],
    ]);
  });

  it('an all-upper-case name does not make every token a surname', () => {
    expect(roles('КАВАЛЁЎ СЯРГЕЙ ІВАНАВІЧ').map(([, r]) => r)).toEqual(['surname', 'given', 'patronymic']);
  });

  it('confidence is in 0..1 and lower for guesses', () => {
    const sure = parseName('KAVALIOU, Siarhei Ivanavich').tokens;
    const guess = parseName('Xyzzy Plugh').tokens;
    for (const t of [...sure, ...guess]) {
      expect(t.confidence).toBeGreaterThan(0);
      expect(t.confidence).toBeLessThanOrEqual(1);
    }
    expect(Math.min(...sure.map((t) => t.confidence))).toBeGreaterThan(
      Math.max(...guess.map((t) => t.confidence)),
    );
  });

  it('ignores punctuation-only pieces and returns no tokens for no letters', () => {
    expect(roles('( Кавалёў ) - Сяргей').map(([t]) => t)).toEqual(['Кавалёў', 'Сяргей']);
    expect(parseName('12 34 !!').tokens).toEqual([]);
  });
});
