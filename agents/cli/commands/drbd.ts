// `ocfkit drbd status | reconnect | split-brain-handler`. Thin: options in, lazily imported logic out.
import type { Argv, CommandModule } from 'yargs';

const stateDir = <T>(y: Argv<T>) =>
  y.option('state-dir', { type: 'string', describe: 'records and split-brain markers (default /var/lib/ocfkit/drbd, or OCFKIT_DRBD_STATE_DIR)' });

const status: CommandModule<object, { json: boolean; 'state-dir'?: string }> = {
  command: 'status',
  describe: 'every DRBD resource: connections, roles, disks, and whether ocfkit would reconnect it and why',
  builder: (y) => stateDir(y).option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as never,
  handler: async (args) => {
    const { statusCommand } = await import('./drbd-logic');
    process.exitCode = await statusCommand({ json: args.json, stateDir: args['state-dir'] });
  },
};

interface ReconnectArgs {
  iface?: string;
  resource?: string[];
  'dry-run': boolean;
  json: boolean;
  'state-dir'?: string;
}

export const drbdReconnectCommand: CommandModule<object, ReconnectArgs> = {
  command: 'reconnect',
  describe:
    'reconnect StandAlone connections that dropped for a network reason (never split-brained or admin-disconnected ones); exit 0 when all are connected or reconnecting, 1 when not, 3 when DRBD cannot be read',
  builder: (y) =>
    stateDir(y)
      .option('iface', { type: 'string', describe: 'only resources whose local replication address is on this interface (for interface-up hooks)' })
      .option('resource', { type: 'string', array: true, describe: 'only this resource (repeatable)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'say what would be done; run nothing, write nothing' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as never,
  handler: async (args) => {
    const { reconnectCommand } = await import('./drbd-logic');
    process.exitCode = await reconnectCommand({
      iface: args.iface,
      resource: args.resource,
      dryRun: args['dry-run'],
      json: args.json,
      stateDir: args['state-dir'],
    });
  },
};

const splitBrainHandler: CommandModule<object, { resource?: string; peer?: string; chain: string[]; 'state-dir'?: string }> = {
  command: 'split-brain-handler',
  describe: "DRBD's split-brain handler: records a marker so ocfkit never reconnects that connection, then runs the --chain handlers",
  builder: (y) =>
    stateDir(y)
      .option('resource', { type: 'string', describe: 'resource (default: $DRBD_RESOURCE, set by drbdadm)' })
      .option('peer', { type: 'string', describe: 'peer name (default: from $DRBD_PEER_NODE_ID / $DRBD_NODE_ID_<id>; all peers when unknown)' })
      .option('chain', {
        type: 'string',
        array: true,
        default: [],
        describe: 'a previously configured handler command line to run afterwards (repeatable)',
      }) as never,
  handler: async (args) => {
    const { splitBrainHandlerCommand } = await import('./drbd-logic');
    process.exitCode = await splitBrainHandlerCommand({ resource: args.resource, peer: args.peer, chain: args.chain, stateDir: args['state-dir'] });
  },
};

export const drbdCommand: CommandModule = {
  command: 'drbd <command>',
  describe: 'DRBD: status, reconnect after a network restart, split-brain handler',
  builder: (y) =>
    y.command(status).command(drbdReconnectCommand).command(splitBrainHandler).demandCommand(1, 'name a drbd command: status, reconnect, split-brain-handler'),
  handler: () => undefined,
};
