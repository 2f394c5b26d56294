import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** exiftool's own reading of `tags` (with -n, so numbers as numbers), to compare our summaries against. */
export function exiftoolDirect(path: string, tags: string[] = []): Record<string, unknown> {
  const out = execFileSync('exiftool', ['-json', '-n', ...tags.map((t) => `-${t}`), path], {
    encoding: 'utf8',
  });
  return (JSON.parse(out) as Record<string, unknown>[])[0]!;
}

/** Every tag exiftool finds, with group names, for checking that nothing identifying survived. */
export function exiftoolAll(path: string): Record<string, unknown> {
  const out = execFileSync('exiftool', ['-json', '-G1', '-a', '-u', path], { encoding: 'utf8' });
  return (JSON.parse(out) as Record<string, unknown>[])[0]!;
}

/** A fresh temporary directory for one test file's outputs. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sviedka-${prefix}-`));
}
