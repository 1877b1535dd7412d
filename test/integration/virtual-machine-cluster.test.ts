// ocf:ocfkit:VirtualMachine under a real one-node Pacemaker cluster and a real libvirtd: the
// resource starts, is monitored, is recovered after the guest is destroyed behind the cluster's
// back, and stops; a start refused by a guard shows its exit reason in crm_mon.
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { integrationSuite } from '../support/integration';
import { getCluster } from '../harness/cluster';
import { lastOp } from '../harness/cluster-state';
import { domainType, domainXml, ensureLibvirt, virsh } from '../harness/libvirt';
import * as needs from '../harness/needs';
import { parseCrmMonNodes, parseCrmNodeList } from '../../agents/virtual-machine/cluster-facts';
import { freshDir, uniqueName } from '../harness/tmp';

const s = integrationSuite('cluster: VirtualMachine on a real one-node cluster with real libvirtd', [...needs.cluster, ...needs.libvirt]);
const AGENT = 'ocf:ocfkit:VirtualMachine';
const ops = [
  { name: 'start', timeout: 60 },
  { name: 'stop', timeout: 30 },
  { name: 'monitor', interval: 2, timeout: 20 },
];

function guest(label: string) {
  const dir = freshDir(label);
  const name = uniqueName('ocfkit-vm-');
  const uuid = randomUUID();
  const config = path.join(dir, `${name}.xml`);
  writeFileSync(config, domainXml({ name, uuid, type: domainType() }));
  return { dir, name, uuid, config };
}
const domstate = async (uuid: string) => (await virsh(['domstate', uuid])).stdout.trim();

s('start, monitor, recovery after the guest is destroyed behind the cluster, stop', async () => {
  await ensureLibvirt();
  const cluster = await getCluster();
  const g = guest('vm-lifecycle');
  mkdirSync(path.join(g.dir, 'leases'));
  writeFileSync(path.join(g.dir, 'leases', '.ocfkit-lease-dir'), '');
  try {
    // no peers parameter: the peer list comes from Pacemaker (crm_node -l), which has only this node
    await cluster.createPrimitive({
      id: 'vm-life',
      agent: AGENT,
      params: { config: g.config, state_dir: path.join(g.dir, 'state'), lease_dir: path.join(g.dir, 'leases'), force_stop: true },
      ops,
    });
    await cluster.settle();
    await cluster.waitForRole('vm-life', 'Started');
    assert.is(await domstate(g.uuid), 'running');
    await cluster.waitForState('a successful recurring monitor', (state) =>
      state.operations.some((o) => o.resource === 'vm-life' && o.task === 'monitor' && o.interval === 2000 && o.rc === 0),
    );

    await virsh(['destroy', g.uuid]);
    // libvirt may show the dying qemu as "in shutdown" (degraded) for one monitor before "shut off"
    const failure = await cluster.waitForFailure('vm-life', (f) => f.task === 'monitor' && f.exitCode === 7);
    assert.is(failure.exitCode, 7, 'the destroyed guest is reported not running');
    await cluster.waitForState('vm-life recovered', (state) => {
      const start = lastOp(state, 'vm-life', 'start');
      return Boolean(start && start.call > failure.call && start.rc === 0 && state.resources.some((r) => r.id === 'vm-life' && r.role === 'Started'));
    });
    assert.is(await domstate(g.uuid), 'running');

    await cluster.setTargetRole('vm-life', 'Stopped');
    await cluster.settle();
    await cluster.waitForRole('vm-life', 'Stopped');
    assert.is((await virsh(['domstate', g.uuid])).code, 1, 'the transient guest is gone');
  } finally {
    await cluster.deleteResource('vm-life').catch(() => undefined);
    await virsh(['destroy', g.uuid]);
  }
});

s('a start refused by the lease guard shows its exit reason in crm_mon', async () => {
  await ensureLibvirt();
  const cluster = await getCluster();
  const g = guest('vm-refused');
  const leases = path.join(g.dir, 'leases');
  mkdirSync(leases);
  writeFileSync(path.join(leases, '.ocfkit-lease-dir'), '');
  const until = new Date(Date.now() + 3600_000).toISOString();
  writeFileSync(path.join(leases, `${g.name}.lease`), JSON.stringify({ guest: g.name, holder: 'node2', expires: until, renewed: new Date().toISOString() }));
  try {
    await cluster.createPrimitive({
      id: 'vm-refused',
      agent: AGENT,
      params: { config: g.config, state_dir: path.join(g.dir, 'state'), lease_dir: leases, force_stop: true },
      ops,
    });
    const failure = await cluster.waitForFailure('vm-refused', (f) => f.task === 'start');
    assert.is(failure.exitCode, 1);
    assert.match(failure.exitReason, new RegExp(`^node2 holds the lease until ${until} \\(/`), failure.exitReason);
    assert.is.not(await domstate(g.uuid), 'running');
  } finally {
    await cluster.deleteResource('vm-refused').catch(() => undefined);
    await virsh(['destroy', g.uuid]);
  }
});

s('#856 under Pacemaker: a re-probe while the config is unreadable finds the running guest; no second start', async () => {
  await ensureLibvirt();
  const cluster = await getCluster();
  const g = guest('vm-856');
  try {
    await cluster.createPrimitive({ id: 'vm-856', agent: AGENT, params: { config: g.config, state_dir: path.join(g.dir, 'state'), force_stop: true }, ops });
    await cluster.settle();
    await cluster.waitForRole('vm-856', 'Started');
    const domid = (await virsh(['domid', g.uuid])).stdout.trim();
    const startBefore = lastOp(await cluster.state(), 'vm-856', 'start');
    assert.ok(startBefore, 'the first start is in the operation history');
    renameSync(g.config, `${g.config}.unmounted`);
    await cluster.cleanup('vm-856'); // forgets the history: Pacemaker probes again
    await cluster.settle();
    const state = await cluster.waitForRole('vm-856', 'Started');
    // Had the probe said "not running", Pacemaker would have started a second copy (and virsh
    // create would fail on the existing domain); had it failed, Pacemaker would have stopped it.
    assert.equal(
      state.failures.filter((f) => f.resource === 'vm-856'),
      [],
      'no failed probe or start',
    );
    assert.is((await virsh(['domid', g.uuid])).stdout.trim(), domid, 'the same qemu instance still runs: no stop, no second start');
    // cleanup wipes the history, so compare call ids: the executor numbers calls in order, so any
    // start after the re-probe would carry a later call id than the first start
    const after = state.operations.filter((o) => o.resource === 'vm-856');
    assert.ok(
      after.some((o) => o.call > startBefore.call),
      `the history after cleanup holds the re-probe and the new monitor: ${JSON.stringify(after)}`,
    );
    assert.equal(
      after.filter((o) => o.task === 'start' && o.call > startBefore.call),
      [],
      'no start after the re-probe',
    );
    renameSync(`${g.config}.unmounted`, g.config);
  } finally {
    await cluster.deleteResource('vm-856').catch(() => undefined);
    await virsh(['destroy', g.uuid]);
  }
});

s("the agent's parsers read this Pacemaker's real crm_node -l and crm_mon XML", async () => {
  const cluster = await getCluster();
  const nodes = await cluster.execOk(['crm_node', '-l']);
  assert.equal(parseCrmNodeList(nodes.stdout), ['node1'], nodes.stdout);
  const mon = await cluster.execOk(['crm_mon', '-1', '--output-as=xml']);
  assert.equal(parseCrmMonNodes(mon.stdout), [{ name: 'node1', online: true, unclean: false }], mon.stdout);
});

s.run();
