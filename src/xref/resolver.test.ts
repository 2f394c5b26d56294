/**
 * The resolver on both databases: clusters and their canonical ids through merges and splits, blocking
 * across clusters, undo, and the rule that automatic methods never touch what a person decided
 * (property test over random operation sequences).
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import type { Principal } from '../platform/auth/model.js';
import { isAppError } from '../platform/errors.js';
import { combineBlockers, components, isClusterId, orient } from './judgement.js';
import type { Judgement, Method } from './model.js';
import { edgeUser, type ResolverService } from './resolver.js';

const alice: Principal = { type: 'user', id: 'u-alice', username: 'alice', role: 'analyst' } as Principal;
const bob: Principal = { type: 'user', id: 'u-bob', username: 'bob', role: 'reviewer' } as Principal;

describe('resolver rules (pure)', () => {
  it('orients pairs by UTF-8 bytes and refuses self-pairs', () => {
    expect(orient('a', 'b')).toEqual(['b', 'a']);
    expect(orient('b', 'a')).toEqual(['b', 'a']);
    expect(orient('Z', 'a')).toEqual(['a', 'Z']);
    expect(() => orient('x', 'x')).toThrow();
  });

  it('combines blockers: any negative wins, then unsure, else no judgement', () => {
    expect(combineBlockers([])).toBe('no_judgement');
    expect(combineBlockers(['unsure'])).toBe('unsure');
    expect(combineBlockers(['unsure', 'negative'])).toBe('negative');
    expect(combineBlockers(['negative', 'negative'])).toBe('negative');
    expect(combineBlockers(['unsure', 'unsure'])).toBe('unsure');
  });

  it('finds connected components, largest first', () => {
    expect(
      components(
        ['a', 'b', 'c', 'd', 'e'],
        [
          ['a', 'b'],
          ['c', 'b'],
          ['d', 'e'],
        ],
      ),
    ).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
  });
});

describeEachDatabase('resolver', (ctx) => {
  const t = useTestApp(ctx);
  let resolver: ResolverService;
  beforeAll(() => {
    resolver = t.runtime.areas.xref.resolver;
  });

  const human = (left: string, right: string, judgement: Judgement, who = alice, reason?: string) =>
    resolver.decide({ left, right, judgement, method: 'human', reason: reason ?? null, ...edgeUser(who) });
  const auto = (left: string, right: string, judgement: Judgement, method: Method = 'rule') =>
    resolver.decide({ left, right, judgement, method, userId: null, userLabel: `sviedka/${method}` });

  it('makes a cluster with a stable sv- id: a new member keeps it, a merge keeps the older id', async () => {
    await human('c1-a', 'c1-b', 'positive');
    const first = await resolver.clusterOf('c1-a');
    expect(isClusterId(first.id)).toBe(true);
    expect(first.members).toEqual(['c1-a', 'c1-b']);

    await human('c1-c', 'c1-b', 'positive');
    expect((await resolver.clusterOf('c1-c')).id).toBe(first.id);

    await human('c1-x', 'c1-y', 'positive');
    const second = (await resolver.clusterOf('c1-x')).id;
    await human('c1-y', 'c1-a', 'positive', bob);
    const merged = await resolver.clusterOf('c1-x');
    expect(merged.id).toBe(first.id);
    expect(merged.members).toEqual(['c1-a', 'c1-b', 'c1-c', 'c1-x', 'c1-y']);
    // The absorbed id is an alias: it answers the surviving cluster.
    expect((await resolver.clusterOf(second)).id).toBe(first.id);
    const info = await resolver.clusterInfo(second);
    expect(info).toMatchObject({ retiredAs: 'merged', current: first.id });
    expect(info!.lineage).toEqual([
      expect.objectContaining({ parent: second, child: first.id, kind: 'merge' }),
    ]);
  });

  it('an id in no cluster is its own canonical', async () => {
    expect(await resolver.clusterOf('lonely')).toEqual({ id: 'lonely', members: ['lonely'] });
  });

  it('one negative edge between members blocks every pair of the two clusters', async () => {
    await human('b-a1', 'b-a2', 'positive');
    await human('b-b1', 'b-b2', 'positive');
    await human('b-a1', 'b-b1', 'negative', alice, 'different birth dates');
    expect(
      await resolver.judgementsFor([
        ['b-a2', 'b-b2'],
        ['b-a2', 'b-a1'],
        ['b-a2', 'b-zz'],
      ]),
    ).toEqual(['negative', 'positive', 'no_judgement']);
    // A rule cannot merge what a person kept apart.
    const outcome = await auto('b-a2', 'b-b2', 'positive');
    expect(outcome).toMatchObject({ applied: false, existing: 'negative' });
    // A person can: the blocker is replaced and the clusters merge.
    await human('b-a2', 'b-b2', 'positive', bob);
    expect((await resolver.clusterOf('b-b1')).members).toEqual(['b-a1', 'b-a2', 'b-b1', 'b-b2']);
  });

  it('a negative on a bridge splits the cluster into parts with new ids and lineage', async () => {
    await human('s-a', 's-b', 'positive');
    await human('s-b', 's-c', 'positive');
    await human('s-c', 's-d', 'positive');
    const before = (await resolver.clusterOf('s-a')).id;
    // s-a and s-c are linked only through s-b: a negative between them contradicts the cluster.
    await expect(human('s-a', 's-c', 'negative')).rejects.toMatchObject({ code: 'SVD_XREF_SAME_CLUSTER' });
    await human('s-b', 's-c', 'negative', alice, 'namesakes');
    const left = await resolver.clusterOf('s-a');
    const right = await resolver.clusterOf('s-d');
    expect(left.members).toEqual(['s-a', 's-b']);
    expect(right.members).toEqual(['s-c', 's-d']);
    expect(new Set([left.id, right.id, before]).size).toBe(3);
    const info = await resolver.clusterInfo(before);
    expect(info?.retiredAs).toBe('split');
    expect(info?.lineage.map((l) => l.child).sort()).toEqual([left.id, right.id].sort());
    expect(await resolver.judgementsFor([['s-a', 's-d']])).toEqual(['negative']);
  });

  it('splitting one member out keeps the rest together under a new id', async () => {
    // A hub: every link goes through s2-hub.
    await human('s2-hub', 's2-a', 'positive');
    await human('s2-hub', 's2-b', 'positive');
    await human('s2-hub', 's2-c', 'positive');
    const old = (await resolver.clusterOf('s2-a')).id;
    await expect(resolver.split(alice, old, 's2-hub', ' ')).rejects.toMatchObject({
      code: 'SVD_XREF_REASON_REQUIRED',
    });
    await expect(resolver.split(alice, old, 'nobody', 'x')).rejects.toMatchObject({
      code: 'SVD_XREF_NOT_MEMBER',
    });
    const result = await resolver.split(alice, old, 's2-hub', 'the hub is a namesake');
    const rest = await resolver.clusterOf('s2-a');
    expect(rest.members).toEqual(['s2-a', 's2-b', 's2-c']);
    expect(rest.id).toBe(result.cluster);
    expect(rest.id).not.toBe(old);
    expect(await resolver.clusterOf('s2-hub')).toEqual({ id: 's2-hub', members: ['s2-hub'] });
    expect((await resolver.clusterOf(old)).id).toBe(rest.id);
    expect(await resolver.judgementsFor([['s2-hub', 's2-c']])).toEqual(['negative']);
  });

  it('undo takes a decision back and restores what it replaced', async () => {
    await human('u-a', 'u-b', 'negative', alice, 'first look');
    const positive = await human('u-a', 'u-b', 'positive', alice);
    expect(positive.applied).toBe(true);
    if (!positive.applied) return;
    expect((await resolver.clusterOf('u-a')).members).toEqual(['u-a', 'u-b']);
    await expect(resolver.undo(bob, positive.edge.id)).rejects.toMatchObject({ code: 'SVD_XREF_UNDO' });
    expect(await resolver.undo(alice, positive.edge.id)).toEqual({ restored: 1 });
    expect(await resolver.clusterOf('u-a')).toEqual({ id: 'u-a', members: ['u-a'] });
    expect(await resolver.judgementsFor([['u-a', 'u-b']])).toEqual(['negative']);
    await expect(resolver.undo(alice, positive.edge.id)).rejects.toMatchObject({ code: 'SVD_XREF_UNDO' });
  });

  it('an automatic merge never turns a person\'s "unsure" into an inferred "negative"', async () => {
    await human('m-5', 'm-0', 'negative');
    await human('m-3', 'm-5', 'unsure');
    const outcome = await auto('m-3', 'm-0', 'positive');
    expect(outcome.applied).toBe(false);
    expect(await resolver.judgementsFor([['m-3', 'm-5']])).toEqual(['unsure']);
    expect((await human('m-3', 'm-0', 'positive')).applied).toBe(true);
    expect(await resolver.judgementsFor([['m-3', 'm-5']])).toEqual(['negative']);
  });

  it('refuses a self-pair', async () => {
    await expect(human('same', 'same', 'positive')).rejects.toMatchObject({ code: 'SVD_XREF_SELF_PAIR' });
  });

  it('automatic methods never overwrite, block or split a human judgement (random sequences)', async () => {
    const db = ctx.database.db;
    let round = 0;
    const nodes = ['0', '1', '2', '3', '4', '5'];
    const op = fc.record({
      kind: fc.constantFrom('human', 'human', 'rule', 'import', 'split', 'undo'),
      a: fc.constantFrom(...nodes),
      b: fc.constantFrom(...nodes),
      judgement: fc.constantFrom<Judgement>('positive', 'positive', 'negative', 'unsure'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 14 }), async (ops) => {
        const prefix = `p${round++}-`;
        const ids = nodes.map((n) => prefix + n);
        const pairs = ids.flatMap((a, i) => ids.slice(i + 1).map((b) => [a, b] as const));
        const humanEdges = async () =>
          (
            await sql<{ id: number }>`select id from xref_edges where method = 'human' and deleted_at is null
              and (source like ${`${prefix}%`} or target like ${`${prefix}%`}) order by id`.execute(db)
          ).rows.map((r) => Number(r.id));
        const lastHuman: number[] = [];
        for (const o of ops) {
          const a = prefix + o.a;
          const b = prefix + o.b;
          if (o.kind === 'human') {
            if (a === b) continue;
            try {
              const outcome = await human(a, b, o.judgement);
              if (outcome.applied) lastHuman.push(outcome.edge.id);
            } catch (error) {
              if (!isAppError(error, 'SVD_XREF_SAME_CLUSTER')) throw error;
            }
          } else if (o.kind === 'split') {
            const cluster = await resolver.clusterOf(a);
            if (cluster.members.length > 1) await resolver.split(alice, cluster.id, a, 'property test');
          } else if (o.kind === 'undo') {
            const id = lastHuman.pop();
            if (id !== undefined)
              await resolver.undo(alice, id).catch((error) => {
                if (!isAppError(error, 'SVD_XREF_UNDO')) throw error;
              });
          } else {
            if (a === b) continue;
            const humansBefore = await humanEdges();
            const judgedBefore = await resolver.judgementsFor(pairs);
            await auto(a, b, o.judgement, o.kind as Method);
            // No human edge was deleted, and every pair something decided is decided the same way.
            expect(await humanEdges()).toEqual(humansBefore);
            const judgedAfter = await resolver.judgementsFor(pairs);
            judgedBefore.forEach((before, i) => {
              if (before !== 'no_judgement') expect(judgedAfter[i]).toBe(before);
            });
          }
          // Clusters are exactly the connected components of live positive edges.
          const positives = (
            await sql<{ source: string; target: string }>`select source, target from xref_edges
              where judgement = 'positive' and deleted_at is null and source like ${`${prefix}%`}`.execute(db)
          ).rows;
          const expected = components(
            ids,
            positives.map((e) => [e.source, e.target] as const),
          ).filter((c) => c.length > 1);
          const clusters = await resolver.clustersOf(ids);
          const actual = [
            ...new Map(
              [...clusters.values()].filter((c) => c.members.length > 1).map((c) => [c.id, c.members]),
            ).values(),
          ];
          expect(actual.map((m) => m.join(',')).sort()).toEqual(expected.map((m) => m.join(',')).sort());
        }
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});
