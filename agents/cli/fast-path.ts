// Commands whose arguments need no parsing run without loading yargs: `ocfkit --version`,
// `ocfkit meta-data <Agent>` and `ocfkit agents` are called by scripts and tools in loops, and
// yargs' start-up would double their cost. They call the same handlers as the full CLI.
import { version } from '../../package.json';

export async function runFastPath(argv: readonly string[]): Promise<number | undefined> {
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (argv.length === 2 && argv[0] === 'meta-data' && /^[\w:]+$/.test(argv[1]!)) {
    const { metaDataCommand } = await import('./commands/meta-data');
    return settle(() => metaDataCommand.handler({ agent: argv[1]!, _: [], $0: 'ocfkit' }));
  }
  if (argv.length === 1 && argv[0] === 'agents') {
    const { agentsCommand } = await import('./commands/agents');
    return settle(() => agentsCommand.handler({ json: false, _: [], $0: 'ocfkit' }));
  }
  return undefined;
}

async function settle(handler: () => unknown): Promise<number> {
  const { CliError } = await import('./errors');
  try {
    await handler();
    return 0;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`ocfkit: ${error.message}\n`);
    return error.exitCode;
  }
}
