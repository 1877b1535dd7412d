// Commands whose arguments need no parsing run without loading yargs: `ocfkit --version`,
// `ocfkit meta-data <Agent>` and `ocfkit agents` are called by scripts and tools in loops, and
// yargs' start-up would double their cost. `ocfkit drbd reconnect --iface <name>`, exactly as the
// interface-up hooks call it (rules/hooks/script.ts), sits between ifup and a reconnected DRBD:
// yargs and its help text cost it about 40 ms on a 2-CPU server and over a second in an emulated
// guest. Each calls the same handler as the full CLI; any other spelling goes through yargs.
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
  if (argv.length === 4 && argv[0] === 'drbd' && argv[1] === 'reconnect' && argv[2] === '--iface' && /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/.test(argv[3]!)) {
    const { drbdReconnectCommand } = await import('./commands/drbd');
    const failed = await settle(() => drbdReconnectCommand.handler({ iface: argv[3], 'dry-run': false, dryRun: false, json: false, _: [], $0: 'ocfkit' }));
    // the handler answers through process.exitCode, as under yargs
    return failed || (typeof process.exitCode === 'number' ? process.exitCode : 0);
  }
  return undefined;
}

async function settle(handler: () => unknown): Promise<number> {
  const { cliFailure, printCliError } = await import('./commands/errors');
  try {
    await handler();
    return 0;
  } catch (error) {
    const failure = cliFailure(error);
    if (!failure) throw error;
    printCliError(failure.message);
    return failure.exitCode;
  }
}
