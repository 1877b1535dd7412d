import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDumpXml } from '../../../agents/drbd/parse-dump-xml';
import { resolveResource } from '../../../agents/drbd/config-endpoints';
import { XmlSyntaxError } from '../../../agents/drbd/xml';
import { fixture } from './fixtures';

test('8.4: two volumes, ipv4 hosts, several names on one host, ipv6, floating', () => {
  const [r0, r6, fl] = parseDumpXml(fixture('dump-xml-8.4.xml'));
  assert.is(r0!.name, 'r0');
  assert.is(r0!.definedAt, '/etc/drbd.d/r0.res:1');
  assert.equal(r0!.hosts.map((h) => [h.names, h.address?.address, h.address?.port]), [[['alice'], '10.1.1.31', 7789], [['bob'], '10.1.1.32', 7789]]);
  assert.equal(r0!.hosts[0]!.volumes.map((v) => [v.volume, v.minor, v.device]), [[0, 0, '/dev/drbd0'], [1, 1, '/dev/drbd1']]);
  assert.equal(r6!.hosts[0]!.names, ['alice', 'alice.example.net']);
  assert.equal(r6!.hosts[0]!.address, { family: 'ipv6', address: 'fd01::31', port: 7790 });
  assert.equal(fl!.hosts.map((h) => h.floating), [true, true]);

  const resolved = resolveResource(r0!, 'alice');
  assert.equal(resolved.peers, [{ peer: 'bob', peerNodeId: undefined, paths: [{ local: r0!.hosts[0]!.address, remote: r0!.hosts[1]!.address }] }]);
  assert.equal(resolveResource(r6!, 'alice.example.net').peers[0]!.paths[0]!.local?.address, 'fd01::31');
  const floating = resolveResource(fl!, 'whatever', ['10.0.0.1', '192.168.7.2']);
  assert.equal([floating.peers[0]!.paths[0]!.local?.address, floating.peers[0]!.paths[0]!.remote?.address], ['192.168.7.2', '192.168.7.1']);
  assert.is(resolveResource(r0!, 'carol').local, undefined, 'not our resource');
});

test('9: node ids, an implicit connection and a named one with two paths (ipv6 scope)', () => {
  const [r0] = parseDumpXml(fixture('dump-xml-9.xml'));
  assert.equal(r0!.hosts.map((h) => [h.names[0], h.nodeId]), [['alice', 0], ['bob', 1], ['carol', 2]]);
  assert.equal(r0!.connections.map((c) => [c.name, c.paths.length]), [[undefined, 1], ['alice-carol', 2]]);
  const resolved = resolveResource(r0!, 'alice');
  assert.equal(resolved.peers.map((p) => [p.peer, p.peerNodeId, p.paths.length]), [['bob', 1, 1], ['carol', 2, 2]]);
  assert.equal(resolved.peers[1]!.paths[0]!.local, { family: 'ipv6', address: 'fe80::1', port: 7001, scope: 'veth0' });
  assert.equal(resolved.volumes.map((v) => v.minor), [1]);
  assert.equal(resolveResource(r0!, 'bob').peers.map((p) => p.peer), ['alice'], 'bob is not in the alice-carol connection');
});

test('8.3: device directly in the host, minor from the device name', () => {
  const [r0] = parseDumpXml(fixture('dump-xml-8.3.xml'));
  assert.equal(r0!.hosts[1]!.volumes, [{ volume: 0, minor: 0, device: '/dev/drbd0', disk: '/dev/sdb1' }]);
  assert.is(resolveResource(r0!, 'node2').peers[0]!.peer, 'node1');
});

test('broken XML names the line; no resources is an empty list', () => {
  assert.throws(() => parseDumpXml('<config>\n<resource name="r0">\n</config>'), (e: Error) => e instanceof XmlSyntaxError && /:3:/.test(e.message));
  assert.equal(parseDumpXml('<!-- No resources configured -->\n'), []);
});

test.run();
