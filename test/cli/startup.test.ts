/**
 * The CLI start-up contract: `sviedka --help` and every `<command> --help` parse their arguments
 * without loading the runtime, an area, or any package but commander. Command code loads only when
 * the command runs (see src/cli/program.ts). Runs the sources (through tsx) with a loader hook that
 * records every module loaded.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const temp = mkdtempSync(path.join(os.tmpdir(), 'sviedka-startup-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Modules of ours a declaration may load: the CLI's light part and dependency-free platform files. */
const allowedPlatformFiles = [
  'platform/errors.ts',
  'platform/package-info.ts',
  'platform/auth/roles.ts',
  'platform/text-safety.ts',
];

let runs = 0;
async function loadedBy(args: string[]): Promise<{ stdout: string; modules: string[] }> {
  const log = path.join(temp, `imports-${runs++}.log`);
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--import', './test/support/import-recorder.mjs', 'src/cli/main.ts', ...args],
    { cwd: root, env: { ...process.env, SVIEDKA_IMPORT_LOG: log }, timeout: 60_000 },
  );
  const modules = readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => path.relative(root, fileURLToPath(url)).split(path.sep).join('/'));
  return { stdout, modules };
}

function expectLight(modules: string[]) {
  const ours = modules.filter((file) => file.startsWith('src/')).map((file) => file.slice(4));
  expect(ours).toContain('cli/main.ts');
  const heavy = ours.filter(
    (file) =>
      !allowedPlatformFiles.includes(file) &&
      (!file.startsWith('cli/') || file.endsWith('-actions.ts') || file === 'cli/context.ts'),
  );
  expect(heavy, 'modules of ours loaded before a command runs').toEqual([]);
  expect(ours).not.toContain('runtime.ts');
  const packages = new Set(
    modules
      .filter((file) => file.includes('node_modules/'))
      .map((file) => file.split('node_modules/').pop()!.split('/').slice(0, 2).join('/'))
      .map((name) => (name.startsWith('@') ? name : name.split('/')[0]!)),
  );
  packages.delete('tsx');
  expect([...packages], 'packages loaded before a command runs').toEqual(['commander']);
}

describe('sviedka start-up', () => {
  it('--help lists the commands without loading the runtime, an area or a heavy package', {
    timeout: 60_000,
  }, async () => {
    const { stdout, modules } = await loadedBy(['--help']);
    expect(stdout).toMatch(/^Usage: sviedka/);
    for (const command of ['serve', 'migrate', 'user', 'evidence', 'import', 'screen', 'bot', 'broadcast'])
      expect(stdout).toContain(command);
    expectLight(modules);
  });

  it('every <command> --help is as light', { timeout: 300_000 }, async () => {
    const { stdout } = await loadedBy(['--help']);
    const commands = [...stdout.split('Commands:')[1]!.matchAll(/^ {2}([a-z][a-z-]*)/gm)]
      .map((match) => match[1]!)
      .filter((command) => command !== 'help');
    expect(commands.length).toBeGreaterThan(8);
    for (const command of commands) {
      const { stdout: help, modules } = await loadedBy([command, '--help']);
      expect(help, command).toMatch(new RegExp(`^Usage: sviedka ${command}`));
      expectLight(modules);
    }
  });

  it('a command loads its code when it runs', { timeout: 120_000 }, async () => {
    const { modules } = await loadedBy(['evidence', 'recipient-keys']);
    expect(modules).toContain('src/cli/evidence-actions.ts');
  });

  it('a command on a data directory loads only the areas it works on', { timeout: 180_000 }, async () => {
    const data = path.join(temp, 'data');
    // A fresh directory: the command creates the database, then lists its (no) users.
    const { modules } = await loadedBy(['--data', data, 'user', 'list']);
    expect(modules).toContain('src/runtime.ts');
    // No area is built: none of their entry points, services or stores loads (the error catalogue
    // still reads each area's error codes).
    const areaCode = modules.filter((file) =>
      /^src\/(evidence|incidents|registry|screening|xref|datasets|bot|sanctions|cases)\/(index|service|store|routes)\.ts$/.test(
        file,
      ),
    );
    expect(areaCode, 'area code loaded by user list').toEqual([]);
    // The packages of media, uploads, exports, reports and list imports load where they are used.
    const heavy = [
      'sharp',
      'file-type',
      '@tus/server',
      'yazl',
      'pdfkit',
      'saxes',
      'fastify',
      'grammy',
      'exceljs',
    ];
    expect(heavy.filter((name) => modules.some((file) => file.includes(`node_modules/${name}/`)))).toEqual(
      [],
    );
  });
});
