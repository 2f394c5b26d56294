/**
 * Browser tests: the real server (built web app, embedded database) driven by Chromium through
 * playwright-core. Run after `npm run build`: `npm run test:e2e`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // A busy CI machine may take a few seconds to show what a page is waiting for.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    reporters: ['default'],
  },
});
