/**
 * `sviedka cases ...`: verification requests from the command line (the contract external checks use).
 *
 *   cases create --requester ORG --purpose TEXT --subject-name NAME [--subject-name NAME ...]
 *                [--birth-date DATE] [--due DATE] [--retention short|standard|long] [--json]
 *   cases list [--status S] [--json]          cases show ID [--json]
 *   cases screen ID [--json]                  cases report ID --out FILE.pdf [--draft] [--language be|ru|en]
 *   cases verify-report FILE                  cases purge --due
 *
 * `verify-report` exits 0 for an unaltered report or draft we issued (saying which case, version and
 * whether draft or released), 1 with one clear line otherwise.
 *
 * Declarations only: what each command does is in `cases-actions.ts`, loaded when it runs.
 */
import { type Command, Option } from 'commander';
import { lazyAction } from './program.js';

const actions = () => import('./cases-actions.js');

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  const cases = program
    .command('cases')
    .description('verification cases: requests, screening, reports, retention');

  cases
    .command('create')
    .description('file a verification request (prints the case; with --json as JSON with its id)')
    .requiredOption('--requester <org>', 'requesting organization')
    .requiredOption('--purpose <text>', 'purpose of the request')
    .requiredOption(
      '--subject-name <name>',
      'a name of the person (repeat for more names, any script)',
      collect,
    )
    .option('--birth-date <date>', 'birth date: YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY')
    .option('--legal-basis <text>', 'legal basis of the request')
    .option('--due <date>', 'due date (YYYY-MM-DD)')
    .addOption(
      new Option('--retention <class>', 'retention class')
        .choices(['short', 'standard', 'long'])
        .default('standard'),
    )
    .option('--json', 'print the case as JSON')
    .action(lazyAction(async () => (await actions()).createCase));

  cases
    .command('list')
    .description('list cases, newest first')
    .option('--status <status>', 'only cases in this state')
    .option('--json', 'JSON output')
    .action(lazyAction(async () => (await actions()).listCases));

  cases
    .command('show <id>')
    .description('show a case')
    .option('--json', 'JSON output')
    .action(lazyAction(async () => (await actions()).showCase));

  cases
    .command('screen <id>')
    .description('screen the case subject against everything visible; snapshot the hits with the case')
    .option('--json', 'JSON output')
    .action(lazyAction(async () => (await actions()).screenCase));

  cases
    .command('report <id>')
    .description('issue the report as PDF: the released one, or a watermarked draft with --draft')
    .requiredOption('--out <file>', 'where to write the PDF (the JSON twin goes beside it, .json)')
    .option('--draft', 'a draft (watermarked), possible at any stage')
    .addOption(
      new Option('--language <lang>', 'language of the labels').choices(['be', 'ru', 'en']).default('be'),
    )
    .action(lazyAction(async () => (await actions()).reportCase));

  cases
    .command('verify-report <file>')
    .description('tell whether a file is an unaltered report we issued (exit 0), or not (exit 1)')
    .option('--json', 'JSON output')
    .action(lazyAction(async () => (await actions()).verifyReport));

  cases
    .command('purge')
    .description('erase the subject data of cases whose retention period has ended (crypto-shredding)')
    .requiredOption('--due', 'erase every case that is due (the only mode)')
    .action(lazyAction(async () => (await actions()).purge));
}
