/** The `sviedka` command line: one program, command groups registered from the areas. */
import { Command } from 'commander';
import { version } from '../runtime.js';
import { register as registerBot } from './bot.js';
import { register as casesCommands } from './cases.js';
import { failAndExit, protectTerminal } from './context.js';
import { register as evidenceCommands } from './evidence.js';
import { platformCommands } from './platform-commands.js';
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
