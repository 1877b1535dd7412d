import type { CommandModule } from 'yargs';
import { agentFromArgument } from './agent-argument';

export const runCommand: CommandModule<object, { agent: string; action: string }> = {
  command: 'run <agent> <action>',
  describe: 'run an agent action with the OCF_RESKEY_* environment (the same as calling its symlink)',
  builder: (y) =>
    y
      .positional('agent', { type: 'string', demandOption: true })
      .positional('action', { type: 'string', demandOption: true, describe: 'start, stop, monitor, validate-all, meta-data, ...' }),
  handler: async (args) => {
    const { runAgentProcess } = await import('../../ocf/process');
    process.exitCode = await runAgentProcess(await agentFromArgument(args.agent), [args.action]);
  },
};
