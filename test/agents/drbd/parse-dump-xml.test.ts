// dump-xml as drbd-utils 9.22 prints it (fixtures from test/fixtures/drbd/regenerate.sh), and
// the peer names resolved from it, which must be the names DRBD itself uses (DRBD_PEER on 8.x,
// the kernel's connection names on 9: see handler-env-*.txt and the `--_name=` drbdadm passes).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDumpXml, type ConfigResource } from '../../../agents/drbd/parse-dump-xml';
import { resolveResource } from '../../../agents/drbd/config-endpoints';
import { formatAddress } from '../../../agents/drbd/address';
import { XmlSyntaxError } from '../../../agents/core/xml';
import { fixture } from './fixtures';

const byName = (file: string) => new Map(parseDumpXml(fixture(file)).map((r): [string, ConfigResource] => [r.name, r]));
const d83 = byName('dump-xml-8.3.xml');
const d84 = byName('dump-xml-8.4.xml');
const d84s = byName('dump-xml-8.4-stacked.xml');
const d9 = byName('dump-xml-9.xml');
const d9n = byName('dump-xml-9-names.xml');

test('8.4: two volumes, several names on one host, ipv6, floating; no node ids anywhere', () => {
  const r0 = d84.get('r0')!;
  assert.is(r0.definedAt, '/etc/drbd.d/r0.res:1');
  assert.equal(
    r0.hosts.map((h) => [h.names, h.address?.address, h.address?.port]),
    [
      [['alice'], '10.1.1.31', 7789],
      [['bob'], '10.1.1.32', 7789],
    ],
  );
  assert.equal(
    r0.hosts[0]!.volumes.map((v) => [v.volume, v.minor, v.device, v.disk]),
    [
      [0, 0, '/dev/drbd0', '/dev/vg0/r0-0'],
      [1, 1, '/dev/drbd1', '/dev/vg0/r0-1'],
    ],
  );
  assert.equal(d84.get('r6')!.hosts[0]!.names, ['alice', 'alice.example.net']);
  assert.equal(d84.get('r6')!.hosts[0]!.address, { family: 'ipv6', address: 'fd01::31', port: 7790 });
  assert.equal(
    d84.get('fl')!.hosts.map((h) => h.floating),
    [true, true],
  );
  assert.equal([...d84.keys()], ['fl', 'r0', 'r6']);
});

test('8.3: device directly in the host, minor from the device name', () => {
  assert.equal(d83.get('r0')!.hosts[1]!.volumes, [{ volume: 0, minor: 0, device: '/dev/drbd0', disk: '/dev/sdb1' }]);
});

test('9: "(null)" addresses of hosts without their own address are no address', () => {
  const r1 = d9n.get('r1')!;
  assert.equal(
    r1.hosts.map((h) => [h.names, h.address]),
    [
      [['alice'], undefined],
      [['bob', 'bob.example.net'], undefined],
    ],
  );
  assert.equal(
    r1.connections[0]!.paths[0]!.map((e) => [e.host, formatAddress(e.address)]),
    [
      ['alice', '10.1.1.31:7001'],
      ['bob', '10.1.1.32:7001'],
    ],
  );
});

// [fixture, resource, hostname, local IPs, expected [peer, local address, peer address][] per path]
const RESOLVE: Array<[string, Map<string, ConfigResource>, string, string, string[], Array<[string, string, string]>]> = [
  ['8.3 by name', d83, 'r0', 'node2', [], [['node1', '192.168.1.2:7788', '192.168.1.1:7788']]],
  ['8.4 by name', d84, 'r0', 'alice', [], [['bob', '10.1.1.31:7789', '10.1.1.32:7789']]],
  ['8.4 second name of an `on` section', d84, 'r6', 'alice.example.net', [], [['bob', '[fd01::31]:7790', '[fd01::32]:7790']]],
  // DRBD_PEER of drbdadm-84 for a floating peer (handler-env-8.4-fl.txt)
  [
    '8.4 floating, found by a local address',
    d84,
    'fl',
    'whatever',
    ['10.0.0.1', '192.168.7.2'],
    [['192.168.7.1:7791', '192.168.7.2:7791', '192.168.7.1:7791']],
  ],
  ["8.4 stacked, on the lower resource's primary", d84s, 'st', 'bob', [], [['carol', '10.1.1.40:7792', '10.1.1.50:7792']]],
  ['8.4 stacked, on the far side', d84s, 'st', 'carol', [], [['alice', '10.1.1.50:7792', '10.1.1.40:7792']]],
  [
    '9 one path, and two paths (ipv6 link-local, ipv4) to carol',
    d9,
    'r0',
    'alice',
    [],
    [
      ['bob', '10.1.1.31:7000', '10.1.1.32:7000'],
      ['carol', '[fe80::1%veth0]:7001', '[fe80::2%veth0]:7001'],
      ['carol', '10.2.2.31:7002', '10.2.2.33:7002'],
    ],
  ],
  ['9 bob is not in the alice-carol connection', d9, 'r0', 'bob', [], [['alice', '10.1.1.32:7000', '10.1.1.31:7000']]],
  // the kernel's connection name: drbdadm adjust passes --_name=bob_bob.example.net
  ['9 a peer with two names', d9n, 'r1', 'alice', [], [['bob_bob.example.net', '10.1.1.31:7001', '10.1.1.32:7001']]],
  ["9 floating: the connection host's name", d9n, 'fl', 'whatever', ['192.168.7.1'], [['192.168.7.2:7791', '192.168.7.1:7791', '192.168.7.2:7791']]],
  ["9 stacked, on the lower resource's node", d9n, 'st', 'alice', [], [['carol', '10.1.1.40:7792', '10.1.1.50:7792']]],
  ['9 stacked, on the far side: "alice_bob"', d9n, 'st', 'carol', [], [['alice_bob', '10.1.1.50:7792', '10.1.1.40:7792']]],
];

for (const [what, dump, name, hostname, ips, expected] of RESOLVE) {
  test(`resolve: ${what}`, () => {
    const resolved = resolveResource(dump.get(name)!, hostname, ips);
    assert.ok(resolved.local, 'this node is a side of the resource');
    const got = resolved.peers.flatMap((p) => p.paths.map((path): [string, string, string] => [p.peer, formatAddress(path.local), formatAddress(path.remote)]));
    assert.equal(got, expected);
  });
}

test('resolve: not our resource; a floating resource whose addresses are not here', () => {
  assert.is(resolveResource(d84.get('r0')!, 'carol').local, undefined);
  assert.equal(resolveResource(d84.get('r0')!, 'carol').peers, []);
  assert.is(resolveResource(d84.get('fl')!, 'alice', ['10.0.0.1']).local, undefined);
  assert.is(resolveResource(d9n.get('fl')!, 'alice', ['10.0.0.1']).local, undefined);
});

test('broken XML names the line; no resources is an empty list', () => {
  assert.throws(
    () => parseDumpXml('<config>\n<resource name="r0">\n</config>'),
    (e: Error) => e instanceof XmlSyntaxError && /:3:/.test(e.message),
  );
  assert.equal(parseDumpXml('<!-- No resources configured -->\n'), []);
});

test.run();
