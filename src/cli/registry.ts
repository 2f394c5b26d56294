/**
 * Registry commands: `import` and `export` of FtM JSON lines; `import --mapping` hands over to the
 * datasets area (mapped CSV/XLSX/SQL sources, see ./datasets.ts).
 *
 *   sviedka --data DIR import --dataset NAME FILE [--rejects FILE] [--title ...] [--restricted]
 *   sviedka --data DIR import --dataset NAME --mapping MAPPING.yml [--source FILE] [--dry-run] [--limit N]
 *   sviedka --data DIR export --dataset NAME [--out FILE] [--merged]
 *
 * Exit codes of `import`: 0 all lines imported or unchanged, 2 done but some lines rejected (see the
 * rejects file), 1 the import could not run (missing file, unknown dataset, ...).
 *
 * Declarations only: what each command does is in `registry-actions.ts`, loaded when it runs.
 */
import type { Command } from 'commander';
import { lazyAction } from './program.js';

const actions = () => import('./registry-actions.js');

export function register(program: Command): void {
  program
    .command('import')
    .description(
      'import FtM JSON lines (one entity a line), or with --mapping a CSV/XLSX/SQL source through an FtM mapping file, into a dataset; creates the dataset if missing',
    )
    .requiredOption('--dataset <name>', 'dataset name (lower-case letters, digits, "-" or "_")')
    .argument('[file]', 'FtM JSON lines file (without --mapping)')
    .option('--mapping <file>', 'FtM mapping file (YAML) whose queries map CSV, XLSX or SQL sources')
    .option('--dry-run', 'with --mapping: print the first entities as FtM JSON lines, write nothing')
    .option('--limit <n>', 'with --mapping: read at most N rows (a dry run reads 100 unless given)')
    .option('--rejects <file>', 'where to write rejected lines (default: <file>.rejects.jsonl)')
    .option('--title <title>', 'title of a new dataset')
    .option(
      '--source <source>',
      'with --mapping: the source file, replacing the one the mapping names; otherwise: source of a new dataset',
    )
    .option('--source-date <date>', 'date of the source (YYYY, YYYY-MM or YYYY-MM-DD)')
    .option('--licence <licence>', 'licence or terms of a new dataset')
    .option('--notes <notes>', 'notes for a new dataset')
    .option('--restricted', 'a new dataset is a restricted compartment (only granted principals see it)')
    .option('--batch-size <n>', 'entities per transaction', '500')
    .action(lazyAction(async () => (await actions()).importDataset));

  program
    .command('export')
    .description('export a dataset as FtM JSON lines')
    .requiredOption('--dataset <name>', 'dataset name')
    .option('--out <file>', 'output file (default: standard output)')
    .option(
      '--merged',
      "one entity per person: records decided to be the same person are written once, under the cluster id, with referents (member ids) and every member's properties",
    )
    .action(lazyAction(async () => (await actions()).exportDataset));
}
