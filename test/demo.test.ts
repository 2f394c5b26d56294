/**
 * The living demo: the first start of an empty data directory seeds synthetic content into every area, and the
 * home page counts it per role.
 */
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.js';
import { loggedInClient, useTestApp } from './support/app.js';
import { describeEachDatabase } from './support/databases.js';

describeEachDatabase('demo content', (ctx) => {
  const t = useTestApp(ctx);

  it('fills every area once, processes the evidence through the real pipeline, and the home page counts it', async () => {
    expect(await seedDemo(t.runtime)).toBe(true);
    expect(await seedDemo(t.runtime)).toBe(false);
    const admin = await loggedInClient(t, 'admin');
    expect((await admin.request('GET', '/api/home')).json.demo).toBe('preparing');
    await t.runtime.jobs.drain();

    const home = await admin.request('GET', '/api/home');
    expect(home.status).toBe(200);
    expect(home.json.demo).toBe('done');
    const area = (name: string) => home.json.areas.find((a: { area: string }) => a.area === name);
    expect(area('registry').counts.persons).toBeGreaterThan(100);
    expect(area('evidence').counts.items).toBeGreaterThanOrEqual(28);
    expect(area('evidence').counts.incidents).toBe(2);
    expect(area('bot').counts.subscribers).toBe(500);
    expect(area('bot').counts.broadcasts).toBe(1);

    const items = await admin.request('GET', '/api/evidence/items?limit=200');
    const kinds = new Set(items.json.items.map((item: { kind: string }) => item.kind));
    expect(kinds).toEqual(new Set(['image', 'video', 'document']));
    expect(items.json.items.every((i: { processingState: string }) => i.processingState === 'done')).toBe(
      true,
    );
    const photo = items.json.items.find((i: { kind: string }) => i.kind === 'image');
    const detail = await admin.request('GET', `/api/evidence/items/${photo.id}`);
    expect(JSON.stringify(detail.json)).toMatch(/GPS|gps|latitude/);

    // An analyst does not see the restricted collection: fewer items, and nothing waits on failed processing.
    const analyst = await loggedInClient(t, 'analyst');
    const mine = await analyst.request('GET', '/api/home');
    const evidence = mine.json.areas.find((a: { area: string }) => a.area === 'evidence');
    expect(evidence.counts.items).toBeLessThan(area('evidence').counts.items);
    expect(evidence.waiting.map((w: { key: string }) => w.key)).not.toContain('processingFailed');
    expect(mine.json.areas.map((a: { area: string }) => a.area)).not.toContain('bot');

    const broadcasts = await admin.request('GET', '/api/bot/broadcasts');
    expect(broadcasts.json.items[0]).toMatchObject({ state: 'done', total: 500 });
  }, 300_000);
});

describe('demo PDF', () => {
  it('is a PDF', async () => {
    const { demoPdf } = await import('../src/demo/content.js');
    expect(demoPdf(['x']).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
