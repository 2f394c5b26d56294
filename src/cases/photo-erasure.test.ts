/**
 * Erasing a case erases the subject's photo, on both databases: the photo's blob (row with its wrapped
 * key, and file), its working copies, metadata, perceptual hashes and near-duplicate links are gone,
 * the item keeps its custody chain with an "erased" event, and fixity and audit checks still pass. A
 * photo other things rely on (an item in an open collection) is kept; the same bytes sent again later
 * make a new, readable item.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { ensureFixtures, type FixturePaths } from '../../scripts/make-fixtures.js';
import { useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';

const system = { type: 'system' as const, label: 'test' };

let fx: FixturePaths;
beforeAll(async () => {
  fx = await ensureFixtures();
}, 120_000);

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describeEachDatabase('subject photo erased with the case', (ctx) => {
  const t = useTestApp(ctx);
  let photo: { itemId: string; sha256: string };
  let openPhoto: { itemId: string; sha256: string };

  beforeAll(async () => {
    const evidence = t.runtime.areas.evidence;
    await evidence.compartments.createCollection(system, {
      name: 'Subject photos',
      description: 'test',
      restricted: true,
    });
    photo = await evidence.intake({
      stream: createReadStream(fx.jpeg),
      fileName: 'subject-photo.jpg',
      channel: 'cli',
      actor: system,
      collection: 'Subject photos',
    });
    // A near-duplicate in the open collection: processing links the two.
    openPhoto = await evidence.intake({
      stream: createReadStream(fx.jpegNearDuplicate),
      fileName: 'open-photo.jpg',
      channel: 'cli',
      actor: system,
    });
    await t.runtime.jobs.drain();
  }, 120_000);

  const rowCount = async (table: string, column: string, id: string) =>
    Number(
      (
        await sql<{
          n: string;
        }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${id}`.execute(
          t.runtime.database.db,
        )
      ).rows[0]!.n,
    );

  it('removes the photo’s bytes and everything derived from them; the custody chain stays', async () => {
    const evidence = t.runtime.areas.evidence;
    const blobs = evidence.blobs;
    const before = await evidence.items.show(system, photo.itemId, { recordView: false });
    const copies = before.derivatives.map((d: { sha256: string }) => d.sha256);
    expect(copies.length).toBeGreaterThan(0);
    expect(before.phashes.length).toBeGreaterThan(0);
    expect(await rowCount('evidence_metadata', 'item_id', photo.itemId)).toBeGreaterThan(0);
    expect(await rowCount('evidence_links', 'item_a', photo.itemId)).toBe(
      photo.itemId < openPhoto.itemId ? 1 : 0,
    );
    const files = [photo.sha256, ...copies].map((sha) => blobs.pathOf(sha));
    const ciphertexts = files.map((file) => readFileSync(file));

    const cases = t.runtime.areas.cases;
    const created = await cases.service.create(system, {
      requesterOrg: 'Synthetic Migration Office',
      purpose: 'Employment vetting',
      subject: { names: ['Сінтэтычная Асоба Фота'], photoItemId: photo.itemId },
    });
    const tombstone = await cases.retention.erase(system, created.id, 'order');
    expect(tombstone).toMatchObject({ photo: 'erased' });

    // The bytes: no key (blob rows), no files, nowhere in the data directory, not readable.
    for (const sha of [photo.sha256, ...copies]) {
      expect(await rowCount('blobs', 'sha256', sha)).toBe(0);
      expect(await blobs.has(sha)).toBe(false);
    }
    for (const file of files) expect(existsSync(file)).toBe(false);
    for (const file of walk(ctx.dataDir)) {
      const content = readFileSync(file);
      for (const ciphertext of ciphertexts)
        expect(content.includes(ciphertext.subarray(0, 4096))).toBe(false);
    }
    await expect(evidence.items.download(system, photo.itemId)).rejects.toMatchObject({
      code: 'SVD_EVIDENCE_ERASED',
    });
    // Derived data: working copies, metadata, processing events, perceptual hashes, duplicate links.
    for (const table of [
      'evidence_derivatives',
      'evidence_metadata',
      'evidence_processing',
      'evidence_phashes',
    ])
      expect(await rowCount(table, 'item_id', photo.itemId), table).toBe(0);
    expect(await rowCount('evidence_links', 'item_a', photo.itemId)).toBe(0);
    expect(await rowCount('evidence_links', 'item_b', photo.itemId)).toBe(0);
    const after = await evidence.items.show(system, photo.itemId, { recordView: false });
    expect(after).toMatchObject({ fileName: null, derivatives: [], phashes: [], possibleDuplicates: [] });
    expect(after.custody.at(-1)).toMatchObject({ action: 'erased' });

    // The other photo is untouched, the vault's fixity check and the audit chain still pass.
    expect(
      (await drain(await evidence.items.download(system, openPhoto.itemId).then((d) => d.stream))).length,
    ).toBe(statSync(fx.jpegNearDuplicate).size);
    expect((await evidence.verifier.verify(system)).ok).toBe(true);
    expect((await t.runtime.audit.verify()).ok).toBe(true);
  });

  it('keeps a photo other things rely on (open collection), and takes the same bytes again later', async () => {
    const evidence = t.runtime.areas.evidence;
    const cases = t.runtime.areas.cases;
    const created = await cases.service.create(system, {
      requesterOrg: 'Synthetic Migration Office',
      purpose: 'Employment vetting',
      subject: { names: ['Сінтэтычная Асоба Адкрытая'], photoItemId: openPhoto.itemId },
    });
    const tombstone = await cases.retention.erase(system, created.id, 'order');
    expect(tombstone).toMatchObject({ photo: 'kept: open collection' });
    expect(await evidence.blobs.has(openPhoto.sha256)).toBe(true);

    const again = await evidence.intake({
      stream: createReadStream(fx.jpeg),
      channel: 'cli',
      actor: system,
      collection: 'Subject photos',
    });
    expect(again).toMatchObject({ sha256: photo.sha256, duplicate: false });
    expect(again.itemId).not.toBe(photo.itemId);
    const { stream } = await evidence.items.download(system, again.itemId);
    expect((await drain(stream)).equals(readFileSync(fx.jpeg))).toBe(true);
    expect((await evidence.verifier.verify(system)).ok).toBe(true);
  });
});
