// The ocfkit command line. Each command is a small module (command, describe, builder, handler)
// in commands/; handlers import their logic lazily so `--help` and agent calls stay cheap.
import yargs from 'yargs';
import type { CommandModule } from 'yargs';
import { version } from '../../package.json';
import { CliError, cliFailure, printCliError } from './commands/errors';
import { commands } from './commands';

/** What ocfkit is, in one line: --help's heading and the NAME line of ocfkit(8). */
export const CLI_SUMMARY = 'OCF agents and host configuration for Pacemaker virtualization clusters.';
/** yargs' built-in completion command, described here so ocfkit(8) lists it too. */
export const COMPLETION_COMMAND = {
  command: 'completion',
  describe: 'print a bash completion script (source it, or save it to /etc/bash_completion.d/ocfkit)',
};

export async function runCli(argv: string[]): Promise<number> {
  const parser = yargs(argv)
    .scriptName('ocfkit')
    .usage(`$0 <command> [options]\n\n${CLI_SUMMARY}`)
    .locale('en')
    .detectLocale(false)
    .version(version)
    .help()
    .alias('h', 'help')
    .strict()
    .demandCommand(1, 'name a command (see ocfkit --help)')
    .recommendCommands()
    .completion(COMPLETION_COMMAND.command, COMPLETION_COMMAND.describe)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error && !(error instanceof CliError)) throw error;
      // throw to stop yargs: when .fail() returns, a nested command's handler still runs after a
      // validation failure (ocfkit udev generate --typo would write the file)
      throw new CliError(message || error?.message || 'failed', error instanceof CliError ? error.exitCode : 2);
    });
  for (const command of commands) parser.command(command as CommandModule);
  try {
    await parser.parseAsync();
  } catch (error) {
    // yargs spreads some messages over lines ("Invalid values:\n  Argument: ..."): one line
    const failure = cliFailure(error) ?? { message: error instanceof Error ? error.message : String(error), exitCode: 1 };
    printCliError(failure.message);
    return failure.exitCode;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
