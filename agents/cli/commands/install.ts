import type { Argv, CommandModule } from 'yargs';
import { CliError } from './errors';
import { DEFAULT_OCF_ROOT, DEFAULT_PREFIX } from '../../core/paths';

interface InstallArgs {
  prefix: string;
  'ocf-root': string;
  destdir: string;
  source?: string;
  manifest: boolean;
  'relative-links': boolean;
}

interface UninstallArgs {
  prefix: string;
  destdir: string;
}

const destdir = <T>(y: Argv<T>) => y.option('destdir', { type: 'string', default: '', describe: 'stage everything under this directory (for packaging)' });

export const installCommand: CommandModule<object, InstallArgs> = {
  command: 'install',
  describe: 'install this executable and the OCF agent symlinks (idempotent; never overwrites a file it did not write)',
  builder: (y) =>
    destdir(
      y
        .option('prefix', { type: 'string', default: DEFAULT_PREFIX, describe: 'installation prefix; the executable goes to PREFIX/sbin/ocfkit' })
        .option('ocf-root', { type: 'string', default: DEFAULT_OCF_ROOT, describe: 'OCF root; agent symlinks go to OCF_ROOT/resource.d/ocfkit/' }),
    )
      .option('source', { type: 'string', describe: 'executable to install (default: this one)' })
      .option('manifest', {
        type: 'boolean',
        default: true,
        describe: 'record what was written (size and SHA-256) in /var/lib/ocfkit/installs/ for "ocfkit uninstall"',
      })
      .option('relative-links', {
        type: 'boolean',
        default: false,
        describe: 'point the agent symlinks at the executable by a relative path (as Debian packages do)',
      }) as unknown as Argv<InstallArgs>,
  handler: async (args) => {
    const [{ installPlan }, { applyInstall, runningExecutable }, { agentNames }] = await Promise.all([
      import('../../install/plan'),
      import('../../install/apply'),
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
    for (const file of report.foreign) process.stdout.write(`unchanged ${file} (already in place, not written by ocfkit install: not recorded)\n`);
  },
};

export const uninstallCommand: CommandModule<object, UninstallArgs> = {
  command: 'uninstall',
  describe: 'remove what "ocfkit install" wrote under a prefix, while it still holds what was written',
  builder: (y) =>
    destdir(
      y.option('prefix', { type: 'string', default: DEFAULT_PREFIX, describe: 'the prefix of the install to remove (each prefix has its own record)' }),
    ) as unknown as Argv<UninstallArgs>,
  handler: async (args) => {
    const { applyUninstall } = await import('../../install/apply');
    const report = applyUninstall({ prefix: args.prefix, destdir: args.destdir });
    for (const file of report.removed) process.stdout.write(`removed ${file}\n`);
    // left in place, not an error: what is there now is not what ocfkit wrote
    for (const { path, reason } of report.kept) process.stderr.write(`ocfkit: kept ${path}: ${reason}\n`);
  },
};
