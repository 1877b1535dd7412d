import type { Argv, CommandModule } from 'yargs';
import { CliError } from '../errors';
import { DEFAULT_OCF_ROOT, DEFAULT_PREFIX } from '../../install/plan';

interface InstallArgs {
  prefix: string;
  'ocf-root': string;
  destdir: string;
  source?: string;
  manifest: boolean;
  'relative-links': boolean;
}

const locations = <T>(y: Argv<T>) =>
  y
    .option('prefix', { type: 'string', default: DEFAULT_PREFIX, describe: 'installation prefix; the executable goes to PREFIX/sbin/ocfkit' })
    .option('ocf-root', { type: 'string', default: DEFAULT_OCF_ROOT, describe: 'OCF root; agent symlinks go to OCF_ROOT/resource.d/ocfkit/' })
    .option('destdir', { type: 'string', default: '', describe: 'stage everything under this directory (for packaging)' });

export const installCommand: CommandModule<object, InstallArgs> = {
  command: 'install',
  describe: 'install this executable and the OCF agent symlinks (idempotent)',
  builder: (y) =>
    locations(y)
      .option('source', { type: 'string', describe: 'executable to install (default: this one)' })
      .option('manifest', { type: 'boolean', default: true, describe: 'record what was installed for "ocfkit uninstall"' })
      .option('relative-links', { type: 'boolean', default: false, describe: 'point the agent symlinks at the executable by a relative path (as Debian packages do)' }) as unknown as Argv<InstallArgs>,
  handler: async (args) => {
    const [{ installPlan }, { applyInstall }, { runningExecutable }, { agentNames }] = await Promise.all([
      import('../../install/plan'),
      import('../../install/apply'),
      import('../../install/self'),
      import('../../registry'),
    ]);
    const self = runningExecutable();
    const source = args.source ?? self.path;
    if (!args.source && !self.single) {
      process.stderr.write(`ocfkit: warning: installing ${source}, a bundle that needs Node.js on the host; install dist/ocfkit for hosts without Node\n`);
    }
    // the .cjs bundle loads its CLI libraries from beside itself (build/cli-libraries/load.cjs)
    const companions = source.endsWith('.cjs') ? ['ocfkit-cli-libraries.cjs'] : [];
    const options = { prefix: args.prefix, ocfRoot: args['ocf-root'], destdir: args.destdir, relativeLinks: args['relative-links'], companions };
    let plan;
    try {
      plan = installPlan(options, agentNames());
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    const report = applyInstall(plan, options, source, args.manifest);
    for (const file of report.changed) process.stdout.write(`installed ${file}\n`);
    for (const file of report.unchanged) process.stdout.write(`unchanged ${file}\n`);
  },
};

export const uninstallCommand: CommandModule<object, InstallArgs> = {
  command: 'uninstall',
  describe: 'remove what "ocfkit install" installed, and nothing else',
  builder: (y) => locations(y) as unknown as Argv<InstallArgs>,
  handler: async (args) => {
    const { applyUninstall } = await import('../../install/apply');
    for (const file of applyUninstall({ prefix: args.prefix, ocfRoot: args['ocf-root'], destdir: args.destdir })) {
      process.stdout.write(`removed ${file}\n`);
    }
  },
};
