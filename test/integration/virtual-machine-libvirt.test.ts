// ocf:ocfkit:VirtualMachine against a real libvirtd (qemu:///system) and a real BIOS-only guest:
// the lifecycle, the peer guard with a libvirt test-driver "peer", an unreachable peer, leases,
// and the #856 probe with an unreadable config.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  chmodSync,
  symlinkSync,
  writeFileSync,
  mkdirSync,
  constants,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ocfkitBinary, repoRoot, runProgram, runVmProgram } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import { runWithPrivateOcfRoot } from '../support/private-ocf-root';
import { ensureLibvirt, testDriverHost, type PeerDomain } from '../harness/libvirt';
import * as needs from '../harness/needs';

const kvmUsable = (() => {
  try {
    closeSync(openSync('/dev/kvm', constants.O_RDWR));
    return true;
  } catch {
    return false;
  }
})();

interface Ctx {
  dir: string;
  agent: string;
  name: string;
  uuid: string;
  config: string;
  leases: string;
}
const vm = integrationSuite<Ctx>(
  'VirtualMachine against real libvirtd',
  [...needs.libvirt, needs.binary('ocf-tester', 'resource-agents'), needs.binary('crm_resource', 'pacemaker-cli-utils'), needs.binary('unshare', 'util-linux')],
  {
    dir: '',
    agent: '',
    name: '',
    uuid: '',
    config: '',
    leases: '',
  },
);

const virsh = (...args: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8', timeout: 60000 });

function domainXml(name: string, uuid: string): string {
  return `<domain type='${kvmUsable ? 'kvm' : 'qemu'}'>
  <name>${name}</name>
  <uuid>${uuid}</uuid>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><boot dev='network'/></os>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
</domain>
`;
}

vm.before(async (ctx) => {
  await ensureLibvirt(); // the harness starts libvirtd/virtlogd when nobody runs them, and stops them again
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-it-'));
  ctx.agent = path.join(ctx.dir, 'VirtualMachine');
  symlinkSync(ocfkitBinary, ctx.agent);
  ctx.name = `ocfkit-it-${process.pid}`;
  ctx.uuid = randomUUID();
  ctx.config = path.join(ctx.dir, 'guest.xml');
  writeFileSync(ctx.config, domainXml(ctx.name, ctx.uuid));
  ctx.leases = path.join(ctx.dir, 'leases');
  mkdirSync(ctx.leases);
  writeFileSync(path.join(ctx.leases, '.ocfkit-lease-dir'), '');
});
vm.after.each((ctx) => {
  virsh('destroy', ctx.uuid);
});
vm.after((ctx) => {
  virsh('destroy', ctx.uuid);
  rmSync(ctx.dir, { recursive: true, force: true });
});

const agent = (ctx: Ctx, action: string, env: Record<string, string> = {}) => runVmProgram(ctx, action, env);
const domstate = (ctx: Ctx) => virsh('domstate', ctx.uuid).stdout.trim();

vm('start, monitor, start again, stop (shutdown ignored by the BIOS guest, then destroy), monitor', (ctx) => {
  assert.is(agent(ctx, 'monitor').status, 7);
  const start = agent(ctx, 'start');
  assert.is(start.status, 0, start.stderr);
  assert.is(domstate(ctx), 'running');
  assert.is(agent(ctx, 'monitor', { OCF_RESKEY_CRM_meta_interval: '10000' }).status, 0);
  assert.is(agent(ctx, 'start').status, 0);
  const stop = agent(ctx, 'stop', { OCF_RESKEY_CRM_meta_timeout: '9000' });
  assert.is(stop.status, 0, stop.stderr);
  assert.match(stop.stderr, /did not shut down in time/);
  assert.is(virsh('domstate', ctx.uuid).status, 1, 'a transient domain is gone after stop');
  assert.is(agent(ctx, 'monitor').status, 7);
  assert.is(agent(ctx, 'stop').status, 0);
});

vm('a paused guest is degraded; a destroyed one is not running', (ctx) => {
  assert.is(agent(ctx, 'start').status, 0);
  virsh('suspend', ctx.uuid);
  const paused = agent(ctx, 'monitor', { OCF_RESKEY_CRM_meta_interval: '10000' });
  assert.is(paused.status, 190);
  assert.match(paused.reason ?? '', /paused \(user\)/);
  virsh('destroy', ctx.uuid);
  assert.is(agent(ctx, 'monitor', { OCF_RESKEY_CRM_meta_interval: '10000' }).status, 7);
});

vm('a peer (libvirt test driver) running the same guest makes start fail, naming the peer', (ctx) => {
  const peerFile = path.join(ctx.dir, 'node2.xml');
  writeFileSync(peerFile, `<node>\n${domainXml(ctx.name, ctx.uuid).replace(/type='(kvm|qemu)'/, "type='test'")}</node>\n`);
  const start = agent(ctx, 'start', { OCF_RESKEY_peers: 'node2 node3', OCF_RESKEY_peer_uri: `test://${ctx.dir}/%n.xml` });
  // node3.xml does not exist either, so node3 cannot be asked; both refusals are reported
  assert.is(start.status, 1, start.stderr);
  assert.match(
    start.reason ?? '',
    new RegExp(`the guest already runs on node2 \\(matched by uuid in virsh -c test://${ctx.dir}/node2.xml list: ${ctx.uuid} ${ctx.name}\\)`),
  );
  assert.match(start.reason ?? '', /cannot ask node3/);
  assert.is.not(domstate(ctx), 'running');
  // the same peer without the guest: start goes ahead
  writeFileSync(peerFile, `<node>\n${domainXml('other-guest', randomUUID()).replace(/type='(kvm|qemu)'/, "type='test'")}</node>\n`);
  const ok = agent(ctx, 'start', { OCF_RESKEY_peers: 'node2', OCF_RESKEY_peer_uri: `test://${ctx.dir}/%n.xml` });
  assert.is(ok.status, 0, ok.stderr);
});

vm('a peer matched by name only (different UUID) also refuses', (ctx) => {
  writeFileSync(path.join(ctx.dir, 'node2.xml'), `<node>\n${domainXml(ctx.name, randomUUID()).replace(/type='(kvm|qemu)'/, "type='test'")}</node>\n`);
  const start = agent(ctx, 'start', { OCF_RESKEY_peers: 'node2', OCF_RESKEY_peer_uri: `test://${ctx.dir}/%n.xml` });
  assert.is(start.status, 1);
  assert.match(start.reason ?? '', /runs on node2 \(matched by name/);
});

vm('an unreachable peer refuses the start (no Pacemaker to vouch for it)', (ctx) => {
  const start = agent(ctx, 'start', { OCF_RESKEY_peers: 'node9', OCF_RESKEY_peer_uri: `test://${ctx.dir}/missing-%n.xml` });
  assert.is(start.status, 1);
  assert.match(
    start.reason ?? '',
    new RegExp(
      `^cannot ask node9 whether it runs the guest and (the Pacemaker node status is unavailable|Pacemaker does not know the node) \\(test://${ctx.dir}/missing-node9.xml: `,
    ),
  );
  assert.is.not(domstate(ctx), 'running');
});

vm('lease held by another node refuses; a stale lease is taken over and recorded; stop releases it', (ctx) => {
  const file = path.join(ctx.leases, `${ctx.name}.lease`);
  const until = new Date(Date.now() + 3600_000).toISOString();
  writeFileSync(file, JSON.stringify({ guest: ctx.name, holder: 'node2', expires: until, renewed: new Date().toISOString() }));
  const refused = agent(ctx, 'start', { OCF_RESKEY_lease_dir: ctx.leases });
  assert.is(refused.status, 1);
  assert.match(refused.reason ?? '', new RegExp(`^node2 holds the lease until ${until} \\(${file}`));
  writeFileSync(
    file,
    JSON.stringify({
      guest: ctx.name,
      holder: 'node2',
      expires: new Date(Date.now() - 60_000).toISOString(),
      renewed: new Date(Date.now() - 180_000).toISOString(),
    }),
  );
  const taken = agent(ctx, 'start', { OCF_RESKEY_lease_dir: ctx.leases });
  assert.is(taken.status, 0, taken.stderr);
  assert.match(taken.stderr, /taken over from node2/);
  const lease = JSON.parse(readFileSync(file, 'utf8'));
  assert.is(lease.holder, 'node1');
  assert.is(lease.takenOverFrom, 'node2');
  assert.is(agent(ctx, 'monitor', { OCF_RESKEY_lease_dir: ctx.leases, OCF_RESKEY_CRM_meta_interval: '10000' }).status, 0);
  assert.is(JSON.parse(readFileSync(file, 'utf8')).renewals, lease.renewals + 1, 'monitor renews the lease');
  assert.is(agent(ctx, 'stop', { OCF_RESKEY_lease_dir: ctx.leases, OCF_RESKEY_force_stop: 'true' }).status, 0);
  assert.not.ok(existsSync(file));
});

vm('#856: the config becomes unreadable while the guest runs; the probe still reports running', (ctx) => {
  assert.is(agent(ctx, 'start').status, 0);
  const away = `${ctx.config}.unmounted`;
  renameSync(ctx.config, away);
  try {
    const probe = agent(ctx, 'monitor');
    assert.is(probe.status, 0, probe.stderr);
    assert.match(probe.stderr, /cannot be read here/);
    // a node that never saw the guest start (nothing remembered) but has the name parameter
    const other = agent(ctx, 'monitor', { OCF_RESKEY_state_dir: path.join(ctx.dir, 'other-node'), OCF_RESKEY_name: ctx.name });
    assert.is(other.status, 0, other.stderr);
    // and with no way to identify the guest at all, the probe does not claim "not running"
    const blind = agent(ctx, 'monitor', { OCF_RESKEY_state_dir: path.join(ctx.dir, 'blind-node') });
    assert.is.not(blind.status, 7);
    // stop cannot read the config either, but knows the guest and stops it
    const stop = agent(ctx, 'stop', { OCF_RESKEY_force_stop: 'true' });
    assert.is(stop.status, 0, stop.stderr);
    assert.is(virsh('domstate', ctx.uuid).status, 1);
  } finally {
    renameSync(away, ctx.config);
  }
});

vm('ocf-tester passes the agent, migrate_to/migrate_from included, on a real domain', (ctx) => {
  chmodSync(ctx.dir, 0o755); // ocf-tester runs meta-data as nobody
  const r = runProgram(
    'ocf-tester',
    ['-n', ctx.name, '-o', `config=${ctx.config}`, '-o', 'peers=none', '-o', 'force_stop=true', '-o', `state_dir=${path.join(ctx.dir, 'state')}`, ctx.agent],
    { OCF_ROOT: '/usr/lib/ocf' },
  );
  assert.is(r.status, 0, r.stdout + r.stderr);
  // a hanging migrate_from would run into runProgram's bound and fail the status check above
  assert.match(r.stdout, /passed all tests/);
});

vm('every hypervisor state, as real virsh prints it (libvirt test driver as the hypervisor), has a definite monitor answer', (ctx) => {
  const expected: Array<[NonNullable<PeerDomain['state']>, number, RegExp?]> = [
    ['running', 0],
    ['blocked', 0],
    ['paused', 190, /paused/],
    ['shutdown', 190, /shutting down/],
    ['shutoff', 7],
    ['crashed', 1, /crashed/],
    ['pmsuspended', 190, /pmsuspended/],
  ];
  for (const [state, code, reason] of expected) {
    const uri = testDriverHost([{ name: ctx.name, uuid: ctx.uuid, state }], `state-${state}`);
    // a monitor that waited on a state it does not know would end at its deadline with another code
    const r = agent(ctx, 'monitor', { OCF_RESKEY_hypervisor: uri, OCF_RESKEY_CRM_meta_interval: '10000' });
    assert.is(r.status, code, `${state}: ${r.stderr}`);
    if (reason) assert.match(r.reason ?? '', reason, state);
  }
});

vm('crm_resource --validate runs validate-all: bad parameters name the parameter (exit 6), a good config passes', (ctx) => {
  const providers = [{ provider: 'ocfkit', agents: { VirtualMachine: ocfkitBinary } }];
  // the fake xl stands in for Xen's toolstack (validate checks that the backend's program exists)
  const env = { PATH: `${path.join(repoRoot, 'test', 'fakes')}:${process.env.PATH}` };
  const validate = (...options: string[]) =>
    runWithPrivateOcfRoot(
      providers,
      ['crm_resource', '--validate', '--class', 'ocf', '--provider', 'ocfkit', '--agent', 'VirtualMachine', ...options.flatMap((o) => ['--option', o])],
      env,
    );
  const ok = validate(`config=${ctx.config}`, 'peers=none');
  assert.is(ok.status, 0, ok.stdout + ok.stderr);
  const bad = validate(`config=${ctx.config}`, 'uuid=not-a-uuid');
  assert.is(bad.status, 6, bad.stdout + bad.stderr);
  assert.match(bad.stdout + bad.stderr, /uuid="not-a-uuid" is not a UUID/);
  const xl = path.join(ctx.dir, 'web.cfg');
  writeFileSync(xl, 'name = "web"\nmemory = 512\ncpus = [ "^0,^1" ]\n');
  const lint = validate('backend=xl', `config=${xl}`);
  assert.is(lint.status, 6, lint.stdout + lint.stderr);
  assert.match(lint.stdout + lint.stderr, /web\.cfg:3: cpus: .*Xen 4\.6/);
});

vm.run();
