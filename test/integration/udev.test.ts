// Block tuning with the real udev of this machine, in a private mount namespace so the host's
// rules directories are never touched: the generated rules set readahead on real loop devices
// under `udevadm test` and under a private systemd-udevd driven by `ocfkit udev apply`; the md
// stripe cache rule is checked against a synthetic md sysfs tree (this kernel has no md module).
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { integrationSuite, type Need } from '../support/integration';
import { binary, root } from '../support/needs';
import { ocfkitBinary } from '../support/binaries';
import { createLoopDevice, inPrivateUdev, readSys, syntheticMdSysfs, UDEVD, udevVersion, writeSys, type LoopDevice } from './udev-private';

const RULES = '83-ocfkit-block.rules';
const HOST_RULES = `/etc/udev/rules.d/${RULES}`;

const writesAttributes: Need = {
  what: 'udevadm test that writes ATTR{} values (systemd <= 255)',
  check: () => {
    const version = udevVersion();
    if (version === undefined) return 'udevadm is not installed';
    return version <= 255 ? undefined : `udev ${version} only prints "skipping writing" in udevadm test`;
  },
};
const loopDevices: Need = { what: 'loop devices', check: () => (existsSync('/dev/loop-control') ? undefined : '/dev/loop-control is missing') };
const udevd: Need = { what: 'systemd-udevd', check: () => (existsSync(UDEVD) ? undefined : `${UDEVD} is not installed`) };
const needs = [root, binary('udevadm'), binary('unshare'), binary('losetup'), loopDevices, writesAttributes];

interface Ctx {
  dir: string;
  rulesDir: string;
  loops: LoopDevice[];
}
const fresh = (): Ctx => ({ dir: '', rulesDir: '', loops: [] });

function setUp(ctx: Ctx) {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-udev-it-${process.pid}-`));
  ctx.rulesDir = path.join(ctx.dir, 'rules.d');
  mkdirSync(ctx.rulesDir);
  ctx.loops = [];
}
function tearDown(ctx: Ctx) {
  for (const loop of ctx.loops) loop.release();
  rmSync(ctx.dir, { recursive: true, force: true });
}

function config(ctx: Ctx, text: string): string {
  const file = path.join(ctx.dir, 'ocfkit.yaml');
  writeFileSync(file, text);
  return file;
}

function ocfkitHere(args: string[]) {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const r = spawnSync(ocfkitBinary, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

// ---------------------------------------------------------------------------------------------
const rulesUnderTest = integrationSuite<Ctx>('udev: generated rules under udevadm test on loop devices', needs, fresh());
rulesUnderTest.before.each(setUp);
rulesUnderTest.after.each(tearDown);

rulesUnderTest('the matching loop device gets the configured readahead, the other is left alone', (ctx) => {
  const [tuned, other] = [createLoopDevice(ctx.dir, 'tuned'), createLoopDevice(ctx.dir, 'other')];
  ctx.loops.push(tuned, other);
  writeSys(tuned.name, 'queue/read_ahead_kb', '128');
  writeSys(other.name, 'queue/read_ahead_kb', '256');
  const cfg = config(ctx, `block:\n  devices:\n    - name: seed readahead\n      match: {kernel: ${tuned.name}}\n      set: {read_ahead_kb: 4100}\n`);
  const generated = ocfkitHere(['udev', 'generate', '--config', cfg, '--out', path.join(ctx.rulesDir, RULES)]);
  assert.is(generated.status, 0, generated.stderr);
  assert.match(readFileSync(path.join(ctx.rulesDir, RULES), 'utf8'), `KERNEL=="${tuned.name}", ATTR{queue/read_ahead_kb}="4100"`);

  const r = inPrivateUdev({ dir: ctx.dir, rulesDir: ctx.rulesDir }, `udevadm test --action=change /sys/block/${tuned.name}\nudevadm test --action=add /sys/block/${other.name}`);
  assert.is(r.status, 0, r.stderr);
  assert.is(readSys(tuned.name, 'queue/read_ahead_kb'), '4100');
  assert.is(readSys(tuned.name, 'bdi/read_ahead_kb'), '4100', 'the bdi view is the same value');
  assert.is(readSys(other.name, 'queue/read_ahead_kb'), '256');
  assert.not.ok(existsSync(HOST_RULES), 'the host rules directory is untouched');
});

rulesUnderTest('sizes and sectors land as KiB; the add event applies too', (ctx) => {
  const loop = createLoopDevice(ctx.dir, 'sectors');
  ctx.loops.push(loop);
  writeSys(loop.name, 'queue/read_ahead_kb', '128');
  const cfg = config(ctx, `block:\n  devices:\n    - match: {kernel: [sd*, "${loop.name}"]}\n      set: {read_ahead_kb: 16384s}\n`);
  assert.is(ocfkitHere(['udev', 'generate', '--config', cfg, '--out', path.join(ctx.rulesDir, RULES)]).status, 0);
  const r = inPrivateUdev({ dir: ctx.dir, rulesDir: ctx.rulesDir }, `udevadm test --action=add /sys/block/${loop.name}`);
  assert.is(r.status, 0, r.stderr);
  assert.is(readSys(loop.name, 'queue/read_ahead_kb'), '8192');
});

rulesUnderTest.run();

// ---------------------------------------------------------------------------------------------
const applyStatus = integrationSuite<Ctx>('udev: apply and status with a private systemd-udevd on loop devices', [...needs, udevd], fresh());
applyStatus.before.each(setUp);
applyStatus.after.each(tearDown);

applyStatus('status shows drift, apply installs + reloads + triggers, then status shows none', (ctx) => {
  const [tuned, other] = [createLoopDevice(ctx.dir, 'apply'), createLoopDevice(ctx.dir, 'bystander')];
  ctx.loops.push(tuned, other);
  writeSys(tuned.name, 'queue/read_ahead_kb', '128');
  writeSys(other.name, 'queue/read_ahead_kb', '256');
  const cfg = config(ctx, `block:\n  devices:\n    - match: {kernel: ${tuned.name}}\n      set: {read_ahead_kb: 4M, add_random: false}\n    - name: nothing here\n      match: {serial: no-such-serial}\n      set: {read_ahead_kb: 1M}\n`);
  const bin = ocfkitBinary;
  const r = inPrivateUdev(
    { dir: ctx.dir, rulesDir: ctx.rulesDir, udevd: true },
    [
      `echo "== status before"; ${bin} udev status --config ${cfg} --json > ${ctx.dir}/before.json && echo "status-rc=0" || echo "status-rc=$?"`,
      `echo "== apply"; ${bin} udev apply --config ${cfg}`,
      `echo "== status after"; ${bin} udev status --config ${cfg} --json > ${ctx.dir}/after.json`,
      `echo "== check"; ${bin} udev generate --config ${cfg} --check`,
    ].join('\n'),
  );
  assert.is(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, 'status-rc=1');
  const before = JSON.parse(readFileSync(path.join(ctx.dir, 'before.json'), 'utf8'));
  assert.is(before.rows.find((row: { tunable: string }) => row.tunable === 'read_ahead_kb').state, 'drift');
  assert.match(r.stdout, `wrote /etc/udev/rules.d/${RULES}`);
  assert.match(r.stdout, `triggered change events for ${tuned.name}\n`);
  assert.match(r.stdout, `${tuned.name}: read_ahead_kb = 4096`);
  assert.match(r.stdout, 'unmatched: block.devices[1] (serial no-such-serial) matches no device');
  assert.match(r.stdout, `/etc/udev/rules.d/${RULES} is up to date`);
  const after = JSON.parse(readFileSync(path.join(ctx.dir, 'after.json'), 'utf8'));
  assert.is(after.drift, 0);
  assert.equal(after.rows.map((row: { device: string; tunable: string; current: string; state: string }) => [row.device, row.tunable, row.current, row.state]), [
    [tuned.name, 'add_random', '0', 'ok'],
    [tuned.name, 'read_ahead_kb', '4096', 'ok'],
  ]);
  assert.equal(after.unmatched, [{ entry: 'block.devices[1]', selector: 'serial no-such-serial', name: 'nothing here' }]);
  assert.is(readSys(tuned.name, 'queue/read_ahead_kb'), '4096');
  assert.is(readSys(other.name, 'queue/read_ahead_kb'), '256', 'a device the config does not match is not triggered or tuned');
  assert.ok(existsSync(path.join(ctx.rulesDir, RULES)), 'apply wrote into the private rules directory');
  assert.not.ok(existsSync(HOST_RULES), 'the host rules directory is untouched');
});

applyStatus('apply refuses to overwrite a hand-written rules file of the same name', (ctx) => {
  const loop = createLoopDevice(ctx.dir, 'foreign');
  ctx.loops.push(loop);
  writeFileSync(path.join(ctx.rulesDir, RULES), 'ACTION=="add", KERNEL=="sd*", ATTR{bdi/read_ahead_kb}="4100"\n');
  const cfg = config(ctx, `block:\n  devices:\n    - match: {kernel: ${loop.name}}\n      set: {read_ahead_kb: 4M}\n`);
  const r = inPrivateUdev({ dir: ctx.dir, rulesDir: ctx.rulesDir, udevd: true }, `${ocfkitBinary} udev apply --config ${cfg} || echo "apply-rc=$?"`);
  assert.match(r.stdout, 'apply-rc=1');
  assert.match(r.stderr, `ocfkit: /etc/udev/rules.d/${RULES} exists and was not generated by ocfkit: not overwriting it`);
  assert.is(readFileSync(path.join(ctx.rulesDir, RULES), 'utf8'), 'ACTION=="add", KERNEL=="sd*", ATTR{bdi/read_ahead_kb}="4100"\n');
});

applyStatus.run();

// ---------------------------------------------------------------------------------------------
const md = integrationSuite<Ctx>('udev: md stripe cache rule against a synthetic md sysfs', [root, binary('udevadm'), binary('unshare'), writesAttributes], fresh());
md.before.each(setUp);
md.after.each(tearDown);

md('raid5: no match on add before the array runs, match on the change that starts it; raid1 never', (ctx) => {
  const sys = path.join(ctx.dir, 'sys');
  syntheticMdSysfs(sys, {
    md0: { minor: 0, md: { level: 'raid5', raid_disks: '4' } }, // not running yet: no stripe_cache_size
    md1: { minor: 1, md: { level: 'raid1', raid_disks: '2', stripe_cache_size: '256' } }, // a (fake) file, to prove the level guard
  });
  const cfg = config(ctx, `block:\n  devices:\n    - match: {kernel: md*}\n      set: {stripe_cache_size: 8192}\n`);
  assert.is(ocfkitHere(['udev', 'generate', '--config', cfg, '--out', path.join(ctx.rulesDir, RULES)]).status, 0);
  const rules = readFileSync(path.join(ctx.rulesDir, RULES), 'utf8').split('\n');
  const line = rules.findIndex((l) => l.includes('ATTR{md/stripe_cache_size}="8192"')) + 1;
  const writes = (log: string, device: string) => log.includes(`${RULES}:${line} ATTR '/sys/devices/virtual/block/${device}/md/stripe_cache_size' writing '8192'`);
  const test = (action: string, device: string) => `echo "== ${action} ${device}"; udevadm test --action=${action} /sys/devices/virtual/block/${device} 2>&1`;
  const env = { SYSTEMD_DEVICE_VERIFY_SYSFS: '0', SYSTEMD_LOG_LEVEL: 'debug' };

  const beforeRun = inPrivateUdev({ dir: ctx.dir, rulesDir: ctx.rulesDir, sysfs: sys, env }, test('add', 'md0'));
  assert.is(beforeRun.status, 0, beforeRun.stdout + beforeRun.stderr);
  assert.match(beforeRun.stdout, `Reading rules file: /etc/udev/rules.d/${RULES}`);
  assert.not.ok(writes(beforeRun.stdout, 'md0'), beforeRun.stdout);

  // the array starts: md creates md/stripe_cache_size (default 256) and sends a change event
  writeFileSync(path.join(sys, 'devices/virtual/block/md0/md/stripe_cache_size'), '256\n');
  const started = inPrivateUdev({ dir: ctx.dir, rulesDir: ctx.rulesDir, sysfs: sys, env }, `${test('change', 'md0')}\n${test('change', 'md1')}`);
  assert.is(started.status, 0, started.stdout + started.stderr);
  assert.ok(writes(started.stdout, 'md0'), started.stdout);
  assert.is(readFileSync(path.join(sys, 'devices/virtual/block/md0/md/stripe_cache_size'), 'utf8').trim(), '8192');
  assert.not.ok(writes(started.stdout, 'md1'), 'raid1 is not matched');
  assert.is(readFileSync(path.join(sys, 'devices/virtual/block/md1/md/stripe_cache_size'), 'utf8').trim(), '256');
});

md.run();
