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
 *
 * Declarations only: what each command does is in `sanctions-actions.ts`, loaded when it runs.
 */
import { type Command, Option } from 'commander';
import { lazyAction } from './program.js';

const actions = () => import('./sanctions-actions.js');

export const LIST_FORMATS = [
  'eu-fsf-xml',
  'ofac-sdn-csv',
  'ofac-sdn-xml',
  'uk-sanctions-list-csv',
  'uk-sanctions-list-xml',
  'ca-sema-xml',
  'un-consolidated-xml',
] as const;

export const EXPORT_FORMATS = [
  'eu-fsf-xml',
  'ofac-sdn-xml',
  'uk-sanctions-list-csv',
  'ftm',
  'csv',
  'dossier-pdf',
] as const;

export const STATES = [
  'draft',
  'in_review',
  'approved',
  'submitted',
  'listed',
  'not_listed',
  'partially_listed',
] as const;

export const JURISDICTIONS = ['EU', 'US', 'UK', 'CA'] as const;

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
    .action(lazyAction(async () => (await actions()).importList));

  const sanctions = program.command('sanctions').description('listing proposals and their exports');
  sanctions
    .command('list')
    .description('list proposals: reference, completeness, state per jurisdiction, name, id')
    .addOption(new Option('--status <state>', 'only proposals with a target in this state').choices(STATES))
    .addOption(
      new Option('--jurisdiction <code>', 'only proposals to this jurisdiction').choices(JURISDICTIONS),
    )
    .action(lazyAction(async () => (await actions()).listProposals));

  sanctions
    .command('export')
    .description('export proposals in a government format, FtM, CSV or as a dossier PDF')
    .addOption(new Option('--format <format>', 'file format').choices(EXPORT_FORMATS).makeOptionMandatory())
    .addOption(new Option('--status <state>', 'only targets in this state (e.g. approved)').choices(STATES))
    .option('--proposal <id>', 'only this proposal (its dossier, with --format dossier-pdf)')
    .requiredOption('--out <file>', 'output file (written whole or not at all)')
    .action(lazyAction(async () => (await actions()).exportProposals));

  sanctions
    .command('evidence-package')
    .description("the vault's export package (manifest, custody) of the evidence a proposal's reasons cite")
    .requiredOption('--proposal <id>', 'the proposal')
    .requiredOption('--out <path>', 'target directory, or FILE.zip')
    .option('--recipient-key <base64>', "encrypt the package to the recipient's X25519 public key")
    .option('--purpose <text>', 'recorded in the custody log, e.g. "EU listing proposal"')
    .action(lazyAction(async () => (await actions()).evidencePackage));
}
