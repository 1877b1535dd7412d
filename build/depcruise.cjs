// The layers of ocfkit, enforced (docs/architecture.md draws them). Run by `npm test`:
//   npx depcruise --config build/depcruise.cjs agents rules
// Bottom to top: agents/core (imports nothing of ours); agents/ocf (the OCF runtime) and
// agents/drbd (the DRBD model) and agents/pacemaker (the CIB model) on the core; the agents and rules/ (host configuration) on those;
// agents/registry.ts over the agents; agents/install, agents/cli and agents/docs on top, with
// agents/main.ts the entry point. Each rule's name says which way an import may not go.
const AGENTS = '(virtual-machine|shared-volumes|drbd-reconnect|guest-census)';
const OURS = '^(agents|rules)/';

module.exports = {
  forbidden: [
    { name: 'no-file-cycle', severity: 'error', comment: 'files import each other in a circle', from: {}, to: { circular: true } },
    { name: 'no-folder-cycle', severity: 'error', scope: 'folder', comment: 'folders import each other in a circle', from: {}, to: { circular: true } },
    {
      name: 'core-imports-nothing-of-ours',
      severity: 'error',
      comment: 'agents/core (executor, files, paths, log, deadline, errors, assert) is the bottom layer',
      from: { path: '^agents/core/' },
      to: { path: OURS, pathNot: '^agents/core/' },
    },
    {
      name: 'ocf-runtime-on-core-only',
      severity: 'error',
      from: { path: '^agents/ocf/' },
      to: { path: OURS, pathNot: '^agents/(core|ocf)/' },
    },
    {
      name: 'drbd-model-on-core-only',
      severity: 'error',
      from: { path: '^agents/drbd/' },
      to: { path: OURS, pathNot: '^agents/(core|drbd)/' },
    },
    {
      name: 'pacemaker-model-on-core-only',
      severity: 'error',
      comment: 'agents/pacemaker (the CIB as data, the guest census attribute) is a model like agents/drbd',
      from: { path: '^agents/pacemaker/' },
      to: { path: OURS, pathNot: '^agents/(core|pacemaker)/' },
    },
    {
      name: 'agent-on-runtime-and-model-only',
      severity: 'error',
      comment: 'an agent uses the core, the OCF runtime and the DRBD model; never another agent, the CLI or host configuration',
      from: { path: `^agents/${AGENTS}/` },
      to: { path: OURS, pathNot: '^agents/(core|ocf|drbd|pacemaker|$1)/' },
    },
    {
      name: 'rules-on-core-and-drbd-model-only',
      severity: 'error',
      comment: 'host configuration (site config, udev, hooks) uses the core and the DRBD model only',
      from: { path: '^rules/' },
      to: { path: '^agents/', pathNot: '^agents/(core|drbd)/' },
    },
    {
      name: 'registry-above-agents',
      severity: 'error',
      from: { path: '^agents/registry\\.ts$' },
      to: { path: OURS, pathNot: `^agents/(core|ocf|${AGENTS})/` },
    },
    {
      name: 'install-on-core-only',
      severity: 'error',
      from: { path: '^agents/install/' },
      to: { path: OURS, pathNot: '^agents/(core|install)/' },
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      comment: 'only the entry point (and the man page generator, which reads the command definitions) imports the CLI',
      from: { path: OURS, pathNot: '^agents/(cli/|docs/|main\\.ts$)' },
      to: { path: '^agents/cli/' },
    },
    {
      name: 'nothing-imports-docs-or-main',
      severity: 'error',
      comment: 'the man page generator runs at build time and the entry point is the top',
      from: { path: OURS, pathNot: '^agents/docs/' },
      to: { path: '^agents/(docs/|main\\.ts$)' },
    },
    {
      name: 'no-unresolvable-import',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|test|build|dist)/' },
  },
};
