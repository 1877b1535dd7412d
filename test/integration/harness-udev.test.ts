// Proves the udev harness: real udevadm applies a rules file from a private rules directory to a
// real loop device (read_ahead_kb changes in sysfs), and to a synthetic md RAID5 device on a
// change event (stripe_cache_size), while the machine's own rules directory stays untouched.
import { readdirSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { integrationSuite } from '../support/integration';
import * as needs from '../harness/needs';
import { loopDevice, readSysfs, syntheticMdDevice, withPrivateRules, writeSysfs } from '../harness/udev';

const s = integrationSuite('udev: generated rules applied by the real udevadm', needs.udev);

s('a rule in the private rules dir sets read_ahead_kb of a real loop device', async () => {
  const machineRules = readdirSync('/etc/udev/rules.d').sort();
  const loop = await loopDevice();
  writeSysfs(loop.name, 'queue/read_ahead_kb', '128');
  assert.is(readSysfs(loop.name, 'queue/read_ahead_kb'), '128');
  const rule = `ACTION=="add|change", SUBSYSTEM=="block", ENV{DEVTYPE}=="disk", KERNEL=="${loop.name}", ATTR{bdi/read_ahead_kb}="4100"\n`;
  await withPrivateRules(rule, async (udev) => {
    const result = await udev.test(loop.name, 'add');
    assert.is(result.writes[`/sys/devices/virtual/block/${loop.name}/bdi/read_ahead_kb`], '4100');
    assert.is(result.properties.DEVTYPE, 'disk');
  });
  assert.is(readSysfs(loop.name, 'queue/read_ahead_kb'), '4100', 'udev wrote the value for real (bdi and queue are one value)');
  assert.equal(readdirSync('/etc/udev/rules.d').sort(), machineRules, "the machine's rules directory is unchanged");
  await loop.detach();
});

s('a rule that does not match leaves the device alone', async () => {
  const loop = await loopDevice();
  writeSysfs(loop.name, 'queue/read_ahead_kb', '128');
  await withPrivateRules('ACTION=="add", KERNEL=="sd*", ATTR{bdi/read_ahead_kb}="4100"\n', async (udev) => {
    const result = await udev.test(loop.name, 'add');
    assert.equal(result.writes, {});
  });
  assert.is(readSysfs(loop.name, 'queue/read_ahead_kb'), '128');
  await loop.detach();
});

s('synthetic md RAID5: a change event sets stripe_cache_size; RAID1 (no stripe cache) is skipped', async () => {
  const rule =
    'ACTION=="add|change", SUBSYSTEM=="block", KERNEL=="md*", TEST=="md/stripe_cache_size", ATTR{md/level}=="raid[456]", ATTR{md/stripe_cache_size}="4096"\n';
  await withPrivateRules(rule, async (udev) => {
    const raid5 = syntheticMdDevice({ level: 'raid5', hasStripeCache: true });
    assert.is(raid5.read('md/stripe_cache_size'), '256');
    const result = await raid5.udevTest('change', udev.dir);
    assert.is(result.properties.ACTION, 'change');
    assert.is(raid5.read('md/stripe_cache_size'), '4096');

    const raid1 = syntheticMdDevice({ level: 'raid1', hasStripeCache: false, name: 'md126' });
    const skipped = await raid1.udevTest('change', udev.dir);
    assert.equal(skipped.writes, {});
    assert.not.ok(readdirSync(`${raid1.hostDir}/md`).includes('stripe_cache_size'));
  });
});

s.run();
