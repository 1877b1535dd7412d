// Block tuning with the real udev of this machine, through the udev harness (private rules
// directory in a mount namespace; the host's rules are never touched): the generated rules set
// readahead on real loop devices under `udevadm test`; `ocfkit udev apply` and `status` work
// against a private systemd-udevd; the md stripe cache rule is checked on a synthetic md sysfs
// device (this kernel has no md module).
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { integrationSuite, type Need } from '../support/integration';
import * as needs from '../harness/needs';
import { freshDir } from '../harness/tmp';
import { runSync } from '../harness/proc';
import { loopDevice, readSysfs, syntheticMdDevice, udevTest, writeSysfs, type LoopDevice } from '../harness/udev';
import { ocfkit, ocfkitBinary } from '../support/binaries';
import { withPrivateUdevd } from './udev-daemon';

const RULES = '83-ocfkit-block.rules';
const HOST_RULES = `/etc/udev/rules.d/${RULES}`;

/** udevadm test writes ATTR{} values only up to systemd 255. */
const writesAttributes: Need = {
  what: 'udevadm test that writes ATTR{} values (systemd <= 255)',
  check: () => {
    const version = Number(/^\d+/.exec(runSync(['udevadm', '--version']).stdout)?.[0]);
    if (!Number.isInteger(version)) return 'udevadm --version gave no version';
    return version <= 255 ? undefined : `udev ${version} only prints "skipping writing" in udevadm test`;
  },
};

interface Loop {
  device: LoopDevice;
  readahead: string;
}
const loops: Loop[] = [];

/** A loop device with a known readahead; restored and detached in after.each. */
async function loop(readahead: string): Promise<LoopDevice> {
  const device = await loopDevice();
  loops.push({ device, readahead: readSysfs(device.name, 'queue/read_ahead_kb') });
  writeSysfs(device.name, 'queue/read_ahead_kb', readahead);
  return device;
}
async function releaseLoops() {
  for (const { device, readahead } of loops.splice(0)) {
    writeSysfs(device.name, 'queue/read_ahead_kb', readahead); // loop devices outlive their backing file
    await device.detach();
  }
}

/** A private rules directory holding the rules ocfkit generates from `config`. */
function generated(config: string): { rulesDir: string; rules: string; configFile: string } {
  const dir = freshDir('udev-ocfkit');
  const configFile = path.join(dir, 'ocfkit.yaml');
  writeFileSync(configFile, config);
  const rulesDir = path.join(dir, 'rules.d');
  const r = ocfkit(['udev', 'generate', '--config', configFile, '--out', path.join(rulesDir, RULES)]);
  assert.is(r.status, 0, r.stderr);
  return { rulesDir, rules: readFileSync(path.join(rulesDir, RULES), 'utf8'), configFile };
}

// ---------------------------------------------------------------------------------------------
const underTest = integrationSuite('udev: generated rules under udevadm test on loop devices', [...needs.udev, writesAttributes]);
underTest.after.each(releaseLoops);

underTest('the matching loop device gets the configured readahead, the other is left alone', async () => {
  const [tuned, other] = [await loop('128'), await loop('256')];
  const { rulesDir, rules } = generated(
    `block:\n  devices:\n    - name: seed readahead\n      match: {kernel: ${tuned.name}}\n      set: {read_ahead_kb: 4100}\n`,
  );
  assert.match(rules, `KERNEL=="${tuned.name}", ATTR{queue/read_ahead_kb}="4100"`);
  const hit = await udevTest(tuned.name, 'change', { rulesDir });
  assert.is(hit.writes[`/sys/devices/virtual/block/${tuned.name}/queue/read_ahead_kb`], '4100');
  const miss = await udevTest(other.name, 'add', { rulesDir });
  assert.not.ok(
    Object.keys(miss.writes).some((file) => file.endsWith('read_ahead_kb')),
    JSON.stringify(miss.writes),
  );
  assert.is(readSysfs(tuned.name, 'queue/read_ahead_kb'), '4100');
  assert.is(readSysfs(tuned.name, 'bdi/read_ahead_kb'), '4100', 'the bdi view is the same value');
  assert.is(readSysfs(other.name, 'queue/read_ahead_kb'), '256');
  assert.not.ok(existsSync(HOST_RULES), 'the host rules directory is untouched');
});

underTest('sectors land as KiB, on the add event too, next to the distribution rules', async () => {
  const device = await loop('128');
  const { rulesDir } = generated(`block:\n  devices:\n    - match: {kernel: [sd*, "${device.name}"]}\n      set: {read_ahead_kb: 16384s}\n`);
  await udevTest(device.name, 'add', { rulesDir, systemRules: true });
  assert.is(readSysfs(device.name, 'queue/read_ahead_kb'), '8192');
});

underTest('udev parses every generated fixture without a complaint (a stand-in for udevadm verify before systemd 254)', async () => {
  const device = await loop('128');
  const fixtures = path.join(__dirname, '../fixtures/udev');
  const complaints = async (text: string) => {
    const rulesDir = freshDir('udev-parse');
    writeFileSync(path.join(rulesDir, RULES), text);
    const r = await udevTest(device.name, 'change', { rulesDir, systemRules: false, env: { SYSTEMD_LOG_LEVEL: 'debug' } });
    const log = `${r.stdout}\n${r.stderr}`;
    assert.match(log, `Reading rules file: /etc/udev/rules.d/${RULES}`);
    return log.split('\n').filter((line) => line.includes(`${RULES}:`) && /invalid|ignor|unknown|error|fail/i.test(line));
  };
  for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.rules'))) {
    assert.equal(await complaints(readFileSync(path.join(fixtures, name), 'utf8')), [], name);
  }
  // the check can fail: a broken line is reported
  assert.equal(await complaints('ACTION=="add", KERNEL=="sd*", ATTR{x}="1" BOGUS\n'), [`/etc/udev/rules.d/${RULES}:1 Invalid key/value pair, ignoring.`]);
});

underTest.run();

// ---------------------------------------------------------------------------------------------
const md = integrationSuite('udev: md stripe cache rule on a synthetic md sysfs device', [...needs.udev, writesAttributes]);

md('raid5: no match on add before the array runs, match on the change that starts it; raid1 never', async () => {
  const { rulesDir } = generated('block:\n  devices:\n    - match: {kernel: md*}\n      set: {stripe_cache_size: 8192}\n');
  const raid5 = syntheticMdDevice({ level: 'raid5', hasStripeCache: false, name: 'md125' });
  const file = `${raid5.syspath}/md/stripe_cache_size`;
  const beforeRun = await raid5.udevTest('add', rulesDir);
  assert.is(beforeRun.writes[file], undefined, 'nothing is written before the array runs');
  assert.not.ok(readdirSync(`${raid5.hostDir}/md`).includes('stripe_cache_size'));

  raid5.write('md/stripe_cache_size', '256'); // the array starts: md creates the attribute and sends change
  const started = await raid5.udevTest('change', rulesDir);
  assert.is(started.writes[file], '8192');
  assert.is(raid5.read('md/stripe_cache_size'), '8192');

  // a raid1 with a (fake) stripe_cache_size file: the level guard alone must keep the rule off
  const raid1 = syntheticMdDevice({ level: 'raid1', hasStripeCache: true, name: 'md124' });
  const skipped = await raid1.udevTest('change', rulesDir);
  assert.equal(skipped.writes, {});
  assert.is(raid1.read('md/stripe_cache_size'), '256');
});

md.run();

// ---------------------------------------------------------------------------------------------
const applyStatus = integrationSuite('udev: apply and status with a private systemd-udevd on loop devices', [
  ...needs.udev,
  ...needs.binaries({ nsenter: 'util-linux', setpriv: 'util-linux' }),
]);
applyStatus.after.each(releaseLoops);

applyStatus('status shows drift, apply installs + reloads + triggers, then status shows none', async () => {
  const [tuned, other] = [await loop('128'), await loop('256')];
  const dir = freshDir('udev-apply');
  const config = path.join(dir, 'ocfkit.yaml');
  writeFileSync(
    config,
    `block:\n  devices:\n    - match: {kernel: ${tuned.name}}\n      set: {read_ahead_kb: 4M, add_random: false}\n    - name: nothing here\n      match: {serial: no-such-serial}\n      set: {read_ahead_kb: 1M}\n`,
  );
  await withPrivateUdevd(async (udevd) => {
    const before = await udevd.run([ocfkitBinary, 'udev', 'status', '--config', config, '--json']);
    assert.is(before.code, 1, before.stderr);
    assert.is(JSON.parse(before.stdout).rows.find((row: { tunable: string }) => row.tunable === 'read_ahead_kb').state, 'drift');

    const applied = await udevd.run([ocfkitBinary, 'udev', 'apply', '--config', config]);
    assert.is(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, `wrote /etc/udev/rules.d/${RULES}`);
    assert.match(applied.stdout, `triggered change events for ${tuned.name}\n`);
    assert.match(applied.stdout, `${tuned.name}: read_ahead_kb = 4096`);
    assert.match(applied.stdout, 'unmatched: block.devices[1] (serial no-such-serial) matches no device');

    const after = await udevd.run([ocfkitBinary, 'udev', 'status', '--config', config, '--json']);
    assert.is(after.code, 0, after.stdout + after.stderr);
    const report = JSON.parse(after.stdout);
    assert.is(report.drift, 0);
    assert.equal(
      report.rows.map((row: { device: string; tunable: string; current: string; state: string }) => [row.device, row.tunable, row.current, row.state]),
      [
        [tuned.name, 'add_random', '0', 'ok'],
        [tuned.name, 'read_ahead_kb', '4096', 'ok'],
      ],
    );
    assert.equal(report.unmatched, [{ entry: 'block.devices[1]', selector: 'serial no-such-serial', name: 'nothing here' }]);
    const check = await udevd.run([ocfkitBinary, 'udev', 'generate', '--config', config, '--check']);
    assert.is(check.code, 0, check.stdout);
    assert.ok(existsSync(path.join(udevd.rulesDir, RULES)), 'apply wrote into the private rules directory');
  });
  assert.is(readSysfs(tuned.name, 'queue/read_ahead_kb'), '4096');
  assert.is(readSysfs(tuned.name, 'queue/add_random'), '0');
  assert.is(readSysfs(other.name, 'queue/read_ahead_kb'), '256', 'a device the config does not match is neither triggered nor tuned');
  assert.not.ok(existsSync(HOST_RULES), 'the host rules directory is untouched');
});

applyStatus('apply refuses to overwrite a hand-written rules file of the same name', async () => {
  const device = await loop('128');
  const dir = freshDir('udev-foreign');
  const config = path.join(dir, 'ocfkit.yaml');
  writeFileSync(config, `block:\n  devices:\n    - match: {kernel: ${device.name}}\n      set: {read_ahead_kb: 4M}\n`);
  const handWritten = 'ACTION=="add", KERNEL=="sd*", ATTR{bdi/read_ahead_kb}="4100"\n';
  await withPrivateUdevd(async (udevd) => {
    writeFileSync(path.join(udevd.rulesDir, RULES), handWritten);
    const r = await udevd.run([ocfkitBinary, 'udev', 'apply', '--config', config]);
    assert.is(r.code, 1);
    assert.match(r.stderr, `ocfkit: /etc/udev/rules.d/${RULES} exists and was not generated by ocfkit: not overwriting it`);
    assert.is(readFileSync(path.join(udevd.rulesDir, RULES), 'utf8'), handWritten);
  });
  assert.is(readSysfs(device.name, 'queue/read_ahead_kb'), '128');
});

applyStatus.run();
