/** A new embedded database directory is filled from the build's template only when the template fits. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pgliteVersion, seedFromTemplate, templateStamp } from './pglite-template.js';

function fakeTemplate(stamp: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'svd-template-'));
  const template = path.join(root, 'pglite-template');
  mkdirSync(path.join(template, 'base'), { recursive: true });
  writeFileSync(path.join(template, 'PG_VERSION'), '17\n');
  writeFileSync(path.join(template, 'base', 'file'), 'cluster');
  writeFileSync(`${template}.json`, stamp);
  return template;
}

describe('embedded database template', () => {
  it('copies a template made by the installed PGlite into a new database directory', () => {
    const template = fakeTemplate(templateStamp());
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'svd-data-')), 'db');
    expect(seedFromTemplate(dir, template)).toBe(true);
    expect(readFileSync(path.join(dir, 'base', 'file'), 'utf8')).toBe('cluster');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(path.dirname(dir))).toEqual(['db']);
    // A directory that holds anything is never replaced.
    writeFileSync(path.join(dir, 'PG_VERSION'), 'mine');
    expect(seedFromTemplate(dir, template)).toBe(false);
    expect(readFileSync(path.join(dir, 'PG_VERSION'), 'utf8')).toBe('mine');
  });

  it('ignores a template of another PGlite version, or none', () => {
    expect(pgliteVersion()).toMatch(/^\d+\.\d+\.\d+/);
    const other = fakeTemplate(JSON.stringify({ pglite: '0.0.1' }));
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'svd-data-')), 'db');
    expect(seedFromTemplate(dir, other)).toBe(false);
    expect(seedFromTemplate(dir, path.join(os.tmpdir(), 'no-such-template'))).toBe(false);
    expect(readdirSync(path.dirname(dir))).toEqual([]);
  });
});
