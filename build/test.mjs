#!/usr/bin/env node
// The whole test suite: static checks (types, layers, unused code, lint, format), unit tests, black-box tests of the built binary, and the
// integration suites against real Pacemaker/Corosync, libvirt, udev and ifupdown.
// Prints one closing line "tests: N passed, N failed, N skipped" and the integration-suite count.
//   node build/test.mjs            everything (builds dist/ first when it is missing)
//   node build/test.mjs --unit     static checks and unit tests only
//   node build/test.mjs FILE...    just these test files (grouped as above)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { distIsStale } from './newest-source.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const explicit = args.filter((a) => !a.startsWith('--'));

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(full));
    else if (entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out.sort();
}

const all = explicit.length ? explicit.map((f) => path.relative(root, path.resolve(f))) : findTests('test');
const groupOf = (file) =>
  file.startsWith(`test${path.sep}integration${path.sep}`)
    ? 'integration'
    : file.startsWith(`test${path.sep}blackbox${path.sep}`)
      ? 'blackbox'
      : file.startsWith(`test${path.sep}lab${path.sep}`)
        ? 'lab'
        : 'unit';
const groups = { unit: [], blackbox: [], integration: [] };
const ungrouped = [];
for (const file of all) {
  const group = groupOf(file);
  if (group in groups) groups[group].push(file);
  else ungrouped.push(file);
}
// a test file no group runs would otherwise be dropped without a word
if (ungrouped.length) {
  console.error(`no test group runs these files (test/lab is the lab, run with npm run lab):\n  ${ungrouped.join('\n  ')}`);
  process.exit(1);
}
if (unitOnly) {
  groups.blackbox = [];
  groups.integration = [];
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const suites = [];
const started = Date.now();

function step(name, command, argv, options = {}) {
  console.log(`\n=== ${name}`);
  const result = spawnSync(command, argv, {
    stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
  });
  if (options.capture) process.stdout.write(result.stdout ?? '');
  return result;
}

// The static checks: types, the layering (build/depcruise.cjs names the rule an import breaks),
// unused files/exports/dependencies, lint and format. Each counts as one test.
const STATIC_CHECKS = [
  ['type check (tsc --noEmit)', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']],
  [
    'layers (dependency-cruiser, build/depcruise.cjs)',
    ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', '--config', 'build/depcruise.cjs', 'agents', 'rules'],
  ],
  ['unused files, exports and dependencies (knip)', ['node_modules/knip/bin/knip.js']],
  ['lint (eslint, build/eslint.config.mjs)', ['node_modules/eslint/bin/eslint.js', '--config', 'build/eslint.config.mjs', 'agents', 'rules', 'test', 'build']],
  // the same file set as `npm run format` (package.json); a difference fails: run npm run format
  [
    'format (prettier --check)',
    [
      'node_modules/prettier/bin/prettier.cjs',
      '--check',
      '--log-level=warn',
      '--ignore-path',
      'build/prettierignore',
      'agents/**/*.ts',
      'rules/**/*.ts',
      'test/**/*.{ts,mts,cjs,mjs}',
      'build/**/*.{mjs,cjs,mts}',
      '*.mjs',
    ],
  ],
];
if (!explicit.length) {
  for (const [name, argv] of STATIC_CHECKS) {
    const check = step(name, process.execPath, argv);
    if (check.status === 0) totals.passed += 1;
    else {
      totals.failed += 1;
      console.log(`${name} FAILED`);
    }
  }
}

if (groups.blackbox.length || groups.integration.length) {
  if (distIsStale(root)) {
    const build = step('build (dist/ocfkit is missing or older than the sources)', process.execPath, ['build/build.mjs']);
    if (build.status !== 0) {
      console.error('build failed: black-box and integration tests cannot run');
      process.exit(1);
    }
  }
}

for (const [group, files] of Object.entries(groups)) {
  if (!files.length) continue;
  const groupStarted = Date.now();
  const result = step(`${group} tests (${files.length} files)`, process.execPath, ['--import', 'tsx', 'test/support/run-group.ts', ...files], {
    capture: true,
    env: { OCFKIT_TEST_GROUP: group },
  });
  const line = (result.stdout ?? '')
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('OCFKIT-TALLY '));
  if (!line) {
    console.log(`${group} tests ended without a tally (exit ${result.status}, signal ${result.signal}): counted as one failure`);
    totals.failed += 1;
    continue;
  }
  const tally = JSON.parse(line.slice('OCFKIT-TALLY '.length));
  totals.passed += tally.passed;
  totals.failed += tally.failed;
  totals.skipped += tally.skipped;
  if (result.status !== 0 && tally.failed === 0) totals.failed += 1;
  suites.push(...tally.integration);
  console.log(`${group} tests took ${((Date.now() - groupStarted) / 1000).toFixed(1)} s`);
}

if (suites.length) {
  console.log('\nIntegration suites:');
  for (const s of suites)
    console.log(`  ${s.skipped ? 'SKIPPED' : 'ran    '} ${s.name}${s.skipped ? ` — ${s.reason}` : ` (${(s.seconds ?? 0).toFixed(1)} s)`}`);
  const skippedSuites = suites.filter((s) => s.skipped).length;
  console.log(`integration suites: ${suites.length - skippedSuites} ran, ${skippedSuites} skipped`);
  if (process.env.CI && skippedSuites > 0) {
    console.log('CI must run every integration suite: skipped suites count as failures here');
    totals.failed += skippedSuites;
  }
}
console.log(`\nwhole run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
