// The agent's actions end to end through the OCF runner, with a fake executor: the exact commands
// run, the exit codes and reasons.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runAgent } from '../../../agents/ocf/runner';
import { virtualMachineAgent } from '../../../agents/virtual-machine/spec';
import { fakeExecutor, type FakeRule } from '../../support/fake-executor';
import { runVmAction, standInTools } from '../../support/vm-agent';

const UUID = '8f1c0e52-4b6a-4d2e-9a51-0c7f2d7b1a12';
const XML = `<domain type='kvm'><name>vm1</name><uuid>${UUID}</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`;

interface Ctx {
  dir: string;
  config: string;
  binDir: string;
}
const test = suite<Ctx>('virtual-machine agent actions', { dir: '', config: '', binDir: '' });

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-unit-'));
  ctx.config = path.join(ctx.dir, 'vm1.xml');
  writeFileSync(ctx.config, XML);
  // onPath() looks for virsh: give it one that is never run (the fake executor answers instead)
  ctx.binDir = standInTools(ctx.dir, ['virsh', 'xl']);
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const run = (ctx: Ctx, action: string, rules: FakeRule[], env: Record<string, string> = {}) => runVmAction(ctx, action, rules, env);

const domstate = (key: string, answer: FakeRule['answer'], times?: number): FakeRule => ({
  match: ['virsh', '-c', 'qemu:///system', 'domstate', '--reason', key],
  answer,
  ...(times ? { times } : {}),
});
const noDomain = { exitCode: 1, stderr: `error: failed to get domain 'x'\n` };

test('monitor of a running guest: exactly one virsh call', async (ctx) => {
  const r = await run(ctx, 'monitor', [domstate(UUID, { stdout: 'running (booted)\n\n' })], { OCF_RESKEY_CRM_meta_interval: '10000' });
  assert.is(r.code, 0);
  assert.equal(r.exec.commands(), [`virsh -c qemu:///system domstate --reason ${UUID}`]);
});

test('monitor: stopped guest looked up by UUID then name; paused is degraded; crashed fails', async (ctx) => {
  const stopped = await run(ctx, 'monitor', [domstate(UUID, noDomain), domstate('vm1', noDomain)]);
  assert.is(stopped.code, 7);
  assert.equal(stopped.exec.commands().length, 2);
  const paused = await run(ctx, 'monitor', [domstate(UUID, { stdout: 'paused (user)\n' })]);
  assert.is(paused.code, 190);
  const crashed = await run(ctx, 'monitor', [domstate(UUID, { stdout: 'crashed (panicked)\n' })], { OCF_RESKEY_CRM_meta_interval: '10000' });
  assert.is(crashed.code, 1);
  assert.match(crashed.reason ?? '', /crashed \(panicked\)/);
});

test('probe with the config unreadable (#856): the remembered identity finds the running guest', async (ctx) => {
  await run(ctx, 'monitor', [domstate(UUID, { stdout: 'running\n' })], { OCF_RESKEY_CRM_meta_interval: '10000' });
  rmSync(ctx.config);
  const probe = await run(ctx, 'monitor', [domstate(UUID, { stdout: 'running (booted)\n' })]);
  assert.is(probe.code, 0, probe.stderr);
  assert.match(probe.stderr, /cannot be read here/);
});

test('probe with the config unreadable and nothing remembered: name parameter answers; without any identity not "stopped"', async (ctx) => {
  rmSync(ctx.config);
  const withName = await run(ctx, 'monitor', [domstate('vm1', { stdout: 'running\n' })], { OCF_RESKEY_name: 'vm1' });
  assert.is(withName.code, 0);
  const blind = await run(ctx, 'monitor', [], { OCF_RESKEY_state_dir: path.join(ctx.dir, 'fresh-state') });
  assert.is.not(blind.code, 7, 'must not claim "not running" when it cannot know');
  assert.is(blind.code, 5, blind.reason);
});

test('stop when the config is unreadable but the guest is remembered and stopped: success', async (ctx) => {
  await run(ctx, 'monitor', [domstate(UUID, { stdout: 'running\n' })], { OCF_RESKEY_CRM_meta_interval: '10000' });
  rmSync(ctx.config);
  const stop = await run(ctx, 'stop', [domstate(UUID, noDomain), domstate('vm1', noDomain)]);
  assert.is(stop.code, 0, stop.stderr);
});

function peerRules(running: Record<string, string>, delayMs: number, stats: { active: number; max: number }): FakeRule {
  return {
    match: (argv) => argv[0] === 'virsh' && argv[3] === 'list',
    answer: async (argv) => {
      stats.active++;
      stats.max = Math.max(stats.max, stats.active);
      await new Promise((r) => setTimeout(r, delayMs));
      stats.active--;
      const node = /qemu\+ssh:\/\/([^/]+)\//.exec(argv[2]!)?.[1] ?? '';
      if (node === 'node4')
        return {
          exitCode: 1,
          stderr: 'error: failed to connect to the hypervisor\nerror: Cannot recv data: ssh: connect to host node4 port 22: Connection refused\n',
        };
      return { stdout: running[node] ? `${running[node]}\n\n` : '\n' };
    },
  };
}

test('start: three peers asked in parallel, then create and wait until running', async (ctx) => {
  const stats = { active: 0, max: 0 };
  const r = await run(
    ctx,
    'start',
    [
      { match: ['crm_node', '-l'], answer: { stdout: '1 node1 member\n2 node2 member\n3 node3 member\n5 node5 member\n' } },
      peerRules({}, 300, stats),
      domstate(UUID, noDomain, 1),
      domstate('vm1', noDomain, 1),
      { match: ['virsh', '-c', 'qemu:///system', 'create', ctx.config], answer: { stdout: 'Domain created\n' } },
      domstate(UUID, { stdout: 'running (booted)\n' }),
    ],
    { OCF_RESKEY_check_storage: 'false' },
  );
  assert.is(r.code, 0, r.stderr);
  // all three queries were in flight at once: one round trip, not three
  assert.is(stats.max, 3, 'the three peers were asked at the same time');
  const peers = r.exec
    .commands()
    .filter((c) => c.includes(' list '))
    .sort();
  assert.equal(
    peers,
    ['node2', 'node3', 'node5'].map((n) => `virsh -c qemu+ssh://${n}/system list --uuid --name`),
  );
});

test('start refused: the guest runs on a peer (named, with evidence); nothing is created', async (ctx) => {
  const r = await run(ctx, 'start', [peerRules({ node3: `${UUID} vm1` }, 0, { active: 0, max: 0 }), domstate(UUID, noDomain), domstate('vm1', noDomain)], {
    OCF_RESKEY_peers: 'node2 node3',
  });
  assert.is(r.code, 1);
  assert.match(r.reason ?? '', /^the guest already runs on node3 \(matched by uuid in virsh -c qemu\+ssh:\/\/node3\/system list: .* vm1\)$/);
  assert.ok(!r.exec.commands().some((c) => c.includes(' create ')));
});

test('start refused: a peer cannot be asked and Pacemaker says it is online; allowed when offline and clean', async (ctx) => {
  const crmMon = (online: boolean): FakeRule => ({
    match: ['crm_mon'],
    answer: { stdout: `<pacemaker-result><nodes><node name="node4" id="4" online="${online}" unclean="false"/></nodes></pacemaker-result>` },
  });
  const refused = await run(ctx, 'start', [peerRules({}, 0, { active: 0, max: 0 }), crmMon(true), domstate(UUID, noDomain), domstate('vm1', noDomain)], {
    OCF_RESKEY_peers: 'node4',
  });
  assert.is(refused.code, 1);
  assert.match(
    refused.reason ?? '',
    /^cannot ask node4 whether it runs the guest and Pacemaker reports it online \(qemu\+ssh:\/\/node4\/system: .*Connection refused\)/,
  );
  const allowed = await run(
    ctx,
    'start',
    [
      peerRules({}, 0, { active: 0, max: 0 }),
      crmMon(false),
      domstate(UUID, noDomain, 1),
      domstate('vm1', noDomain, 1),
      { match: ['virsh', '-c', 'qemu:///system', 'create'], answer: {} },
      domstate(UUID, { stdout: 'running\n' }),
    ],
    { OCF_RESKEY_peers: 'node4' },
  );
  assert.is(allowed.code, 0, allowed.stderr);
});

test('start refused without a node list: crm_node fails and no peers parameter', async (ctx) => {
  const r = await run(ctx, 'start', [
    { match: ['crm_node', '-l'], answer: { exitCode: 102, stderr: 'error: Could not connect to controller: Connection refused\n' } },
    domstate(UUID, noDomain),
    domstate('vm1', noDomain),
  ]);
  assert.is(r.code, 1);
  assert.match(r.reason ?? '', /cannot list the cluster nodes.*peers=none.*crm_node -l: error: Could not connect to controller/);
});

test('start is idempotent: a running guest is left alone, no peer is asked', async (ctx) => {
  const r = await run(ctx, 'start', [domstate(UUID, { stdout: 'running\n' })], { OCF_RESKEY_peers: 'node2' });
  assert.is(r.code, 0);
  assert.equal(r.exec.commands().length, 1);
});

test('lease: held by another node refuses start; expired is taken over and recorded; stop releases', async (ctx) => {
  const leases = path.join(ctx.dir, 'leases');
  require('node:fs').mkdirSync(leases);
  writeFileSync(path.join(leases, '.ocfkit-lease-dir'), '');
  const file = path.join(leases, 'vm1.lease');
  const future = new Date(Date.now() + 60000).toISOString();
  writeFileSync(file, JSON.stringify({ guest: 'vm1', holder: 'node2', expires: future, renewed: new Date().toISOString() }));
  const env = { OCF_RESKEY_peers: 'none', OCF_RESKEY_lease_dir: leases };
  const refused = await run(ctx, 'start', [domstate(UUID, noDomain), domstate('vm1', noDomain)], env);
  assert.is(refused.code, 1);
  assert.match(refused.reason ?? '', new RegExp(`^node2 holds the lease until ${future} \\(${file}`));
  writeFileSync(
    file,
    JSON.stringify({
      guest: 'vm1',
      holder: 'node2',
      expires: new Date(Date.now() - 31_000).toISOString(),
      renewed: new Date(Date.now() - 151_000).toISOString(),
    }),
  );
  const taken = await run(
    ctx,
    'start',
    [
      domstate(UUID, noDomain, 1),
      domstate('vm1', noDomain, 1),
      { match: ['virsh', '-c', 'qemu:///system', 'create'], answer: {} },
      domstate(UUID, { stdout: 'running\n' }),
    ],
    env,
  );
  assert.is(taken.code, 0, taken.stderr);
  assert.match(taken.stderr, /taken over from node2/);
  const lease = JSON.parse(readFileSync(file, 'utf8'));
  assert.is(lease.holder, 'node1');
  assert.is(lease.takenOverFrom, 'node2');
  assert.ok(Date.parse(lease.expires) > Date.now() + 100000);
  const stop = await run(ctx, 'stop', [domstate(UUID, { stdout: 'shut off\n' })], env);
  assert.is(stop.code, 0);
  assert.not.ok(existsSync(file));
});

test('lease: with a uuid parameter, start, monitor and stop all use the lease named after the guest', async (ctx) => {
  const leases = path.join(ctx.dir, 'leases');
  require('node:fs').mkdirSync(leases);
  writeFileSync(path.join(leases, '.ocfkit-lease-dir'), '');
  const env = { OCF_RESKEY_peers: 'none', OCF_RESKEY_lease_dir: leases, OCF_RESKEY_uuid: UUID };
  const started = await run(
    ctx,
    'start',
    [
      domstate(UUID, noDomain, 1),
      domstate('vm1', noDomain, 1),
      { match: ['virsh', '-c', 'qemu:///system', 'create'], answer: {} },
      domstate(UUID, { stdout: 'running\n' }),
    ],
    env,
  );
  assert.is(started.code, 0, started.stderr);
  const monitored = await run(ctx, 'monitor', [domstate(UUID, { stdout: 'running\n' })], { ...env, OCF_RESKEY_CRM_meta_interval: '10000' });
  assert.is(monitored.code, 0, monitored.stderr);
  assert.equal(require('node:fs').readdirSync(leases), ['.ocfkit-lease-dir', 'vm1.lease']);
  // with the config unreadable (storage not mounted here), the remembered name still names the lease
  chmodSync(ctx.config, 0o000);
  const unreadable = await run(ctx, 'monitor', [domstate(UUID, { stdout: 'running\n' })], { ...env, OCF_RESKEY_CRM_meta_interval: '10000' });
  chmodSync(ctx.config, 0o644);
  assert.is(unreadable.code, 0, unreadable.stderr);
  assert.equal(require('node:fs').readdirSync(leases), ['.ocfkit-lease-dir', 'vm1.lease']);
  const stopped = await run(ctx, 'stop', [domstate(UUID, { stdout: 'shut off\n' })], env);
  assert.is(stopped.code, 0, stopped.stderr);
  assert.equal(require('node:fs').readdirSync(leases), ['.ocfkit-lease-dir'], 'stop released the lease start took');
});

test('stop: graceful shutdown, then destroy before the deadline', async (ctx) => {
  let destroyed = false;
  const r = await run(
    ctx,
    'stop',
    [
      { match: ['virsh', '-c', 'qemu:///system', 'shutdown', UUID], answer: {} },
      {
        match: ['virsh', '-c', 'qemu:///system', 'destroy', UUID],
        answer: () => {
          destroyed = true;
          return {};
        },
      },
      { match: ['virsh', '-c', 'qemu:///system', 'domstate'], answer: () => ({ stdout: destroyed ? 'shut off (destroyed)\n' : 'running\n' }) },
    ],
    { OCF_RESKEY_CRM_meta_timeout: '7000' },
  );
  assert.is(r.code, 0, r.stderr);
  const cmds = r.exec.commands();
  assert.ok(cmds.indexOf(`virsh -c qemu:///system shutdown ${UUID}`) < cmds.indexOf(`virsh -c qemu:///system destroy ${UUID}`));
  assert.match(r.stderr, /did not shut down in time/);
});

test('stop: shutdown_mode goes to virsh shutdown --mode; shutdown_timeout is the wait before destroy', async (ctx) => {
  let destroyed = false;
  const r = await run(
    ctx,
    'stop',
    [
      { match: ['virsh', '-c', 'qemu:///system', 'shutdown', UUID, '--mode', 'acpi,agent'], answer: {} },
      {
        match: ['virsh', '-c', 'qemu:///system', 'destroy', UUID],
        answer: () => {
          destroyed = true;
          return {};
        },
      },
      { match: ['virsh', '-c', 'qemu:///system', 'domstate'], answer: () => ({ stdout: destroyed ? 'shut off (destroyed)\n' : 'running\n' }) },
    ],
    { OCF_RESKEY_CRM_meta_timeout: '600000', OCF_RESKEY_shutdown_mode: 'acpi,agent', OCF_RESKEY_shutdown_timeout: '1' },
  );
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /did not shut down in time \(running after 1 s\); destroying it/);
  assert.ok(destroyed);
  // a request libvirt refuses goes straight to destroy
  destroyed = false;
  const refused = await run(
    ctx,
    'stop',
    [
      {
        match: ['virsh', '-c', 'qemu:///system', 'shutdown', UUID, '--mode', 'agent'],
        answer: { exitCode: 1, stderr: "error: Failed to shutdown domain 'vm1'\nerror: argument unsupported: QEMU guest agent is not configured\n" },
      },
      {
        match: ['virsh', '-c', 'qemu:///system', 'destroy', UUID],
        answer: () => {
          destroyed = true;
          return {};
        },
      },
      { match: ['virsh', '-c', 'qemu:///system', 'domstate'], answer: () => ({ stdout: destroyed ? 'shut off (destroyed)\n' : 'running\n' }) },
    ],
    { OCF_RESKEY_CRM_meta_timeout: '600000', OCF_RESKEY_shutdown_mode: 'agent' },
  );
  assert.is(refused.code, 0, refused.stderr);
  assert.match(refused.stderr, /the shutdown request failed .*guest agent is not configured.*; destroying it/);
});

test('validate-all: shutdown_mode=agent without a guest agent channel is reported', async (ctx) => {
  const r = await run(ctx, 'validate-all', [{ match: ['virsh', '-c', 'qemu:///system', 'dominfo'], answer: { stdout: 'Autostart:      disable\n' } }], {
    OCF_RESKEY_shutdown_mode: 'agent',
  });
  assert.is(r.code, 6);
  assert.match(r.reason ?? '', /shutdown_mode=agent: .* has no qemu guest agent channel/);
  assert.is(
    (
      await run(ctx, 'validate-all', [{ match: ['virsh', '-c', 'qemu:///system', 'dominfo'], answer: { stdout: 'Autostart:      disable\n' } }], {
        OCF_RESKEY_shutdown_mode: 'agent,acpi',
      })
    ).code,
    0,
  );
});

test('stop with force_stop destroys at once; a paused guest is destroyed too', async (ctx) => {
  for (const [env, state] of [
    [{ OCF_RESKEY_force_stop: 'true' }, 'running'],
    [{}, 'paused'],
  ] as const) {
    let destroyed = false;
    const r = await run(
      ctx,
      'stop',
      [
        {
          match: ['virsh', '-c', 'qemu:///system', 'destroy', UUID],
          answer: () => {
            destroyed = true;
            return {};
          },
        },
        { match: ['virsh', '-c', 'qemu:///system', 'domstate'], answer: () => ({ stdout: destroyed ? 'shut off\n' : `${state}\n` }) },
      ],
      env,
    );
    assert.is(r.code, 0);
    assert.not.ok(r.exec.commands().some((c) => c.includes('shutdown')));
  }
});

test('migrate_to: command construction with suffix, downtime and bandwidth; lease handed to the target', async (ctx) => {
  const leases = path.join(ctx.dir, 'leases');
  require('node:fs').mkdirSync(leases);
  writeFileSync(path.join(leases, '.ocfkit-lease-dir'), '');
  const r = await run(
    ctx,
    'migrate_to',
    [
      domstate(UUID, { stdout: 'running\n' }),
      peerRules({}, 0, { active: 0, max: 0 }),
      { match: ['virsh', '-c', 'qemu:///system', 'migrate-setmaxdowntime'], answer: {} },
      { match: ['virsh', '-c', 'qemu:///system', 'migrate'], answer: {} },
    ],
    {
      OCF_RESKEY_CRM_meta_migrate_source: 'node1',
      OCF_RESKEY_CRM_meta_migrate_target: 'node2',
      OCF_RESKEY_peers: 'node2 node3',
      OCF_RESKEY_migration_network_suffix: '-mig',
      OCF_RESKEY_migration_downtime: '300',
      OCF_RESKEY_migration_speed: '100',
      OCF_RESKEY_lease_dir: leases,
    },
  );
  assert.is(r.code, 0, r.stderr);
  const cmds = r.exec.commands();
  assert.ok(cmds.includes(`virsh -c qemu:///system migrate-setmaxdowntime ${UUID} 300`));
  assert.ok(
    cmds.includes(`virsh -c qemu:///system migrate --live ${UUID} qemu+ssh://node2/system --migrateuri tcp://node2-mig --bandwidth 100`),
    cmds.join('\n'),
  );
  const lease = JSON.parse(readFileSync(path.join(leases, 'vm1.lease'), 'utf8'));
  assert.is(lease.holder, 'node2');
  assert.is(lease.handoffFrom, 'node1');
});

test('migrate_to to an FQDN node: the migration network suffix goes before the first dot', async (ctx) => {
  const r = await run(
    ctx,
    'migrate_to',
    [domstate(UUID, { stdout: 'running\n' }), peerRules({}, 0, { active: 0, max: 0 }), { match: ['virsh', '-c', 'qemu:///system', 'migrate'], answer: {} }],
    {
      OCF_RESKEY_CRM_meta_on_node: 'node1.example.com',
      OCF_RESKEY_CRM_meta_migrate_target: 'node2.example.com',
      OCF_RESKEY_peers: 'node2.example.com',
      OCF_RESKEY_migration_network_suffix: '-mig',
    },
  );
  assert.is(r.code, 0, r.stderr);
  assert.ok(
    r.exec.commands().includes(`virsh -c qemu:///system migrate --live ${UUID} qemu+ssh://node2.example.com/system --migrateuri tcp://node2-mig.example.com`),
    r.exec.commands().join('\n'),
  );
});

test("node_ip_attribute: the migration data goes to the target's address; without one migrate_to refuses", async (ctx) => {
  const env = { OCF_RESKEY_CRM_meta_migrate_target: 'node2', OCF_RESKEY_peers: 'node2', OCF_RESKEY_node_ip_attribute: 'mig_ip' };
  const base = [
    domstate(UUID, { stdout: 'running\n' }),
    peerRules({}, 0, { active: 0, max: 0 }),
    { match: ['virsh', '-c', 'qemu:///system', 'migrate'], answer: {} },
  ];
  // crm_attribute's answers as Pacemaker 2.1.5 prints them (test/fixtures/pacemaker/cib-node-attributes.xml)
  const query = ['crm_attribute', '--type', 'nodes', '--node', 'node2', '--name', 'mig_ip', '--query', '--quiet'];
  const ok = await run(ctx, 'migrate_to', [{ match: query, answer: { stdout: '192.168.2.2\n' } }, ...base], env);
  assert.is(ok.code, 0, ok.stderr);
  assert.ok(
    ok.exec.commands().includes(`virsh -c qemu:///system migrate --live ${UUID} qemu+ssh://node2/system --migrateuri tcp://192.168.2.2`),
    ok.exec.commands().join('\n'),
  );
  const missing = await run(
    ctx,
    'migrate_to',
    [{ match: query, answer: { exitCode: 105, stderr: 'crm_attribute: Error performing operation: No such device or address\n' } }, ...base],
    env,
  );
  assert.is(missing.code, 1);
  assert.match(
    missing.reason ?? '',
    /^node_ip_attribute: node node2 has no mig_ip \(crm_attribute: Error performing operation: No such device or address\); set it: crm_attribute --type nodes --node node2 --name mig_ip --update <address>/,
  );
  assert.not.ok(missing.exec.commands().some((c) => c.includes(' migrate --live')));
  const bad = await run(ctx, 'start', [], { OCF_RESKEY_node_ip_attribute: 'mig ip' });
  assert.is(bad.code, 6);
  assert.match(bad.reason ?? '', /node_ip_attribute="mig ip" is not a node attribute name/);
});

test('start and migrate_from order the host shutdown after Pacemaker: one drop-in, reloaded only when changed', async (ctx) => {
  const host = path.join(ctx.dir, 'host');
  const depsDir = path.join(host, 'run/systemd/system/resource-agents-deps.target.d');
  require('node:fs').mkdirSync(depsDir, { recursive: true });
  writeFileSync(path.join(depsDir, '10-admin.conf'), '[Unit]\nAfter=iscsid.service\n');
  const env = { OCF_RESKEY_CRM_meta_on_node: 'node2', OCF_RESKEY_CRM_meta_migrate_source: 'node1', OCF_RESKEY_peers: 'node1' };
  const rules = [
    domstate(UUID, { stdout: 'running\n' }),
    peerRules({ node1: `${UUID} vm1` }, 0, { active: 0, max: 0 }),
    { match: ['systemctl', 'daemon-reload'], answer: {} },
  ];
  const first = await run(ctx, 'migrate_from', rules, env);
  assert.is(first.code, 0, first.stderr);
  assert.equal(
    first.exec.commands().filter((c) => c.startsWith('systemctl')),
    ['systemctl daemon-reload'],
  );
  const file = path.join(depsDir, '50-ocfkit-virtual-machine-libvirt.conf');
  assert.match(
    readFileSync(file, 'utf8'),
    /^\[Unit\]\nAfter=libvirtd\.service virtqemud\.service .*virtlockd\.service .*systemd-machined\.service libvirt-guests\.service$/m,
  );
  const second = await run(ctx, 'migrate_from', rules, env);
  assert.is(second.code, 0, second.stderr);
  assert.not.ok(
    second.exec.commands().some((c) => c.startsWith('systemctl')),
    'unchanged: no reload',
  );
  assert.is(readFileSync(path.join(depsDir, '10-admin.conf'), 'utf8'), '[Unit]\nAfter=iscsid.service\n', "the admin's drop-in is untouched");
  assert.equal(require('node:fs').readdirSync(depsDir).sort(), ['10-admin.conf', '50-ocfkit-virtual-machine-libvirt.conf']);
  // not booted with systemd (no /run/systemd/system): nothing written, nothing run
  const bare = await run(ctx, 'migrate_from', rules, { ...env, OCF_RESKEY_host_root: path.join(ctx.dir, 'bare') });
  assert.is(bare.code, 0, bare.stderr);
  assert.not.ok(bare.exec.commands().some((c) => c.startsWith('systemctl')));
  assert.not.ok(existsSync(path.join(ctx.dir, 'bare')));
  // shutdown_ordering=false leaves the host alone
  rmSync(file);
  const off = await run(ctx, 'migrate_from', rules, { ...env, OCF_RESKEY_shutdown_ordering: 'false' });
  assert.is(off.code, 0, off.stderr);
  assert.not.ok(existsSync(file));
});

test('validate-all warns when an enabled libvirt-guests acts on the guests at boot or shutdown', async (ctx) => {
  const etc = path.join(ctx.dir, 'host', 'etc', 'default');
  require('node:fs').mkdirSync(etc, { recursive: true });
  writeFileSync(path.join(etc, 'libvirt-guests'), readFileSync('test/fixtures/virtual-machine/libvirt-guests-debian.conf', 'utf8') + 'ON_BOOT=start\n');
  const rules = (enabled: string): FakeRule[] => [
    { match: ['virsh', '-c', 'qemu:///system', 'dominfo'], answer: { stdout: 'Autostart:      disable\n' } },
    { match: ['systemctl', 'is-enabled', 'libvirt-guests.service'], answer: { stdout: `${enabled}\n`, exitCode: enabled === 'enabled' ? 0 : 1 } },
  ];
  const on = await run(ctx, 'validate-all', rules('enabled'));
  assert.is(on.code, 0, on.stderr);
  assert.match(
    on.stderr,
    /libvirt-guests starts at boot the guests that ran at shutdown, cluster guests included \(ON_BOOT=start in .*etc\/default\/libvirt-guests\); set ON_BOOT=ignore/,
  );
  assert.match(on.stderr, /libvirt-guests shuts down the running guests at host shutdown \(ON_SHUTDOWN=shutdown/);
  const off = await run(ctx, 'validate-all', rules('disabled'));
  assert.is(off.code, 0, off.stderr);
  assert.not.match(off.stderr, /libvirt-guests/);
});

const HELP_MIGRATE = readFileSync('test/fixtures/virtual-machine/virsh-help-migrate.txt', 'utf8');

test('migrate_options: checked against virsh help migrate, passed as argv; refused with the reason', async (ctx) => {
  const env = { OCF_RESKEY_CRM_meta_migrate_target: 'node2', OCF_RESKEY_peers: 'node2' };
  const rules = [
    domstate(UUID, { stdout: 'running\n' }),
    peerRules({}, 0, { active: 0, max: 0 }),
    { match: ['virsh', 'help', 'migrate'], answer: { stdout: HELP_MIGRATE } },
    { match: ['virsh', '-c', 'qemu:///system', 'migrate'], answer: {} },
  ];
  const ok = await run(ctx, 'migrate_to', rules, { ...env, OCF_RESKEY_migrate_options: '--auto-converge --parallel --parallel-connections 4' });
  assert.is(ok.code, 0, ok.stderr);
  assert.ok(
    ok.exec.commands().includes(`virsh -c qemu:///system migrate --live ${UUID} qemu+ssh://node2/system --auto-converge --parallel --parallel-connections 4`),
    ok.exec.commands().join('\n'),
  );
  const unknown = await run(ctx, 'migrate_to', rules, { ...env, OCF_RESKEY_migrate_options: '--auto-converge --fancy' });
  assert.is(unknown.code, 1);
  assert.match(unknown.reason ?? '', /--fancy is not supported by this node's virsh/);
  assert.not.ok(unknown.exec.commands().some((c) => c.includes(' migrate --live')));
  const validate = await run(
    ctx,
    'validate-all',
    [
      { match: ['virsh', '-c', 'qemu:///system', 'dominfo'], answer: { stdout: 'Autostart:      disable\n' } },
      { match: ['virsh', 'help', 'migrate'], answer: { stdout: HELP_MIGRATE } },
    ],
    { OCF_RESKEY_migrate_options: '--fancy' },
  );
  assert.is(validate.code, 6);
  assert.match(validate.reason ?? '', /migrate_options="--fancy": --fancy is not supported/);
  const shell = await run(ctx, 'monitor', [], { OCF_RESKEY_migrate_options: '--tls; reboot' });
  assert.is(shell.code, 6);
  assert.match(shell.reason ?? '', /";" is not allowed/);
});

test('migrate_to: a migration that does not converge is aborted (domjobabort); the guest keeps running here', async (ctx) => {
  let abort: () => void = () => undefined;
  const aborted = new Promise<void>((resolve) => {
    abort = resolve;
  });
  const r = await run(
    ctx,
    'migrate_to',
    [
      domstate(UUID, { stdout: 'running\n' }),
      peerRules({}, 0, { active: 0, max: 0 }),
      // virsh returns when the job is cancelled, with libvirt's qemu driver wording
      {
        match: ['virsh', '-c', 'qemu:///system', 'migrate'],
        answer: async () => {
          await aborted;
          return { exitCode: 1, stderr: 'error: operation aborted: migration out job: canceled by client\n' };
        },
      },
      {
        match: ['virsh', '-c', 'qemu:///system', 'domjobabort', UUID],
        answer: () => {
          abort();
          return {};
        },
      },
    ],
    { OCF_RESKEY_CRM_meta_migrate_target: 'node2', OCF_RESKEY_peers: 'node2', OCF_RESKEY_CRM_meta_timeout: '4000' },
  );
  assert.is(r.code, 1);
  assert.match(r.reason ?? '', /^the migration to node2 did not converge within \d+ s; aborted it \(virsh domjobabort\); the guest keeps running on this node/);
  const cmds = r.exec.commands();
  assert.ok(cmds.indexOf(`virsh -c qemu:///system domjobabort ${UUID}`) > cmds.findIndex((c) => c.includes(' migrate --live')));
});

test('migrate_to refuses when the target already runs the guest; without a target it fails at once', async (ctx) => {
  const r = await run(ctx, 'migrate_to', [domstate(UUID, { stdout: 'running\n' }), peerRules({ node2: `${UUID} vm1` }, 0, { active: 0, max: 0 })], {
    OCF_RESKEY_CRM_meta_migrate_target: 'node2',
    OCF_RESKEY_peers: 'node2',
  });
  assert.is(r.code, 1);
  assert.match(r.reason ?? '', /already runs on the migration target node2/);
  assert.not.ok(r.exec.commands().some((c) => c.includes(' migrate ')));
  const none = await run(ctx, 'migrate_to', []);
  assert.is(none.code, 1);
  assert.match(none.reason ?? '', /migrate_target/);
});

test('migrate_from: the source may still show the guest; without a source it looks once and returns', async (ctx) => {
  const ok = await run(ctx, 'migrate_from', [domstate(UUID, { stdout: 'running\n' }), peerRules({ node1: `${UUID} vm1` }, 0, { active: 0, max: 0 })], {
    OCF_RESKEY_CRM_meta_on_node: 'node2',
    OCF_RESKEY_CRM_meta_migrate_source: 'node1',
    OCF_RESKEY_CRM_meta_migrate_target: 'node2',
    OCF_RESKEY_peers: 'node1 node2',
  });
  assert.is(ok.code, 0, ok.stderr);
  const tester = await run(ctx, 'migrate_from', [domstate(UUID, noDomain), domstate('vm1', noDomain)]);
  assert.is(tester.code, 1);
  // looked once (by UUID, then name) and returned: no wait for a guest that is not coming
  assert.equal(tester.exec.commands(), [`virsh -c qemu:///system domstate --reason ${UUID}`, 'virsh -c qemu:///system domstate --reason vm1']);
});

test('validate-all: xl lint error names file:line and the fix; bad parameters name the parameter', async (ctx) => {
  const cfg = path.join(ctx.dir, 'web.cfg');
  writeFileSync(cfg, 'name = "web"\nmemory = 512\ncpus = [ "^0,^1" ]\n');
  const lint = await run(ctx, 'validate-all', [], { OCF_RESKEY_backend: 'xl', OCF_RESKEY_config: cfg });
  assert.is(lint.code, 6, lint.reason);
  assert.match(lint.reason ?? '', new RegExp(`${cfg}:3: cpus: .*Xen 4\\.6.*fix: write it as one string: cpus = "\\^0,\\^1,2-`));
  const bad = await run(ctx, 'validate-all', [], { OCF_RESKEY_uuid: 'not-a-uuid' });
  assert.is(bad.code, 6);
  assert.match(bad.reason ?? '', /uuid="not-a-uuid"/);
  const relative = await run(ctx, 'start', [], { OCF_RESKEY_config: 'vm1.xml' });
  assert.is(relative.code, 6);
  assert.match(relative.reason ?? '', /config="vm1.xml" must be an absolute path/);
});

test('virsh missing: start gives ERR_INSTALLED', async (ctx) => {
  rmSync(path.join(ctx.binDir, 'virsh'));
  const savedPath = process.env.PATH;
  const r = await (async () => {
    process.env.PATH = ctx.binDir;
    try {
      return await runAgent(virtualMachineAgent, ['start'], {
        env: { OCF_RESKEY_config: ctx.config, OCF_RESKEY_state_dir: path.join(ctx.dir, 'state') },
        stdout: () => undefined,
        stderr: () => undefined,
        executor: () => fakeExecutor([{ match: ['virsh'], answer: 'not-installed' }]),
      });
    } finally {
      process.env.PATH = savedPath;
    }
  })();
  assert.is(r.code, 5);
  assert.match(r.reason ?? '', /virsh is not installed/);
});

test('lease_dir missing (shared storage not mounted): start refuses, monitor of a running guest is degraded', async (ctx) => {
  const leases = path.join(ctx.dir, 'not-mounted');
  const start = await run(ctx, 'start', [domstate(UUID, noDomain), domstate('vm1', noDomain)], { OCF_RESKEY_peers: 'none', OCF_RESKEY_lease_dir: leases });
  assert.is(start.code, 1);
  assert.match(start.reason ?? '', /lease directory .*not-mounted does not exist here/);
  const monitor = await run(ctx, 'monitor', [domstate(UUID, { stdout: 'running\n' })], { OCF_RESKEY_lease_dir: leases, OCF_RESKEY_CRM_meta_interval: '10000' });
  assert.is(monitor.code, 190);
  assert.match(monitor.reason ?? '', /lease not renewed/);
  assert.not.ok(existsSync(leases), 'the directory was not created on local disk');
});

test('OCF_CHECK_LEVEL 10 pings the guest agent: no answer fails, no agent configured passes, probes skip it', async (ctx) => {
  const ping = (answer: FakeRule['answer']): FakeRule => ({
    match: ['virsh', '-c', 'qemu:///system', 'qemu-agent-command', UUID, '{"execute":"guest-ping"}'],
    answer,
  });
  const env = { OCF_CHECK_LEVEL: '10', OCF_RESKEY_CRM_meta_interval: '60000' };
  const dead = await run(
    ctx,
    'monitor',
    [domstate(UUID, { stdout: 'running\n' }), ping({ exitCode: 1, stderr: 'error: Guest agent is not responding: QEMU guest agent is not connected\n' })],
    env,
  );
  assert.is(dead.code, 1);
  assert.match(dead.reason ?? '', /guest agent of vm1 .* does not answer: Guest agent is not responding/);
  const none = await run(
    ctx,
    'monitor',
    [domstate(UUID, { stdout: 'running\n' }), ping({ exitCode: 1, stderr: 'error: argument unsupported: QEMU guest agent is not configured\n' })],
    env,
  );
  assert.is(none.code, 0);
  const alive = await run(ctx, 'monitor', [domstate(UUID, { stdout: 'running\n' }), ping({ stdout: '{"return":{}}\n' })], env);
  assert.is(alive.code, 0);
  const probe = await run(ctx, 'monitor', [domstate(UUID, { stdout: 'running\n' })], { OCF_CHECK_LEVEL: '10' });
  assert.is(probe.code, 0);
  assert.equal(probe.exec.commands().length, 1);
});

test('utilization published at start from the config (vCPUs, memory in MiB), never on monitor', async (ctx) => {
  const r = await run(
    ctx,
    'start',
    [
      domstate(UUID, noDomain, 1),
      domstate('vm1', noDomain, 1),
      { match: ['virsh', '-c', 'qemu:///system', 'create'], answer: {} },
      domstate(UUID, { stdout: 'running\n' }),
      { match: ['crm_resource'], answer: {} },
    ],
    { OCF_RESKEY_peers: 'none', OCF_RESKEY_autoset_utilization_cpu: 'true', OCF_RESKEY_autoset_utilization_hv_memory: 'yes' },
  );
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.exec.commands().filter((c) => c.startsWith('crm_resource')),
    [
      'crm_resource --resource vm1 --utilization --set-parameter cpu --parameter-value 1',
      'crm_resource --resource vm1 --utilization --set-parameter hv_memory --parameter-value 64',
    ],
  );
  const monitor = await run(ctx, 'monitor', [domstate(UUID, { stdout: 'running\n' })], {
    OCF_RESKEY_autoset_utilization_cpu: 'true',
    OCF_RESKEY_CRM_meta_interval: '10000',
  });
  assert.equal(monitor.exec.commands().length, 1);
});

test('validate-all: a domain libvirt autostarts at boot is reported with the fix', async (ctx) => {
  const dominfo = (autostart: string): FakeRule => ({
    match: ['virsh', '-c', 'qemu:///system', 'dominfo', UUID],
    answer: {
      stdout: `Id:             -\nName:           vm1\nUUID:           ${UUID}\nOS Type:        hvm\nState:          shut off\nPersistent:     yes\nAutostart:      ${autostart}\nManaged save:   no\n\n`,
    },
  });
  const on = await run(ctx, 'validate-all', [dominfo('enable')]);
  assert.is(on.code, 6);
  assert.match(on.reason ?? '', /libvirt autostarts vm1 at boot .*fix: virsh -c qemu:\/\/\/system autostart --disable vm1/);
  assert.is((await run(ctx, 'validate-all', [dominfo('disable')])).code, 0);
  assert.is((await run(ctx, 'validate-all', [{ match: ['virsh'], answer: { exitCode: 1, stderr: "error: failed to get domain 'x'\n" } }])).code, 0);
});

test('manual runs (no CRM_meta_on_node): this node is what crm_node -n says, and is not asked as a peer', async (ctx) => {
  const leases = path.join(ctx.dir, 'leases');
  require('node:fs').mkdirSync(leases);
  writeFileSync(path.join(leases, '.ocfkit-lease-dir'), '');
  const r = await run(
    ctx,
    'start',
    [
      { match: ['crm_node', '-n'], answer: { stdout: 'node7\n' } },
      { match: ['crm_node', '-l'], answer: { stdout: '7 node7 member\n8 node8 member\n' } },
      peerRules({}, 0, { active: 0, max: 0 }),
      domstate(UUID, noDomain, 1),
      domstate('vm1', noDomain, 1),
      { match: ['virsh', '-c', 'qemu:///system', 'create'], answer: {} },
      domstate(UUID, { stdout: 'running\n' }),
    ],
    { OCF_RESKEY_CRM_meta_on_node: '', OCF_RESKEY_lease_dir: leases },
  );
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.exec.commands().filter((c) => c.includes(' list ')),
    ['virsh -c qemu+ssh://node8/system list --uuid --name'],
  );
  assert.is(JSON.parse(readFileSync(path.join(leases, 'vm1.lease'), 'utf8')).holder, 'node7');
});

test.run();
