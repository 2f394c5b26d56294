/**
 * Measures how many sendMessage requests per second the emulator sustains, so benchmarks of the
 * broadcaster know the emulator is not their bottleneck.
 *
 *   npx tsx test/telegram/throughput.ts [requests=20000] [concurrency=32]
 *
 * The load generator runs in a worker thread (keep-alive HTTP, fixed concurrency), the emulator in the
 * main thread, as a bot and the emulator would run side by side on one machine. Rate limits are off:
 * the figure is the emulator's own capacity.
 */
import { Worker } from 'node:worker_threads';
import { startTelegramEmulator } from './emulator.js';

const total = Number(process.argv[2] ?? 20000);
const concurrency = Number(process.argv[3] ?? 32);
const users = 1000;
const token = '7000000001:TEST-emulator-token';

const loadGenerator = `
const http = require('node:http');
const { workerData, parentPort } = require('node:worker_threads');
const { port, token, total, concurrency, users } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let started = 0, done = 0, failed = 0;
const t0 = performance.now();
function one() {
  if (started >= total) return;
  const i = started++;
  const body = JSON.stringify({ chat_id: 1 + (i % users), text: 'Safety notice number ' + i + ': stay informed.', parse_mode: 'HTML' });
  const req = http.request({ host: '127.0.0.1', port, path: '/bot' + token + '/sendMessage', method: 'POST', agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
    if (res.statusCode !== 200) failed++;
    res.resume();
    res.on('end', () => { done++; if (done === total) parentPort.postMessage({ ms: performance.now() - t0, failed }); else one(); });
  });
  req.on('error', () => { failed++; done++; one(); });
  req.end(body);
}
for (let c = 0; c < concurrency; c++) one();
`;

async function main(): Promise<void> {
  const emu = await startTelegramEmulator({ token, rateLimits: false, logRequests: true });
  for (let id = 1; id <= users; id++) emu.addUser({ id, firstName: `User ${id}` });
  const port = Number(new URL(emu.apiRoot).port);
  const result = await new Promise<{ ms: number; failed: number }>((resolve, reject) => {
    const worker = new Worker(loadGenerator, {
      eval: true,
      workerData: { port, token, total, concurrency, users },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const perSecond = Math.round((total / result.ms) * 1000);
  console.log(
    `emulator sendMessage throughput: ${perSecond} req/s (${total} requests, concurrency ${concurrency}, ` +
      `${result.failed} failed, ${emu.deliveredCount()} recorded, ${Math.round(result.ms)} ms)`,
  );
  await emu.close();
  process.exit(0);
}

await main();
