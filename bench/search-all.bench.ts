/**
 * The top bar's search across all resources (`GET /api/search/all` without HTTP): every area's search
 * at once — people (screening index, grouped by person), evidence items (file name, source, and the
 * encrypted notes opened one by one), incidents (encrypted description and place opened too), cases
 * (each subject opened under its case key), sanctions proposals. Baseline in the same run: the people
 * search alone, which the old top bar made, so the ratio shows what the other sections add per keystroke.
 * An analyst's view (staff, no grants); embedded database.
 *
 * Usage: npx tsx bench/search-all.bench.ts [persons=5000] [items=1000] [cases=300] [runs=30]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Principal } from '../src/platform/auth/model.js';
import { loadConfig } from '../src/platform/config.js';
import { type SearchHook, searchAll } from '../src/platform/search.js';
import { openRuntime } from '../src/runtime.js';
import { streamPersons } from '../test/fixtures/screening/generator.js';

const PERSONS = Number(process.argv[2] ?? 5000);
const ITEMS = Number(process.argv[3] ?? 1000);
const CASES = Number(process.argv[4] ?? 300);
const RUNS = Number(process.argv[5] ?? 30);
const system: Principal = { type: 'system', label: 'bench' };
const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

const work = mkdtempSync(path.join(tmpdir(), 'svd-search-bench-'));
const config = loadConfig({
  env: {},
  flags: { dataDir: path.join(work, 'data'), logLevel: 'silent', demo: false, workers: false },
});
const runtime = await openRuntime(config);
try {
  const { registry, evidence, incidents, cases, screening, sanctions } = runtime.areas;
  const persons = [...streamPersons(PERSONS, 11)];
  const dataset = await registry.service.createDataset(system, { name: 'bench-people', title: 'People' });
  await registry.service.importStream(
    system,
    dataset.id,
    Readable.from(
      persons.map(
        (p) =>
          `${JSON.stringify({ id: p.id, schema: 'Person', properties: { name: p.names, birthDate: [p.birthDate] } })}\n`,
      ),
    ),
  );
  const surname = (i: number) => persons[i % persons.length]!.surnameBe;
  for (let i = 0; i < ITEMS; i++)
    await evidence.intake({
      stream: Readable.from([Buffer.from(`synthetic statement ${i}`)]),
      fileName: `statement-${i}.txt`,
      channel: 'cli',
      actor: system,
      note: `Сведка ${surname(i)}, пратакол ${i}`,
    });
  for (let i = 0; i < ITEMS / 5; i++)
    await incidents.service.createIncident(system, {
      title: `Затрыманне ${i}`,
      description: `Затрымалі ${surname(i * 7)} каля дома`,
      place: `Мінск, вуліца ${i}`,
    });
  for (let i = 0; i < CASES; i++)
    await cases.service.create(system, {
      requesterOrg: 'Synthetic Partner',
      purpose: 'Employment vetting (synthetic)',
      subject: { names: [persons[(i * 13) % persons.length]!.names[0]!] },
    });
  for (let i = 0; i < 50; i++)
    await sanctions.proposals.create(system, {
      entityId: persons[i * 3]!.id,
      targets: [{ jurisdiction: 'EU', programme: 'BLR' }],
    });
  await screening.service.ensureIndex();
  const analyst = await runtime.auth.createUser(system, {
    username: 'bench-analyst',
    displayName: 'Bench analyst',
    role: 'analyst',
  });
  const principal: Principal = {
    type: 'user',
    id: analyst.user.id,
    username: 'bench-analyst',
    role: 'analyst',
  };

  const hooks = Object.entries(runtime.areas).flatMap(([name, area]) =>
    'search' in area && area.search ? [[name, area.search as SearchHook] as const] : [],
  );
  const texts = Array.from({ length: RUNS }, (_, i) => surname(i * 31));
  const measure = async (label: string, call: (text: string) => Promise<unknown>) => {
    await call(texts[0]!); // warm
    const times: number[] = [];
    for (const text of texts) {
      const started = process.hrtime.bigint();
      await call(text);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    console.log(`${label}: p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms`);
    return at(0.5);
  };
  console.log(
    `Data: ${PERSONS} persons, ${ITEMS} items with notes, ${ITEMS / 5} incidents, ${CASES} cases, 50 proposals; ${RUNS} surnames; load ${load()}`,
  );
  const baseline = await measure('baseline: people search alone', (text) =>
    screening.service.search(principal, text, [], 5, { clusters: true }),
  );
  for (const [area, hook] of hooks) await measure(`  ${area} alone`, (text) => hook(principal, text, 5));
  const all = await measure('search across all areas', (text) =>
    searchAll(principal, text, 5, hooks, runtime.logger),
  );
  console.log(`ratio all / people alone (p50): ${(all / baseline).toFixed(2)}; load ${load()}`);
} finally {
  await runtime.close();
  rmSync(work, { recursive: true, force: true });
}
