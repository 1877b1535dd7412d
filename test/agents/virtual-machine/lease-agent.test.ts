// The lease through the agent's actions (fake executor, real lease directory): each parameter on
// its way through, and the promises of docs/agents/virtual-machine.md about monitor, stop and migration.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type FakeRule } from '../../support/fake-executor';
import { runVmAction, standInTools } from '../../support/vm-agent';

const UUID = '8f1c0e52-4b6a-4d2e-9a51-0c7f2d7b1a12';
const XML = `<domain type='kvm'><name>vm1</name><uuid>${UUID}</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`;
const MARKER = '.ocfkit-lease-dir';

interface Ctx {
  dir: string;
  config: string;
  binDir: string;
  leases: string;
  file: string;
}
const test = suite<Ctx>('virtual-machine lease through the agent', { dir: '', config: '', binDir: '', leases: '', file: '' });

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-lease-'));
  ctx.config = path.join(ctx.dir, 'vm1.xml');
  writeFileSync(ctx.config, XML);
  ctx.binDir = standInTools(ctx.dir, ['virsh']);
  ctx.leases = path.join(ctx.dir, 'leases');
  mkdirSync(ctx.leases);
  writeFileSync(path.join(ctx.leases, MARKER), '');
  ctx.file = path.join(ctx.leases, 'vm1.lease');
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const run = (ctx: Ctx, action: string, rules: FakeRule[], env: Record<string, string> = {}) =>
  runVmAction(ctx, action, rules, { OCF_RESKEY_peers: 'none', OCF_RESKEY_lease_dir: ctx.leases, ...env });

const state = (answer: () => string | undefined): FakeRule => ({
  match: ['virsh', '-c', 'qemu:///system', 'domstate'],
  answer: () => {
    const s = answer();
    return s ? { stdout: `${s}\n` } : { exitCode: 1, stderr: "error: failed to get domain 'vm1'\n" };
  },
});
const running = state(() => 'running');
const startRules = (): FakeRule[] => {
  let created = false;
  return [{ match: ['virsh', '-c', 'qemu:///system', 'create'], answer: () => ((created = true), {}) }, state(() => (created ? 'running' : undefined))];
};
const monitorEnv = { OCF_RESKEY_CRM_meta_interval: '10000' };
const readLease = (ctx: Ctx) => JSON.parse(readFileSync(ctx.file, 'utf8')) as Record<string, string | number>;
const writeLease = (ctx: Ctx, holder: string, expiresIn: number, extra: object = {}) =>
  writeFileSync(
    ctx.file,
    JSON.stringify({
      guest: 'vm1',
      holder,
      expires: new Date(Date.now() + expiresIn).toISOString(),
      renewed: new Date(Date.now() + expiresIn - 120_000).toISOString(),
      renewals: 5,
      ...extra,
    }),
  );

test('start takes the lease for lease_duration; every monitor renews it, counting', async (ctx) => {
  const started = await run(ctx, 'start', startRules(), { OCF_RESKEY_lease_duration: '45' });
  assert.is(started.code, 0, started.stderr);
  const taken = readLease(ctx);
  assert.is(taken.renewals, 0);
  assert.is(Date.parse(taken.expires as string) - Date.parse(taken.renewed as string), 45_000);
  for (const count of [1, 2]) {
    const monitored = await run(ctx, 'monitor', [running], { ...monitorEnv, OCF_RESKEY_lease_duration: '45' });
    assert.is(monitored.code, 0, monitored.stderr);
    assert.is(readLease(ctx).renewals, count, 'the monitor renewed the lease');
  }
});

test('monitor of a guest running here fails while another node holds a live lease, and leaves that lease', async (ctx) => {
  writeLease(ctx, 'node2', 60_000);
  const before = readFileSync(ctx.file, 'utf8');
  const monitored = await run(ctx, 'monitor', [running], monitorEnv);
  assert.is(monitored.code, 1);
  assert.match(monitored.reason ?? '', /^the guest runs here but node2 holds the lease until /);
  assert.is(readFileSync(ctx.file, 'utf8'), before);
});

test('lease_skew_margin: an expired lease is taken only after the margin, and the takeover is logged truthfully', async (ctx) => {
  writeLease(ctx, 'node2', -20_000);
  const refused = await run(ctx, 'start', startRules());
  assert.is(refused.code, 1);
  assert.match(refused.reason ?? '', /^node2's lease expired only 20 s ago, within lease_skew_margin=30 s/);
  assert.not.ok(refused.exec.commands().some((c) => c.includes(' create ')));
  const taken = await run(ctx, 'start', startRules(), { OCF_RESKEY_lease_skew_margin: '10' });
  assert.is(taken.code, 0, taken.stderr);
  assert.match(taken.stderr, /taken over from node2; its lease expired at \S+, 20 s ago by this node's clock \(renewal #5\)/);
  assert.equal([readLease(ctx).holder, readLease(ctx).takenOverFrom], ['node1', 'node2']);
});

test("a lease renewed while the peers are asked is not taken, however expired its holder's clock makes it look", async (ctx) => {
  writeLease(ctx, 'node2', -600_000);
  const slowPeer: FakeRule = {
    match: (argv) => argv[0] === 'virsh' && argv[3] === 'list',
    answer: () => {
      writeLease(ctx, 'node2', -590_000, { renewals: 6 }); // node2's monitor renews, by its clock ten minutes behind
      return { stdout: '\n' };
    },
  };
  const start = await run(ctx, 'start', [slowPeer, ...startRules()], { OCF_RESKEY_peers: 'node2' });
  assert.is(start.code, 1);
  assert.match(start.reason ?? '', /^node2 renewed its lease while this node checked \(renewal #5 to #6\): it is alive/);
  assert.not.ok(start.exec.commands().some((c) => c.includes(' create ')));
  assert.is(readLease(ctx).holder, 'node2');
});

test('a lease directory without its marker (an unmounted mount point): start refuses, monitor is degraded, nothing is written', async (ctx) => {
  rmSync(path.join(ctx.leases, MARKER));
  const start = await run(ctx, 'start', startRules());
  assert.is(start.code, 1);
  assert.is(start.reason, `no ${ctx.leases}/${MARKER} here: not the shared lease directory (storage not mounted?); the admin creates it once`);
  assert.not.ok(start.exec.commands().some((c) => c.includes(' create ')));
  const monitor = await run(ctx, 'monitor', [running], monitorEnv);
  assert.is(monitor.code, 190); // degraded
  assert.match(monitor.reason ?? '', /^lease not renewed: no .*\.ocfkit-lease-dir here/);
  assert.equal(readdirSync(ctx.leases), []);
});

test('stop leaves a lease it cannot parse, says so, and succeeds', async (ctx) => {
  writeFileSync(ctx.file, '{"holder": "node1", "exp');
  const stop = await run(ctx, 'stop', [state(() => 'shut off')]);
  assert.is(stop.code, 0, stop.stderr);
  assert.match(stop.stderr, /WARNING: the lease file is unreadable \(.*\): .*vm1\.lease; left as it is/);
  assert.is(readFileSync(ctx.file, 'utf8'), '{"holder": "node1", "exp');
});

const migrateEnv = { OCF_RESKEY_CRM_meta_migrate_source: 'node1', OCF_RESKEY_CRM_meta_migrate_target: 'node2' };

test('migrate_to: the lease names the target before the memory moves', async (ctx) => {
  await run(ctx, 'monitor', [running], monitorEnv);
  let holderDuringMigration: unknown;
  const r = await run(
    ctx,
    'migrate_to',
    [running, { match: ['virsh', '-c', 'qemu:///system', 'migrate'], answer: () => ((holderDuringMigration = readLease(ctx).holder), {}) }],
    migrateEnv,
  );
  assert.is(r.code, 0, r.stderr);
  assert.is(holderDuringMigration, 'node2');
  assert.equal([readLease(ctx).holder, readLease(ctx).handoffFrom, readLease(ctx).renewals], ['node2', 'node1', 0]);
});

test('migrate_to that fails hands the lease back to the source', async (ctx) => {
  await run(ctx, 'monitor', [running], monitorEnv);
  const r = await run(
    ctx,
    'migrate_to',
    [
      running,
      { match: ['virsh', '-c', 'qemu:///system', 'migrate'], answer: { exitCode: 1, stderr: 'error: operation failed: migration job: unexpectedly failed\n' } },
    ],
    migrateEnv,
  );
  assert.is(r.code, 1);
  assert.equal([readLease(ctx).holder, readLease(ctx).handoffFrom], ['node1', 'node2']);
});

test('migrate_from takes the handed-over lease; its monitors renew it', async (ctx) => {
  writeLease(ctx, 'node2', 60_000, { handoffFrom: 'node1', renewals: 0 });
  const target = { OCF_RESKEY_CRM_meta_on_node: 'node2' };
  const r = await run(ctx, 'migrate_from', [running], { ...migrateEnv, ...target });
  assert.is(r.code, 0, r.stderr);
  assert.equal([readLease(ctx).holder, readLease(ctx).renewals], ['node2', 1]);
  const monitored = await run(ctx, 'monitor', [running], { ...monitorEnv, ...target });
  assert.is(monitored.code, 0, monitored.stderr);
  assert.equal([readLease(ctx).holder, readLease(ctx).renewals], ['node2', 2]);
});

test.run();
