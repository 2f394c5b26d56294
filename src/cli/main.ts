/**
 * The `sviedka` command line: one program, command groups registered from the areas. Arguments are
 * parsed before anything heavy loads: the files imported here declare commands and flags only, and a
 * command's code (with the runtime and its area) is imported when that command runs (`lazyAction` in
 * `program.ts`). A new area adds its declarations file here, one line, and keeps its actions apart.
 */
import { Command } from 'commander';
import { version } from '../platform/package-info.js';
import { register as registerBot } from './bot.js';
import { register as casesCommands } from './cases.js';
import { register as evidenceCommands } from './evidence.js';
import { platformCommands } from './platform-commands.js';
import { failAndExit, protectTerminal } from './program.js';
import { register as registryCommands } from './registry.js';
import { register as sanctionsCommands } from './sanctions.js';
import { register as screeningCommands } from './screening.js';
import { register as xrefCommands } from './xref.js';

const program = new Command('sviedka')
  .description('Sviedka: evidence, registry, screening and outreach for human-rights accountability')
  .version(version)
  .option('--data <dir>', 'data directory (env SVIEDKA_DATA_DIR; default ./data)')
  .option('--config <file>', 'JSON config file (env SVIEDKA_CONFIG)')
  .option('--log-level <level>', 'log level (env SVIEDKA_LOG_LEVEL)')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

// Command groups, one line per area.
for (const register of [
  platformCommands,
  evidenceCommands,
  registryCommands,
  screeningCommands,
  xrefCommands,
  registerBot,
  sanctionsCommands,
  casesCommands,
])
  register(program);

protectTerminal();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  failAndExit(error);
}
