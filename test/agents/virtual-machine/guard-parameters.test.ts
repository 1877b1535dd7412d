// The guard parameters on their way through the agent (runner, spec, parameter parsing, guard
// settings, the guard run), not only as pure decisions: peer_timeout, require_lock_manager,
// dual_primary, lease_duration; and stop when libvirtd is down, answered by the process table.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LEASE_DIR_MARKER, readLease } from '../../../agents/virtual-machine/lease-store';
import { type FakeRule } from '../../support/fake-executor';
import { runVmAction, standInTools } from '../../support/vm-agent';
import { fixture } from '../drbd/fixtures';

const UUID = '3c9b6f1e-52a4-4f0b-8d7e-6a1f0c2b9e41';
const xmlWith = (disk?: string) =>
  `<domain type='kvm'><name>vm1</name><uuid>${UUID}</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os>` +
  (disk
    ? `<devices><disk type='block' device='disk'><driver name='qemu' type='raw'/><source dev='${disk}'/><target dev='vda' bus='virtio'/></disk></devices>`
    : '') +
  '</domain>';

interface Ctx {
  dir: string;
  config: string;
  binDir: string;
}
const test = suite<Ctx>('virtual-machine guard parameters through the agent', { dir: '', config: '', binDir: '' });

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-params-'));
  ctx.config = path.join(ctx.dir, 'vm1.xml');
  writeFileSync(ctx.config, xmlWith());
  // the runner looks for virsh on PATH: one that is never run (the fake executor answers)
  ctx.binDir = standInTools(ctx.dir, ['virsh']);
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const run = (ctx: Ctx, action: string, rules: FakeRule[], env: Record<string, string> = {}) => runVmAction(ctx, action, rules, env);

const domstate = (key: string, answer: FakeRule['answer'], times?: number): FakeRule => ({
  match: ['virsh', '-c', 'qemu:///system', 'domstate', '--reason', key],
  answer,
  ...(times ? { times } : {}),
});
const noDomain = { exitCode: 1, stderr: `error: failed to get domain '${UUID}'\n` };
/** an absent guest, created, then running: what a start that passes its guards runs */
const startsFine = (): FakeRule[] => [
  domstate(UUID, noDomain, 1),
  domstate('vm1', noDomain, 1),
  { match: ['virsh', '-c', 'qemu:///system', 'create'], answer: { stdout: 'Domain vm1 created\n' } },
  domstate(UUID, { stdout: 'running (booted)\n' }),
];
const created = (r: { exec: { commands(): string[] } }) => r.exec.commands().some((c) => c.includes(' create '));

test('peer_timeout: the peer query is bounded by it (default 5 s)', async (ctx) => {
  const peer: FakeRule = { match: ['virsh', '-c', 'qemu+ssh://node2/system', 'list'], answer: { stdout: '\n' } };
  const timeoutOfPeerQuery = (r: { exec: { calls: Array<{ argv: string[]; options: { timeoutMs?: number } }> } }) =>
    r.exec.calls.find((c) => c.argv.includes('qemu+ssh://node2/system'))?.options.timeoutMs;
  const set = await run(ctx, 'start', [peer, ...startsFine()], { OCF_RESKEY_peers: 'node2', OCF_RESKEY_peer_timeout: '17' });
  assert.is(set.code, 0, set.stderr);
  assert.is(timeoutOfPeerQuery(set), 17000);
  // every peer answered: Pacemaker's node status is not asked (it only matters for a peer that could not be)
  assert.not.ok(
    set.exec.commands().some((c) => c.startsWith('crm_mon')),
    set.exec.commands().join('\n'),
  );
  const unset = await run(ctx, 'start', [peer, ...startsFine()], { OCF_RESKEY_peers: 'node2' });
  assert.is(timeoutOfPeerQuery(unset), 5000);
});

test('require_lock_manager: without a lock manager in qemu.conf start refuses and creates nothing; not required, it starts', async (ctx) => {
  // host_root is the test's tree: its qemu.conf is Debian's default in effect (lock_manager commented out)
  const etc = path.join(ctx.dir, 'host', 'etc', 'libvirt');
  mkdirSync(etc, { recursive: true });
  writeFileSync(path.join(etc, 'qemu.conf'), '#lock_manager = "lockd"\n');
  const required = await run(ctx, 'start', [domstate(UUID, noDomain), domstate('vm1', noDomain)], {
    OCF_RESKEY_peers: 'none',
    OCF_RESKEY_require_lock_manager: 'true',
  });
  assert.is(required.code, 1);
  assert.ok(required.reason.startsWith(`no libvirt lock manager is configured (lock_manager in ${etc}/qemu.conf)`), required.reason);
  assert.match(required.reason, /set lock_manager = "lockd" or "sanlock"$/);
  assert.not.ok(created(required));
  const optional = await run(ctx, 'start', startsFine(), { OCF_RESKEY_peers: 'none' });
  assert.is(optional.code, 0, optional.stderr);
  assert.match(optional.stderr, /no libvirt lock manager is configured/, 'the missing lock manager is still logged');
});

/** host_root with sanlock configured and a socket that accepts connections; closes it when done */
async function withSanlock<T>(ctx: Ctx, hostId: string, body: () => Promise<T>): Promise<T> {
  const etc = path.join(ctx.dir, 'host', 'etc', 'libvirt');
  mkdirSync(etc, { recursive: true });
  writeFileSync(path.join(etc, 'qemu.conf'), 'lock_manager = "sanlock"\n');
  writeFileSync(path.join(etc, 'qemu-sanlock.conf'), `auto_disk_leases = 1\ndisk_lease_dir = "/shared/sanlock"\nhost_id = ${hostId}\n`);
  const run = path.join(ctx.dir, 'host', 'run', 'sanlock');
  mkdirSync(run, { recursive: true });
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(path.join(run, 'sanlock.sock'), resolve));
  try {
    return await body();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
// findmnt -n -P -o FSTYPE,TARGET -T as util-linux 2.38 prints it, for an NFS mount
const sharedLeaseDir: FakeRule = {
  match: ['findmnt', '-n', '-P', '-o', 'FSTYPE,TARGET', '-T', '/shared/sanlock'],
  answer: { stdout: 'FSTYPE="nfs4" TARGET="/shared"\n' },
};
const node2HostId = (value: string): FakeRule => ({
  match: ['crm_attribute', '--type', 'nodes', '--node', 'node2', '--name', 'ocfkit-sanlock-host-id', '--query', '--quiet'],
  answer: { stdout: `${value}\n` },
});
const publish = (id: string) => `crm_attribute --type nodes --node node1 --name ocfkit-sanlock-host-id --update ${id}`;
// virsh dominfo of a defined guest that libvirt does not autostart (validate-all asks)
const noAutostart: FakeRule = {
  match: ['virsh', '-c', 'qemu:///system', 'dominfo'],
  answer: {
    stdout: `Id:             -\nName:           vm1\nUUID:           ${UUID}\nOS Type:        hvm\nState:          shut off\nPersistent:     yes\nAutostart:      disable\nManaged save:   no\n\n`,
  },
};
const peerList: FakeRule = { match: ['virsh', '-c', 'qemu+ssh://node2/system', 'list'], answer: { stdout: '\n' } };

test("require_lock_manager with sanlock: a host_id node2 published refuses start and validate-all; another one starts and publishes node1's", async (ctx) => {
  const env = { OCF_RESKEY_peers: 'node2', OCF_RESKEY_require_lock_manager: 'true' };
  await withSanlock(ctx, '2', async () => {
    const clash = await run(
      ctx,
      'start',
      [
        sharedLeaseDir,
        node2HostId('2'),
        { match: ['crm_attribute', '--type', 'nodes', '--node', 'node1'], answer: {} },
        domstate(UUID, noDomain),
        domstate('vm1', noDomain),
      ],
      env,
    );
    assert.is(clash.code, 1, clash.stderr);
    assert.match(
      clash.reason,
      /^sanlock host_id = 2 in .*\/host\/etc\/libvirt\/qemu-sanlock\.conf is also the host_id of node node2 \(node attribute ocfkit-sanlock-host-id\)/,
    );
    assert.not.ok(created(clash));
    // published before compared: two first starts at once cannot both read before either published
    const commands = clash.exec.commands();
    const query = commands.findIndex((c) => c.includes('--node node2 --name ocfkit-sanlock-host-id --query'));
    assert.ok(commands.indexOf(publish('2')) >= 0 && commands.indexOf(publish('2')) < query, commands.join('\n'));
    const validate = await run(ctx, 'validate-all', [noAutostart, sharedLeaseDir, node2HostId('2')], env);
    assert.is(validate.code, 6, validate.stderr);
    assert.match(validate.reason, /is also the host_id of node node2/);

    const unique = await run(
      ctx,
      'start',
      [sharedLeaseDir, node2HostId('3'), { match: ['crm_attribute', '--type', 'nodes', '--node', 'node1'], answer: {} }, peerList, ...startsFine()],
      env,
    );
    assert.is(unique.code, 0, unique.stderr);
    assert.ok(unique.exec.commands().includes(publish('2')), unique.exec.commands().join('\n'));
    assert.match(unique.stderr, /sanlock host_id 2 differs from node2's 3/);
    const checked = await run(ctx, 'validate-all', [noAutostart, sharedLeaseDir, node2HostId('3')], env);
    assert.is(checked.code, 0, checked.stderr);
    assert.not.ok(
      checked.exec.commands().some((c) => c.includes('--update')),
      'validate-all only compares',
    );
  });
});

test('require_lock_manager with sanlock and peers=none: nothing compared, nothing but the publication asked of Pacemaker', async (ctx) => {
  await withSanlock(ctx, '7', async () => {
    const r = await run(ctx, 'start', [sharedLeaseDir, { match: ['crm_attribute', '--type', 'nodes', '--node', 'node1'], answer: {} }, ...startsFine()], {
      OCF_RESKEY_peers: 'none',
      OCF_RESKEY_require_lock_manager: 'true',
    });
    assert.is(r.code, 0, r.stderr);
    assert.equal(
      r.exec.commands().filter((c) => c.startsWith('crm_')),
      [publish('7')],
    );
  });
});

test('dual_primary: a DRBD disk Primary on both sides refuses an ordinary start unless dual_primary=allowed', async (ctx) => {
  writeFileSync(ctx.config, xmlWith('/dev/drbd/by-res/r0/0'));
  // drbdsetup status --json as DRBD 9 prints it (test/fixtures/drbd/status-9.json), both sides Primary
  const status = JSON.parse(fixture('status-9.json')) as Array<{ name: string; role: string; connections: Array<{ 'peer-role': string }> }>;
  assert.is(status[0]!.name, 'r0');
  status[0]!.role = 'Primary';
  for (const c of status[0]!.connections) c['peer-role'] = 'Primary';
  const drbdsetup: FakeRule = { match: ['drbdsetup', 'status', '--json'], answer: { stdout: JSON.stringify(status, null, 2) } };

  const handoffOnly = await run(ctx, 'start', [drbdsetup, domstate(UUID, noDomain), domstate('vm1', noDomain)], { OCF_RESKEY_peers: 'none' });
  assert.is(handoffOnly.code, 1);
  assert.match(handoffOnly.reason, /^disk \/dev\/drbd\/by-res\/r0\/0 \(r0\) is Primary on the peer too, outside a live-migration handoff/);
  assert.not.ok(created(handoffOnly));

  const allowed = await run(ctx, 'start', [drbdsetup, ...startsFine()], { OCF_RESKEY_peers: 'none', OCF_RESKEY_dual_primary: 'allowed' });
  assert.is(allowed.code, 0, allowed.stderr);
  assert.match(allowed.stderr, /r0 is dual-primary \(dual_primary=allowed\)/);

  // the storage check reads the role at all: Secondary here refuses whatever the policy
  status[0]!.role = 'Secondary';
  const secondary = await run(
    ctx,
    'start',
    [{ ...drbdsetup, answer: { stdout: JSON.stringify(status) } }, domstate(UUID, noDomain), domstate('vm1', noDomain)],
    { OCF_RESKEY_peers: 'none', OCF_RESKEY_dual_primary: 'allowed' },
  );
  assert.is(secondary.code, 1);
  assert.match(secondary.reason, /is Secondary here, not Primary/);
});

test('lease_duration: start and monitor write a lease valid that long (default 120 s)', async (ctx) => {
  const leases = path.join(ctx.dir, 'leases');
  mkdirSync(leases);
  writeFileSync(path.join(leases, LEASE_DIR_MARKER), '');
  const file = path.join(leases, 'vm1.lease');
  const expiresIn = () => {
    const fact = readLease(file);
    if (fact.kind !== 'lease') throw new Error(`no lease in ${file}: ${fact.kind}`);
    return fact.lease.expiresAt - fact.lease.renewedAt;
  };
  const env = { OCF_RESKEY_peers: 'none', OCF_RESKEY_lease_dir: leases };
  const started = await run(ctx, 'start', startsFine(), { ...env, OCF_RESKEY_lease_duration: '45' });
  assert.is(started.code, 0, started.stderr);
  assert.is(expiresIn(), 45000);
  const monitored = await run(ctx, 'monitor', [domstate(UUID, { stdout: 'running (booted)\n' })], {
    ...env,
    OCF_RESKEY_lease_duration: '600',
    OCF_RESKEY_CRM_meta_interval: '10000',
  });
  assert.is(monitored.code, 0, monitored.stderr);
  assert.is(expiresIn(), 600000);
  const byDefault = await run(ctx, 'monitor', [domstate(UUID, { stdout: 'running (booted)\n' })], { ...env, OCF_RESKEY_CRM_meta_interval: '10000' });
  assert.is(byDefault.code, 0, byDefault.stderr);
  assert.is(expiresIn(), 120000);
});

// libvirtd down: virsh cannot connect; the qemu process table is the evidence (docs/agents/virtual-machine.md, #546)
const libvirtDown = {
  exitCode: 1,
  stderr: "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n",
};

test('stop with libvirtd down and no qemu process of the guest: stopped, nothing else run', async (ctx) => {
  const r = await run(ctx, 'stop', [{ match: ['virsh'], answer: libvirtDown }]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.exec.commands(), [`virsh -c qemu:///system domstate --reason ${UUID}`]);
});

test("stop with libvirtd down while the guest's qemu runs: not reported stopped", async (ctx) => {
  // a process that looks like libvirt's qemu in the process table (argv[0], -uuid)
  const qemu = spawn('sh', ['-c', 'read line', 'qemu', '-name', 'guest=vm1,debug-threads=on', '-uuid', UUID], {
    argv0: '/usr/bin/qemu-system-x86_64',
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  try {
    await waitFor(() => readCmdline(qemu.pid!).includes(UUID));
    const r = await run(ctx, 'stop', [{ match: ['virsh'], answer: libvirtDown }]);
    assert.is(r.code, 1, 'a stop that cannot reach libvirt while qemu runs must fail (Pacemaker then fences)');
    assert.match(r.reason, /Failed to connect socket/);
    assert.ok(r.exec.commands().includes(`virsh -c qemu:///system shutdown ${UUID}`), r.exec.commands().join('\n'));
  } finally {
    qemu.kill();
  }
});

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

test.run();
