// npm run lab [-- --only 1,3 | --all] [--keep] [--no-build] [--dist DIR] [--cluster | --xen]
// --cluster: the cluster mode (test/lab/cluster/): two nodes with Corosync, Pacemaker and SBD fencing.
// --xen: the Xen mode (test/lab/xen/): the guests boot Xen's hypervisor with dom0 and run its scenarios.
// Builds dist/ocfkit and the Debian guest image (cached), boots node1 and node2 under qemu TCG,
// runs the scenarios, prints PASS/FAIL per check with the figures, stops every process it started
// and removes its temp dir. Exit code 1 when any check failed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { guestImage } from './image';
import { startLab, stopLab, type Lab } from './lab';
import { Report, type Scenario } from './report';
import { networkRestartScenario } from './scenarios/network-restart';
import { splitBrainScenario } from './scenarios/split-brain';
import { udevScenario } from './scenarios/udev';
import { pacemakerScenario } from './scenarios/pacemaker';
import { evidenceScenario } from './scenarios/evidence';
import { XEN_SCENARIOS, xenLab } from './xen/mode';

const SCENARIOS: Scenario[] = [networkRestartScenario, udevScenario, splitBrainScenario, pacemakerScenario, evidenceScenario];
const root = path.resolve(__dirname, '..', '..');

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function tail(text: string, lines: number): string {
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `       | ${line}`)
    .join('\n');
}

async function main(): Promise<number> {
  const started = Date.now();
  const log = (line: string): void => console.log(`lab: ${line}`);
  const only = option('--only')?.split(',');
  const keep = process.argv.includes('--keep');
  if (process.getuid?.() !== 0) {
    console.error('lab: must run as root (mmdebstrap and chroot build the guest image)');
    return 2;
  }
  // --dist: a dist/ built elsewhere (e.g. from a branch not merged yet); otherwise build this tree's
  const distDir = path.resolve(option('--dist') ?? path.join(root, 'dist'));
  if (!option('--dist') && (!process.argv.includes('--no-build') || !existsSync(path.join(distDir, 'ocfkit')))) {
    const build = spawnSync(process.execPath, [path.join(root, 'build', 'build.mjs')], { stdio: 'inherit' });
    if (build.status !== 0) return 2;
  }
  const all = process.argv.includes('--all');
  // the cluster lab (test/lab/cluster/): its own image, nodes and scenarios on the same machinery
  if (process.argv.includes('--cluster')) return (await import('./cluster/main')).runClusterLab({ distDir, keep, only, all });
  const xen = process.argv.includes('--xen');
  const selected = (xen ? XEN_SCENARIOS : SCENARIOS).filter((s) => (only ? only.includes(s.id) : all || !s.optional));
  const mode = xen ? await xenLab(log) : { image: await guestImage(log, [...new Set(selected.flatMap((s) => s.extraPackages ?? []))]), options: {} };
  const report = new Report();
  let lab: Lab | undefined;
  const stop = async (): Promise<void> => {
    const current = lab;
    lab = undefined;
    if (current) await stopLab(current, keep);
  };
  const onSignal = (): void => void stop().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    lab = await startLab(mode.image, distDir, log, mode.options);
    for (const scenario of selected) {
      report.scenario = scenario.id;
      const scenarioStarted = Date.now();
      console.log(`\n=== scenario ${scenario.id}: ${scenario.title}`);
      const consoles = lab.guests.map((guest) => guest.consoleLength);
      const failedBefore = report.failed.length;
      try {
        await scenario.run(lab, report);
      } catch (error) {
        report.check(false, 'scenario ran to the end', (error as Error).message);
      }
      if (report.failed.length > failedBefore) {
        lab.guests.forEach((guest, index) => console.log(`     ${guest.name} console (last lines):\n${tail(guest.consoleSince(consoles[index]!), 25)}`));
      }
      report.note(`took ${((Date.now() - scenarioStarted) / 1000).toFixed(0)} s`);
    }
  } finally {
    await stop();
  }
  const failed = report.failed;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`\nlab: ${report.checks.length - failed.length} passed, ${failed.length} failed, ${seconds} s in all`);
  for (const check of failed) console.log(`  FAIL [${check.scenario}] ${check.what}`);
  return failed.length > 0 || report.checks.length === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`lab: ${(error as Error).stack ?? String(error)}`);
    process.exit(2);
  },
);
