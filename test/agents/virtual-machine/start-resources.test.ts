// start_resources: which networks and pools a domain XML uses, what virsh net-info / pool-info
// says about each (output captured from virsh 9.0.0 against libvirt's test driver,
// `virsh -c test:///default "net-destroy default; net-info default"` and the pool equivalent),
// then a start through the agent with a fake executor.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decideResource, guestResources } from '../../../agents/virtual-machine/start-resources';
import { type FakeRule } from '../../support/fake-executor';
import { runVmAction, standInTools } from '../../support/vm-agent';

const NET_ACTIVE =
  'Name:           default\nUUID:           dd8fe884-6c02-601e-7551-cca97df1c5df\nActive:         yes\nPersistent:     yes\nAutostart:      no\nBridge:         virbr0\n\n';
const NET_INACTIVE = NET_ACTIVE.replace('Active:         yes', 'Active:         no');
const POOL_RUNNING =
  'Name:           default-pool\nUUID:           dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566\nState:          running\nPersistent:     yes\nAutostart:      no\nCapacity:       100.00 GiB\nAllocation:     0.00 B\nAvailable:      100.00 GiB\n\n';
const POOL_INACTIVE =
  'Name:           default-pool\nUUID:           dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566\nState:          inactive\nPersistent:     yes\nAutostart:      no\n\n';
const NO_NET = { exitCode: 1, stdout: '', stderr: "error: failed to get network 'nosuch'\nerror: Network not found: no network with matching name 'nosuch'\n" };

const UUID = '3c9b6f1e-52a4-4f0b-8d7e-6a1f0c2b9e41';
const XML = `<domain type='kvm'><name>vm1</name><uuid>${UUID}</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices>
  <disk type='volume' device='disk'><driver name='qemu' type='raw'/><source pool='default-pool' volume='vm1-root'/><target dev='vda' bus='virtio'/></disk>
  <interface type='network'><mac address='52:54:00:12:34:56'/><source network='default'/><model type='virtio'/></interface>
  <interface type="network"><source network="default"/></interface>
  <interface type='bridge'><source bridge='br0'/></interface>
  <!-- <interface type='network'><source network='old'/></interface> -->
</devices></domain>`;

interface Ctx {
  dir: string;
  config: string;
  binDir: string;
}
const test = suite<Ctx>('virtual-machine start_resources', { dir: '', config: '', binDir: '' });

test('guestResources: networks of type=network interfaces and pools of volume disks, each once, comments skipped', () => {
  assert.equal(guestResources(XML), { networks: ['default'], pools: ['default-pool'] });
  assert.equal(guestResources("<domain><devices><interface type='bridge'><source bridge='br0'/></interface></devices></domain>"), { networks: [], pools: [] });
});

test('decideResource: active or running is left alone, inactive is started, anything else refuses by name', () => {
  const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });
  const cases: Array<[string, 'network' | 'pool', ReturnType<typeof ok>, string, RegExp?]> = [
    ['network active', 'network', ok(NET_ACTIVE), 'ok'],
    ['network inactive', 'network', ok(NET_INACTIVE), 'start'],
    [
      'network not defined',
      'network',
      NO_NET,
      'refuse',
      /^network default, which the guest uses, cannot be read here: Network not found: no network with matching name 'nosuch'$/,
    ],
    ['network info not understood', 'network', ok('Name: default\n'), 'refuse', /not understood \(no Active: line in virsh net-info\)/],
    ['pool running', 'pool', ok(POOL_RUNNING), 'ok'],
    ['pool inactive', 'pool', ok(POOL_INACTIVE), 'start'],
    [
      'pool inaccessible',
      'pool',
      ok(POOL_INACTIVE.replace('inactive', 'inaccessible')),
      'refuse',
      /^storage pool default, which the guest uses, is state "inaccessible"$/,
    ],
    ['pool building', 'pool', ok(POOL_INACTIVE.replace('inactive', 'building')), 'refuse', /state "building"/],
  ];
  for (const [name, kind, info, expected, reason] of cases) {
    const decision = decideResource(kind, 'default', info);
    assert.is(decision.kind, expected, name);
    if (decision.kind === 'refuse' && reason) assert.match(decision.reason, reason, name);
  }
});

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-resources-'));
  ctx.config = path.join(ctx.dir, 'vm1.xml');
  writeFileSync(ctx.config, XML);
  ctx.binDir = standInTools(ctx.dir, ['virsh']);
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const start = (ctx: Ctx, rules: FakeRule[], env: Record<string, string> = {}) =>
  runVmAction(ctx, 'start', rules, { OCF_RESKEY_peers: 'none', OCF_RESKEY_check_storage: 'false', ...env });

const virsh = (...args: string[]) => ['virsh', '-c', 'qemu:///system', ...args];
const noDomain = { exitCode: 1, stderr: `error: failed to get domain '${UUID}'\n` };
const startsFine = (): FakeRule[] => [
  { match: virsh('domstate', '--reason', UUID), answer: noDomain, times: 1 },
  { match: virsh('domstate', '--reason', 'vm1'), answer: noDomain, times: 1 },
  { match: virsh('create'), answer: { stdout: 'Domain vm1 created\n' } },
  { match: virsh('domstate', '--reason', UUID), answer: { stdout: 'running (booted)\n' } },
];
const resourceCommands = (r: { exec: { commands(): string[] } }) => r.exec.commands().filter((c) => /(net|pool)-/.test(c));

test('start with start_resources: the inactive network and pool are started before the guest is created', async (ctx) => {
  const rules: FakeRule[] = [
    { match: virsh('net-info', 'default'), answer: { stdout: NET_INACTIVE } },
    { match: virsh('net-start', 'default'), answer: { stdout: 'Network default started\n\n' } },
    { match: virsh('pool-info', 'default-pool'), answer: { stdout: POOL_INACTIVE } },
    { match: virsh('pool-start', 'default-pool'), answer: { stdout: 'Pool default-pool started\n\n' } },
    ...startsFine(),
  ];
  const r = await start(ctx, rules, { OCF_RESKEY_start_resources: 'true' });
  assert.is(r.code, 0, r.stderr);
  const commands = r.exec.commands();
  assert.equal(resourceCommands(r), [
    'virsh -c qemu:///system net-info default',
    'virsh -c qemu:///system net-start default',
    'virsh -c qemu:///system pool-info default-pool',
    'virsh -c qemu:///system pool-start default-pool',
  ]);
  assert.ok(commands.findIndex((c) => c.includes('pool-start')) < commands.findIndex((c) => c.includes(' create ')), 'before the guest');
});

test('start with start_resources: active ones are left alone; a network not defined refuses before create', async (ctx) => {
  const active = await start(
    ctx,
    [
      { match: virsh('net-info', 'default'), answer: { stdout: NET_ACTIVE } },
      { match: virsh('pool-info', 'default-pool'), answer: { stdout: POOL_RUNNING } },
      ...startsFine(),
    ],
    { OCF_RESKEY_start_resources: 'true' },
  );
  assert.is(active.code, 0, active.stderr);
  assert.equal(resourceCommands(active), ['virsh -c qemu:///system net-info default', 'virsh -c qemu:///system pool-info default-pool']);
  const missing = await start(ctx, [{ match: virsh('net-info', 'default'), answer: NO_NET }, ...startsFine()], { OCF_RESKEY_start_resources: 'true' });
  assert.is(missing.code, 1, missing.stderr);
  assert.match(missing.reason, /^network default, which the guest uses, cannot be read here: Network not found/);
  assert.not.ok(missing.exec.commands().some((c) => c.includes(' create ')));
});

// migrate_to on node1 towards node2: the target's libvirt, reached through the migration URI
const target = (...args: string[]) => ['virsh', '-c', 'qemu+ssh://node2/system', ...args];
const migrateTo = (ctx: Ctx, rules: FakeRule[], env: Record<string, string> = {}) =>
  runVmAction(ctx, 'migrate_to', [{ match: virsh('domstate', '--reason', UUID), answer: { stdout: 'running (booted)\n' } }, ...rules], {
    OCF_RESKEY_peers: 'none',
    OCF_RESKEY_check_storage: 'false',
    OCF_RESKEY_CRM_meta_migrate_source: 'node1',
    OCF_RESKEY_CRM_meta_migrate_target: 'node2',
    ...env,
  });

test('migrate_to with start_resources: the inactive network and pool are started on the target, before the memory moves', async (ctx) => {
  const r = await migrateTo(
    ctx,
    [
      { match: target('net-info', 'default'), answer: { stdout: NET_INACTIVE } },
      { match: target('net-start', 'default'), answer: { stdout: 'Network default started\n\n' } },
      { match: target('pool-info', 'default-pool'), answer: { stdout: POOL_RUNNING } },
      { match: virsh('migrate'), answer: {} },
    ],
    { OCF_RESKEY_start_resources: 'true' },
  );
  assert.is(r.code, 0, r.stderr);
  assert.equal(resourceCommands(r), [
    'virsh -c qemu+ssh://node2/system net-info default',
    'virsh -c qemu+ssh://node2/system net-start default',
    'virsh -c qemu+ssh://node2/system pool-info default-pool',
  ]);
  const commands = r.exec.commands();
  assert.ok(commands.findIndex((c) => c.includes('net-start')) < commands.findIndex((c) => c.includes(' migrate ')), commands.join('\n'));
});

test('migrate_to with start_resources: a network the target lacks refuses the migration by name, nothing migrated', async (ctx) => {
  const r = await migrateTo(
    ctx,
    [
      { match: target('net-info', 'default'), answer: NO_NET },
      { match: virsh('migrate'), answer: {} },
    ],
    { OCF_RESKEY_start_resources: 'true' },
  );
  assert.is(r.code, 1, r.stderr);
  assert.match(r.reason, /^network default, which the guest uses, on the target node2 \(qemu\+ssh:\/\/node2\/system\) cannot be read: Network not found/);
  assert.not.ok(
    r.exec.commands().some((c) => c.includes(' migrate ')),
    r.exec.commands().join('\n'),
  );
  const without = await migrateTo(ctx, [{ match: virsh('migrate'), answer: {} }]);
  assert.is(without.code, 0, without.stderr);
  assert.equal(resourceCommands(without), [], 'not asked without start_resources');
});

test('start without start_resources asks nothing about networks or pools', async (ctx) => {
  const r = await start(ctx, startsFine());
  assert.is(r.code, 0, r.stderr);
  assert.equal(resourceCommands(r), []);
});

test('start_resources with backend=xl is a configuration error', async (ctx) => {
  standInTools(ctx.dir, ['xl']);
  const r = await start(ctx, [], { OCF_RESKEY_backend: 'xl', OCF_RESKEY_start_resources: 'true' });
  assert.is(r.code, 6, r.stderr);
  assert.match(r.reason, /^parameter start_resources=true needs backend=libvirt/);
});

test.run();
