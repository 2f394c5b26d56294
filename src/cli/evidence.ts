/**
 * `sviedka evidence ...`: add files, import a directory of seized data, show, verify, export.
 * Declarations only: what each command does is in `evidence-actions.ts`, loaded when it runs.
 */
import type { Command } from 'commander';
import { lazyAction } from './program.js';

const actions = () => import('./evidence-actions.js');

export function register(program: Command): void {
  const evidence = program.command('evidence').description('evidence vault: intake, verification, export');

  evidence
    .command('add <files...>')
    .description('store files as evidence items; prints each item id and SHA-256')
    .option('--incident <id>', 'link the items to this incident')
    .option('--source <text>', 'where the files came from')
    .option('--note <text>', 'a note kept with each item')
    .option('--collection <name>', 'the collection (compartment) for new items (default "General")')
    .option('--json', 'one JSON object per file')
    .option('--no-process', 'do not extract metadata and make previews now (the workers will)')
    .action(lazyAction(async () => (await actions()).add));

  evidence
    .command('import-dir <dir>')
    .description('import every file under a directory (seized data), keeping relative paths and file times')
    .requiredOption('--source <text>', 'where the data came from (acquisition provenance)')
    .option('--incident <id>', 'link the items to this incident')
    .option('--collection <name>', 'the collection (compartment) for new items (default "General")')
    .option('--json', 'one JSON object per file')
    .option('--no-process', 'do not process now')
    .action(lazyAction(async () => (await actions()).importDir));

  evidence
    .command('show <id>')
    .description('an item with its metadata records, processing events and custody log')
    .option('--json', 'JSON output')
    .action(lazyAction(async () => (await actions()).show));

  evidence
    .command('verify [id]')
    .description('re-hash stored blobs and check every custody chain (one item, or --all)')
    .option('--all', 'every item')
    .option('--json', 'JSON output')
    .action(lazyAction(async () => (await actions()).verify));

  evidence
    .command('export')
    .description('write an export package (directory, or a .zip file) for OHCHR / ICC')
    .option('--incident <id>', 'every item of this incident')
    .option('--items <ids>', 'comma-separated item ids')
    .requiredOption('--out <path>', 'target directory, or FILE.zip')
    .option('--recipient-key <base64>', "encrypt the package to the recipient's X25519 public key")
    .option('--purpose <text>', 'recorded in the custody log, e.g. "OHCHR submission"')
    .action(lazyAction(async () => (await actions()).exportPackage));

  evidence
    .command('collections')
    .description('list the collections (compartments) with their item counts')
    .option('--json', 'JSON output')
    .action(lazyAction(async () => (await actions()).listCollections));

  evidence
    .command('collection-add <name>')
    .description('create a collection; restricted (seen only by admins and those granted it) unless --open')
    .option('--open', 'visible to every analyst and reviewer')
    .option('--description <text>', 'what belongs in it')
    .action(lazyAction(async () => (await actions()).addCollection));

  evidence
    .command('recipient-keys')
    .description('make an X25519 key pair for receiving encrypted packages (keep the secret key offline)')
    .action(lazyAction(async () => (await actions()).recipientKeys));

  evidence
    .command('open-package <file>')
    .description('decrypt an encrypted export package to a ZIP file (recipient side, no database needed)')
    .requiredOption('--public-key <base64>', "the recipient's public key")
    .requiredOption('--secret-key <base64>', "the recipient's secret key")
    .requiredOption('--out <file.zip>', 'where to write the ZIP')
    .action(lazyAction(async () => (await actions()).openPackage));
}
