/**
 * Sanctions commands.
 *
 *   sviedka lists import --format eu-fsf-xml|ofac-sdn-csv|ofac-sdn-xml|uk-sanctions-list-csv|
 *                        uk-sanctions-list-xml|ca-sema-xml|un-consolidated-xml --dataset NAME FILE [FILE ...]
 *
 *   sviedka sanctions list [--status STATE] [--jurisdiction EU|US|UK|CA]
 *   sviedka sanctions export --format eu-fsf-xml|ofac-sdn-xml|uk-sanctions-list-csv|ftm|csv|dossier-pdf
 *                            [--status approved] [--proposal ID] --out FILE
 *
 * `lists import` reads an official list as published into a registry dataset (created if missing) and
 * prints one summary line; a file that cannot be read changes nothing and exits 1 with the reason.
 * `sanctions list` prints one line per proposal: reference, completeness, state per jurisdiction,
 * name, id. `sanctions export` writes the file whole or not at all (temporary name, fsync, rename).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { AppError } from '../platform/errors.js';
import { atomicWriter } from './atomic-writer.js';
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

const EXPORT_FORMATS = [
  'eu-fsf-xml',
  'ofac-sdn-xml',
  'uk-sanctions-list-csv',
  'ftm',
  'csv',
  'dossier-pdf',
] as const;
const STATES = [
  'draft',
  'in_review',
  'approved',
  'submitted',
  'listed',
  'not_listed',
  'partially_listed',
] as const;
const JURISDICTIONS = ['EU', 'US', 'UK', 'CA'] as const;

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

  const sanctions = program.command('sanctions').description('listing proposals and their exports');
  sanctions
    .command('list')
    .description('list proposals: reference, completeness, state per jurisdiction, name, id')
    .addOption(new Option('--status <state>', 'only proposals with a target in this state').choices(STATES))
    .addOption(
      new Option('--jurisdiction <code>', 'only proposals to this jurisdiction').choices(JURISDICTIONS),
    )
    .action(
      async (
        opts: { status?: (typeof STATES)[number]; jurisdiction?: (typeof JURISDICTIONS)[number] },
        command: Command,
      ) => {
        await withRuntime(configFrom(command), async (runtime) => {
          const proposals = await runtime.areas.sanctions.proposals.list(cliPrincipal(), {
            state: opts.status,
            jurisdiction: opts.jurisdiction,
          });
          for (const p of proposals) {
            const states = p.targets.map((t) => `${t.jurisdiction}:${t.state}`).join(' ');
            process.stdout.write(
              `${p.reference}\t${Math.round(p.completeness.score * 100)}%\t${states}\t${p.content.identity.nameLatin || p.caption}\t${p.id}\n`,
            );
          }
          process.stderr.write(`${plural(proposals.length, 'proposal')}\n`);
        });
      },
    );

  sanctions
    .command('export')
    .description('export proposals in a government format, FtM, CSV or as a dossier PDF')
    .addOption(new Option('--format <format>', 'file format').choices(EXPORT_FORMATS).makeOptionMandatory())
    .addOption(new Option('--status <state>', 'only targets in this state (e.g. approved)').choices(STATES))
    .option('--proposal <id>', 'only this proposal (its dossier, with --format dossier-pdf)')
    .requiredOption('--out <file>', 'output file (written whole or not at all)')
    .action(
      async (
        opts: {
          format: (typeof EXPORT_FORMATS)[number];
          status?: (typeof STATES)[number];
          proposal?: string;
          out: string;
        },
        command: Command,
      ) => {
        await withRuntime(configFrom(command), async (runtime) => {
          const exports = runtime.areas.sanctions.exports;
          const selection = {
            status: opts.status,
            ...(opts.proposal ? { proposalIds: [opts.proposal] } : {}),
          };
          const { proposals } = await exports.select(cliPrincipal(), { format: opts.format, ...selection });
          const out = await atomicWriter(opts.out);
          try {
            if (opts.format === 'dossier-pdf') {
              const issued = await exports.pdf(cliPrincipal(), selection);
              await out.write(issued.pdf);
              await out.commit();
              process.stderr.write(
                `${plural(proposals.length, 'proposal')} to ${opts.out} (report version ${issued.report.version}, verification code ${issued.report.verificationCode}${issued.report.draft ? ', draft' : ''})\n`,
              );
              return;
            }
            for await (const chunk of exports.text(cliPrincipal(), { format: opts.format, ...selection }))
              await out.write(chunk);
            await out.commit();
            process.stderr.write(`${plural(proposals.length, 'proposal')} to ${opts.out}\n`);
          } catch (error) {
            await out.abort();
            throw error;
          }
        });
      },
    );
}
