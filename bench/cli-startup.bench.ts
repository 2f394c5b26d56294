/**
 * Start-up of the compiled `sviedka` command against `node -e ''` (a bare Node start) measured in the
 * same run, interleaved round by round so load on the machine affects both alike. Goals (issue 9):
 * `--help` and `<command> --help` ≤ 0.3 s; a command on an existing embedded data directory ≤ 1 s (here
 * the whole `user list` and `evidence collections`, start to exit, which bounds their first query); `serve` answering /api/health
 * ≤ 2 s on an existing data directory and ≤ 5 s on an empty one (demo seeding included).
 * The last case runs without the build's embedded database template (initdb, as before it existed).
 * Prints the median wall time of each, its ratio to the baseline, and the load average (other work
 * on the machine skews the figures: read them with it).
 *
 * Usage: npx tsx bench/cli-startup.bench.ts [rounds=3]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServer, serverIsStale } from '../scripts/build.mjs';

const ROUNDS = Number(process.argv[2] ?? 3);
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'sviedka.js');
const temp = mkdtempSync(path.join(os.tmpdir(), 'sviedka-bench-cli-'));
const env = { ...process.env, SVIEDKA_LOG_LEVEL: 'warn', SVIEDKA_FROM_SOURCE: '' };

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Wall time of a process from spawn to exit. */
function timeRun(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(seconds(started)) : reject(new Error(`${args.join(' ')}: ${stderr}`)),
    );
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Wall time from spawning `serve` to the first 200 from /api/health. */
async function timeServe(dataDir: string): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [bin, '--data', dataDir, 'serve', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const found = /Listening on (http:\/\/\S+)/.exec(output);
        if (found) resolve(found[1]!);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
    });
    const health = await fetch(`${url}/api/health`);
    if (health.status !== 200) throw new Error(`/api/health answered ${health.status}`);
    return seconds(started);
  } finally {
    await stop(child);
  }
}

/** The same without the build's database template (initdb instead), for the template's gain. */
async function withoutTemplate(run: () => Promise<number>): Promise<number> {
  const stamp = path.join(root, 'dist', 'pglite-template.json');
  if (!existsSync(stamp)) return run();
  renameSync(stamp, `${stamp}.off`);
  try {
    return await run();
  } finally {
    renameSync(`${stamp}.off`, stamp);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

if (serverIsStale() && !buildServer()) throw new Error('the server does not compile');

// An existing data directory: made (with its demo content started) by a first serve, then reused.
const existing = path.join(temp, 'existing');
await timeServe(existing);

const cases: Array<[string, () => Promise<number>, number]> = [
  ["node -e ''", () => timeRun(['-e', '']), 0],
  ['sviedka --help', () => timeRun([bin, '--help']), 0.3],
  ['sviedka evidence add --help', () => timeRun([bin, 'evidence', 'add', '--help']), 0.3],
  [
    'sviedka user list (existing data directory)',
    () => timeRun([bin, '--data', existing, 'user', 'list']),
    1,
  ],
  // A command of an area (the vault and its start-up checks), on the demo's content.
  [
    'sviedka evidence collections (existing)',
    () => timeRun([bin, '--data', existing, 'evidence', 'collections']),
    1,
  ],
  ['serve → /api/health (existing data directory)', () => timeServe(existing), 2],
  [
    'serve → /api/health (empty data directory, demo)',
    () => timeServe(mkdtempSync(path.join(temp, 'empty-'))),
    5,
  ],
  [
    'serve → /api/health (empty, no template: initdb)',
    () => withoutTemplate(() => timeServe(mkdtempSync(path.join(temp, 'empty-')))),
    0,
  ],
];
const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
const loads: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  loads.push(os.loadavg()[0]!);
  for (const [name, run] of cases) times.get(name)!.push(await run());
}
rmSync(temp, { recursive: true, force: true });

const baseline = median(times.get("node -e ''")!);
console.log(
  `${ROUNDS} rounds; load average (1 min) at each round: ${loads.map((l) => l.toFixed(1)).join(', ')}; ${os.availableParallelism()} cores`,
);
for (const [name, , goal] of cases) {
  const value = median(times.get(name)!);
  const ratio = name.startsWith('node') ? '' : `  ×${(value / baseline).toFixed(1)} baseline`;
  const target = goal ? `  (goal ≤ ${goal} s${value <= goal ? ', met' : ', not met'})` : '';
  console.log(`${name.padEnd(50)} ${value.toFixed(2)} s${ratio}${target}`);
}
