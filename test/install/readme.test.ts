/**
 * The README's server commands, run as written: "Running on PostgreSQL" (create the database, `keys init`,
 * `serve` answering /api/health) and "Production install" (prune the development packages, then `serve`
 * answers /api/health and serves the built web app from what is left).
 *
 * What the test changes in the commands, and why:
 * - the database name (`sviedka`) becomes one of this run's databases, dropped at the end, and
 *   `/etc/sviedka` becomes a temporary directory: a test must not touch a shared database or /etc;
 * - the environment adds `SVIEDKA_PORT=0` (a free port) and a temporary `SVIEDKA_DATA_DIR`;
 * - in the production install, `npm ci` and `npm run build` are this checkout's own install and build
 *   (made from the same lock file; a fresh `npm ci` takes minutes): the test copies the checkout, links
 *   its node_modules into the copy, and runs `npm prune --omit=dev` and `serve` there as written.
 * A slow test (a copy of node_modules, a real prune, two server starts): one file, run on its own.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildServer, serverIsStale } from '../../scripts/build.mjs';
import { buildWeb, webIsStale } from '../../scripts/start.mjs';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const postgres = inject('postgresTemplate') !== '';
const temp = mkdtempSync(path.join(inject('sviedkaTmpRoot'), 'readme-'));
const servers: ChildProcess[] = [];
afterAll(() => {
  for (const server of servers) stopServer(server);
  rmSync(temp, { recursive: true, force: true });
});

/** The lines of the first `sh` block under a README heading. */
function commandsUnder(heading: string): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(`\n## ${heading}\n`));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error(`README has no sh block under "${heading}"`);
  return block[1]!.split('\n').filter((line) => line.trim() !== '');
}

let databases = 0;
/** The README's command with this run's database and key directory in place of the documented ones. */
function localize(commands: string[]): { commands: string[]; keyFile: string } {
  const database = `sviedka_test_${inject('sviedkaRunId')}_readme_${databases++}`;
  const keyDir = path.join(temp, `etc-${databases}`);
  return {
    commands: commands.map((line) =>
      line
        .replace(/^(createdb .*) sviedka$/, `$1 ${database}`)
        .replace(/(postgres:\/\/[^\s/]+)\/sviedka\b/g, `$1/${database}`)
        .replaceAll('/etc/sviedka', keyDir),
    ),
    keyFile: path.join(keyDir, 'master.key'),
  };
}

function environment(dataDir: string): NodeJS.ProcessEnv {
  return { ...process.env, SVIEDKA_PORT: '0', SVIEDKA_DATA_DIR: dataDir, SVIEDKA_LOG_LEVEL: 'warn' };
}

async function shell(line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run('sh', ['-c', line], { cwd, env, timeout: 180_000 });
  return stdout;
}

/** Starts the README's `serve` line and resolves with the address it prints. */
function startServer(
  line: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; output: () => string }> {
  const child = spawn('sh', ['-c', line], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  servers.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /Listening on (http:\/\/\S+)/.exec(output);
      if (found) resolve({ url: found[1]!, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

function stopServer(child: ChildProcess): void {
  if (child.exitCode === null && child.pid) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  }
}

describe.skipIf(!postgres)('README commands', () => {
  it('Running on PostgreSQL: keys init, then serve answers /api/health', { timeout: 180_000 }, async () => {
    const { commands, keyFile } = localize(commandsUnder('Running on PostgreSQL'));
    const serveLine = commands.pop()!;
    expect(serveLine).toMatch(/sviedka serve/);
    const env = environment(path.join(temp, 'data-postgres'));
    for (const line of commands) await shell(line, root, env);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // Running `keys init` again must refuse and leave the key as it was.
    const key = readFileSync(keyFile, 'utf8');
    const initLine = commands.find((line) => line.includes('keys init'))!;
    await expect(shell(initLine, root, env)).rejects.toThrow(/SVD_CRYPTO_KEY_FILE_EXISTS/);
    expect(readFileSync(keyFile, 'utf8')).toBe(key);

    const server = await startServer(serveLine, root, env);
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(server.output()).toMatch(/database: postgres:\/\//);
    stopServer(servers.at(-1)!);
  });

  it('Production install: after npm prune --omit=dev, serve runs dist/ and serves the web app', {
    timeout: 300_000,
  }, async () => {
    // `npm ci` and `npm run build` stand for this checkout's install and build.
    if (serverIsStale()) expect(buildServer()).toBe(true);
    if (webIsStale()) expect(buildWeb()).toBe(true);
    const copy = path.join(temp, 'install');
    const { stdout: tracked } = await run('git', ['ls-files', '-z'], { cwd: root, maxBuffer: 16 << 20 });
    for (const file of tracked.split('\0').filter(Boolean)) {
      if (!existsSync(path.join(root, file))) continue;
      mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      cpSync(path.join(root, file), path.join(copy, file), { preserveTimestamps: true });
    }
    for (const built of ['dist', 'web/dist'])
      cpSync(path.join(root, built), path.join(copy, built), { recursive: true, preserveTimestamps: true });
    const modules = realpathSync(path.join(root, 'node_modules'));
    try {
      await run('cp', ['-al', modules, path.join(copy, 'node_modules')]);
    } catch {
      await run('cp', ['-a', modules, path.join(copy, 'node_modules')]);
    }
    // npm rewrites its record of the tree: give the copy its own file instead of a link to ours.
    const record = path.join(copy, 'node_modules', '.package-lock.json');
    if (existsSync(record)) {
      unlinkSync(record);
      copyFileSync(path.join(modules, '.package-lock.json'), record);
    }

    const { commands } = localize([
      ...commandsUnder('Production install'),
      ...commandsUnder('Running on PostgreSQL').slice(0, -1),
    ]);
    expect(commands.slice(0, 3)).toEqual(['npm ci', 'npm run build', 'npm prune --omit=dev']);
    const env = environment(path.join(temp, 'data-install'));
    await shell(commands[2]!, copy, env);
    for (const gone of ['vite', 'react', 'typescript', 'tsx', '@mantine/core', 'vitest'])
      expect(existsSync(path.join(copy, 'node_modules', gone)), gone).toBe(false);
    // The database and the key file, made as the section above says, by the pruned install.
    for (const line of commands.slice(4)) await shell(line, copy, env);
    const server = await startServer(commands[3]!, copy, env);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(server.output()).not.toMatch(/changed since the last build|not built/);
    stopServer(servers.at(-1)!);
  });
});
