import { describe, expect, it } from 'vitest';
import { countryName } from './ftm-labels.js';

describe('country names', () => {
  it('name countries in the interface language and keep codes no locale knows', () => {
    expect(countryName('by', 'be')).toBe('Беларусь');
    expect(countryName('BY', 'ru')).toBe('Беларусь');
    expect(countryName('lt', 'en')).toBe('Lithuania');
    expect(countryName('suhh', 'be')).toBe('suhh');
  });
});
