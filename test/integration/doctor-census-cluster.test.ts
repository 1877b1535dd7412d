// ocfkit doctor and ocf:ocfkit:GuestCensus against the real one-node cluster and real libvirtd:
// doctor names the faults that bite (no fencing while a guest may run on two nodes, a guest
// libvirt autostarts, a disk provider without constraints, a lockspace on a local file system, a
// missing network hook); the census reports a guest started by hand with virsh (attribute in the
// CIB, the census monitor degraded), pauses it with on_rogue=pause, and never reports the guest the
// cluster placed.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { integrationSuite } from '../support/integration';
import { getCluster } from '../harness/cluster';
import { defineDomain, domainType, domainXml, ensureLibvirt, virsh, virshOk } from '../harness/libvirt';
import * as needs from '../harness/needs';
import { repoRoot } from '../support/binaries';
import { freshDir, uniqueName } from '../harness/tmp';
import { waitFor } from '../harness/proc';
import { decodeCensus } from '../../agents/pacemaker/census-attribute';
import type { Finding } from '../../agents/cli/doctor/findings';

const s = integrationSuite('cluster: ocfkit doctor and GuestCensus on a real one-node cluster with real libvirtd', [...needs.cluster, ...needs.libvirt]);
const OCFKIT = path.join(repoRoot, 'dist', 'ocfkit');

function withDisk(xml: string, disk: string): string {
  return xml.replace(
    '<devices>',
    `<devices>\n    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk>`,
  );
}

function write(file: string, text: string, mode?: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  if (mode) chmodSync(file, mode);
}

s('doctor on the bare one-node cluster: no error (nothing can run on two nodes, no guest)', async () => {
  await ensureLibvirt();
  const cluster = await getCluster();
  const run = await cluster.exec([OCFKIT, 'doctor', '--udev-config', '/nonexistent/ocfkit.yaml', '--timeout', '5'], { timeoutMs: 60_000 });
  // shown in the test log: the warnings depend on the host (clock service, hooks, libvirt-guests)
  console.log(run.stdout);
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^0 error\(s\), \d+ warning\(s\); checked: cib, fencing, constraints/m);
});

s('doctor names fencing, autostart, a missing constraint, an unshared lockspace and a missing hook', async () => {
  await ensureLibvirt();
  const cluster = await getCluster();
  const dom = await defineDomain();
  await virshOk(['autostart', dom.name]);
  const images = freshDir('doctor-images');
  const config = path.join(freshDir('doctor-vm'), `${dom.name}.xml`);
  const xml = withDisk(domainXml({ name: dom.name, uuid: dom.uuid, type: dom.type }), `${images}/disk.img`);
  writeFileSync(config, xml);
  const leases = freshDir('doctor-leases');
  // this node's files as doctor reads them: libvirt's lock manager, the network stack, the guest config
  const root = freshDir('doctor-root');
  const lockspace = freshDir('doctor-lockspace');
  write(path.join(root, 'etc/libvirt/qemu.conf'), 'lock_manager = "lockd"\n');
  write(path.join(root, 'etc/libvirt/qemu-lockd.conf'), `file_lockspace_dir = "${lockspace}"\n`);
  write(path.join(root, 'sbin/ifup'), '#!/bin/sh\n', 0o755);
  write(path.join(root, 'etc/network/interfaces'), 'auto eth9\niface eth9 inet manual\n');
  mkdirSync(path.join(root, 'etc/network/if-up.d'), { recursive: true });
  write(path.join(root, config), xml);
  write(path.join(root, leases, '.ocfkit-lease-dir'), '');
  // a second node in the configuration (never up): the guest may run on two nodes
  await cluster.execOk(['cibadmin', '-C', '-o', 'nodes', '-X', '<node id="4242" uname="doctor-node2"/>']);
  try {
    await cluster.createPrimitive({
      id: 'doc-fs',
      agent: 'ocf:heartbeat:Filesystem',
      params: { device: '/dev/null', directory: images, fstype: 'ext4' },
      meta: { 'target-role': 'Stopped' },
    });
    await cluster.createPrimitive({
      id: 'doc-vm',
      agent: 'ocf:ocfkit:VirtualMachine',
      params: { config, lease_dir: leases, state_dir: path.join(images, 'state') },
      meta: { 'target-role': 'Stopped' },
    });
    const run = await cluster.exec(
      [OCFKIT, 'doctor', '--json', '--root', root, '--iface', 'eth9', '--udev-config', path.join(root, 'none.yaml'), '--timeout', '5'],
      { timeoutMs: 60_000 },
    );
    assert.is(run.code, 2, run.stderr);
    const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
    const has = (check: string, subject: RegExp, message: RegExp) =>
      assert.ok(
        findings.some((f) => f.check === check && subject.test(f.subject) && message.test(f.message)),
        `${check} ${message} in ${JSON.stringify(findings, null, 1)}`,
      );
    has('fencing', /cluster/, /stonith-enabled=false/);
    has('autostart', /^doc-vm on node1$/, new RegExp(`autostarts ${dom.name}`));
    has('constraints', /^doc-vm$/, /not ordered after doc-fs/);
    has('constraints', /^doc-vm$/, /not colocated with doc-fs/);
    has('lockspace', /node1/, /not a file system shared by the nodes/);
    has('hooks', /node1/, /ocfkit-drbd-reconnect: missing/);
    has('peers', /^doctor-node2$/, /cannot be asked/);
    has('lease', /^doc-vm$/, /not a file system the other nodes see/);
    for (const f of findings) assert.ok(f.evidence && f.fix.length, `evidence and fix: ${JSON.stringify(f)}`);

    // the text form says the same, one finding per block
    const text = await cluster.exec([OCFKIT, 'doctor', '--root', root, '--iface', 'eth9', '--udev-config', path.join(root, 'none.yaml'), '--timeout', '5'], {
      timeoutMs: 60_000,
    });
    assert.is(text.code, 2);
    console.log(text.stdout);
    assert.match(text.stdout, new RegExp(`ERROR autostart: doc-vm on node1: libvirt on node1 autostarts ${dom.name}`));
    assert.match(text.stdout, /fix: virsh -c qemu:\/\/\/system autostart --disable /);
  } finally {
    await cluster.deleteResource('doc-vm').catch(() => undefined);
    await cluster.deleteResource('doc-fs').catch(() => undefined);
    await cluster.exec(['cibadmin', '-D', '-o', 'nodes', '-X', '<node id="4242"/>']);
    await dom.undefine();
  }
});

function guest(label: string) {
  const dir = freshDir(label);
  const name = uniqueName(`ocfkit-${label}-`);
  const uuid = randomUUID();
  const config = path.join(dir, `${name}.xml`);
  writeFileSync(config, domainXml({ name, uuid, type: domainType() }));
  return { dir, name, uuid, config };
}

s('census: a guest started by hand is reported within one interval, paused with on_rogue=pause; the placed guest never', async () => {
  await ensureLibvirt();
  const cluster = await getCluster();
  const placed = guest('placed');
  const rogue = guest('rogue');
  const vmOps = [
    { name: 'start', timeout: 60 },
    { name: 'stop', timeout: 30 },
    { name: 'monitor', interval: 5, timeout: 20 },
  ];
  try {
    await cluster.createPrimitive({
      id: 'cen-placed',
      agent: 'ocf:ocfkit:VirtualMachine',
      params: { config: placed.config, state_dir: path.join(placed.dir, 'state'), force_stop: true },
      ops: vmOps,
    });
    await cluster.createPrimitive({
      id: 'cen-rogue',
      agent: 'ocf:ocfkit:VirtualMachine',
      params: { config: rogue.config, state_dir: path.join(rogue.dir, 'state'), force_stop: true },
      meta: { 'target-role': 'Stopped' },
      ops: vmOps,
    });
    await cluster.waitForRole('cen-placed', 'Started');
    await cluster.createClone({ id: 'census', agent: 'ocf:ocfkit:GuestCensus', ops: [{ name: 'monitor', interval: 2, timeout: 20 }] });
    await cluster.waitForState('a clean census monitor listing the placed guest', (state) => {
      const entry = decodeCensus(state.nodeAttributes.node1?.['guest-census'] ?? '');
      return (
        Boolean(entry?.guests.some((g) => g.uuid === placed.uuid)) &&
        state.operations.some((o) => o.resource.startsWith('census') && o.task === 'monitor' && o.interval === 2000 && o.rc === 0)
      );
    });

    // by hand, outside the cluster: the census lists it and its monitor turns degraded
    await virshOk(['create', rogue.config]);
    const seen = await cluster.waitForState('the census reports the rogue guest', (state) => {
      const entry = decodeCensus(state.nodeAttributes.node1?.['guest-census'] ?? '');
      return (
        Boolean(entry?.guests.some((g) => g.uuid === rogue.uuid)) &&
        state.operations.some((o) => o.resource.startsWith('census') && o.task === 'monitor' && o.rc === 190)
      );
    });
    const degraded = seen.failures.find((f) => f.resource.startsWith('census') && f.exitCode === 190);
    if (degraded)
      assert.match(degraded.exitReason, new RegExp(`^${rogue.name} runs here outside the cluster: the cluster has cen-rogue stopped`));
    const raw = await cluster.execOk(['cibadmin', '-Q', '-o', 'status']);
    assert.match(raw.stdout, new RegExp(`name="guest-census" value="[^"]*${rogue.uuid}`), 'the attribute is in the CIB status section');
    assert.ok(!(degraded?.exitReason ?? '').includes(placed.name), 'the guest the cluster placed is not reported');
    assert.is((await virshOk(['domstate', rogue.uuid])).trim(), 'running', 'report only: the guest keeps running');

    // on_rogue=pause: suspended, never destroyed
    await cluster.execOk(['crm_resource', '--resource', 'census', '--set-parameter', 'on_rogue', '--parameter-value', 'pause']);
    await waitFor('the rogue guest paused', async () => (await virsh(['domstate', rogue.uuid])).stdout.trim() === 'paused', {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    assert.is((await virshOk(['domstate', placed.uuid])).trim(), 'running', 'the placed guest is left alone');
  } finally {
    await cluster.deleteResource('census-clone').catch(() => undefined);
    await cluster.deleteResource('cen-placed').catch(() => undefined);
    await cluster.deleteResource('cen-rogue').catch(() => undefined);
    await virsh(['destroy', rogue.uuid]);
    await virsh(['destroy', placed.uuid]);
  }
});

s.run();
