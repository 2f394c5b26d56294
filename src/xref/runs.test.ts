/**
 * Xref runs on both databases: candidates from the screening matcher, the identifier rule (and its
 * per-dataset setting), decided pairs skipped, a run stopped half-way resuming without duplicates, an
 * incremental re-run after edits and deletions, and runs as background jobs with progress.
 */
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { generatePersons } from '../../test/fixtures/screening/generator.js';
import { useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import type { Principal } from '../platform/auth/model.js';
import { isAppError } from '../platform/errors.js';
import { discountRunnersUp } from './runs.js';

const system: Principal = { type: 'system', label: 'test' };
const lines = (entities: object[]) => Readable.from(entities.map((e) => `${JSON.stringify(e)}\n`));
const person = (id: string, properties: Record<string, string[]>) => ({ id, schema: 'Person', properties });

it('discounts every candidate but the one clear best of each dataset', () => {
  const c = (id: string, datasetId: string, score: number) => ({
    id,
    datasetId,
    score,
    explanations: [{ queryName: '', matchedName: '', nameScore: score, tokens: [], features: {}, notes: [] }],
  });
  const same = { canonical: (id: string) => (id === 'b2' ? 'b1' : id) };
  const out = discountRunnersUp(
    [
      c('a1', 'A', 1),
      c('a2', 'A', 0.9),
      c('b1', 'B', 1),
      c('b2', 'B', 0.99),
      c('c1', 'C', 1),
      c('c2', 'C', 1),
    ],
    same,
  );
  expect(out.map((x) => x.score)).toEqual([1, 0.585, 1, 0.99, 0.65, 0.65]);
  expect(out[1]!.explanations[0]!.notes).toEqual(['another record of this dataset matches better']);
  expect(out[4]!.explanations[0]!.notes).toEqual(['ambiguous: 2 records of this dataset score alike']);
});

describeEachDatabase('xref runs', (ctx) => {
  const t = useTestApp(ctx);
  const registryPeople = generatePersons(30, 5).map((p, i) =>
    person(`rr-${i}`, { name: p.names, birthDate: [p.birthDate] }),
  );

  beforeAll(async () => {
    const registry = t.runtime.areas.registry.service;
    const reg = await registry.createDataset(system, {
      name: 'run-registry',
      title: 'Registry',
      restricted: false,
    });
    const open = await registry.createDataset(system, { name: 'run-list', title: 'List', restricted: false });
    const secret = await registry.createDataset(system, {
      name: 'run-secret',
      title: 'Seized',
      restricted: true,
    });
    await registry.importStream(
      system,
      reg.id,
      lines([
        person('rr-id', {
          name: ['Кавалёў Сяргей Іванавіч'],
          birthDate: ['1970-05-05'],
          idNumber: ['3050570A001PB1'],
        }),
        person('rr-sha', { name: ['Шаршнёва Вольга Мікалаеўна'], birthDate: ['1981-11-30'] }),
        ...registryPeople,
      ]),
    );
    await registry.importStream(
      system,
      open.id,
      lines([
        person('rl-id', { name: ['Kovalev Sergei'], idNumber: ['3050570A001PB1'], birthDate: ['1970'] }),
        person('rl-sha', { name: ['Sharshniova Volha'], birthDate: ['1981-11-30'] }),
        ...registryPeople.map((p, i) => person(`rl-${i}`, p.properties)),
      ]),
    );
    await registry.importStream(
      system,
      secret.id,
      lines([person('rs-id', { name: ['Ковалев Сергей Иванович'], idNumber: ['3050570A001PB1'] })]),
    );
  });

  it('suggests pairs from the matcher and applies the identifier rule where allowed', async () => {
    const runs = t.runtime.areas.xref.runs;
    const { run, reused } = await runs.start(system, { dataset: 'run-list', against: ['run-registry'] });
    expect(reused).toBe(false);
    const done = await runs.execute(run.id);
    expect(done).toMatchObject({ state: 'done', done: 32, total: 32 });
    expect(done.auto_decided).toBe(1);
    expect((await t.runtime.areas.xref.resolver.clusterOf('rl-id')).members).toEqual(['rl-id', 'rr-id']);
    const pairs = [];
    for await (const page of runs.pairs(done, 0.7)) pairs.push(...page);
    expect(pairs.filter((p) => p.match).map((p) => `${p.left}=${p.right}`)).toEqual(
      expect.arrayContaining(['rl-id=rr-id', 'rl-sha=rr-sha', 'rl-0=rr-0', 'rl-29=rr-29']),
    );
    const view = await runs.view(done);
    expect(view).toMatchObject({ state: 'done', done: 32, autoDecided: 1, etaSeconds: null });
    // Unchanged data: the run is reused.
    expect((await runs.start(system, { dataset: 'run-list', against: ['run-registry'] })).reused).toBe(true);
  });

  it('restricted datasets get no automatic decisions unless turned on', async () => {
    const runs = t.runtime.areas.xref.runs;
    const { run } = await runs.start(system, { dataset: 'run-secret', against: ['run-registry'] });
    const done = await runs.execute(run.id);
    expect(done.auto_decided).toBe(0);
    expect((await t.runtime.areas.xref.resolver.clusterOf('rs-id')).members).toEqual(['rs-id']);
  });

  it('a run stopped half-way resumes where it stopped, with no duplicate candidates', async () => {
    const runs = t.runtime.areas.xref.runs;
    const registry = t.runtime.areas.registry.service;
    const big = await registry.createDataset(system, { name: 'run-big', title: 'Big', restricted: false });
    await registry.importStream(
      system,
      big.id,
      lines(Array.from({ length: 450 }, (_, i) => person(`rb-${i}`, registryPeople[i % 30]!.properties))),
    );
    const { run } = await runs.start(system, { dataset: 'run-big', against: ['run-registry'] });
    const controller = new AbortController();
    const paused = await runs.execute(run.id, {
      signal: controller.signal,
      onProgress: (r) => {
        if (r.done >= 200) controller.abort();
      },
    });
    expect(paused.state).toBe('queued');
    expect(paused.done).toBe(200);
    const finished = await runs.execute(run.id);
    expect(finished).toMatchObject({ state: 'done', done: 450 });
    const counts = await sql<{ n: number; pairs: number }>`select count(*)::int as n,
      count(distinct (source, target))::int as pairs from xref_candidates where target like 'rb-%' or source like 'rb-%'`.execute(
      ctx.database.db,
    );
    expect(Number(counts.rows[0]!.n)).toBe(Number(counts.rows[0]!.pairs));
    expect(Number(counts.rows[0]!.n)).toBeGreaterThanOrEqual(450);
  });

  it('a re-run compares only what changed, and drops suggestions of deleted entities', async () => {
    const runs = t.runtime.areas.xref.runs;
    const registry = t.runtime.areas.registry.service;
    await registry.updateEntity(system, 'rl-sha', { properties: { birthDate: ['1981'] } });
    await registry.deleteEntity(system, 'rl-0');
    const { run, reused } = await runs.start(system, { dataset: 'run-list', against: ['run-registry'] });
    expect(reused).toBe(false);
    const done = await runs.execute(run.id);
    expect(done.state).toBe('done');
    expect(Number(done.since_seq)).toBeGreaterThan(0);
    expect(done.done).toBe(2);
    const pairs = [];
    for await (const page of runs.pairs(done, 0.7)) pairs.push(...page);
    expect(pairs.some((p) => p.left === 'rl-0')).toBe(false);
    expect(pairs.some((p) => p.left === 'rl-sha' && p.right === 'rr-sha' && p.match)).toBe(true);
  });

  it('a decision takes the pair (and its cluster pairs) out of the queue', async () => {
    const queue = t.runtime.areas.xref.queue;
    const before = await queue.page(system, { undecided: true, order: 'score', limit: 500 });
    const pair = before.items.find((c) => [c.source, c.target].includes('rl-sha'))!;
    expect(pair).toBeDefined();
    await t.runtime.areas.xref.decisions.decide(system, {
      left: pair.source,
      right: pair.target,
      judgement: 'unsure',
    });
    const after = await queue.page(system, { undecided: true, order: 'score', limit: 500 });
    expect(after.items.some((c) => c.id === pair.id)).toBe(false);
    expect(after.total).toBe(before.total - 1);
  });

  it('runs as a background job; a second worker finds it busy', async () => {
    const runs = t.runtime.areas.xref.runs;
    const registry = t.runtime.areas.registry.service;
    const jobsDs = await registry.createDataset(system, { name: 'run-job', title: 'Job', restricted: false });
    await registry.importStream(system, jobsDs.id, lines([person('rj-1', { name: ['Шаршнёва Вольга'] })]));
    const { run } = await runs.start(
      system,
      { dataset: 'run-job', against: ['run-registry'] },
      { queue: true },
    );
    const working = runs.execute(run.id, {
      onProgress: () => undefined,
    });
    await t.runtime.jobs.drain();
    await working.catch((error) => {
      if (!isAppError(error, 'SVD_XREF_RUN_BUSY')) throw error;
    });
    expect((await runs.get(system, run.id)).state).toBe('done');
  });
});
