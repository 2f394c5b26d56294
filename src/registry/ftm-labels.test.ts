/** Every FtM property the registry stores has a label in every interface language, and the web app knows which are countries. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FTM_SCHEMATA } from './ftm-schema.js';

const properties = new Map<string, string>();
for (const schema of FTM_SCHEMATA.values())
  for (const [name, spec] of Object.entries(schema.properties)) properties.set(name, spec.type);

describe('FtM property labels in the web app', () => {
  it.each(['be', 'ru', 'en'])('label every property in %s', (language) => {
    const labels = JSON.parse(
      readFileSync(new URL(`../../web/src/i18n/${language}/ftm.json`, import.meta.url), 'utf8'),
    ).properties as Record<string, string>;
    expect([...properties.keys()].filter((name) => !labels[name]?.trim())).toEqual([]);
  });

  it('show every country-typed property as a country name', () => {
    const countries = [...properties].filter(([, type]) => type === 'country').map(([name]) => name);
    // The web module's list, read as text (the server's type-check does not load the web app's React types).
    const source = readFileSync(new URL('../../web/src/registry/ftm-labels.ts', import.meta.url), 'utf8');
    const listed = /COUNTRY_PROPERTIES[^=]*= new Set\(\[([^\]]*)\]/.exec(source)![1]!;
    expect([...listed.matchAll(/'(\w+)'/g)].map((m) => m[1]).sort()).toEqual(countries.sort());
  });
});
