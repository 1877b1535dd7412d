import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeExecutor } from '../../support/fake-executor';
import { pageSize, udevVersion, verifyRules } from '../../../rules/udev/udevadm';

test('udev version from udevadm --version, old and new formats; undefined when not installed', async () => {
  assert.is(await udevVersion(fakeExecutor([{ match: ['udevadm'], answer: { stdout: '252\n' } }])), 252);
  assert.is(await udevVersion(fakeExecutor([{ match: ['udevadm'], answer: { stdout: '256 (256.7-2)\n' } }])), 256);
  assert.is(await udevVersion(fakeExecutor([{ match: ['udevadm'], answer: 'not-installed' }])), undefined);
});

test('verify: skipped with a note before 254 and without udevadm; run with --resolve-names=never from 254', async () => {
  assert.equal(
    await verifyRules(fakeExecutor([{ match: ['udevadm', '--version'], answer: { stdout: '253\n' } }]), 'x', '/etc/udev/rules.d/83-ocfkit-block.rules'),
    {
      verified: false,
      note: 'udev 253 has no "udevadm verify" (systemd >= 254): the rules were not verified by udev',
    },
  );
  assert.equal(await verifyRules(fakeExecutor([{ match: ['udevadm'], answer: 'not-installed' }]), 'x', 'f'), {
    verified: false,
    note: 'udevadm is not installed: the rules were not verified',
  });
  const exec = fakeExecutor([
    { match: ['udevadm', '--version'], answer: { stdout: '254\n' } },
    { match: ['udevadm', 'verify'], answer: (argv) => ({ exitCode: 1, stderr: `${argv[3]}:3 Invalid key/value pair, ignoring.\n` }) },
  ]);
  assert.equal(await verifyRules(exec, 'x', '/etc/udev/rules.d/83-ocfkit-block.rules'), {
    failed: 'udevadm verify refused the generated rules (exit 1): /etc/udev/rules.d/83-ocfkit-block.rules:3 Invalid key/value pair, ignoring.',
  });
  assert.match(exec.commands()[1]!, /^udevadm verify --resolve-names=never \/.+\/83-ocfkit-block\.rules$/);
});

test('page size from getconf, 4096 when it cannot tell', async () => {
  assert.is(await pageSize(fakeExecutor([{ match: ['getconf'], answer: { stdout: '65536\n' } }])), 65536);
  assert.is(await pageSize(fakeExecutor([{ match: ['getconf'], answer: 'not-installed' }])), 4096);
  assert.is(await pageSize(fakeExecutor([{ match: ['getconf'], answer: { exitCode: 1 } }])), 4096);
});

test.run();
