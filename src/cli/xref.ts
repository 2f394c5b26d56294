/**
 * Commands of cross-referencing:
 *   sviedka xref run --dataset A [--against B[,C]] [--threshold T] [--out FILE]
 *       runs (or reuses, or resumes) the xref of A against B (default: every other dataset); progress on
 *       stderr; with --out every suggested pair as a JSON line
 *       {"left": id in A, "right": id in B, "score": 0..1, "match": score >= T, "explanations": [...]}
 *   sviedka xref decide LEFT RIGHT positive|negative|unsure [--reason TEXT]
 *   sviedka resolver export [--out FILE]     judgements as nomenklatura resolver lines
 *   sviedka resolver import FILE             exit 2 when some lines were rejected (reported with numbers)
 *
 * Declarations only: what each command does is in `xref-actions.ts`, loaded when it runs.
 */
import type { Command } from 'commander';
import { lazyAction } from './program.js';

const actions = () => import('./xref-actions.js');

export function register(program: Command): void {
  const xref = program
    .command('xref')
    .description('cross-referencing: find and decide the same person across datasets');
  xref
    .command('run')
    .description('cross-reference a dataset against others: candidate pairs for review, written with --out')
    .requiredOption('--dataset <name>', 'dataset to cross-reference (name or id)')
    .option(
      '--against <names>',
      'dataset(s) to compare against, comma-separated (default: every other dataset)',
    )
    .option('--threshold <t>', 'score at or above which a pair is a match (as screening)', '0.7')
    .option('--out <file>', 'write every suggested pair as JSON lines to this file')
    .action(lazyAction(async () => (await actions()).runXref));

  xref
    .command('decide')
    .description('judge two entities (or clusters): positive = same, negative = different, unsure')
    .argument('<left>', 'entity or cluster id')
    .argument('<right>', 'entity or cluster id')
    .argument('<judgement>', 'positive, negative or unsure')
    .option('--reason <text>', 'why (kept with the decision and in the audit log)')
    .action(lazyAction(async () => (await actions()).decide));

  const resolver = program
    .command('resolver')
    .description("the resolver's judgements as files (nomenklatura format)");
  resolver
    .command('export')
    .description(
      'write every live judgement as JSON lines [target, source, judgement, score, user, created_at]',
    )
    .option('--out <file>', 'output file (default: standard output)')
    .action(lazyAction(async () => (await actions()).exportResolver));

  resolver
    .command('import')
    .description('import judgements (nomenklatura resolver lines); never replaces a decision already made')
    .argument('<file>', 'JSON lines file')
    .action(lazyAction(async () => (await actions()).importResolver));
}
