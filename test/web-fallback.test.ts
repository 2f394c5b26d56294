/**
 * The built web app is served for every page of the app, a page whose path holds a registry id with a dot
 * included (`/registry/entities/roster.p-17`); a missing asset stays a coded 404, and so does /api.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.js';
import type { App } from '../src/platform/http/app.js';
import { openRuntime, type Runtime } from '../src/runtime.js';
import { createApp } from '../src/server.js';
import { freshDatabase } from './support/databases.js';

describe('web app fallback', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let runtime: Runtime;
  let app: App;
  beforeAll(async () => {
    fresh = await freshDatabase('pglite');
    const webDist = mkdtempSync(path.join(fresh.dataDir, 'web-'));
    writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>app</title><p>__CSP_NONCE__</p>');
    mkdirSync(path.join(webDist, 'assets'));
    writeFileSync(path.join(webDist, 'assets', 'app.js'), 'export {};');
    const config = loadConfig({
      env: {},
      flags: { dataDir: fresh.dataDir, logLevel: 'silent', demo: false, workers: false },
    });
    runtime = await openRuntime(config, { database: fresh.database });
    app = await createApp(runtime, { logger: false, webDist });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await fresh?.dispose();
  });

  const get = (url: string, accept: string) => app.inject({ method: 'GET', url, headers: { accept } });
  const html = 'text/html,application/xhtml+xml,*/*;q=0.8';

  it('serves the app for pages, with or without a dot in the path', async () => {
    for (const url of [
      '/registry',
      '/registry/entities/roster.p-17',
      '/registry/entities/roster.p-17?tab=x',
    ]) {
      const page = await get(url, html);
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.body).not.toContain('__CSP_NONCE__');
    }
  });

  it('answers a missing asset and an unknown API path with a coded 404', async () => {
    expect((await get('/assets/app.js', '*/*')).statusCode).toBe(200);
    const missing = await get('/assets/missing.js', '*/*');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('SVD_HTTP_NOT_FOUND');
    const api = await get('/api/nothing.here', html);
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('SVD_HTTP_NOT_FOUND');
  });
});
