// apply and status over a synthetic sysfs with a fake udevadm: which commands run, which devices
// get change events, how drift and values that did not land are reported.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fakeExecutor, type FakeRule } from '../../support/fake-executor';
import { applyRules } from '../../../rules/udev/apply';
import { showStatus, statusReport, formatStatus } from '../../../rules/udev/status';
import { readInventory, parseProperties } from '../../../rules/udev/inventory';
import { retriggerDevices, UdevNotRunningError } from '../../../rules/udev/retrigger';
import { parseSiteConfig } from '../../../rules/config/site';
import { UdevError } from '../../../rules/udev/generate';
import { readAttribute, sysfsTree, writeAttribute } from './sysfs-tree';

const CONFIG = `block:
  devices:
    - match: {kernel: sd*}
      set: {read_ahead_kb: 4100, scheduler: none}
    - match: {md: {name: data}}
      set: {stripe_cache_size: 8192}
    - name: absent
      match: {dm: {name: nothere}}
      set: {read_ahead_kb: 1}
`;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

interface Ctx {
  dir: string;
  sys: string;
  config: string;
  rules: string;
}

const s = suite<Ctx>('udev apply and status', { dir: '', sys: '', config: '', rules: '' });
s.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-udev-apply-'));
  ctx.sys = sysfsTree({
    sda: {},
    sda1: { uevent: { DEVTYPE: 'partition' } },
    sdb: {},
    vda: {},
    md0: { uevent: { MAJOR: '9' }, attributes: { 'md/level': 'raid5', 'md/stripe_cache_size': '256', 'md/raid_disks': '4' } },
  });
  ctx.config = path.join(ctx.dir, 'ocfkit.yaml');
  ctx.rules = path.join(ctx.dir, 'rules.d', '83-ocfkit-block.rules');
  writeFileSync(ctx.config, CONFIG);
});
s.after.each((ctx) => {
  rmSync(ctx.dir, { recursive: true, force: true });
  rmSync(ctx.sys, { recursive: true, force: true });
});

/** udevadm as a fake: info answers from the uevent files plus MD_DEVNAME for md0; trigger "runs the rules". */
function udevadm(ctx: Ctx, onTrigger: (names: string[]) => void, reload: FakeRule['answer'] = { exitCode: 0 }): FakeRule[] {
  return [
    { match: ['udevadm', '--version'], answer: { stdout: '252\n' } },
    { match: ['getconf', 'PAGESIZE'], answer: { stdout: '4096\n' } },
    { match: ['udevadm', 'control', '--reload'], answer: reload },
    { match: ['udevadm', 'control', '--ping'], answer: { exitCode: 0 } },
    {
      match: ['udevadm', 'info', '--query=property'],
      answer: (argv) => {
        const devicePath = argv[3]!.replace('--path=', '');
        const props = readFileSync(path.join(devicePath, 'uevent'), 'utf8');
        return { stdout: props + (devicePath.endsWith('/md0') ? 'MD_DEVNAME=data\n' : '') };
      },
    },
    {
      match: ['udevadm', 'trigger', '--action=change', '--settle'],
      answer: (argv) => {
        onTrigger(argv.slice(4).map((p) => path.basename(p)));
        return { exitCode: 0 };
      },
    },
  ];
}

function simulateUdev(ctx: Ctx, refuse?: { device: string; attribute: string }) {
  return (names: string[]) => {
    for (const name of names) {
      const set = (attribute: string, value: string) => {
        if (refuse && refuse.device === name && refuse.attribute === attribute) return;
        writeAttribute(ctx.sys, name, attribute, value);
      };
      if (name.startsWith('sd')) {
        set('queue/read_ahead_kb', '4100');
        set('queue/scheduler', '[none] mq-deadline');
      }
      if (name === 'md0') set('md/stripe_cache_size', '8192');
    }
  };
}

s('apply installs, reloads, triggers only the matched devices, and verifies the values', async (ctx) => {
  const triggered: string[][] = [];
  const exec = fakeExecutor(
    udevadm(ctx, (names) => {
      triggered.push(names);
      simulateUdev(ctx)(names);
    }),
  );
  const out = io();
  assert.is(await applyRules(exec, { config: ctx.config, rulesFile: ctx.rules, sysfsRoot: ctx.sys, version: '1' }, out.io), 0);
  assert.ok(existsSync(ctx.rules));
  assert.equal(triggered, [['md0', 'sda', 'sdb']], 'no change event for vda or the partition');
  const commands = exec.commands();
  assert.ok(commands.indexOf('udevadm control --reload') < commands.findIndex((c) => c.startsWith('udevadm trigger')), 'reload before trigger');
  assert.equal(
    commands.filter((c) => c === 'getconf PAGESIZE'),
    ['getconf PAGESIZE'],
    'the page size is read once',
  );
  assert.equal(
    commands.filter((c) => c.startsWith('udevadm trigger')),
    [`udevadm trigger --action=change --settle ${ctx.sys}/block/md0 ${ctx.sys}/block/sda ${ctx.sys}/block/sdb`],
  );
  assert.ok(out.out.includes('unmatched: block.devices[2] (dm nothere) matches no device'));
  assert.ok(out.out.includes('sda: read_ahead_kb = 4100'));
  assert.ok(
    out.out.includes('md0: stripe_cache_size = 8192 (stripe_cache_size 8192 costs 32 MiB per member disk (page size 4096 x 8192): 128 MiB for 4 member disks)'),
  );
  assert.equal(
    out.err.filter((l) => !l.startsWith('note:')),
    [],
  );
  assert.is(readAttribute(ctx.sys, 'vda', 'queue/read_ahead_kb'), '128');
});

s('apply lists the devices where a value did not land, and fails', async (ctx) => {
  const exec = fakeExecutor(udevadm(ctx, simulateUdev(ctx, { device: 'sdb', attribute: 'queue/scheduler' })));
  const out = io();
  assert.is(await applyRules(exec, { config: ctx.config, rulesFile: ctx.rules, sysfsRoot: ctx.sys, version: '1' }, out.io), 1);
  assert.equal(
    out.err.filter((l) => !l.startsWith('note:')),
    [
      'sdb: scheduler did not land: wanted none, sysfs shows mq-deadline (block.devices[0])',
      '1 setting(s) did not land on sdb (the kernel may have refused the value; see the udev log)',
    ],
  );
});

s('apply without a running udevd: the file is installed, nothing is triggered, the error says why', async (ctx) => {
  let triggered = false;
  const exec = fakeExecutor(udevadm(ctx, () => (triggered = true), { exitCode: 1, stderr: 'Failed to send reload request: No such file or directory\n' }));
  try {
    await applyRules(exec, { config: ctx.config, rulesFile: ctx.rules, sysfsRoot: ctx.sys, version: '1' }, io().io);
    assert.unreachable('should fail');
  } catch (error) {
    assert.instance(error, UdevError);
    assert.match(
      (error as Error).message,
      'udevadm control --reload failed (exit 1: Failed to send reload request: No such file or directory); is systemd-udevd running?',
    );
  }
  assert.ok(existsSync(ctx.rules));
  assert.not.ok(triggered);
});

s('status: desired vs current per tunable, drift, not-applicable md guards, unmatched selectors', async (ctx) => {
  writeAttribute(ctx.sys, 'sda', 'queue/read_ahead_kb', '4100');
  writeAttribute(ctx.sys, 'sda', 'queue/scheduler', 'mq-deadline [none]');
  const exec = fakeExecutor(udevadm(ctx, () => undefined));
  const report = statusReport(parseSiteConfig(CONFIG, 'ocfkit.yaml'), await readInventory(exec, ctx.sys), 4096);
  assert.equal(
    report.rows.map((r) => [r.device, r.tunable, r.desired, r.current, r.state]),
    [
      ['md0', 'stripe_cache_size', '8192', '256', 'drift'],
      ['sda', 'scheduler', 'none', 'none', 'ok'],
      ['sda', 'read_ahead_kb', '4100', '4100', 'ok'],
      ['sdb', 'scheduler', 'none', 'mq-deadline', 'drift'],
      ['sdb', 'read_ahead_kb', '4100', '128', 'drift'],
    ],
  );
  assert.is(report.rows[0]!.note, 'stripe_cache_size 8192 costs 32 MiB per member disk (page size 4096 x 8192): 128 MiB for 4 member disks');
  assert.is(report.drift, 3);
  const text = formatStatus(report);
  assert.is(text[0], 'DEVICE  TUNABLE            DESIRED  CURRENT      STATE  FROM');
  assert.is(text[4], 'sdb     scheduler          none     mq-deadline  DRIFT  block.devices[0]');
  assert.ok(text.includes('unmatched: block.devices[2] "absent" (dm nothere) matches no device'));
  assert.is(text[text.length - 1], '3 of 5 settings drift');

  const json = io();
  assert.is(await showStatus(exec, { config: ctx.config, sysfsRoot: ctx.sys, json: true }, json.io), 1);
  const parsed = JSON.parse(json.out.join('\n'));
  assert.is(parsed.drift, 3);
  assert.equal(parsed.unmatched, [{ entry: 'block.devices[2]', selector: 'dm nothere', name: 'absent' }]);
});

s('status without drift exits 0', async (ctx) => {
  simulateUdev(ctx)(['sda', 'sdb', 'md0']);
  const exec = fakeExecutor(udevadm(ctx, () => undefined));
  const out = io();
  assert.is(await showStatus(exec, { config: ctx.config, sysfsRoot: ctx.sys, json: false }, out.io), 0);
  assert.is(out.out[out.out.length - 1], 'no drift (5 settings)');
});

s('inventory falls back to the uevent file when udev has no record of the device', async (ctx) => {
  const exec = fakeExecutor([{ match: ['udevadm', 'info'], answer: { exitCode: 4, stderr: 'Unknown device\n' } }]);
  const devices = await readInventory(exec, ctx.sys);
  assert.equal(
    devices.map((d) => [d.name, d.properties.DEVTYPE]),
    [
      ['md0', 'disk'],
      ['sda', 'disk'],
      ['sda1', 'partition'],
      ['sdb', 'disk'],
      ['vda', 'disk'],
    ],
  );
  assert.equal(devices[0]!.attributes['md/level'], 'raid5');
  assert.equal(parseProperties('DEVNAME=/dev/sda\nID_SERIAL=a=b\n\n'), { DEVNAME: '/dev/sda', ID_SERIAL: 'a=b' });
});

s('retriggerDevices: kernel names and device paths, unknown names reported, one settle for all', async (ctx) => {
  const exec = fakeExecutor([
    { match: ['udevadm', 'control', '--ping'], answer: { exitCode: 0 } },
    { match: ['udevadm', 'trigger'], answer: { exitCode: 0 } },
  ]);
  const result = await retriggerDevices(exec, ['sda', 'drbd9', '../etc', '..', 'sdb', 'sda'], { sysfsRoot: ctx.sys });
  assert.equal(result, { triggered: ['sda', 'sdb'], missing: ['drbd9', '../etc', '..'] });
  assert.equal(exec.commands(), ['udevadm control --ping', `udevadm trigger --action=change --settle ${ctx.sys}/block/sda ${ctx.sys}/block/sdb`]);
  const none = fakeExecutor([]);
  assert.equal(await retriggerDevices(none, ['nothere'], { sysfsRoot: ctx.sys }), { triggered: [], missing: ['nothere'] });
  assert.equal(none.calls, []);
});

s('retriggerDevices without a running udevd fails at once instead of waiting for --settle', async (ctx) => {
  const exec = fakeExecutor([
    { match: ['udevadm', 'control', '--ping'], answer: { exitCode: 1, stderr: 'Failed to send a ping message: No such file or directory\n' } },
  ]);
  try {
    await retriggerDevices(exec, ['sda'], { sysfsRoot: ctx.sys });
    assert.unreachable('should fail');
  } catch (error) {
    assert.instance(error, UdevNotRunningError);
    assert.is(
      (error as Error).message,
      'systemd-udevd is not running (udevadm control --ping: Failed to send a ping message: No such file or directory): cannot re-apply the block tuning to sda',
    );
  }
  assert.equal(exec.commands(), ['udevadm control --ping']);
});

s.run();
