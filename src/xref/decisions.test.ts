/**
 * Decisions through the API and the service on both databases: authorization on both sides (deleted,
 * restricted, self-pair), the cluster page and split, undo, and judgement files in nomenklatura's format.
 */
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { type Client, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import type { Principal } from '../platform/auth/model.js';
import type { ImportReject } from './decisions.js';

const system: Principal = { type: 'system', label: 'test' };
const person = (id: string, name: string) => ({ id, schema: 'Person', properties: { name: [name] } });
const lines = (entities: object[]) => Readable.from(entities.map((e) => `${JSON.stringify(e)}\n`));

describeEachDatabase('xref decisions', (ctx) => {
  const t = useTestApp(ctx);
  let analyst: Client;

  beforeAll(async () => {
    const registry = t.runtime.areas.registry.service;
    const open = await registry.createDataset(system, { name: 'dec-open', title: 'Open', restricted: false });
    const other = await registry.createDataset(system, {
      name: 'dec-other',
      title: 'Other',
      restricted: false,
    });
    const secret = await registry.createDataset(system, {
      name: 'dec-secret',
      title: 'Secret',
      restricted: true,
    });
    await registry.importStream(
      system,
      open.id,
      lines([
        person('dec-a', 'Навумаў Уладзімір'),
        person('dec-b', 'Кавалёў Сяргей'),
        person('dec-gone', 'Іваноў Іван'),
      ]),
    );
    await registry.importStream(
      system,
      other.id,
      lines([
        person('dec-a2', 'Naumov Vladimir'),
        person('dec-b2', 'Kovalev Sergei'),
        person('dec-c2', 'Petrov Petr'),
      ]),
    );
    await registry.importStream(system, secret.id, lines([person('dec-s', 'Навумаў Уладзімір')]));
    await registry.deleteEntity(system, 'dec-gone');
    analyst = await loggedInClient(t, 'analyst');
  });

  it('a reviewer judges a pair; the positive makes a cluster shown on its page', async () => {
    const response = await analyst.request('POST', '/api/xref/decisions', {
      left: 'dec-a',
      right: 'dec-a2',
      judgement: 'positive',
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ applied: true });
    expect(response.json.left).toMatch(/^sv-/);
    expect(response.json.right).toBe(response.json.left);
    const page = await analyst.request('GET', `/api/xref/clusters/${response.json.left}`);
    expect(page.status).toBe(200);
    expect(page.json.cluster.members.map((m: { id: string }) => m.id)).toEqual(['dec-a', 'dec-a2']);
    expect(page.json.cluster.members[0]).toMatchObject({ dataset: 'dec-open', caption: 'Навумаў Уладзімір' });
    expect(page.json.cluster.decisions[0]).toMatchObject({ judgement: 'positive', mine: true });
    // The entity id finds the same page.
    expect((await analyst.request('GET', '/api/xref/clusters/dec-a2')).json.cluster.current).toBe(
      response.json.left,
    );
    const audit = await sql<{
      action: string;
    }>`select action from audit_log where action = 'xref.decide'`.execute(ctx.database.db);
    expect(audit.rows.length).toBeGreaterThan(0);
  });

  it('answers "not found" for a deleted entity, a restricted one (audited), and refuses a self-pair', async () => {
    const gone = await analyst.request('POST', '/api/xref/decisions', {
      left: 'dec-gone',
      right: 'dec-b2',
      judgement: 'negative',
    });
    expect(gone.status).toBe(404);
    const hidden = await analyst.request('POST', '/api/xref/decisions', {
      left: 'dec-s',
      right: 'dec-a',
      judgement: 'positive',
    });
    expect(hidden.status).toBe(404);
    expect(hidden.json.error.code).toBe('SVD_HTTP_NOT_FOUND');
    const denied = await sql<{ n: number }>`select count(*)::int as n from audit_log
      where action = 'xref.decide' and outcome = 'denied' and target_id = 'dec-s'`.execute(ctx.database.db);
    expect(Number(denied.rows[0]!.n)).toBe(1);
    const self = await analyst.request('POST', '/api/xref/decisions', {
      left: 'dec-b',
      right: 'dec-b',
      judgement: 'positive',
    });
    expect(self.status).toBe(400);
    expect(self.json.error.code).toBe('SVD_XREF_SELF_PAIR');
    const nothing = await analyst.request('GET', '/api/xref/clusters/dec-s');
    expect(nothing.status).toBe(404);
  });

  it('undo through the API, and my recent decisions', async () => {
    const decided = await analyst.request('POST', '/api/xref/decisions', {
      left: 'dec-b',
      right: 'dec-b2',
      judgement: 'unsure',
      reason: 'same name, no dates',
    });
    expect(decided.status).toBe(200);
    const recent = await analyst.request('GET', '/api/xref/decisions?mine=true&limit=5');
    expect(recent.json.items[0]).toMatchObject({
      id: decided.json.edge,
      judgement: 'unsure',
      reason: 'same name, no dates',
      left: { id: 'dec-b2' },
      right: { id: 'dec-b' },
    });
    const undone = await analyst.request('POST', `/api/xref/decisions/${decided.json.edge}/undo`, {});
    expect(undone.status).toBe(200);
    const after = await analyst.request('GET', '/api/xref/decisions?mine=true&limit=5');
    expect(after.json.items.map((d: { id: number }) => d.id)).not.toContain(decided.json.edge);
  });

  it('splits a member out of its cluster page with a reason', async () => {
    const merged = await analyst.request('POST', '/api/xref/decisions', {
      left: 'dec-c2',
      right: 'dec-a',
      judgement: 'positive',
    });
    const clusterId = merged.json.left;
    const missingReason = await analyst.request('POST', `/api/xref/clusters/${clusterId}/split`, {
      entityId: 'dec-c2',
      reason: '',
    });
    expect(missingReason.status).toBe(400);
    const split = await analyst.request('POST', `/api/xref/clusters/${clusterId}/split`, {
      entityId: 'dec-c2',
      reason: 'a namesake',
    });
    expect(split.status).toBe(200);
    const old = await analyst.request('GET', `/api/xref/clusters/${clusterId}`);
    expect(old.json.cluster).toMatchObject({ retiredAs: 'split', current: split.json.cluster });
    expect(old.json.cluster.members.map((m: { id: string }) => m.id)).toEqual(['dec-a', 'dec-a2']);
    // The history names the decision that split the cluster, with its reason.
    const now = await analyst.request('GET', `/api/xref/clusters/${split.json.cluster}`);
    const splitStep = now.json.cluster.lineage.find((l: { kind: string }) => l.kind === 'split');
    expect(splitStep).toMatchObject({
      parent: clusterId,
      child: split.json.cluster,
      decision: { id: split.json.edge, judgement: 'negative', reason: 'a namesake' },
    });
    expect([splitStep.decision.left.id, splitStep.decision.right.id]).toContain('dec-c2');
  });

  it('imports nomenklatura judgement lines, reporting a malformed line by number, and exports them back', async () => {
    const file = [
      JSON.stringify(['NK-abc', 'dec-b', 'positive', null, 'zavod/xref', '2024-03-01T10:00:00.000000']),
      JSON.stringify(['NK-abc', 'ext-1', 'positive', null, 'editor', '2024-03-01T10:00:01']),
      '{"target": "dec-b", broken',
      JSON.stringify({
        target: 'ext-2',
        source: 'ext-3',
        judgement: 'negative',
        score: null,
        user: 'editor',
      }),
      JSON.stringify(['ext-4', 'ext-5', 'no_judgement', 0.8, 'zavod/xref', '2024-03-01T10:00:02']),
      JSON.stringify(['ext-6', 'ext-6', 'positive', null, 'x', null]),
      JSON.stringify(['dec-a', 'dec-a2', 'negative', null, 'bot', null]),
      '',
    ].join('\n');
    const rejects: ImportReject[] = [];
    const summary = await t.runtime.areas.xref.decisions.importLines(system, Readable.from([file]), {
      fileName: 'judgements.ijson',
      onReject: (r) => rejects.push(r),
    });
    expect(rejects.map((r) => r.line)).toEqual([3, 6]);
    expect(summary).toMatchObject({ applied: 3, skipped: 1, rejected: 2, alreadyDecided: 1 });
    // The imported canonical is a node like any other: dec-b joins NK-abc and ext-1.
    expect((await t.runtime.areas.xref.resolver.clusterOf('ext-1')).members).toEqual([
      'NK-abc',
      'dec-b',
      'ext-1',
    ]);
    // A person's positive was not replaced by the file's negative.
    expect(await t.runtime.areas.xref.resolver.judgementsFor([['dec-a', 'dec-a2']])).toEqual(['positive']);

    let text = '';
    for await (const chunk of t.runtime.areas.xref.decisions.exportLines(system)) text += chunk;
    const exported = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Stored (and written) with the greater id by UTF-8 bytes first; nomenklatura's loader orders pairs itself.
    expect(exported).toContainEqual([
      'ext-1',
      'NK-abc',
      'positive',
      null,
      'editor',
      '2024-03-01T10:00:01.000',
    ]);
    expect(exported).toContainEqual(['ext-3', 'ext-2', 'negative', null, 'editor', expect.any(String)]);
    for (const row of exported) {
      expect(row).toHaveLength(6);
      expect(['positive', 'negative', 'unsure']).toContain(row[2]);
    }
  });
});
