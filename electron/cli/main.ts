/**
 * The `standby-desk` command. Each command lives in commands/<name>.ts and is registered in COMMANDS below.
 * Every command takes --data DIR (default: the app's own data folder, the one the installed app uses);
 * reporting commands take --json. Exit codes: 0 done, 1 failed, 2 wrong usage.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../desk/open';
import { UsageError, type Command, type Out } from './common';
import { demoCommand } from './commands/demo';
import { serveCommand } from './commands/serve';
import { statusCommand } from './commands/status';
import { findCommand } from './commands/find';
import { importCommand } from './commands/import';
import { pullCommand } from './commands/pull';
import { packCommand, printCommand } from './commands/print';
import { backupCommand } from './commands/backup';
import { restoreCommand } from './commands/restore';
import { recoverySheetCommand } from './commands/recovery-sheet';
import { impactReportCommand, reconcileCommand, worklistCommand } from './commands/reconcile';
import { usersCommand } from './commands/users';
import { logCommand } from './commands/log';
import { groupCommand } from './commands/group';
import { readinessCommand } from './commands/readiness';
import { backlogCommand } from './commands/backlog';
import { contactListCommand } from './commands/contact-list';
import { claimSettingsCommand } from './commands/claim-settings';
import { drillCommand } from './commands/drill';

export const COMMANDS: readonly Command[] = [
  serveCommand,
  demoCommand,
  statusCommand,
  findCommand,
  importCommand,
  pullCommand,
  printCommand,
  packCommand,
  backupCommand,
  restoreCommand,
  recoverySheetCommand,
  reconcileCommand,
  worklistCommand,
  impactReportCommand,
  claimSettingsCommand,
  backlogCommand,
  contactListCommand,
  usersCommand,
  logCommand,
  groupCommand,
  readinessCommand,
  drillCommand,
];

export function usage(): string {
  return `standby-desk COMMAND [options]

Commands:
${COMMANDS.map((c) => `  ${c.usage}`).join('\n')}

Every command takes --data DIR (default: ${defaultDataDir()}); reporting commands take --json.
`;
}

const consoleOut: Out = { log: (line) => console.log(line), error: (line) => console.error(line) };

export async function main(argv: string[], out: Out = consoleOut): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    out.error(usage());
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h' || rest.includes('--help') || rest.includes('-h')) {
    out.log(usage());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    return await command.run(rest, out);
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(`standby-desk: ${error.message}\n\n${usage()}`);
      return 2;
    }
    out.error(`standby-desk: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly || process.env['STANDBY_DESK_CLI'] === '1') {
  main(process.argv.slice(2)).then(
    // Exit once stdout has drained: a piped --json report must not be cut short.
    (code) => process.stdout.write('', () => process.exit(code)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
