// runGuards and takeLease on their own: which guard runs for which settings, what each one asks,
// and how a refusal reaches the log and the exit reason. The agent-level tests (agent.test.ts,
// guard-parameters.test.ts) show the same through the runner; here each setting is switched alone.
// virsh, crm_node and crm_mon answers are as their tools print them (see agent.test.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Logger } from '../../../agents/core/log';
import { LEASE_DIR_MARKER, acquireLease, readLease } from '../../../agents/virtual-machine/lease-store';
import { runGuards, takeLease, type GuardSettings } from '../../../agents/virtual-machine/run-guards';
import { fakeExecutor, type FakeRule } from '../../support/fake-executor';

const UUID = '3c9b6f1e-52a4-4f0b-8d7e-6a1f0c2b9e41';
const ref = { uuid: UUID, name: 'vm1' };

interface Ctx {
  dir: string;
  leases: string;
}
const test = suite<Ctx>('virtual-machine runGuards and takeLease', { dir: '', leases: '' });
test.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-run-guards-'));
  ctx.leases = path.join(ctx.dir, 'leases');
  mkdirSync(ctx.leases);
  writeFileSync(path.join(ctx.leases, LEASE_DIR_MARKER), '');
  // host_root: qemu.conf as Debian ships it, lock_manager commented out
  mkdirSync(path.join(ctx.dir, 'etc', 'libvirt'), { recursive: true });
  writeFileSync(path.join(ctx.dir, 'etc', 'libvirt', 'qemu.conf'), '#lock_manager = "lockd"\n');
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

/** every guard off; each test switches on the one it is about */
const settings = (ctx: Ctx, over: Partial<GuardSettings> = {}): GuardSettings => ({
  self: 'node1',
  checkPeers: false,
  peers: undefined,
  peerUri: 'qemu+ssh://%n/system',
  peerTimeoutMs: 5000,
  leaseDir: undefined,
  leaseDurationMs: 120_000,
  leaseSkewMs: 5000,
  requireLockManager: false,
  checkStorage: false,
  dualPrimary: 'handoff-only',
  hypervisor: 'qemu:///system',
  backend: 'libvirt',
  hostRoot: ctx.dir,
  ...over,
});

function logger() {
  const lines: string[] = [];
  const log: Logger = {
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    err: (m) => lines.push(`err: ${m}`),
    crit: (m) => lines.push(`crit: ${m}`),
    flush: () => undefined,
  };
  return { log, lines };
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

const input = { ref, guest: 'vm1', disks: [] as string[] };

test('lock manager: refused when required (reason thrown, "start refused on node1" logged); only noted when not; never asked for xl', async (ctx) => {
  const exec = fakeExecutor([]);
  const { log, lines } = logger();
  const error = await refusal(runGuards(settings(ctx, { requireLockManager: true }), input, exec, log));
  assert.is(error.constructor.name, 'GenericError');
  assert.ok(error.message.startsWith(`no libvirt lock manager is configured (lock_manager in ${ctx.dir}/etc/libvirt/qemu.conf)`), error.message);
  assert.equal(lines, [`err: start refused on node1: ${error.message}`]);

  const optional = logger();
  await runGuards(settings(ctx), input, exec, optional.log);
  assert.equal(optional.lines, [
    `info: no libvirt lock manager is configured (lock_manager in ${ctx.dir}/etc/libvirt/qemu.conf); libvirt will not stop a second host from using the same disks`,
  ]);

  const xl = logger();
  await runGuards(settings(ctx, { requireLockManager: true, backend: 'xl' }), input, exec, xl.log);
  assert.equal(xl.lines, [], 'xl has no libvirt lock manager to ask');
  assert.equal(exec.commands(), []);
});

test("storage: checked only with check_storage; the config file's disks are used, else libvirt's definition; a failure to list them refuses", async (ctx) => {
  const off = fakeExecutor([]);
  await runGuards(settings(ctx), { ...input, disks: ['/dev/drbd/by-res/r0/0'] }, off, logger().log);
  assert.equal(off.commands(), [], 'check_storage=false asks nothing about the disks');

  // no config file read: libvirt's definition is asked, and its failure is the reason
  const dumpxml: FakeRule = {
    match: ['virsh', '-c', 'qemu:///system', 'dumpxml', UUID],
    answer: { exitCode: 1, stderr: `error: failed to get domain '${UUID}'\n` },
  };
  const exec = fakeExecutor([dumpxml]);
  const { log, lines } = logger();
  const error = await refusal(runGuards(settings(ctx, { checkStorage: true }), { ref, guest: 'vm1', disks: undefined }, exec, log));
  assert.is(error.message, `cannot check the guest's disks: virsh dumpxml ${UUID} failed: failed to get domain '${UUID}'`);
  assert.equal(
    lines.filter((l) => l.startsWith('err: ')),
    [`err: start refused on node1: ${error.message}`],
  );

  // a plain file disk: storage passes with nothing to say about DRBD, dumpxml not asked
  const file = path.join(ctx.dir, 'disk.img');
  writeFileSync(file, '');
  const plain = fakeExecutor([]);
  await runGuards(settings(ctx, { checkStorage: true }), { ...input, disks: [file] }, plain, logger().log);
  assert.not.ok(
    plain.commands().some((c) => c.includes('dumpxml')),
    plain.commands().join('\n'),
  );
});

test('lease: a missing lease directory and a lease another node holds refuse before the peers are asked; the lease seen is handed on', async (ctx) => {
  const exec = fakeExecutor([]);
  const missing = await refusal(
    runGuards(settings(ctx, { leaseDir: path.join(ctx.dir, 'not-mounted'), checkPeers: true, peers: 'node2' }), input, exec, logger().log),
  );
  assert.match(missing.message, /^the lease directory .*not-mounted does not exist here \(shared storage not mounted\?\)$/);
  assert.equal(exec.commands(), [], 'no peer asked');

  const node2 = acquireLease(settings(ctx, { leaseDir: ctx.leases }), { guest: 'vm1', self: 'node2' }, logger().log);
  assert.ok(node2.ok);
  const held = await refusal(runGuards(settings(ctx, { leaseDir: ctx.leases, checkPeers: true, peers: 'node2' }), input, exec, logger().log));
  assert.match(held.message, /^node2 holds the lease until /);
  assert.equal(exec.commands(), [], 'no peer asked');

  // the lease expired: the guards pass and hand the lease they saw to the take after them
  const seen = await runGuards(settings(ctx, { leaseDir: ctx.leases }), input, exec, logger().log, () => Date.now() + 10 * 60_000);
  assert.equal(seen.lease, readLease(path.join(ctx.leases, 'vm1.lease')));
  assert.equal(await runGuards(settings(ctx), input, exec, logger().log), {}, 'no lease_dir: no lease fact');
});

test('peers: asked only with check_peers; Pacemaker asked only when one could not be; the answers logged', async (ctx) => {
  const list = (node: string, answer: FakeRule['answer']): FakeRule => ({
    match: ['virsh', '-c', `qemu+ssh://${node}/system`, 'list', '--uuid', '--name'],
    answer,
  });
  const off = fakeExecutor([]);
  await runGuards(settings(ctx, { peers: 'node2' }), input, off, logger().log);
  assert.equal(off.commands(), []);

  const exec = fakeExecutor([list('node2', { stdout: '\n' })]);
  const { log, lines } = logger();
  await runGuards(settings(ctx, { checkPeers: true, peers: 'node1 node2', peerTimeoutMs: 7000 }), input, exec, log);
  assert.equal(exec.commands(), ['virsh -c qemu+ssh://node2/system list --uuid --name'], 'this node is not asked, Pacemaker is not asked');
  assert.is(exec.calls[0]!.options.timeoutMs, 7000);
  assert.ok(lines.includes('info: peers asked: node2=absent'), lines.join('\n'));

  // node3 cannot be asked; Pacemaker says it is offline and clean: allowed, and noted
  const unreachable = {
    exitCode: 1,
    stderr: 'error: failed to connect to the hypervisor\nerror: Cannot recv data: ssh: connect to host node3 port 22: Connection refused\n',
  };
  const crmMon: FakeRule = {
    match: ['crm_mon', '-1', '--output-as=xml'],
    answer: { stdout: '<pacemaker-result><nodes><node name="node3" id="3" online="false" unclean="false"/></nodes></pacemaker-result>' },
  };
  const down = fakeExecutor([list('node2', { stdout: '\n' }), list('node3', unreachable), crmMon]);
  const noted = logger();
  await runGuards(settings(ctx, { checkPeers: true, peers: 'node2 node3' }), input, down, noted.log);
  assert.ok(down.commands().includes('crm_mon -1 --output-as=xml'), down.commands().join('\n'));
  assert.ok(
    noted.lines.some((l) => /^info: node3 could not be asked .* but Pacemaker reports it offline and clean$/.test(l)),
    noted.lines.join('\n'),
  );
  assert.ok(noted.lines.includes('info: peers asked: node2=absent, node3=unreachable'), noted.lines.join('\n'));

  // the guest runs on node2: refused, named
  const running = fakeExecutor([list('node2', { stdout: `${UUID} vm1\n\n` })]);
  const refused = logger();
  const error = await refusal(runGuards(settings(ctx, { checkPeers: true, peers: 'node2', backend: 'xl' }), input, running, refused.log));
  assert.match(error.message, /^the guest already runs on node2 \(matched by uuid/);
  assert.equal(refused.lines, [`err: start refused on node1: ${error.message}`]);

  // peers=none: nothing to ask, nothing logged about peers
  const none = logger();
  await runGuards(settings(ctx, { checkPeers: true, peers: 'none' }), input, fakeExecutor([]), none.log);
  assert.not.ok(
    none.lines.some((l) => l.includes('peers asked')),
    none.lines.join('\n'),
  );
});

test('takeLease: silent when taken; a refusal is logged as "start refused on node1" and thrown', (ctx) => {
  const { log, lines } = logger();
  takeLease(settings(ctx, { leaseDir: ctx.leases }), { guest: 'vm1' }, log);
  assert.not.ok(
    lines.some((l) => l.startsWith('err: ')),
    lines.join('\n'),
  );
  const lease = readLease(path.join(ctx.leases, 'vm1.lease'));
  assert.ok(lease.kind === 'lease' && lease.lease.holder === 'node1');

  const other = logger();
  let thrown: Error | undefined;
  try {
    takeLease({ ...settings(ctx, { leaseDir: ctx.leases }), self: 'node2' }, { guest: 'vm1' }, other.log);
  } catch (error) {
    thrown = error as Error;
  }
  assert.ok(thrown, 'node2 cannot take the lease node1 holds');
  assert.is(thrown!.constructor.name, 'GenericError');
  assert.ok(other.lines.includes(`err: start refused on node2: ${thrown!.message}`), other.lines.join('\n'));
});

test.run();
