/**
 * `sviedka screen`: bulk screening of a JSONL or CSV file against a dataset, streamed (the input is
 * never loaded whole), with a progress bar (rate and ETA) on a terminal. Output goes to stdout or,
 * with --out, to a temporary file that is fsynced and renamed into place when complete.
 *
 * Declarations only: what the command does is in `screening-actions.ts`, loaded when it runs.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { lazyAction } from './program.js';

const actions = () => import('./screening-actions.js');

export function register(program: Command): void {
  program
    .command('screen')
    .description('screen a file of names (JSONL yente queries or CSV id,name,birth_date,gender,nationality)')
    .requiredOption('--dataset <name>', 'dataset to screen against (name or id; repeat with commas)')
    .addOption(
      new Option('--format <format>', 'input format').choices(['jsonl', 'csv']).makeOptionMandatory(),
    )
    .option('--output-format <format>', 'output format (default: same as input)')
    .option('--out <file>', 'output file (default: stdout)')
    .option('--threshold <t>', 'score at or above which a result is a match', '0.7')
    .option('--limit <n>', 'results per query', '5')
    .argument('<input>', 'input file')
    .action(lazyAction(async () => (await actions()).screen));
}
