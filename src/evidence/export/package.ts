/**
 * Export packages for OHCHR / ICC: a BagIt bag (RFC 8493), as a directory or a ZIP holding one, whose payload
 * under `data/` is the decrypted originals, metadata JSON per item, each item's custody log with its hash
 * chain and an `index.html` readable offline; beside it `bagit.txt`, `bag-info.txt`, `manifest-sha256.txt`
 * (which `sha256sum -c manifest-sha256.txt` checks at the bag's root), `manifest-sha512.txt` and
 * `tagmanifest-sha256.txt`. SHA-512s of the originals are computed as they stream out. Optionally the whole
 * package (the ZIP) is encrypted to a recipient's X25519 public key: a random data key sealed to the
 * recipient (libsodium sealed box) and the ZIP encrypted with secretstream. The export is a custody
 * event on every item it contains.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sodium from 'libsodium-wrappers';
import type { Principal } from '../../platform/auth/model.js';
import { actorOf } from '../../platform/auth/service.js';
import type { FsBlobStore } from '../../platform/blobs/index.js';
import { openSealed, sealFor } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { Compartments } from '../compartments.js';
import { CUSTODY_GENESIS } from '../custody-chain.js';
import type { CustodyLog } from '../custody-log.js';
import type { Items } from '../items.js';
import type { ItemDetail } from '../model.js';
import type { EvidenceIncidents, IncidentForExport } from '../ports.js';
import type { ItemStore } from '../store/items.js';

/** What an export reads from the vault. */
export interface ExportVault {
  items: Items;
  itemStore: ItemStore;
  compartments: Compartments;
  custody: CustodyLog;
  blobs: FsBlobStore;
  incidents: EvidenceIncidents;
}

export interface ExportRequest {
  incidentId?: string | undefined;
  itemIds?: string[] | undefined;
  recipientKey?: string | undefined;
  purpose?: string | undefined;
}

interface PackageFile {
  path: string;
  /** Either bytes or a stream factory with a known SHA-256. */
  bytes?: Buffer;
  stream?: () => Readable;
  sha256: string;
  size: number;
}

/** What bag-info.txt says of the package. */
interface BagInfo {
  createdAt: string;
  description: string;
}

const PACKAGE_MAGIC = Buffer.from('SVDPKG01', 'latin1');

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function safeName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')
    .replace(/^\.+/, '_');
  return cleaned.slice(0, 120) || 'file';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function recipientKeyBytes(key: string): Uint8Array {
  const bytes = Buffer.from(key.trim(), 'base64');
  if (bytes.length !== 32) throw new AppError('SVD_EVIDENCE_RECIPIENT_KEY');
  return new Uint8Array(bytes);
}

/** Collects the files of a package and records the export in every item's custody log. */
async function planPackage(
  vault: ExportVault,
  principal: Principal,
  request: ExportRequest,
): Promise<{ exportId: string; files: PackageFile[]; items: ItemDetail[]; bag: BagInfo }> {
  let ids = [...new Set(request.itemIds ?? [])];
  let incident: IncidentForExport | undefined;
  if (request.incidentId) {
    const found = await vault.incidents.forExport(principal, request.incidentId);
    incident = found.incident;
    // Every linked item, seen or not: a package is refused unless the caller may see all of it.
    ids = [...new Set([...ids, ...found.itemIds])];
  }
  if (ids.length === 0) throw new AppError('SVD_EVIDENCE_EXPORT_EMPTY');
  await vault.compartments.requireItems(principal, ids, 'evidence.export');
  if (request.recipientKey) recipientKeyBytes(request.recipientKey);
  const exportId = randomUUID();
  const recipient = request.recipientKey
    ? sha256(Buffer.from(request.recipientKey.trim(), 'base64')).slice(0, 16)
    : null;
  const actor = actorOf(principal);
  // Record the export first (all items, one transaction): a package never leaves without its record.
  await vault.custody.transaction(async (trx) => {
    for (const id of ids) {
      if (!(await vault.itemStore.item(trx, id))) throw new AppError('SVD_HTTP_NOT_FOUND');
      await vault.custody.append(trx, id, 'exported', actor, {
        exportId,
        ...(request.incidentId ? { incidentId: request.incidentId } : {}),
        ...(request.purpose ? { purpose: request.purpose } : {}),
        encryptedTo: recipient,
        items: ids.length,
      });
    }
  });
  const files: PackageFile[] = [];
  const items: ItemDetail[] = [];
  for (const id of ids) {
    const item = await vault.items.show(principal, id, { recordView: false });
    items.push(item);
    const original = `originals/${id}/${safeName(item.fileName ?? `${item.sha256}`)}`;
    files.push({
      path: original,
      stream: () => vault.blobs.get(item.sha256),
      sha256: item.sha256,
      size: item.size,
    });
    const { custody, ...rest } = item;
    const metadata = Buffer.from(`${JSON.stringify({ ...rest, original }, null, 2)}\n`);
    files.push({
      path: `metadata/${id}.json`,
      bytes: metadata,
      sha256: sha256(metadata),
      size: metadata.length,
    });
    const chain = Buffer.from(
      `${JSON.stringify(
        {
          itemId: id,
          sha256: item.sha256,
          hashAlgorithm:
            'SHA-256 over canonical JSON (keys sorted) of {itemId, seq, at, action, actorType, actorId, actorLabel, details, prevHash}',
          genesis: CUSTODY_GENESIS,
          ...(custody.some((event) => event.details.redacted === true)
            ? {
                redacted:
                  'Events marked "redacted" name an item or incident outside the exporter\'s compartments; their hash covers the original details, which the vault\'s verify checks.',
              }
            : {}),
          events: custody,
        },
        null,
        2,
      )}\n`,
    );
    files.push({ path: `custody/${id}.json`, bytes: chain, sha256: sha256(chain), size: chain.length });
  }
  const summary = {
    exportId,
    createdAt: new Date().toISOString(),
    exportedBy: actor.label ?? actor.type,
    purpose: request.purpose ?? null,
    incident: incident ?? null,
    items: items.map((item) => ({
      id: item.id,
      sha256: item.sha256,
      size: item.size,
      mediaType: item.mediaType,
    })),
  };
  const summaryBytes = Buffer.from(`${JSON.stringify(summary, null, 2)}\n`);
  files.push({
    path: 'package.json',
    bytes: summaryBytes,
    sha256: sha256(summaryBytes),
    size: summaryBytes.length,
  });
  const html = Buffer.from(indexHtml(exportId, summary.createdAt, request, incident, items, files));
  files.push({ path: 'index.html', bytes: html, sha256: sha256(html), size: html.length });
  const description = `Evidence package: ${items.length} item(s)${incident ? `, incident "${incident.title}"` : ''}${
    request.purpose ? `, for: ${request.purpose}` : ''
  }`;
  return { exportId, files, items, bag: { createdAt: summary.createdAt, description } };
}

/** A payload path as a manifest writes it (RFC 8493 §2.1.3: CR, LF and % percent-encoded). */
function manifestPath(payloadPath: string): string {
  return `data/${payloadPath}`.replace(
    /[%\r\n]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** One line of a tag file, folded onto one line (values never hold line breaks). */
function tagLine(label: string, value: string): string {
  return `${label}: ${value.replace(/\s+/g, ' ').trim()}\n`;
}

/**
 * The bag's tag files, given every payload file's SHA-512 (known once the originals have streamed out):
 * bagit.txt, bag-info.txt, the payload manifests for SHA-256 and SHA-512 and the tag manifest over them.
 */
function bagTagFiles(
  exportId: string,
  bag: BagInfo,
  payload: PackageFile[],
  sha512: ReadonlyMap<string, string>,
): Array<{ path: string; bytes: Buffer }> {
  const bagit = Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  const octets = payload.reduce((total, file) => total + file.size, 0);
  const info = Buffer.from(
    tagLine('Source-Organization', 'Sviedka evidence vault') +
      tagLine('Bagging-Date', bag.createdAt.slice(0, 10)) +
      tagLine('Payload-Oxum', `${octets}.${payload.length}`) +
      tagLine('External-Identifier', exportId) +
      tagLine('External-Description', bag.description) +
      tagLine('Bag-Software-Agent', 'Sviedka'),
  );
  const manifest256 = Buffer.from(payload.map((f) => `${f.sha256}  ${manifestPath(f.path)}\n`).join(''));
  const manifest512 = Buffer.from(
    payload.map((f) => `${sha512.get(f.path)}  ${manifestPath(f.path)}\n`).join(''),
  );
  const tags = [
    { path: 'bagit.txt', bytes: bagit },
    { path: 'bag-info.txt', bytes: info },
    { path: 'manifest-sha256.txt', bytes: manifest256 },
    { path: 'manifest-sha512.txt', bytes: manifest512 },
  ];
  const tagManifest = Buffer.from(tags.map((t) => `${sha256(t.bytes)}  ${t.path}\n`).join(''));
  return [...tags, { path: 'tagmanifest-sha256.txt', bytes: tagManifest }];
}

/** A payload file's content as it goes into the bag: streamed originals are checked, and every SHA-512 kept. */
function payloadStream(file: PackageFile, sha512: Map<string, string>): Readable {
  if (file.bytes) {
    sha512.set(file.path, createHash('sha512').update(file.bytes).digest('hex'));
    return Readable.from([file.bytes]);
  }
  return checked(file.stream!(), file.sha256, file.path, (digest) => sha512.set(file.path, digest));
}

function indexHtml(
  exportId: string,
  createdAt: string,
  request: ExportRequest,
  incident: IncidentForExport | undefined,
  items: ItemDetail[],
  files: PackageFile[],
): string {
  const rows = items
    .map((item) => {
      const original = files.find((file) => file.path.startsWith(`originals/${item.id}/`))!;
      const place =
        item.latitude !== null && item.longitude !== null
          ? `${item.latitude.toFixed(6)}, ${item.longitude.toFixed(6)}`
          : '';
      return `<tr><td><a href="${escapeHtml(original.path)}">${escapeHtml(item.fileName ?? item.id)}</a><br><small>${item.id}</small></td>
<td><code>${item.sha256}</code></td><td>${item.size}</td><td>${escapeHtml(item.mediaType)}</td>
<td>${escapeHtml(item.receivedAt)}<br>${escapeHtml(item.channel)}</td><td>${escapeHtml(item.captureTime ?? '')}</td><td>${escapeHtml(place)}</td>
<td>${escapeHtml(item.codes.join(', '))}</td><td><a href="metadata/${item.id}.json">metadata</a> · <a href="custody/${item.id}.json">custody (${item.custody.length} events)</a></td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence package ${exportId}</title></head>
<body>
<h1>Evidence package</h1>
<p>Package <code>${exportId}</code>, made ${escapeHtml(createdAt)}${request.purpose ? `, for: ${escapeHtml(request.purpose)}` : ''}.</p>
${incident ? `<h2>Incident: ${escapeHtml(incident.title)}</h2><p>${escapeHtml(incident.description)}</p><p>When: ${escapeHtml(incident.occurredFrom ?? '?')} – ${escapeHtml(incident.occurredTo ?? '?')}. Where: ${escapeHtml(incident.place ?? '')} ${escapeHtml(incident.placeType ?? '')}. Responsible: ${escapeHtml([incident.responsibleInstitution, incident.responsibleUnit].filter(Boolean).join(', '))}. Codes: ${escapeHtml(incident.codes.join(', '))}</p>` : ''}
<h2>Items (${items.length})</h2>
<table border="1" cellpadding="4">
<tr><th>Original</th><th>SHA-256</th><th>Bytes</th><th>Type</th><th>Received</th><th>Captured</th><th>GPS</th><th>Codes</th><th>Records</th></tr>
${rows}
</table>
<h2>How to check this package</h2>
<ol>
<li>This package is a BagIt bag (RFC 8493): this page is in its <code>data/</code> directory. Any BagIt tool validates it; or, in the bag's top directory (one level above this page), run <code>sha256sum -c manifest-sha256.txt</code> (or <code>sha512sum -c manifest-sha512.txt</code>): every line must say OK. The SHA-256 of each original is the one computed when it was received.</li>
<li>Each <code>custody/&lt;item&gt;.json</code> lists the chain of custody. Each event's <code>hash</code> is SHA-256 over its canonical JSON with the previous event's hash (<code>prevHash</code>); the first event links to 64 zeros.</li>
</ol>
</body></html>
`;
}

/** Encrypts a stream to a recipient: magic, sealed data key (length-prefixed), secretstream header, chunks. */
export function encryptToRecipient(input: Readable, recipientKey: string): Readable {
  const publicKey = recipientKeyBytes(recipientKey);
  const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
  const sealedKey = sealFor(publicKey, key);
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  const CHUNK = 64 * 1024;
  let pending: Buffer = Buffer.alloc(0);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(sealedKey.length);
  let started = false;
  return input.pipe(
    new Transform({
      transform(piece: Buffer, _encoding, done) {
        if (!started) {
          started = true;
          this.push(Buffer.concat([PACKAGE_MAGIC, length, sealedKey, Buffer.from(header)]));
        }
        pending = pending.length ? Buffer.concat([pending, piece]) : piece;
        while (pending.length > CHUNK) {
          this.push(
            Buffer.from(
              sodium.crypto_secretstream_xchacha20poly1305_push(state, pending.subarray(0, CHUNK), null, 0),
            ),
          );
          pending = pending.subarray(CHUNK);
        }
        done();
      },
      flush(done) {
        if (!started) this.push(Buffer.concat([PACKAGE_MAGIC, length, sealedKey, Buffer.from(header)]));
        this.push(Buffer.from(sodium.crypto_secretstream_xchacha20poly1305_push(state, pending, null, 3)));
        done();
      },
    }),
  );
}

/** Decrypts a package made by {@link encryptToRecipient} with the recipient's key pair (base64). */
export async function* decryptPackage(
  input: AsyncIterable<Buffer>,
  publicKey: string,
  secretKey: string,
): AsyncGenerator<Buffer> {
  let buffer: Buffer = Buffer.alloc(0);
  let state: unknown;
  const CHUNK = 64 * 1024 + 17;
  let finished = false;
  const bad = () =>
    new AppError('SVD_CRYPTO_DECRYPT', { message: 'The package is damaged or not for this key.' });
  for await (const piece of input) {
    buffer = buffer.length ? Buffer.concat([buffer, piece]) : piece;
    if (!state) {
      if (buffer.length < PACKAGE_MAGIC.length + 2) continue;
      if (!buffer.subarray(0, PACKAGE_MAGIC.length).equals(PACKAGE_MAGIC)) throw bad();
      const keyLength = buffer.readUInt16BE(PACKAGE_MAGIC.length);
      const headerEnd = PACKAGE_MAGIC.length + 2 + keyLength + 24;
      if (buffer.length < headerEnd) continue;
      const key = openSealed(
        Buffer.from(publicKey, 'base64'),
        Buffer.from(secretKey, 'base64'),
        buffer.subarray(PACKAGE_MAGIC.length + 2, PACKAGE_MAGIC.length + 2 + keyLength),
      );
      state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(
        buffer.subarray(headerEnd - 24, headerEnd),
        key,
      );
      buffer = buffer.subarray(headerEnd);
    }
    while (buffer.length > CHUNK) {
      const out = sodium.crypto_secretstream_xchacha20poly1305_pull(
        state as never,
        buffer.subarray(0, CHUNK),
        null,
      );
      if (!out) throw bad();
      yield Buffer.from(out.message);
      buffer = buffer.subarray(CHUNK);
    }
  }
  if (state && buffer.length) {
    const out = sodium.crypto_secretstream_xchacha20poly1305_pull(state as never, buffer, null) as
      | { message: Uint8Array; tag: number }
      | undefined;
    if (out?.tag !== 3) throw bad();
    finished = true;
    yield Buffer.from(out.message);
  }
  if (!finished) throw bad();
}

/**
 * Hashes a stream as it passes and fails it if the content is not the expected SHA-256; hands its SHA-512 to
 * `onSha512` at the end.
 */
function checked(
  stream: Readable,
  expected: string,
  label: string,
  onSha512?: (digest: string) => void,
): Readable {
  const hash = createHash('sha256');
  const hash512 = onSha512 ? createHash('sha512') : undefined;
  const check = new Transform({
    transform(piece, _encoding, done) {
      hash.update(piece);
      hash512?.update(piece);
      done(null, piece);
    },
    flush(done) {
      if (hash512) onSha512!(hash512.digest('hex'));
      const actual = hash.digest('hex');
      done(
        actual === expected
          ? null
          : new AppError('SVD_BLOB_CORRUPT', { message: `${label}: content does not match sha256` }),
      );
    },
  });
  return stream.pipe(check);
}

/** The package as a ZIP stream (encrypted when a recipient key is given). */
export async function exportZipStream(
  vault: ExportVault,
  principal: Principal,
  request: ExportRequest,
): Promise<{ exportId: string; stream: Readable; encrypted: boolean; files: number; items: number }> {
  const { exportId, files, items, bag } = await planPackage(vault, principal, request);
  const { default: yazl } = await import('yazl');
  const zip = new yazl.ZipFile();
  const mtime = new Date();
  const sha512 = new Map<string, string>();
  for (const file of files) {
    if (file.bytes) {
      sha512.set(file.path, createHash('sha512').update(file.bytes).digest('hex'));
      zip.addBuffer(file.bytes, `${exportId}/data/${file.path}`, { mtime });
    } else {
      // Lazy: one decrypting stream open at a time, however many originals the package holds.
      zip.addReadStreamLazy(
        `${exportId}/data/${file.path}`,
        { mtime, size: file.size, compress: false },
        (cb) => cb(null, payloadStream(file, sha512)),
      );
    }
  }
  // The tag files are made when their turn comes, after every original has streamed (and been hashed).
  let tags: Array<{ path: string; bytes: Buffer }> | undefined;
  for (const name of [
    'bagit.txt',
    'bag-info.txt',
    'manifest-sha256.txt',
    'manifest-sha512.txt',
    'tagmanifest-sha256.txt',
  ])
    zip.addReadStreamLazy(`${exportId}/${name}`, { mtime }, (cb) => {
      tags ??= bagTagFiles(exportId, bag, files, sha512);
      cb(null, Readable.from([tags.find((t) => t.path === name)!.bytes]));
    });
  zip.end();
  const output = new PassThrough();
  (zip.outputStream as Readable).on('error', (error) => output.destroy(error)).pipe(output);
  zip.on('error', (error: Error) => output.destroy(error));
  return {
    exportId,
    stream: request.recipientKey ? encryptToRecipient(output, request.recipientKey) : output,
    encrypted: Boolean(request.recipientKey),
    files: files.length + 5,
    items: items.length,
  };
}

/**
 * Writes a package to `out`: a directory (created; must be absent or empty), or a file when `out` ends
 * in `.zip` (or anything, when encrypted). Written under a temporary name and renamed when complete.
 */
export async function exportToPath(
  vault: ExportVault,
  principal: Principal,
  request: ExportRequest,
  out: string,
): Promise<{ exportId: string; path: string; files: number; items: number }> {
  const target = path.resolve(out);
  const asFile = Boolean(request.recipientKey) || target.toLowerCase().endsWith('.zip');
  if (existsSync(target) && (!asFile ? readdirSync(target).length > 0 : true)) {
    throw new AppError('SVD_EVIDENCE_EXPORT_TARGET', {
      message: `${target} already exists${asFile ? '' : ' and is not empty'}.`,
    });
  }
  if (asFile) {
    const { exportId, stream, files, items } = await exportZipStream(vault, principal, request);
    const temporary = `${target}.part-${process.pid}`;
    try {
      await pipeline(stream, createWriteStream(temporary, { mode: 0o600 }));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { exportId, path: target, files, items };
  }
  const { exportId, files, items, bag } = await planPackage(vault, principal, request);
  const temporary = `${target}.part-${process.pid}`;
  await rm(temporary, { recursive: true, force: true });
  const sha512 = new Map<string, string>();
  try {
    for (const file of files) {
      const destination = path.join(temporary, 'data', file.path);
      await mkdir(path.dirname(destination), { recursive: true });
      await pipeline(payloadStream(file, sha512), createWriteStream(destination, { mode: 0o600 }));
    }
    for (const tag of bagTagFiles(exportId, bag, files, sha512))
      await writeFile(path.join(temporary, tag.path), tag.bytes, { mode: 0o600 });
    if (existsSync(target)) await rm(target, { recursive: true });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  return { exportId, path: target, files: files.length + 5, items: items.length };
}
