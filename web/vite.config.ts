/**
 * Builds the single-page app into web/dist. The server serves index.html with a per-request CSP nonce
 * (replacing __CSP_NONCE__), so nothing here may rely on inline scripts or eval.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  resolve: {
    // Lets the app import types from the server's Zod schemas (import type only: nothing server-side is bundled).
    alias: {
      '@platform': fileURLToPath(new URL('../src/platform', import.meta.url)),
      '@evidence': fileURLToPath(new URL('../src/evidence', import.meta.url)),
      '@incidents': fileURLToPath(new URL('../src/incidents', import.meta.url)),
      '@bot': fileURLToPath(new URL('../src/bot', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The preload polyfill is only for old browsers; skipping it keeps the entry free of injected code.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    // Development: `npx vite --config web/vite.config.ts` with the API on SVIEDKA_API (default :8080).
    proxy: { '/api': process.env.SVIEDKA_API ?? 'http://127.0.0.1:8080' },
  },
});
