// npm run lab -- --cluster [--only base,...] [--keep]
// The cluster lab: node1 and node2 as a two-node Pacemaker cluster with real fencing (SBD on a
// shared disk, a watchdog device), then the scenarios, each with PASS/FAIL lines and its figures,
// ending with a table. A failing scenario prints both nodes' relevant logs.
import { guestImage } from '../image';
import { Report } from '../report';
import { CLUSTER_IMAGE } from './image';
import { startClusterLab, stopClusterLab, type ClusterLab } from './lab';
import { autostartScenario } from './scenarios/autostart';
import { fencingScenario } from './scenarios/fencing';
import { migrationScenario } from './scenarios/migration';
import { nodeLossScenario } from './scenarios/node-loss';
import { leaseScenario } from './scenarios/lease';
import { sanCaptureScenario } from './scenarios/san-capture';
import { secondStartScenario } from './scenarios/second-start';
import { nodeLogs, startCluster } from './stack';

export interface ClusterScenario {
  id: string;
  title: string;
  /** not run unless asked for by --only or --all (with the reason in docs/lab.md) */
  optional?: boolean;
  run(lab: ClusterLab, report: Report): Promise<void>;
}

// the quick ones on a settled cluster first; the round trips, then the power cut (which reboots a node) last.
// Only the fencing scenario runs by default (and in CI): the storage-based ones are opt-in until they
// have passed in the lab (docs/cluster-lab.md says where they stand)
const SCENARIOS: ClusterScenario[] = [
  fencingScenario,
  secondStartScenario,
  autostartScenario,
  sanCaptureScenario,
  leaseScenario,
  migrationScenario,
  nodeLossScenario,
];

export interface ClusterOptions {
  distDir: string;
  keep: boolean;
  only?: string[];
  all: boolean;
}

export async function runClusterLab(options: ClusterOptions): Promise<number> {
  const started = Date.now();
  const log = (line: string): void => console.log(`lab: ${line}`);
  const selected = SCENARIOS.filter((s) => (options.only ? options.only.includes(s.id) : options.all || !s.optional));
  const imageStarted = Date.now();
  const image = await guestImage(log, [], CLUSTER_IMAGE);
  log(`image ready in ${((Date.now() - imageStarted) / 1000).toFixed(0)} s`);
  const report = new Report();
  const table: { id: string; title: string; ok: boolean; seconds: number; figures: string[] }[] = [];
  let lab: ClusterLab | undefined;
  const stop = async (): Promise<void> => {
    const current = lab;
    lab = undefined;
    if (current) await stopClusterLab(current, options.keep);
  };
  const onSignal = (): void => void stop().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    lab = await startClusterLab(image, options.distDir, log);
    report.scenario = 'stack';
    try {
      const { watchdog, onlineS } = await startCluster(lab, log);
      report.check(true, 'corosync + pacemaker + sbd online on both nodes, stonith:fence_sbd configured', `${onlineS.toFixed(0)} s; watchdog ${watchdog}`);
    } catch (error) {
      report.check(false, 'the cluster stack came up', (error as Error).message);
      await printLogs(lab);
      return 1;
    }
    for (const scenario of selected) {
      report.scenario = scenario.id;
      const scenarioStarted = Date.now();
      console.log(`\n=== scenario ${scenario.id}: ${scenario.title}`);
      const failedBefore = report.failed.length;
      const checksBefore = report.checks.length;
      try {
        await scenario.run(lab, report);
      } catch (error) {
        report.check(false, 'scenario ran to the end', (error as Error).message);
      }
      const failed = report.failed.length > failedBefore;
      if (failed) await printLogs(lab);
      const seconds = (Date.now() - scenarioStarted) / 1000;
      report.note(`took ${seconds.toFixed(0)} s`);
      table.push({
        id: scenario.id,
        title: scenario.title,
        ok: !failed && report.checks.length > checksBefore,
        seconds,
        figures: report.checks.slice(checksBefore).map((c) => c.detail),
      });
    }
  } finally {
    await stop();
  }
  const failed = report.failed;
  console.log('\nscenario | result | seconds | title');
  for (const row of table) console.log(`${row.id} | ${row.ok ? 'PASS' : 'FAIL'} | ${row.seconds.toFixed(0)} | ${row.title}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`\nlab: ${report.checks.length - failed.length} passed, ${failed.length} failed, ${seconds} s in all`);
  for (const check of failed) console.log(`  FAIL [${check.scenario}] ${check.what}`);
  return failed.length > 0 || report.checks.length === 0 ? 1 : 0;
}

async function printLogs(lab: ClusterLab): Promise<void> {
  for (const guest of lab.guests) console.log(`\n----- ${guest.name} logs -----\n${await nodeLogs(guest)}`);
}
