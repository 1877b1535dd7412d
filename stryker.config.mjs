// StrykerJS configuration for `npm run mutation` (build/mutation.mjs). One Stryker run per module:
// the command runner runs only the test files that exercise that module, so a mutant costs one
// small uvu run, not the whole suite (uvu has no Stryker runner plugin; the command runner starts
// a process per mutant and activates it through __STRYKER_ACTIVE_MUTANT__).
// OCFKIT_MUTATION_MODULE names the module (see MODULES); build/mutation.mjs sets it.

/** Safety-critical modules, the files mutated, and the tests that must notice a broken line. */
export const MODULES = {
  'vm-guards': {
    mutate: ['agents/virtual-machine/guards.ts', 'agents/virtual-machine/run-guards.ts'],
    tests: [
      'test/agents/virtual-machine/guards.test.ts',
      'test/agents/virtual-machine/guard-edges.test.ts',
      'test/agents/virtual-machine/agent.test.ts',
      'test/agents/virtual-machine/guard-parameters.test.ts',
      'test/agents/virtual-machine/lease.test.ts',
      'test/agents/virtual-machine/run-guards.test.ts',
      'test/agents/virtual-machine/lock-manager.test.ts',
    ],
  },
  'vm-lease-migration': {
    mutate: ['agents/virtual-machine/lease.ts', 'agents/virtual-machine/migration.ts'],
    tests: [
      'test/agents/virtual-machine/lease.test.ts',
      'test/agents/virtual-machine/migration.test.ts',
      'test/agents/virtual-machine/agent.test.ts',
      'test/agents/virtual-machine/guard-parameters.test.ts',
    ],
  },
  'drbd-policy': {
    mutate: ['agents/drbd/policy.ts'],
    tests: ['test/agents/drbd/policy.test.ts', 'test/agents/drbd/policy-edges.test.ts', 'test/agents/drbd/records.test.ts'],
  },
  'drbd-records-reconnect': {
    mutate: ['agents/drbd/records.ts', 'agents/drbd/reconnect.ts'],
    tests: ['test/agents/drbd/records.test.ts', 'test/agents/drbd/reconnect.test.ts', 'test/agents/drbd-reconnect/attributes.test.ts'],
  },
  'ocf-runner': {
    mutate: ['agents/ocf/runner.ts', 'agents/core/deadline.ts'],
    tests: ['test/agents/ocf/runner.test.ts', 'test/agents/core/deadline.test.ts', 'test/agents/ocf/metadata.test.ts'],
  },
  'hook-renderers': {
    mutate: [
      'rules/hooks/script.ts',
      'rules/hooks/ifupdown.ts',
      'rules/hooks/networkmanager.ts',
      'rules/hooks/networkd-dispatcher.ts',
      'rules/hooks/suse-sysconfig.ts',
      'rules/hooks/wicked.ts',
      'rules/hooks/rhel-initscripts.ts',
    ],
    tests: [
      'test/rules/hooks/generate.test.ts',
      'test/rules/hooks/write.test.ts',
      'test/rules/hooks/detect.test.ts',
      'test/rules/hooks/doctor.test.ts',
      'test/rules/hooks/sysconfig-file.test.ts',
      'test/rules/hooks/replication.test.ts',
    ],
  },
  'udev-renderer': {
    mutate: ['rules/udev/render.ts', 'rules/udev/generate.ts'],
    tests: ['test/rules/udev/render.test.ts', 'test/rules/udev/generate.test.ts', 'test/rules/udev/apply-status.test.ts'],
  },
};

const name = process.env.OCFKIT_MUTATION_MODULE ?? 'vm-guards';
const module = MODULES[name];
if (!module) throw new Error(`OCFKIT_MUTATION_MODULE=${name}: not one of ${Object.keys(MODULES).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  commandRunner: { command: `node build/test.mjs ${module.tests.join(' ')}` },
  // the type checker drops mutants that would not compile before a test process is spent on them
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  mutate: module.mutate,
  // the build machines have two cores shared with everything else
  concurrency: Number(process.env.OCFKIT_MUTATION_CONCURRENCY ?? 1),
  // a mutant that loops forever is killed by the timeout and counted as detected
  timeoutMS: 30000,
  timeoutFactor: 2,
  ignorePatterns: ['dist', 'reports', '.tmp'],
  reporters: ['clear-text', 'json', 'progress-append-only'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowEmojis: false, logTests: false, reportMutants: true, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  logLevel: 'info',
};
