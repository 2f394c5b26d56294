/**
 * Sanctions commands.
 *
 *   sviedka lists import --format eu-fsf-xml|ofac-sdn-csv|ofac-sdn-xml|uk-sanctions-list-csv|
 *                        uk-sanctions-list-xml|ca-sema-xml|un-consolidated-xml --dataset NAME FILE [FILE ...]
 *
 * `lists import` reads an official list as published into a registry dataset (created if missing) and
 * prints one summary line; a file that cannot be read changes nothing and exits 1 with the reason.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { AppError } from '../platform/errors.js';
import { cliPrincipal, configFrom, progress, withRuntime } from './context.js';

const LIST_FORMATS = [
  'eu-fsf-xml',
  'ofac-sdn-csv',
  'ofac-sdn-xml',
  'uk-sanctions-list-csv',
  'uk-sanctions-list-xml',
  'ca-sema-xml',
  'un-consolidated-xml',
] as const;

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export function register(program: Command): void {
  const lists = program.command('lists').description('official sanctions lists');
  lists
    .command('import')
    .description('import an official list as published (updates a previous import, ends removed listings)')
    .addOption(
      new Option('--format <format>', 'the list and its format').choices(LIST_FORMATS).makeOptionMandatory(),
    )
    .requiredOption('--dataset <name>', 'dataset to import into (created if missing)')
    .option('--title <title>', 'title of a new dataset')
    .argument('<files...>', 'the list file(s); for ofac-sdn-csv sdn.csv and optionally alt.csv and add.csv')
    .action(
      async (
        files: string[],
        opts: { format: (typeof LIST_FORMATS)[number]; dataset: string; title?: string },
        command: Command,
      ) => {
        for (const file of files)
          if (!existsSync(file) || !statSync(file).isFile())
            throw new AppError('SVD_SANCTIONS_LIST_FILES', { message: `No such file: ${file}` });
        const total = files.reduce((sum, file) => sum + statSync(file).size, 0);
        await withRuntime(configFrom(command), async (runtime) => {
          const bar = progress(`Reading ${files.map((f) => path.basename(f)).join(', ')}`, total);
          let summary: Awaited<ReturnType<typeof runtime.areas.sanctions.lists.importList>>;
          try {
            summary = await runtime.areas.sanctions.lists.importList(cliPrincipal(), {
              format: opts.format,
              dataset: opts.dataset,
              title: opts.title,
              files: files.map((file) => ({
                name: path.basename(file),
                open: () => createReadStream(file, { highWaterMark: 256 * 1024 }),
              })),
              onProgress: (bytes) => bar.update(bytes),
            });
          } finally {
            bar.stop();
          }
          if (summary.datasetCreated) process.stderr.write(`Created dataset ${summary.dataset}\n`);
          const skipped = Object.entries(summary.skipped).map(([reason, count]) => `${count} ${reason}`);
          process.stdout.write(
            `${summary.dataset}: ${plural(summary.entries, 'designation')} (${plural(summary.persons, 'person')}, ${plural(summary.organizations, 'organization')}): ` +
              `${summary.added} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.ended} ended` +
              `${skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : ''}\n`,
          );
        });
      },
    );
}
