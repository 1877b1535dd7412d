import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSiteConfig } from '../../../rules/config/site';
import { matchDevices, selectorMatches } from '../../../rules/udev/match';
import { udevGlobMatch } from '../../../rules/udev/glob';
import type { BlockDevice } from '../../../rules/udev/inventory';

const disk = (name: string, properties: Record<string, string> = {}, attributes: Record<string, string> = {}): BlockDevice => ({
  name,
  properties: { DEVTYPE: 'disk', ...properties },
  attributes: { 'queue/read_ahead_kb': '128', ...attributes },
});
const config = (entries: string) => parseSiteConfig(`block:\n  devices:\n${entries}`, 'site.yaml');
const names = (result: ReturnType<typeof matchDevices>) => result.matched.map((m) => m.device.name);

test('udev globs: * ? [] [!] and | alternatives, anchored', () => {
  assert.ok(udevGlobMatch('sd*', 'sda'));
  assert.not.ok(udevGlobMatch('sd*', 'xsda'));
  assert.ok(udevGlobMatch('nvme*n*', 'nvme0n1'));
  assert.ok(udevGlobMatch('sd?', 'sdb'));
  assert.not.ok(udevGlobMatch('sd?', 'sdaa'));
  assert.ok(udevGlobMatch('raid[456]', 'raid5'));
  assert.not.ok(udevGlobMatch('raid[456]', 'raid1'));
  assert.ok(udevGlobMatch('sd[!a]', 'sdb'));
  assert.not.ok(udevGlobMatch('sd[!a]', 'sda'));
  assert.ok(udevGlobMatch('sd*|vd*', 'vdc'));
  assert.ok(udevGlobMatch('a.b', 'a.b'));
  assert.not.ok(udevGlobMatch('a.b', 'axb'));
});

test('kernel globs select whole disks only; partitions (DEVTYPE=partition) never', () => {
  const result = matchDevices(config('    - match: {kernel: [sd*, vd*]}\n      set: {read_ahead_kb: 4100}\n'), [
    disk('sda'),
    { ...disk('sda1'), properties: { DEVTYPE: 'partition' } },
    disk('vdb'),
    disk('loop0'),
  ]);
  assert.equal(names(result), ['sda', 'vdb']);
  assert.equal(result.matched[0]!.settings, [{ tunable: 'read_ahead_kb', attribute: 'queue/read_ahead_kb', desired: '4100', entry: 'block.devices[0]' }]);
  assert.equal(result.unmatched, []);
});

test('property selectors: DRBD, md, dm, LVM, multipath, serial', () => {
  const devices = [
    disk('drbd0', { SYMLINK_BY_RES: 'drbd/by-res/r0/0' }),
    disk('drbd1', { RESOURCE: 'r0/1' }),
    disk('drbd2', { RESOURCE: 'r0x' }),
    disk('drbd7', { RESOURCE: 'r1' }),
    disk('md127', { MD_DEVNAME: 'data', MD_UUID: '3aaa0122:29827cfa:5331ad66:ca767371' }),
    disk('dm-0', { DM_NAME: 'cryptdata' }),
    disk('dm-1', { DM_NAME: 'vg0-vm--1', DM_VG_NAME: 'vg0', DM_LV_NAME: 'vm-1' }),
    disk('dm-2', { DM_NAME: 'mpatha', DM_UUID: 'mpath-3600a0b8000' }),
    disk('dm-3', { DM_NAME: 'vg0-vm--2', DM_VG_NAME: 'vg0', DM_LV_NAME: 'vm-2', DM_UDEV_DISABLE_OTHER_RULES_FLAG: '1' }),
    disk('sdc', { ID_SERIAL: 'WDC_WD40EFRX-68N32N0_WD-WCC7K1234567' }),
  ];
  const one = (match: string) => names(matchDevices(config(`    - match: ${match}\n      set: {read_ahead_kb: 1}\n`), devices));
  assert.equal(one('{drbd: {resource: r0}}'), ['drbd0', 'drbd1'], 'DRBD 9 and 8.4 drbdadm name the resource differently');
  assert.equal(one('{drbd: {minor: 7}}'), ['drbd7']);
  assert.equal(one('{md: {name: data}}'), ['md127']);
  assert.equal(one('{md: {uuid: "3AAA0122:29827CFA:5331AD66:CA767371"}}'), ['md127']);
  assert.equal(one('{dm: {name: cryptdata}}'), ['dm-0']);
  assert.equal(one('{lvm: {vg: vg0, lv: "vm-*"}}'), ['dm-1'], 'a device dm marked DM_UDEV_DISABLE_OTHER_RULES_FLAG=1 is left alone');
  assert.equal(one('{multipath: {wwid: 3600a0b8000}}'), ['dm-2']);
  assert.equal(one('{multipath: {alias: mpatha}}'), ['dm-2']);
  assert.equal(one('{multipath: {alias: cryptdata}}'), [], 'an alias must be a multipath map');
  assert.equal(one('{serial: "WDC_*"}'), ['sdc']);
  assert.equal(one('{kernel: md*}'), ['md127']);
  assert.ok(selectorMatches({ kind: 'kernel', patterns: ['dm-*'] }, devices[6]!), 'kernel selectors do not look at dm flags (the rule does not either)');
});

test('stripe cache: only running raid4/5/6 arrays; raid1 and stopped arrays are not applicable', () => {
  const cfg = config('    - match: {kernel: md*}\n      set: {stripe_cache_size: 8192, read_ahead_kb: 4096}\n');
  const result = matchDevices(cfg, [
    disk('md0', {}, { 'md/level': 'raid5', 'md/stripe_cache_size': '256', 'md/raid_disks': '4' }),
    disk('md1', {}, { 'md/level': 'raid1' }),
    disk('md2', {}, { 'md/level': 'raid6', 'md/stripe_cache_size': '256' }),
    disk('md3', {}, {}),
  ]);
  const stripe = (name: string) => result.matched.find((m) => m.device.name === name)!.settings.find((s) => s.tunable === 'stripe_cache_size')!;
  assert.is(stripe('md0').notApplicable, undefined);
  assert.is(stripe('md1').notApplicable, 'no md/stripe_cache_size (not an md array, or the array is not running)');
  assert.is(stripe('md2').notApplicable, undefined);
  assert.is(stripe('md3').notApplicable, 'no md/stripe_cache_size (not an md array, or the array is not running)');
  const fakeRaid1 = matchDevices(cfg, [disk('md4', {}, { 'md/level': 'raid1', 'md/stripe_cache_size': '256' })]);
  assert.is(
    fakeRaid1.matched[0]!.settings.find((s) => s.tunable === 'stripe_cache_size')!.notApplicable,
    'md level is raid1, the stripe cache exists only on raid4/5/6',
  );
  assert.is(result.matched[0]!.settings.find((s) => s.tunable === 'read_ahead_kb')!.notApplicable, undefined, 'readahead has no md guard');
});

test('the later entry wins, as in udev; entries that match nothing are listed', () => {
  const result = matchDevices(
    config(
      '    - match: {kernel: sd*}\n      set: {read_ahead_kb: 1}\n    - name: just sdb\n      match: {kernel: sdb}\n      set: {read_ahead_kb: 2}\n    - name: gone\n      match: {serial: nothere}\n      set: {read_ahead_kb: 3}\n',
    ),
    [disk('sda'), disk('sdb')],
  );
  assert.equal(
    result.matched.map((m) => [m.device.name, m.settings[0]!.desired, m.settings[0]!.entry]),
    [
      ['sda', '1', 'block.devices[0]'],
      ['sdb', '2', 'block.devices[1]'],
    ],
  );
  assert.equal(result.unmatched, [{ entry: 'block.devices[2]', selector: 'serial nothere', name: 'gone' }]);
});

test.run();
