/** SQL of the taxonomy (versioned codes) and of the classifications of items and incidents. */
import { sql } from 'kysely';
import type { TaxonomyVersion } from '../taxonomy-data.js';
import {
  EvidenceStoreBase,
  type EvidenceTransaction,
  type Executor,
  json,
  type TaxonomyRow,
} from './tables.js';

export type ClassificationTarget = 'item' | 'incident';

export class TaxonomyStore extends EvidenceStoreBase {
  async seedTaxonomy(versions: TaxonomyVersion[]): Promise<number[]> {
    const applied: number[] = [];
    for (const version of versions) {
      const done = await this.transaction(async (trx) => {
        await sql`select pg_advisory_xact_lock(7340301)`.execute(trx);
        const existing = await trx
          .selectFrom('taxonomy_versions')
          .select('version')
          .where('version', '=', version.version)
          .executeTakeFirst();
        if (existing) return false;
        await trx
          .insertInto('taxonomy_versions')
          .values({ version: version.version, note: version.note })
          .execute();
        for (const code of version.codes) {
          await trx
            .insertInto('taxonomy_codes')
            .values({
              code: code.code,
              axis: code.axis,
              labels: json(code.labels),
              maps_to: code.mapsTo ?? [],
              sources: code.sources ?? [],
              huridocs_types_of_acts: null,
              added_in: version.version,
              deprecated_in: null,
            })
            .onConflict((oc) => oc.column('code').doNothing())
            .execute();
        }
        if (version.relabel?.length) {
          const current = new Map(
            versions.flatMap((v) => v.codes).map((code) => [code.code, code.labels] as const),
          );
          for (const code of version.relabel) {
            const labels = current.get(code);
            if (!labels) continue;
            await trx
              .updateTable('taxonomy_codes')
              .set({ labels: json(labels) })
              .where('code', '=', code)
              .where('custom', '=', false)
              .execute();
          }
        }
        if (version.deprecate?.length) {
          await trx
            .updateTable('taxonomy_codes')
            .set({ deprecated_in: version.version })
            .where('code', 'in', version.deprecate)
            .where('deprecated_in', 'is', null)
            .execute();
        }
        return true;
      });
      if (done) applied.push(version.version);
    }
    return applied;
  }

  taxonomy(ex: Executor = this.db): Promise<TaxonomyRow[]> {
    return ex.selectFrom('taxonomy_codes').selectAll().orderBy('axis').orderBy('code').execute() as Promise<
      TaxonomyRow[]
    >;
  }

  async latestTaxonomyVersion(ex: Executor): Promise<number> {
    const row = await ex
      .selectFrom('taxonomy_versions')
      .select((eb) => eb.fn.max('version').as('v'))
      .executeTakeFirst();
    return Number(row?.v ?? 0);
  }

  async addTaxonomyVersion(trx: EvidenceTransaction, note: string): Promise<number> {
    await sql`select pg_advisory_xact_lock(7340301)`.execute(trx);
    // Versions made by administrators are numbered from 1000 so they never collide with shipped ones.
    const row = await trx
      .selectFrom('taxonomy_versions')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('version', '>=', 1000)
      .executeTakeFirst();
    const version = Math.max(1000, Number(row?.v ?? 999) + 1);
    await trx.insertInto('taxonomy_versions').values({ version, note }).execute();
    return version;
  }

  async insertTaxonomyCode(trx: EvidenceTransaction, row: Omit<TaxonomyRow, 'custom'>): Promise<boolean> {
    const inserted = await trx
      .insertInto('taxonomy_codes')
      .values({ ...row, labels: json(row.labels), custom: true })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('code')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async deprecateCode(trx: EvidenceTransaction, code: string, version: number): Promise<boolean> {
    const row = await trx
      .updateTable('taxonomy_codes')
      .set({ deprecated_in: version })
      .where('code', '=', code)
      .where('deprecated_in', 'is', null)
      .returning('code')
      .executeTakeFirst();
    return row !== undefined;
  }

  async codes(targetType: ClassificationTarget, ids: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (ids.length === 0) return map;
    const rows = await this.db
      .selectFrom('evidence_classifications')
      .select(['target_id', 'code'])
      .where('target_type', '=', targetType)
      .where('target_id', 'in', ids)
      .orderBy('code')
      .execute();
    for (const row of rows) map.set(row.target_id, [...(map.get(row.target_id) ?? []), row.code]);
    return map;
  }

  async classify(
    trx: EvidenceTransaction,
    targetType: ClassificationTarget,
    targetId: string,
    add: string[],
    remove: string[],
    version: number,
    by: string | null,
  ): Promise<{ added: string[]; removed: string[] }> {
    const added: string[] = [];
    for (const code of add) {
      const row = await trx
        .insertInto('evidence_classifications')
        .values({
          target_type: targetType,
          target_id: targetId,
          code,
          taxonomy_version: version,
          assigned_by: by,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('code')
        .executeTakeFirst();
      if (row) added.push(code);
    }
    let removed: string[] = [];
    if (remove.length) {
      const rows = await trx
        .deleteFrom('evidence_classifications')
        .where('target_type', '=', targetType)
        .where('target_id', '=', targetId)
        .where('code', 'in', remove)
        .returning('code')
        .execute();
      removed = rows.map((row) => row.code);
    }
    return { added, removed };
  }
}
