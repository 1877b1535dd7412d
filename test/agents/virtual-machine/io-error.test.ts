// on_io_error / io_error_grace: the decision as a table, then through the agent (runner, spec,
// parameters, monitor) with a fake executor. `virsh domstate --reason` prints "paused (I/O error)"
// for VIR_DOMAIN_PAUSED_IOERROR (libvirt's virsh-domain-monitor.c, the same text since 0.9).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decideIoError, pausedOnIoError, type DiskReadiness, type IoErrorAction, type IoErrorInput } from '../../../agents/virtual-machine/io-error';
import { parseVirshState } from '../../../agents/virtual-machine/state';
import { type FakeRule } from '../../support/fake-executor';
import { runVmAction, standInTools } from '../../support/vm-agent';

const UUID = '3c9b6f1e-52a4-4f0b-8d7e-6a1f0c2b9e41';
interface Ctx {
  dir: string;
  config: string;
  binDir: string;
  disk: string;
}
const test = suite<Ctx>('virtual-machine on_io_error', { dir: '', config: '', binDir: '', disk: '' });

test("pausedOnIoError: only libvirt's I/O error reason, read from virsh's own words", () => {
  const cases: Array<[string, boolean]> = [
    ['paused (I/O error)\n', true],
    ['paused (user)\n', false],
    ['paused (migrating)\n', false],
    ['paused\n', false],
    ['running (booted)\n', false],
    ['running (I/O error)\n', false],
  ];
  for (const [stdout, expected] of cases) assert.is(pausedOnIoError(parseVirshState(stdout)), expected, stdout);
});

test('decideIoError: report never acts, recover fails strictly after the grace, resume needs every disk readable', () => {
  const ready = (disk: string): DiskReadiness => ({ disk, ready: true });
  const blocked = (disk: string, why: string): DiskReadiness => ({ disk, ready: false, why });
  const at = (policy: IoErrorInput['policy'], pausedMs: number, graceMs: number, disks?: DiskReadiness[]): IoErrorInput => ({
    policy,
    since: 1_000_000,
    now: 1_000_000 + pausedMs,
    graceMs,
    ...(disks ? { disks } : {}),
  });
  // [name, input, kind, text in the reason or note]
  const cases: Array<[string, IoErrorInput, IoErrorAction['kind'], RegExp]> = [
    ['report, long paused', at('report', 3_600_000, 0), 'report', /^the guest is paused on an I\/O error since 3600 s$/],
    ['report, disks readable', at('report', 5000, 0, [ready('/dev/drbd0')]), 'report', /since 5 s$/],
    ['recover, within the grace', at('recover', 30_000, 60_000), 'report', /since 30 s; recovered after io_error_grace=60 s$/],
    ['recover, exactly at the grace', at('recover', 60_000, 60_000), 'report', /recovered after io_error_grace=60 s$/],
    [
      'recover, past the grace',
      at('recover', 60_001, 60_000),
      'fail',
      /^the guest is paused on an I\/O error since 60 s \(io_error_grace=60 s, on_io_error=recover\): failing it so the cluster recovers it$/,
    ],
    ['recover, grace 0, first sight', at('recover', 0, 0), 'report', /since 0 s/],
    ['recover, grace 0, next monitor', at('recover', 10_000, 0), 'fail', /io_error_grace=0 s/],
    [
      'resume, every disk readable',
      at('resume', 5000, 0, [ready('/dev/drbd0'), ready('/var/lib/libvirt/images/a.qcow2')]),
      'resume',
      /^every disk answers a read again \(\/dev\/drbd0, \/var\/lib\/libvirt\/images\/a\.qcow2\): resuming the guest$/,
    ],
    [
      'resume, one disk still blocked',
      at('resume', 5000, 0, [ready('/dev/drbd0'), blocked('/dev/drbd1', 'DRBD drbd1 is Secondary here')]),
      'report',
      /; not resuming: \/dev\/drbd1: DRBD drbd1 is Secondary here$/,
    ],
    ['resume, disks unknown', at('resume', 5000, 0, []), 'report', /not resuming: the guest's disks are not known$/],
    ['resume, disks not asked', at('resume', 5000, 0), 'report', /not resuming: the guest's disks are not known$/],
  ];
  for (const [name, input, kind, text] of cases) {
    const action = decideIoError(input);
    assert.is(action.kind, kind, name);
    assert.match(action.kind === 'resume' ? action.note : action.reason, text, name);
  }
});

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-ioerror-'));
  ctx.config = path.join(ctx.dir, 'vm1.xml');
  ctx.disk = path.join(ctx.dir, 'disk.img');
  writeFileSync(ctx.disk, '');
  writeFileSync(
    ctx.config,
    `<domain type='kvm'><name>vm1</name><uuid>${UUID}</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`,
  );
  ctx.binDir = standInTools(ctx.dir, ['virsh']);
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const monitor = (ctx: Ctx, rules: FakeRule[], env: Record<string, string> = {}) =>
  runVmAction(ctx, 'monitor', rules, { OCF_RESKEY_CRM_meta_interval: '10000', ...env });

const pausedIoError: FakeRule = { match: ['virsh', '-c', 'qemu:///system', 'domstate', '--reason', UUID], answer: { stdout: 'paused (I/O error)\n\n' } };
const running: FakeRule = { match: ['virsh', '-c', 'qemu:///system', 'domstate', '--reason', UUID], answer: { stdout: 'running (unpaused)\n\n' } };
const mark = (ctx: Ctx) => path.join(ctx.dir, 'state', 'vm1.io-error');
const seenAgo = (ctx: Ctx, ms: number) => {
  mkdirSync(path.join(ctx.dir, 'state'), { recursive: true });
  writeFileSync(mark(ctx), `${Date.now() - ms}\n`);
};

test('on_io_error unset (report): a paused guest is DEGRADED and the monitor runs nothing but domstate', async (ctx) => {
  const r = await monitor(ctx, [pausedIoError]);
  assert.is(r.code, 190, r.stderr);
  assert.is(r.reason, 'the guest is paused (I/O error)');
  assert.equal(r.exec.commands(), [`virsh -c qemu:///system domstate --reason ${UUID}`]);
  assert.not.ok(existsSync(mark(ctx)));
});

test('on_io_error=recover: DEGRADED within io_error_grace, the monitor fails after it', async (ctx) => {
  const first = await monitor(ctx, [pausedIoError], { OCF_RESKEY_on_io_error: 'recover', OCF_RESKEY_io_error_grace: '60' });
  assert.is(first.code, 190, first.stderr);
  assert.match(first.reason, /recovered after io_error_grace=60 s$/);
  assert.ok(existsSync(mark(ctx)), 'the first sight of the pause is kept');
  seenAgo(ctx, 61_000);
  const late = await monitor(ctx, [pausedIoError], { OCF_RESKEY_on_io_error: 'recover', OCF_RESKEY_io_error_grace: '60' });
  assert.is(late.code, 1, late.stderr);
  assert.match(
    late.reason,
    /^the guest is paused on an I\/O error since 61 s \(io_error_grace=60 s, on_io_error=recover\): failing it so the cluster recovers it$/,
  );
  const again = await monitor(ctx, [running], { OCF_RESKEY_on_io_error: 'recover' });
  assert.is(again.code, 0, again.stderr);
  assert.not.ok(existsSync(mark(ctx)), 'running again: the next pause starts its own grace');
});

test('on_io_error=resume: resumes once every disk answers a read, not before', async (ctx) => {
  const dumpxml: FakeRule = {
    match: ['virsh', '-c', 'qemu:///system', 'dumpxml', UUID],
    answer: {
      stdout: `<domain type='kvm' id='3'><name>vm1</name><uuid>${UUID}</uuid><devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${ctx.disk}'/><target dev='vda' bus='virtio'/></disk></devices></domain>\n`,
    },
  };
  const dd = (exitCode: number): FakeRule => ({
    match: ['dd', `if=${ctx.disk}`],
    answer: exitCode ? { exitCode, stderr: `dd: error reading '${ctx.disk}': Input/output error\n` } : { stderr: '1+0 records in\n1+0 records out\n' },
  });
  const resume: FakeRule = { match: ['virsh', '-c', 'qemu:///system', 'resume', UUID], answer: { stdout: "Domain 'vm1' resumed\n" } };
  const env = { OCF_RESKEY_on_io_error: 'resume' };

  const stillBroken = await monitor(ctx, [pausedIoError, dumpxml, dd(1), resume], env);
  assert.is(stillBroken.code, 190, stillBroken.stderr);
  assert.match(stillBroken.reason, new RegExp(`not resuming: ${ctx.disk.replace(/[.]/g, '\\.')}: a read fails: dd: error reading .*Input/output error$`));
  assert.not.ok(stillBroken.exec.commands().some((c) => c.includes(' resume ')));

  const healed = await monitor(ctx, [pausedIoError, dumpxml, dd(0), resume], env);
  assert.is(healed.code, 0, healed.stderr);
  assert.ok(healed.exec.commands().includes(`virsh -c qemu:///system resume ${UUID}`));
  assert.match(healed.stderr, /resumed after an I\/O error pause/);
});

test('on_io_error needs libvirt: with backend=xl it is a configuration error', async (ctx) => {
  standInTools(ctx.dir, ['xl']);
  const r = await monitor(ctx, [], { OCF_RESKEY_backend: 'xl', OCF_RESKEY_name: 'vm1', OCF_RESKEY_on_io_error: 'resume' });
  assert.is(r.code, 6, r.stderr);
  assert.match(r.reason, /^parameter on_io_error="resume" needs backend=libvirt/);
});

test.run();
