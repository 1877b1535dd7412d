// What doctor collects, read from the tools' own output: drbdadm 9.22's dump-xml options
// (captured fixture), virsh's uuid/name list, and ssh URIs made non-interactive.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDrbdOptions } from '../../../../agents/cli/doctor/checks/drbd';
import { nonInteractive, parseVirshUuidName } from '../../../../agents/cli/doctor/collect';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../../fixtures/doctor', name), 'utf8');

test('parseDrbdOptions: connection and resource net options, common handlers inherited', () => {
  const res = parseDrbdOptions(fixture('drbd-dump-xml-fencing.xml'));
  assert.equal(
    res.map((r) => r.name),
    ['vmdisks', 'unfenced', 'plain'],
  );
  assert.is(res[0]!.options.fencing, 'resource-and-stonith');
  assert.is(res[0]!.options['allow-two-primaries'], 'yes');
  assert.is(res[0]!.handlers['fence-peer'], '/usr/lib/drbd/crm-fence-peer.9.sh');
  assert.is(res[2]!.handlers['split-brain'], '/usr/sbin/ocfkit drbd split-brain-handler');
  assert.is(res[2]!.options['allow-two-primaries'], undefined);
  assert.equal(res[1]!.minors, [2]);
});

test('virsh list --uuid --name lines; ssh URIs made non-interactive', () => {
  assert.equal(parseVirshUuidName('8F1C2A3B-0000-4000-8000-000000000001 vm1\n\n'), [{ uuid: '8f1c2a3b-0000-4000-8000-000000000001', name: 'vm1' }]);
  assert.is(nonInteractive('qemu+ssh://node2/system'), 'qemu+ssh://node2/system?no_tty=1');
  assert.is(nonInteractive('qemu+ssh://node2/system?keyfile=/k'), 'qemu+ssh://node2/system?keyfile=/k&no_tty=1');
  assert.is(nonInteractive('qemu+tls://node2/system'), 'qemu+tls://node2/system');
});

test.run();
