/**
 * The error catalogue: every area's codes are registered, well formed and unique; an unknown code
 * fails to compile (and, if forced, to construct); docs/errors.md is what `npm run docs:errors` writes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorDocsFile, renderErrorDocs } from '../scripts/error-docs.js';
import { errorCatalogue } from '../src/error-catalogue.js';
import { AppError, errorCatalogue as registered } from '../src/platform/errors.js';

describe('error catalogue', () => {
  it('registers every code of every area once, each SVD_<AREA>_<WHAT> with a status and a message', () => {
    const codes = Object.keys(errorCatalogue);
    expect([...registered().keys()].sort()).toEqual([...codes].sort());
    for (const [code, { status, message }] of Object.entries(errorCatalogue)) {
      expect(code).toMatch(/^SVD_[A-Z0-9]+_[A-Z0-9_]+$/);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      expect(message.trim(), code).not.toBe('');
    }
  });

  it('refuses a code no catalogue defines, at compile time and at run time', () => {
    expect(new AppError('SVD_HTTP_NOT_FOUND').status).toBe(404);
    // @ts-expect-error: a typo in a code is a type error
    expect(() => new AppError('SVD_HTTP_NOT_FUOND')).toThrow(/Unknown error code/);
  });

  it('docs/errors.md is up to date (npm run docs:errors)', () => {
    expect(readFileSync(errorDocsFile, 'utf8'), 'docs/errors.md is stale: run `npm run docs:errors`').toBe(
      renderErrorDocs(),
    );
  });
});
