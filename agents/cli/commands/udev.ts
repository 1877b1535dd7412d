// ocfkit udev generate|apply|status: block tuning as a generated udev rules file. Thin: options
// in, rules/udev/* out (imported lazily).
import type { Argv, CommandModule } from 'yargs';
import { CliError } from './errors';
import { DEFAULT_CONFIG, UDEV_RULES_DIR as DEFAULT_RULES_DIR, UDEV_RULES_NAME as RULES_NAME } from '../../../rules/config/defaults';

interface Common {
  config: string;
  verbose: boolean;
}

const common = <T>(y: Argv<T>) =>
  y
    .option('config', { type: 'string', default: DEFAULT_CONFIG, describe: 'site config (YAML)' })
    .option('verbose', { type: 'boolean', default: false, describe: 'log every command run' });

/** Runs the logic with an executor and io; config and udev errors reach cliFailure (./errors). */
async function withContext(args: Common, body: (ctx: import('./udev-context').UdevContext) => Promise<number>): Promise<void> {
  const { createUdevContext } = await import('./udev-context');
  process.exitCode = await body(await createUdevContext(args.verbose));
}

type GenerateArgs = Common & { out: string; check: boolean; stdout: boolean };

const generate: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: `write the rules file from the config (default ${DEFAULT_RULES_DIR}/${RULES_NAME}); never overwrites a file ocfkit did not generate; a config error exits 2`,
  builder: (y) =>
    common(y)
      .option('out', { type: 'string', default: `${DEFAULT_RULES_DIR}/${RULES_NAME}`, describe: 'rules file to write' })
      .option('stdout', { type: 'boolean', default: false, describe: 'print the rules instead of writing them' })
      .option('check', {
        type: 'boolean',
        default: false,
        describe: 'write nothing; exit 1 and print a diff when the installed file differs',
      }) as unknown as Argv<GenerateArgs>,
  handler: (args) =>
    withContext(args, async (ctx) => {
      if (args.stdout && args.check) throw new CliError('--stdout and --check exclude each other', 2);
      const { generate: run } = await import('../../../rules/udev/generate');
      return run(ctx.exec, { config: args.config, out: args.stdout ? '-' : args.out, check: args.check, version: ctx.version }, ctx.io);
    }),
};

const apply: CommandModule<object, Common & { 'rules-dir': string; sysfs: string }> = {
  command: 'apply',
  describe:
    'install the rules file, reload udev, send change events to the matched devices only and verify the values landed in sysfs (exit 1 lists the devices where not)',
  builder: (y) =>
    common(y)
      .option('rules-dir', { type: 'string', default: DEFAULT_RULES_DIR, describe: `directory for ${RULES_NAME}` })
      .option('sysfs', { type: 'string', default: '/sys', hidden: true, describe: 'sysfs root (tests)' }) as unknown as Argv<
      Common & { 'rules-dir': string; sysfs: string }
    >,
  handler: (args) =>
    withContext(args, async (ctx) => {
      const { applyRules } = await import('../../../rules/udev/apply');
      return applyRules(
        ctx.exec,
        { config: args.config, rulesFile: `${args['rules-dir']}/${RULES_NAME}`, sysfsRoot: args.sysfs, version: ctx.version },
        ctx.io,
      );
    }),
};

const status: CommandModule<object, Common & { json: boolean; sysfs: string }> = {
  command: 'status',
  describe: 'desired and current value of every tunable on every matched device, and selectors that match nothing (exit 1 on drift)',
  builder: (y) =>
    common(y)
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' })
      .option('sysfs', { type: 'string', default: '/sys', hidden: true, describe: 'sysfs root (tests)' }) as unknown as Argv<
      Common & { json: boolean; sysfs: string }
    >,
  handler: (args) =>
    withContext(args, async (ctx) => {
      const { showStatus } = await import('../../../rules/udev/status');
      return showStatus(ctx.exec, { config: args.config, sysfsRoot: args.sysfs, json: args.json }, ctx.io);
    }),
};

export const udevCommand: CommandModule = {
  command: 'udev <command>',
  describe: 'block device tuning (readahead, md stripe cache, queue attributes) as udev rules',
  builder: (y) =>
    y
      .command(generate as CommandModule)
      .command(apply as CommandModule)
      .command(status as CommandModule)
      .demandCommand(1, 'name a udev command: generate, apply or status'),
  handler: () => undefined,
};
