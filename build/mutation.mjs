#!/usr/bin/env node
// npm run mutation: mutation testing of the safety-critical modules with StrykerJS. Not part of
// `npm test`: it starts one test process per mutant and takes tens of minutes on two cores.
//   npm run mutation                           every module in stryker.config.mjs
//   npm run mutation -- --only vm-guards,ocf-runner
//   npm run mutation -- --report               only print the scores of the last runs
// Prints the mutation score per module and per file, and exits 1 when a module is below its
// threshold. OCFKIT_MUTATION_CONCURRENCY sets Stryker's workers (default 1).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MODULES } from '../stryker.config.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

// Below this score a module fails the run. Guards and policies decide whether a guest or a DRBD
// resource may go on; the others format and schedule.
const THRESHOLD = { default: 80, 'vm-guards': 85, 'drbd-policy': 85 };

const args = process.argv.slice(2);
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1]).split(',') : Object.keys(MODULES);
for (const name of only) {
  if (!MODULES[name]) {
    console.error(`--only ${name}: not a module of stryker.config.mjs (${Object.keys(MODULES).join(', ')})`);
    process.exit(2);
  }
}

const reportFile = (name) => path.join(root, 'reports', 'mutation', `${name}.json`);
const started = Date.now();
const times = {};
if (!args.includes('--report')) {
  for (const name of only) {
    const t0 = Date.now();
    console.log(`\n=== mutation: ${name} (${MODULES[name].mutate.join(' ')})`);
    const result = spawnSync(process.execPath, ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', 'stryker.config.mjs'], {
      stdio: 'inherit',
      env: { ...process.env, OCFKIT_MUTATION_MODULE: name },
    });
    times[name] = Date.now() - t0;
    if (result.status !== 0) {
      console.error(`stryker failed for ${name} (exit ${result.status}): no score`);
      process.exitCode = 1;
    }
  }
}

// Stryker's own definition: detected (killed, timed out) over valid mutants (also survived and
// uncovered); mutants that do not compile or are ignored do not count.
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
function score(mutants) {
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const valid = detected + mutants.filter((m) => UNDETECTED.has(m.status)).length;
  return { detected, valid, percent: valid ? (100 * detected) / valid : NaN };
}

const rows = [];
let below = false;
for (const name of only) {
  const file = reportFile(name);
  if (!existsSync(file)) {
    rows.push(`${name.padEnd(24)} no report (${path.relative(root, file)} missing)`);
    below = true;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const all = Object.values(report.files).flatMap((f) => f.mutants);
  const total = score(all);
  const threshold = THRESHOLD[name] ?? THRESHOLD.default;
  const ok = total.percent >= threshold;
  if (!ok) below = true;
  const time = times[name] !== undefined ? `  ${Math.round(times[name] / 1000)} s` : '';
  rows.push(
    `${name.padEnd(24)} ${total.percent.toFixed(1).padStart(5)} %  ${String(total.detected).padStart(4)}/${String(total.valid).padEnd(4)} threshold ${threshold} %  ${ok ? 'ok' : 'BELOW'}${time}`,
  );
  for (const [fileName, entry] of Object.entries(report.files)) {
    const s = score(entry.mutants);
    rows.push(`  ${fileName.padEnd(44)} ${s.percent.toFixed(1).padStart(5)} %  ${s.detected}/${s.valid}`);
  }
}
console.log(`\nmutation scores (killed or timed out / valid mutants):\n${rows.join('\n')}`);
if (!args.includes('--report')) console.log(`mutation: ${Math.round((Date.now() - started) / 1000)} s in all`);
if (below) process.exitCode = 1;
