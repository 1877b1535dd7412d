// `ocfkit hooks generate|install|doctor`: network "interface up" hooks that reconnect DRBD.
// Thin: options in, the logic in agents/cli/commands/hooks-logic.ts imported lazily.
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_EXECUTABLE as DEFAULT_OCFKIT } from '../../core/paths';
import { STACK_NAMES } from '../../../rules/hooks/types';

// Checked in the logic (one-line error naming the choices); listed here for --help.
const STACKS_HELP = `${STACK_NAMES.slice(0, -1).join(', ')} or ${STACK_NAMES[STACK_NAMES.length - 1]}`;

const generate: CommandModule<object, { stack: string; out?: string; ocfkit: string }> = {
  command: 'generate',
  describe: 'print the hook files for a network stack, or write them below --out',
  builder: (y) =>
    y
      .option('stack', { type: 'string', demandOption: true, describe: `network stack: ${STACKS_HELP}` })
      .option('out', { type: 'string', describe: 'write the files below this directory at their real paths instead of printing them' })
      .option('ocfkit', { type: 'string', default: DEFAULT_OCFKIT, describe: 'absolute path of ocfkit the hooks call' }) as unknown as Argv<{
      stack: string;
      out?: string;
      ocfkit: string;
    }>,
  handler: async (args) => {
    const { runGenerate } = await import('./hooks-logic');
    process.exitCode = runGenerate(args);
  },
};

const install: CommandModule<object, { stack?: string; root: string; ocfkit: string; iface?: string }> = {
  command: 'install',
  describe: "install the hooks of this node's network stack (detected unless --stack)",
  builder: (y) =>
    y
      .option('stack', { type: 'string', describe: `network stack (default: detected): ${STACKS_HELP}` })
      .option('root', { type: 'string', default: '/', describe: 'root directory of the node' })
      .option('ocfkit', { type: 'string', default: DEFAULT_OCFKIT, describe: 'absolute path of ocfkit the hooks call' })
      .option('iface', {
        type: 'string',
        describe:
          'replication interface (default: those of the DRBD configuration); picks the stack that configures it; wicked: sets POST_UP_SCRIPT in its ifcfg',
      }) as unknown as Argv<{
      stack?: string;
      root: string;
      ocfkit: string;
      iface?: string;
    }>,
  handler: async (args) => {
    const { runInstall } = await import('./hooks-logic');
    process.exitCode = await runInstall(args);
  },
};

const doctor: CommandModule<object, { json: boolean; root: string; iface?: string; stack?: string }> = {
  command: 'doctor',
  describe: "report the node's network stack, whether the hook is in place and intact, and SUSE STARTMODE",
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
      .option('root', { type: 'string', default: '/', describe: 'root directory of the node' })
      .option('iface', { type: 'string', describe: 'replication interface (default: those of the DRBD configuration, on this node)' })
      .option('stack', { type: 'string', describe: `network stack (default: detected): ${STACKS_HELP}` }) as unknown as Argv<{
      json: boolean;
      root: string;
      iface?: string;
      stack?: string;
    }>,
  handler: async (args) => {
    const { runDoctor } = await import('./hooks-logic');
    process.exitCode = await runDoctor(args);
  },
};

export const hooksCommand: CommandModule = {
  command: 'hooks <command>',
  describe: 'network hooks that reconnect DRBD after an interface comes back up',
  builder: (y) =>
    y
      .command(generate as CommandModule)
      .command(install as CommandModule)
      .command(doctor as CommandModule)
      .demandCommand(1, 'name a hooks command: generate, install or doctor'),
  handler: () => undefined,
};
