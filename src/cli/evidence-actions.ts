/** What the commands declared in `evidence.ts` do (loaded when one of them runs). */
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { decryptPackage, exportToPath } from '../evidence/index.js';
import { generateSealKeyPair } from '../platform/crypto.js';
import { AppError, isAppError } from '../platform/errors.js';
import type { Runtime } from '../runtime.js';
import { cliPrincipal, configFrom, progress, withRuntime } from './context.js';

function evidenceOf(runtime: Runtime<'evidence'>) {
  return runtime.areas.evidence;
}

const uuid = z.string().uuid();
function checkId(value: string, what = 'id'): string {
  if (!uuid.safeParse(value).success)
    throw new AppError('SVD_HTTP_VALIDATION', { message: `${what} must be a UUID: ${value}` });
  return value;
}

/** What an import walk meets: a regular file to take in, or something it skips and why. */
type Walked = { file: string } | { skipped: string; reason: string };

/**
 * Every regular file under `dir`, in name order. Symbolic links are not followed (they could lead out
 * of the seized data, or loop); FIFOs, sockets and devices hold no file; unreadable files and
 * directories cannot be taken in: each is reported, never passed over in silence.
 */
async function* walk(dir: string): AsyncGenerator<Walked> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    yield {
      skipped: dir,
      reason: `unreadable directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) yield { skipped: full, reason: 'symbolic link (not followed)' };
    else if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFIFO()) yield { skipped: full, reason: 'FIFO' };
    else if (entry.isSocket()) yield { skipped: full, reason: 'socket' };
    else if (entry.isBlockDevice() || entry.isCharacterDevice()) yield { skipped: full, reason: 'device' };
    else if (!entry.isFile()) yield { skipped: full, reason: 'not a regular file' };
    else
      try {
        await access(full, constants.R_OK);
        yield { file: full };
      } catch (error) {
        yield { skipped: full, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
      }
  }
}

/** The id of a collection named `name`, or a clear error listing what exists. */
async function collectionId(runtime: Runtime<'evidence'>, name: string): Promise<string> {
  const collections = await evidenceOf(runtime).compartments.listCollections(cliPrincipal());
  const found = collections.find((c) => c.name === name || c.id === name);
  if (!found)
    throw new AppError('SVD_EVIDENCE_COLLECTION_UNKNOWN', {
      message: `There is no collection named "${name}". Collections: ${collections.map((c) => c.name).join(', ')}.`,
    });
  return found.id;
}

/** Runs the processing jobs queued by intake, so `add` returns with metadata and previews made. */
async function processNow(runtime: Runtime<'evidence'>): Promise<number> {
  return runtime.jobs.drain();
}

export async function add(
  files: string[],
  opts: {
    incident?: string;
    source?: string;
    note?: string;
    collection?: string;
    json?: boolean;
    process: boolean;
  },
  command: Command,
): Promise<void> {
  if (opts.incident) checkId(opts.incident, 'incident');
  await withRuntime(configFrom(command), ['evidence'], async (runtime) => {
    const area = evidenceOf(runtime);
    const collection = opts.collection ? await collectionId(runtime, opts.collection) : undefined;
    for (const file of files) {
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile())
        throw new AppError('SVD_HTTP_VALIDATION', { message: `${file} is not a readable file` });
      const result = await area.intake({
        stream: createReadStream(file),
        fileName: path.basename(file),
        channel: 'cli',
        actor: cliPrincipal(),
        ...(opts.source ? { sourceLabel: opts.source } : {}),
        ...(opts.note ? { note: opts.note } : {}),
        ...(opts.incident ? { incidentId: opts.incident } : {}),
        ...(collection ? { collection } : {}),
      });
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ id: result.itemId, sha256: result.sha256, size: result.size, mediaType: result.mediaType, duplicate: result.duplicate, file })}\n`,
        );
      } else {
        process.stdout.write(
          `${result.itemId}  ${result.sha256}  ${file}${result.duplicate ? '  (already stored)' : ''}\n`,
        );
      }
    }
    if (opts.process) await processNow(runtime);
  });
}

export async function importDir(
  dir: string,
  opts: { source: string; incident?: string; collection?: string; json?: boolean; process: boolean },
  command: Command,
): Promise<void> {
  if (opts.incident) checkId(opts.incident, 'incident');
  const root = path.resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory())
    throw new AppError('SVD_HTTP_VALIDATION', { message: `${dir} is not a directory` });
  await withRuntime(configFrom(command), ['evidence'], async (runtime) => {
    const area = evidenceOf(runtime);
    const collection = opts.collection ? await collectionId(runtime, opts.collection) : undefined;
    const bar = opts.json ? undefined : progress('Importing', undefined);
    let count = 0;
    let duplicates = 0;
    const skipped: Array<{ relativePath: string; reason: string }> = [];
    const relativeOf = (file: string) => path.relative(root, file).split(path.sep).join('/') || '.';
    const skip = (file: string, reason: string) => {
      const entry = { relativePath: relativeOf(file), reason };
      skipped.push(entry);
      if (opts.json)
        process.stdout.write(`${JSON.stringify({ skipped: entry.relativePath, reason: entry.reason })}\n`);
    };
    for await (const walked of walk(root)) {
      if ('skipped' in walked) {
        skip(walked.skipped, walked.reason);
        continue;
      }
      const file = walked.file;
      const times = await stat(file);
      const relativePath = relativeOf(file);
      const result = await area
        .intake({
          stream: createReadStream(file),
          fileName: path.basename(file),
          channel: 'import',
          sourceLabel: opts.source,
          actor: cliPrincipal(),
          acquisition: {
            relativePath,
            importRoot: path.basename(root),
            size: times.size,
            modifiedAt: times.mtime.toISOString(),
            accessedAt: times.atime.toISOString(),
            changedAt: times.ctime.toISOString(),
            ...(times.birthtimeMs > 0 ? { createdAt: times.birthtime.toISOString() } : {}),
            mode: `0${(times.mode & 0o7777).toString(8)}`,
          },
          ...(opts.incident ? { incidentId: opts.incident } : {}),
          ...(collection ? { collection } : {}),
        })
        .catch((error: unknown) => {
          // A file that cannot be read (an I/O error, a permission the walk could not foresee): reported.
          if (isAppError(error, 'SVD_BLOB_INPUT')) return undefined;
          throw error;
        });
      if (!result) {
        skip(file, 'unreadable (read failed)');
        continue;
      }
      count++;
      if (result.duplicate) duplicates++;
      if (opts.json)
        process.stdout.write(
          `${JSON.stringify({ id: result.itemId, sha256: result.sha256, size: result.size, mediaType: result.mediaType, duplicate: result.duplicate, relativePath })}\n`,
        );
      bar?.update(count);
    }
    bar?.stop();
    if (opts.process) await processNow(runtime);
    if (!opts.json) {
      for (const entry of skipped)
        process.stdout.write(`skipped  ${entry.relativePath}  (${entry.reason})\n`);
      process.stdout.write(
        `Imported ${count} file(s), ${duplicates} already stored${skipped.length ? `, ${skipped.length} skipped (listed above)` : ''}.\n`,
      );
    }
  });
}

export async function show(id: string, opts: { json?: boolean }, command: Command): Promise<void> {
  checkId(id);
  await withRuntime(configFrom(command), ['evidence'], async (runtime) => {
    const item = await evidenceOf(runtime).items.show(cliPrincipal(), id);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(item, null, 2)}\n`);
      return;
    }
    const lines = [
      `Item ${item.id}`,
      `  SHA-256   ${item.sha256}`,
      `  size      ${item.size} bytes, ${item.mediaType} (${item.kind})`,
      `  received  ${item.receivedAt} via ${item.channel}${item.sourceLabel ? ` (${item.sourceLabel})` : ''}`,
      `  captured  ${item.captureTime ?? '-'}`,
      `  GPS       ${item.latitude !== null ? `${item.latitude}, ${item.longitude}` : '-'}`,
      `  collection ${item.collectionName}`,
      `  codes     ${item.codes.join(', ') || '-'}`,
      `  duplicates ${item.possibleDuplicates.map((d) => `${d.itemId} (distance ${d.distance})`).join(', ') || '-'}`,
      'Metadata records:',
      ...item.metadata.map((m) => `  ${m.tool} ${m.toolVersion}: ${JSON.stringify(m.summary)}`),
      'Processing:',
      ...item.processing.map(
        (p) => `  ${p.step} ${p.outcome}${p.code ? ` [${p.code}]` : ''}${p.message ? `: ${p.message}` : ''}`,
      ),
      'Custody:',
      ...item.custody.map(
        (e) => `  #${e.seq} ${e.at} ${e.action} by ${e.actor.label ?? e.actor.type} ${e.hash.slice(0, 16)}`,
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

export async function verify(
  id: string | undefined,
  opts: { all?: boolean; json?: boolean },
  command: Command,
): Promise<void> {
  if (!id && !opts.all) throw new AppError('SVD_HTTP_VALIDATION', { message: 'give an item id or --all' });
  if (id) checkId(id);
  await withRuntime(configFrom(command), ['evidence'], async (runtime) => {
    const bar = opts.json || id ? undefined : progress('Verifying', undefined);
    const report = await evidenceOf(runtime).verifier.verify(cliPrincipal(), {
      ...(id ? { itemId: id } : {}),
      onProgress: (done) => bar?.update(done),
    });
    bar?.stop();
    if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      for (const problem of report.problems)
        process.stdout.write(`item ${problem.itemId}: ${problem.problem}\n`);
      if (report.ok)
        process.stdout.write(`Evidence OK: ${report.items} item(s), blobs and custody chains verified.\n`);
    }
    if (!report.ok)
      throw new AppError('SVD_EVIDENCE_VERIFY_FAILED', {
        message: `Verification FAILED: ${report.problems.length} problem(s) in ${report.items} item(s).`,
      });
  });
}

export async function exportPackage(
  opts: { incident?: string; items?: string; out: string; recipientKey?: string; purpose?: string },
  command: Command,
): Promise<void> {
  const itemIds = (opts.items ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((value) => checkId(value, 'item'));
  if (opts.incident) checkId(opts.incident, 'incident');
  await withRuntime(configFrom(command), ['evidence'], async (runtime) => {
    const result = await exportToPath(
      evidenceOf(runtime).exportVault,
      cliPrincipal(),
      {
        ...(opts.incident ? { incidentId: opts.incident } : {}),
        ...(itemIds.length ? { itemIds } : {}),
        ...(opts.recipientKey ? { recipientKey: opts.recipientKey } : {}),
        ...(opts.purpose ? { purpose: opts.purpose } : {}),
      },
      opts.out,
    );
    await runtime.audit.record({
      actor: cliPrincipal(),
      action: 'evidence.export',
      target: { type: 'evidence_export', id: result.exportId },
      details: {
        items: result.items,
        encrypted: Boolean(opts.recipientKey),
        incidentId: opts.incident ?? null,
      },
    });
    process.stdout.write(
      `Exported ${result.items} item(s) to ${result.path} (package ${result.exportId}).\n${
        opts.recipientKey
          ? 'Encrypted to the recipient key; open with `sviedka evidence open-package`.\n'
          : 'Check it with: sha256sum -c manifest-sha256.txt (inside the package directory)\n'
      }`,
    );
  });
}

export async function listCollections(opts: { json?: boolean }, command: Command): Promise<void> {
  await withRuntime(configFrom(command), ['evidence'], async (runtime) => {
    const collections = await evidenceOf(runtime).compartments.listCollections(cliPrincipal());
    if (opts.json) process.stdout.write(`${JSON.stringify(collections, null, 2)}\n`);
    else
      for (const c of collections)
        process.stdout.write(
          `${c.id}  ${c.restricted ? 'restricted' : 'open      '}  ${String(c.itemCount).padStart(6)}  ${c.name}\n`,
        );
  });
}

export async function addCollection(
  name: string,
  opts: { open?: boolean; description?: string },
  command: Command,
): Promise<void> {
  await withRuntime(configFrom(command), ['evidence'], async (runtime) => {
    const made = await evidenceOf(runtime).compartments.createCollection(cliPrincipal(), {
      name: name.trim(),
      description: opts.description ?? '',
      restricted: !opts.open,
    });
    process.stdout.write(`${made.id}  ${made.name}${made.restricted ? ' (restricted)' : ''}\n`);
  });
}

export async function recipientKeys(): Promise<void> {
  const { cryptoReady } = await import('../platform/crypto.js');
  await cryptoReady();
  const pair = generateSealKeyPair();
  process.stdout.write(`public key: ${pair.publicKey}\nsecret key: ${pair.secretKey}\n`);
}

export async function openPackage(
  file: string,
  opts: { publicKey: string; secretKey: string; out: string },
): Promise<void> {
  const { cryptoReady } = await import('../platform/crypto.js');
  await cryptoReady();
  const temporary = `${opts.out}.part-${process.pid}`;
  await pipeline(
    Readable.from(decryptPackage(createReadStream(file), opts.publicKey, opts.secretKey)),
    createWriteStream(temporary, { mode: 0o600 }),
  );
  const { rename } = await import('node:fs/promises');
  await rename(temporary, opts.out);
  process.stdout.write(`Decrypted to ${opts.out}\n`);
}
