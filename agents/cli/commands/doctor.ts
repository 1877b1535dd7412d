// `ocfkit doctor`: every layer of the cluster checked at once. Thin: options in, agents/doctor out.
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_CONFIG } from '../../../rules/config/defaults';
import type { DoctorArgs } from '../doctor/command';

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe:
    'check the cluster, this node and its peers (fencing, constraints, DRBD, libvirt, locks, leases, clocks, hooks, udev); exit 2 on errors, 1 on warnings with --strict',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'print the findings as JSON' })
      .option('strict', { type: 'boolean', default: false, describe: 'exit 1 when there are warnings (and no errors)' })
      .option('timeout', { type: 'number', default: 5, describe: 'seconds each command and each peer may take before it counts as not answering' })
      .option('iface', { type: 'string', describe: 'replication interface for the hooks check (default: those of the DRBD configuration)' })
      .option('udev-config', { type: 'string', default: DEFAULT_CONFIG, describe: 'udev tuning config compared with sysfs (skipped when absent)' })
      .option('root', { type: 'string', default: '/', hidden: true, describe: 'root of the node files (tests)' })
      .option('verbose', { type: 'boolean', default: false, describe: 'log every command run' }) as unknown as Argv<DoctorArgs>,
  handler: async (args) => {
    const { runDoctor } = await import('../doctor/command');
    process.exitCode = await runDoctor(args);
  },
};
