// Live migration between the two dom0s through VirtualMachine: migrate_to on node1 runs
// `xl migrate` (over ssh to node2, which runs `xl migrate-receive`), migrate_from on node2 finds
// the guest running; monitors on both sides answer accordingly. A migration that cannot reach the
// target fails migrate_to and leaves the guest running on the source.
import { oneLine } from '../../ocfkit';
import type { Scenario } from '../../report';
import { agent, CONFIG, cleanDom0, domuConfig, GUEST, packDomuInitrd, waitDomuReady, writeConfig, xlRow } from '../domu';

/** the migrate_to timeout given to the agent, and the plain xl migrate's limit */
const MIGRATE_S = 420;

export const xenMigrationScenario: Scenario = {
  id: 'xen-migration',
  title: 'xl migrate between two dom0s through migrate_to / migrate_from',
  async run(lab, report) {
    const { node1, node2 } = lab;
    for (const dom0 of lab.guests) {
      await cleanDom0(dom0);
      await packDomuInitrd(dom0);
      await writeConfig(dom0, domuConfig());
    }
    const ssh = await node1.sh('ssh node2 true');
    report.check(ssh.code === 0, 'node1 reaches node2 over ssh (the transport of xl migrate)', oneLine(ssh.output, ssh.code));
    const params = { backend: 'xl', config: CONFIG, peers: 'none' };
    const start = await agent(node1, 'start', params);
    await waitDomuReady(node1, 120);
    report.check(start.code === 0, 'start on node1', oneLine(start.output, start.code));

    // xl migrate alone first, timed: under emulation ssh carries the guest's memory slowly, and
    // migrate_to's timeout must cover it
    const raw = await node1.sh(`s=$(date +%s); xl migrate ${GUEST} node2 2>&1; rc=$?; echo "@took $(( $(date +%s) - s )) s"; exit $rc`, MIGRATE_S * 1000);
    report.check(raw.code === 0 && (await xlRow(node2)) !== undefined, 'xl migrate node1 -> node2 (plain, timed)', oneLine(raw.output, raw.code));
    if (raw.code !== 0) return;
    const home = await node2.sh(`xl migrate ${GUEST} node1 2>&1`, MIGRATE_S * 1000);
    if (home.code !== 0) return void report.check(false, 'xl migrate node2 -> node1 (back for the agent)', oneLine(home.output, home.code));

    const to = await agent(node1, 'migrate_to', params, { migrate_source: 'node1', migrate_target: 'node2', timeout: String(MIGRATE_S * 1000) });
    const rowTarget = await xlRow(node2);
    const rowSource = await xlRow(node1);
    report.check(
      to.code === 0 && rowTarget !== undefined && rowSource === undefined,
      'migrate_to node1 -> node2 (xl migrate)',
      `${oneLine(to.output, to.code)} (${to.seconds.toFixed(1)} s); node2: ${rowTarget?.flags ?? 'absent'}, node1: ${rowSource?.flags ?? 'absent'}`,
    );
    const from = await agent(node2, 'migrate_from', params, { migrate_source: 'node1', migrate_target: 'node2' });
    report.check(from.code === 0, 'migrate_from on node2', `${oneLine(from.output, from.code)} (${from.seconds.toFixed(1)} s)`);
    const monitors = await Promise.all([agent(node1, 'monitor', params), agent(node2, 'monitor', params, { interval: '10000' })]);
    report.check(
      monitors[0].code === 7 && monitors[1].code === 0,
      'after the migration: node1 not running (7), node2 running (0)',
      monitors.map((m) => m.code).join(', '),
    );
    const alive = await node2.sh(
      `xl console ${GUEST} </dev/null >/dev/null 2>&1 & sleep 0; grep -c DOMU-READY /var/log/xen/console/guest-${GUEST}.log 2>/dev/null; true`,
    );
    report.note(`the guest's console on node2 after the migration: ${alive.output.trim() || 'no log'}`);

    // back to node1 with the migration's ssh command given explicitly (migration_ssh_command)
    const back = await agent(
      node2,
      'migrate_to',
      { ...params, migration_ssh_command: 'ssh -o BatchMode=yes' },
      { migrate_source: 'node2', migrate_target: 'node1', timeout: String(MIGRATE_S * 1000) },
    );
    report.check(
      back.code === 0 && (await xlRow(node1)) !== undefined,
      'migrate_to node2 -> node1 with migration_ssh_command',
      `${oneLine(back.output, back.code)} (${back.seconds.toFixed(1)} s)`,
    );
    await agent(node1, 'migrate_from', params, { migrate_source: 'node2', migrate_target: 'node1' });

    // a migration that cannot reach the target: xl migrate fails, the guest stays on the source
    const failed = await agent(
      node1,
      'migrate_to',
      { ...params, migration_ssh_command: 'ssh -p 1' },
      { migrate_source: 'node1', migrate_target: 'node2', timeout: '60000' },
    );
    const left = await node1.ok("xl list | awk 'NR>2 {print $1, $5}'");
    const leftTarget = await node2.ok("xl list | awk 'NR>2 {print $1, $5}'");
    report.check(
      failed.code !== 0 && (await xlRow(node1)) !== undefined,
      'a migration to an unreachable target fails and the guest keeps running on the source',
      `${oneLine(failed.output, failed.code)}; domains on node1: ${left.trim().replace(/\n/g, ', ') || 'none'}; on node2: ${leftTarget.trim().replace(/\n/g, ', ') || 'none'}`,
    );
    const stop = await agent(node1, 'stop', params);
    const remaining = await node1.ok("xl list | awk 'NR>2 {print $1}'");
    report.check(
      stop.code === 0 && !remaining.trim(),
      'stop after the failed migration leaves no domain of the guest',
      `${oneLine(stop.output, stop.code)}; left: ${remaining.trim() || 'none'}`,
    );
    for (const dom0 of lab.guests) await cleanDom0(dom0);
  },
};
