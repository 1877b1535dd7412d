import type { CommandModule } from 'yargs';
import { agentNames } from '../../registry';

export const agentsCommand: CommandModule<object, { json: boolean }> = {
  command: 'agents',
  describe: 'list the OCF agents in this executable (one per line)',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'print a JSON array of {name, class, provider}' }),
  handler: (args) => {
    const names = agentNames();
    if (args.json) {
      process.stdout.write(
        JSON.stringify(
          names.map((name) => ({ name, class: 'ocf', provider: 'ocfkit', type: `ocf:ocfkit:${name}` })),
          null,
          2,
        ) + '\n',
      );
    } else {
      process.stdout.write(names.map((n) => `${n}\n`).join(''));
    }
  },
};
