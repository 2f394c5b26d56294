/**
 * The evidence CLI and crash behaviour, through real processes on embedded data directories:
 * add / show / import-dir / verify / export, a CLI killed while streaming a 100 MB file, and a server
 * killed in the middle of a resumable (tus) upload that then resumes.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, type FixturePaths } from '../../scripts/make-fixtures.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin', 'sviedka.js');
const env = { ...process.env, SVIEDKA_LOG_LEVEL: 'warn', DATABASE_URL: '' };

function cli(dataDir: string, args: string[]) {
  const result = spawnSync('node', [bin, '--data', dataDir, ...args], {
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function finalBlobs(dataDir: string): string[] {
  const base = path.join(dataDir, 'blobs');
  if (!existsSync(base)) return [];
  const out: string[] = [];
  for (const a of readdirSync(base)) {
    if (a === 'tmp') continue;
    for (const b of readdirSync(path.join(base, a))) out.push(...readdirSync(path.join(base, a, b)));
  }
  return out;
}

let fx: FixturePaths;
const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'svd-cli-'));
  dirs.push(dir);
  return dir;
}
beforeAll(async () => {
  fx = await ensureFixtures(undefined, { large: true });
}, 180_000);
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('evidence CLI', () => {
  it('adds, shows, imports, verifies and exports', () => {
    const data = dataDir();
    const added = cli(data, ['evidence', 'add', fx.jpeg, fx.mp4, '--source', 'test upload', '--json']);
    expect(added.status, added.stderr).toBe(0);
    const lines = added.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ mediaType: 'image/jpeg', duplicate: false });
    expect(lines[0].sha256).toBe(execFileSync('sha256sum', [fx.jpeg], { encoding: 'utf8' }).split(' ')[0]);
    expect(lines[1].mediaType).toBe('video/mp4');

    const shown = cli(data, ['evidence', 'show', lines[0].id, '--json']);
    expect(shown.status, shown.stderr).toBe(0);
    const item = JSON.parse(shown.stdout);
    expect(item.latitude).toBeCloseTo(53.9006, 4);
    expect(item.longitude).toBeCloseTo(27.559, 3);
    expect(item.captureTime).toBe('2024-08-09T21:15:30+03:00');
    expect(item.metadata[0].tool).toBe('exiftool');
    expect(item.custody.map((e: { action: string }) => e.action).slice(0, 2)).toEqual(['received', 'stored']);

    const seized = mkdtempSync(path.join(tmpdir(), 'svd-seized-'));
    dirs.push(seized);
    mkdirSync(path.join(seized, 'db', 'exports'), { recursive: true });
    writeFileSync(path.join(seized, 'db', 'exports', 'list.csv'), 'id,name\n1,Test Person\n');
    writeFileSync(path.join(seized, 'readme.txt'), 'seized test data\n');
    utimesSync(
      path.join(seized, 'readme.txt'),
      new Date('2021-03-04T05:06:07Z'),
      new Date('2021-03-04T05:06:07Z'),
    );
    const imported = cli(data, ['evidence', 'import-dir', seized, '--source', 'test server image', '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    const importedLines = imported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(importedLines.map((l: { relativePath: string }) => l.relativePath).sort()).toEqual([
      'db/exports/list.csv',
      'readme.txt',
    ]);
    const readme = importedLines.find((l: { relativePath: string }) => l.relativePath === 'readme.txt');
    const readmeItem = JSON.parse(cli(data, ['evidence', 'show', readme.id, '--json']).stdout);
    expect(readmeItem.acquisition).toMatchObject({
      relativePath: 'readme.txt',
      modifiedAt: '2021-03-04T05:06:07.000Z',
    });
    expect(readmeItem.channel).toBe('import');

    const verified = cli(data, ['evidence', 'verify', '--all']);
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/Evidence OK: 4 item/);

    const out = path.join(dataDir(), 'package');
    const exported = cli(data, [
      'evidence',
      'export',
      '--items',
      `${lines[0].id},${lines[1].id}`,
      '--out',
      out,
    ]);
    expect(exported.status, exported.stderr).toBe(0);
    const check = spawnSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: out, encoding: 'utf8' });
    expect(check.status, check.stdout).toBe(0);

    const bad = cli(data, ['evidence', 'show', 'not-a-uuid']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^sviedka: .*SVD_HTTP_VALIDATION/);
  }, 180_000);

  it('a CLI killed while storing a 100 MB file leaves no record and no final blob', async () => {
    const data = dataDir();
    expect(cli(data, ['migrate']).status).toBe(0);
    const child = spawn('node', [bin, '--data', data, 'evidence', 'add', fx.large!, '--no-process'], {
      env,
      stdio: 'ignore',
    });
    const tmp = path.join(data, 'blobs', 'tmp');
    const deadline = Date.now() + 60_000;
    for (;;) {
      const parts = existsSync(tmp) ? readdirSync(tmp).filter((name) => name.endsWith('.part')) : [];
      if (parts.some((name) => statSync(path.join(tmp, name)).size > 10 * 1024 * 1024)) break;
      if (Date.now() > deadline) throw new Error('the upload did not start');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(finalBlobs(data)).toEqual([]);
    // The next start sweeps the temporary file; there is no item.
    const verified = cli(data, ['evidence', 'verify', '--all', '--json']);
    expect(verified.status, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout).items).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
    expect(finalBlobs(data)).toEqual([]);
  }, 180_000);
});

function startServer(data: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('node', [bin, '--data', data, 'serve', '--port', '0', '--no-demo', '--no-workers'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const match = /Listening on (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('resumable upload', () => {
  it('a server killed mid-upload leaves no record and no final blob, and the upload resumes', async () => {
    const data = dataDir();
    const key = cli(data, [
      'apikey',
      'create',
      '--name',
      'uploader',
      '--org',
      'Test Org',
      '--scopes',
      'evidence:submit',
    ]);
    expect(key.status, key.stderr).toBe(0);
    const secret = /Secret \(shown once\): (\S+)/.exec(key.stdout)![1]!;
    const file = Buffer.alloc(24 * 1024 * 1024);
    for (let i = 0; i < file.length; i += 4) file.writeUInt32LE((i * 2654435761) >>> 0, i);
    const headers = { authorization: `Bearer ${secret}`, 'tus-resumable': '1.0.0' };

    let server = await startServer(data);
    const created = await request(`${server.url}/api/evidence/tus`, 'POST', {
      ...headers,
      'upload-length': String(file.length),
      'upload-metadata': `filename ${Buffer.from('long-video.bin').toString('base64')}`,
    });
    expect(created.status).toBe(201);
    const location = new URL(String(created.headers.location), server.url).pathname;

    // Send the first 8 MB and keep the request open; kill the server while it is receiving.
    const patch = http.request(`${server.url}${location}`, {
      method: 'PATCH',
      headers: { ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    });
    patch.on('error', () => {});
    patch.write(file.subarray(0, 8 * 1024 * 1024));
    const uploads = path.join(data, 'uploads', 'tus');
    const deadline = Date.now() + 30_000;
    while (
      !(
        existsSync(uploads) &&
        readdirSync(uploads).some(
          (name) => !name.endsWith('.json') && statSync(path.join(uploads, name)).size > 1024 * 1024,
        )
      )
    ) {
      if (Date.now() > deadline) throw new Error('no bytes reached the server');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    server.child.kill('SIGKILL');
    await new Promise((resolve) => server.child.once('exit', resolve));
    patch.destroy();
    expect(finalBlobs(data)).toEqual([]);
    const none = cli(data, ['evidence', 'verify', '--all', '--json']);
    expect(JSON.parse(none.stdout).items).toBe(0);

    server = await startServer(data);
    try {
      const head = await request(`${server.url}${location}`, 'HEAD', headers);
      expect(head.status).toBe(200);
      const offset = Number(head.headers['upload-offset']);
      expect(offset).toBeGreaterThan(0);
      expect(offset).toBeLessThan(file.length);
      const done = await request(
        `${server.url}${location}`,
        'PATCH',
        { ...headers, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        file.subarray(offset),
      );
      expect(done.status).toBe(204);
      expect(done.headers['upload-sha256']).toBe(createHash('sha256').update(file).digest('hex'));
      const itemId = String(done.headers['upload-evidence-id']);
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
      const shown = JSON.parse(cli(data, ['evidence', 'show', itemId, '--json']).stdout);
      expect(shown.size).toBe(file.length);
      expect(shown.fileName).toBe('long-video.bin');
      expect(finalBlobs(data)).toEqual([shown.sha256]);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 240_000);
});
