import type { CommandModule } from 'yargs';
import { agentFromArgument } from './agent-argument';

export const metaDataCommand: CommandModule<object, { agent: string }> = {
  command: 'meta-data <agent>',
  describe: "print an agent's OCF meta-data XML",
  builder: (y) => y.positional('agent', { type: 'string', demandOption: true, describe: 'agent name, e.g. VirtualMachine' }),
  handler: async (args) => {
    const { renderMetaData } = await import('../../ocf/metadata');
    process.stdout.write(renderMetaData(await agentFromArgument(args.agent)));
  },
};
