/** Unit tests of the web app's pure parts (translations, formatting); run: npx vitest run --config web/vitest.config.ts */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // The server's platform files (error codes, models) as the app imports them.
  resolve: { alias: { '@platform': fileURLToPath(new URL('../src/platform', import.meta.url)) } },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
