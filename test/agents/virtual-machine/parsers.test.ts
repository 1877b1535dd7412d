import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expandNodeTemplate, parseCrmMonNodes, parseCrmNodeList, parsePeerList } from '../../../agents/virtual-machine/cluster-facts';
import { diskRoles, procDrbdRoles, statusJsonRoles } from '../../../agents/virtual-machine/drbd-role';
import { parseStatusJson } from '../../../agents/drbd/parse-status-json';
import { fakeExecutor } from '../../support/fake-executor';
import { parseLibvirtXml, normalizeUuid } from '../../../agents/virtual-machine/libvirt-xml';
import { parseLockManager } from '../../../agents/virtual-machine/lock-manager';
import { matchActiveDomain } from '../../../agents/virtual-machine/peers';
import { isConnectFailure, isNoSuchDomain } from '../../../agents/virtual-machine/libvirt';

test('libvirt XML: dumpxml of a running domain (captured)', () => {
  const facts = parseLibvirtXml(readFileSync('test/fixtures/virtual-machine/dumpxml-running.xml', 'utf8'));
  assert.is(facts.name, 'vm1');
  assert.is(facts.uuid, '8f1c0e52-4b6a-4d2e-9a51-0c7f2d7b1a12');
  assert.is(facts.memoryKiB, 65536);
  assert.is(facts.vcpus, 1);
  assert.is(facts.type, 'kvm');
  assert.equal(facts.disks, []);
});

test('libvirt XML: disks, units, guest agent, comments', () => {
  const facts = parseLibvirtXml(`<domain type='qemu'>
  <!-- <name>commented</name> -->
  <name>web&amp;db</name><uuid>8F1C0E524B6A4D2E9A510C7F2D7B1A12</uuid>
  <memory unit='GiB'>2</memory><vcpu placement='static'>4</vcpu>
  <devices>
    <disk type='block' device='disk'><driver name='qemu' type='raw' cache='none'/><source dev='/dev/drbd/by-res/web/0'/><target dev='vda'/></disk>
    <disk type='file' device='disk'><source file="/var/lib/images/data.qcow2"/><target dev='vdb'/></disk>
    <disk type='file' device='cdrom'><target dev='hdc'/></disk>
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <interface type='bridge'><source bridge='br0'/><target dev='vnet0'/><name>x</name></interface>
  </devices></domain>`);
  assert.is(facts.name, 'web&db');
  assert.is(facts.uuid, '8f1c0e52-4b6a-4d2e-9a51-0c7f2d7b1a12');
  assert.is(facts.memoryKiB, 2 * 1024 * 1024);
  assert.is(facts.vcpus, 4);
  assert.equal(facts.disks, ['/dev/drbd/by-res/web/0', '/var/lib/images/data.qcow2']);
  assert.ok(facts.hasGuestAgent);
  assert.throws(() => parseLibvirtXml('<node/>'), /no <domain> element/);
  assert.is(normalizeUuid('8F1C0E52-4B6A-4D2E-9A51-0C7F2D7B1A12'), '8f1c0e52-4b6a-4d2e-9a51-0c7f2d7b1a12');
});

test('crm_node -l and peers parameter', () => {
  assert.equal(parseCrmNodeList('1 node1 member\n2 node2 member\n3 node3 lost\n'), ['node1', 'node2', 'node3']);
  assert.throws(() => parseCrmNodeList(''), /no node listed/);
  assert.equal(parsePeerList('node2, node3  node4'), ['node2', 'node3', 'node4']);
  assert.equal(parsePeerList('none'), []);
});

test('crm_mon XML nodes', () => {
  const xml = `<pacemaker-result api-version="2.25" request="crm_mon -1 --output-as=xml">
  <summary><nodes_configured number="3"/></summary>
  <nodes>
    <node name="node1" id="1" online="true" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="false" shutdown="false" expected_up="true" is_dc="true" resources_running="1" type="member"/>
    <node name="node2" id="2" online="false" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="false" shutdown="false" expected_up="false" is_dc="false" resources_running="0" type="member"/>
    <node name="node3" id="3" online="false" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="true" shutdown="false" expected_up="true" is_dc="false" resources_running="0" type="member"/>
  </nodes>
  <resources/>
</pacemaker-result>`;
  assert.equal(parseCrmMonNodes(xml), [
    { name: 'node1', online: true, unclean: false },
    { name: 'node2', online: false, unclean: false },
    { name: 'node3', online: false, unclean: true },
  ]);
});

test('URI templates', () => {
  assert.is(expandNodeTemplate('qemu+ssh://%n/system', 'node2'), 'qemu+ssh://node2/system');
  assert.is(expandNodeTemplate('test:///srv/%n.xml', 'node2'), 'test:///srv/node2.xml');
  assert.is(expandNodeTemplate('tcp://%h:49152', 'node2', { h: 'node2-mig' }), 'tcp://node2-mig:49152');
  assert.is(expandNodeTemplate('a%%n', 'x'), 'a%n');
});

test('virsh list --uuid --name (captured): UUID first, then name', () => {
  const out = readFileSync('test/fixtures/virtual-machine/list-uuid-name.txt', 'utf8');
  assert.equal(matchActiveDomain(out, { uuid: '8f1c0e52-4b6a-4d2e-9a51-0c7f2d7b1a12' })?.matchedBy, 'uuid');
  assert.equal(matchActiveDomain(out, { name: 'vm1', uuid: '00000000-0000-0000-0000-000000000001' })?.matchedBy, 'name');
  assert.is(matchActiveDomain(out, { name: 'vm2', uuid: '00000000-0000-0000-0000-000000000001' }), undefined);
  assert.is(matchActiveDomain('\n', { name: 'vm1' }), undefined);
});

test('/proc/drbd roles (8.4 format, gaps and StandAlone lines)', () => {
  const proc = `version: 8.4.2 (api:1/proto:86-101)
GIT-hash: 7ad5f850d711223713d6dcadc3dd48860321070c build by root@example.com, 2013-04-10 07:45:25
 0: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----
    ns:1048576 nr:0 dw:0 dr:1048776 al:0 bm:64 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0
 2: cs:Unconfigured

 4: cs:WFConnection ro:Primary/Unknown ds:UpToDate/DUnknown C r-----
 8: cs:StandAlone ro:Secondary/Unknown ds:UpToDate/DUnknown   r-----
 9: cs:Connected ro:Primary/Primary ds:UpToDate/UpToDate C r-----
`;
  const roles = procDrbdRoles(proc);
  assert.equal(roles.get(0), { local: 'Primary', peers: [{ role: 'Secondary', connection: 'Connected', peerDisk: 'UpToDate' }] });
  assert.is(roles.get(2), undefined);
  assert.equal(roles.get(4), { local: 'Primary', peers: [{ role: 'Unknown', connection: 'WFConnection', peerDisk: 'DUnknown' }] });
  assert.equal(roles.get(8), { local: 'Secondary', peers: [{ role: 'Unknown', connection: 'StandAlone', peerDisk: 'DUnknown' }] });
  assert.equal(roles.get(9), { local: 'Primary', peers: [{ role: 'Primary', connection: 'Connected', peerDisk: 'UpToDate' }] });
});

const STATUS_JSON = `[{"name":"r0","node-id":0,"role":"Primary","suspended":false,
  "devices":[{"volume":0,"minor":1,"disk-state":"UpToDate","client":false,"open":false,"quorum":true}],
  "connections":[{"peer-node-id":1,"name":"bob","connection-state":"Connected","peer-role":"Secondary",
     "peer_devices":[{"volume":0,"replication-state":"Established","peer-disk-state":"UpToDate"}]},
   {"peer-node-id":2,"name":"carol","connection-state":"Connected","peer-role":"Primary","peer_devices":[]}]}]`;

test('drbdsetup status --json roles (DRBD 9), by resource name or minor', () => {
  const resources = parseStatusJson(STATUS_JSON);
  assert.equal(statusJsonRoles(resources, { resource: 'r0' }), {
    name: 'r0',
    local: 'Primary',
    peers: [
      { role: 'Secondary', connection: 'Connected', peerDisk: 'UpToDate' },
      { role: 'Primary', connection: 'Connected', peerDisk: 'DUnknown' },
    ],
  });
  assert.equal(statusJsonRoles(resources, { minor: 1 })?.name, 'r0');
  assert.is(statusJsonRoles(resources, { minor: 7 }), undefined);
});

test('diskRoles: DRBD 9 facts through drbdsetup (asked once), non-DRBD disks ignored', async () => {
  const exec = fakeExecutor([{ match: ['drbdsetup', 'status', '--json'], answer: { stdout: STATUS_JSON } }]);
  const facts = await diskRoles(
    [
      { disk: '/dev/drbd/by-res/r0/0', drbd: [{ resource: 'r0', via: '/dev/drbd/by-res/r0/0' }] },
      { disk: '/var/lib/images/a.qcow2', drbd: [] },
      { disk: '/dev/drbd/by-res/nope', drbd: [{ resource: 'nope', via: '/dev/drbd/by-res/nope' }] },
    ],
    exec,
  );
  assert.equal(
    facts.map((f) => [f.disk, f.device, f.local, f.peers.map((p) => p.role), f.error]),
    [
      ['/dev/drbd/by-res/r0/0', 'r0', 'Primary', ['Secondary', 'Primary'], undefined],
      ['/dev/drbd/by-res/nope', 'nope', 'Unknown', [], 'not a configured DRBD device here'],
    ],
  );
  assert.is(exec.calls.length, 1);
  const broken = await diskRoles(
    [{ disk: '/dev/drbd/by-res/r0', drbd: [{ resource: 'r0', via: '/dev/drbd/by-res/r0' }] }],
    fakeExecutor([{ match: ['drbdsetup'], answer: 'not-installed' }]),
  );
  assert.match(broken[0]!.error ?? '', /drbdsetup/);
});

test('qemu.conf lock_manager', () => {
  assert.is(parseLockManager('#lock_manager = "lockd"\n'), undefined);
  assert.is(parseLockManager('# comment\nlock_manager = "sanlock"\n'), 'sanlock');
  assert.is(parseLockManager('lock_manager="lockd"\nlock_manager = "sanlock"'), 'sanlock');
});

test('virsh error wording (captured stderr): no such domain vs cannot connect', () => {
  const missing = { argv: [], exitCode: 1, stdout: '', stderr: readFileSync('test/fixtures/virtual-machine/domstate-missing.stderr', 'utf8') };
  const unreachable = { argv: [], exitCode: 1, stdout: '', stderr: readFileSync('test/fixtures/virtual-machine/list-unreachable.stderr', 'utf8') };
  assert.ok(isNoSuchDomain(missing));
  assert.not.ok(isConnectFailure(missing));
  assert.ok(isConnectFailure(unreachable));
  assert.not.ok(isNoSuchDomain(unreachable));
});

test.run();
