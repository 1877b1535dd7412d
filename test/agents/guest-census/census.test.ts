// The census's decisions as tables: where the cluster has each guest (captured crm_simulate CIBs),
// which running guest is rogue, the listings it reads, and the published attribute.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCib } from '../../../agents/pacemaker/cib';
import { decodeCensus, encodeCensus, parseAttrdQuery } from '../../../agents/pacemaker/census-attribute';
import { activeAfter, describeRogue, findRogues, managedGuests, placementFromStatus, type ManagedGuest } from '../../../agents/guest-census/census';
import { guestsFromProcesses, identityFromConfig, parseVirshList, parseXlListVerbose, type RunningGuest } from '../../../agents/guest-census/listing';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/doctor', name), 'utf8');

test('placement: started (start rc 0 on one node, probe rc 7 on the other)', () => {
  const p = placementFromStatus(fixture('cib-status-started.xml'));
  assert.equal(p.get('vm1'), { active: ['node1'], arriving: [] });
  assert.equal(p.get('vm2'), { active: ['node2'], arriving: [] });
});

test('placement: after a live migration the target is active though its _last_0 is still the probe', () => {
  const p = placementFromStatus(fixture('cib-status-after-migration.xml'));
  assert.equal(p.get('vm1'), { active: ['node2'], arriving: [] });
  assert.equal(p.get('vm2'), { active: ['node1'], arriving: [] });
});

test('placement: a pending migrate_to names its target as arriving', () => {
  const xml = fixture('cib-status-started.xml').replace(
    /<lrm_rsc_op id="vm1_monitor_10000"/,
    '<lrm_rsc_op id="vm1_migrate_to_0" operation="migrate_to" migrate_source="node1" migrate_target="node2" call-id="-1" rc-code="193" op-status="-1"/><lrm_rsc_op id="vm1_monitor_10000"',
  );
  assert.equal(placementFromStatus(xml).get('vm1'), { active: ['node1'], arriving: ['node2'] });
});

const afterTable: Array<[string, number, boolean]> = [
  ['start', 0, true],
  ['migrate_from', 0, true],
  ['monitor', 0, true],
  ['monitor', 8, true],
  ['monitor', 7, false],
  ['stop', 0, false],
  ['stop', 1, true],
  ['migrate_to', 0, true],
  ['start', 1, true],
  ['promote', 0, true],
  ['notify', 0, false],
  ['notify', 1, true],
];
for (const [op, rc, active] of afterTable)
  test(`activeAfter: ${op} rc ${rc} -> ${active ? 'active' : 'not active'}`, () => assert.is(activeAfter(op, rc), active));

const U1 = '8f1c2a3b-0000-4000-8000-000000000001';
const U2 = '8f1c2a3b-0000-4000-8000-000000000002';
const managed: ManagedGuest[] = [
  { resource: 'vm1', name: 'vm1', uuid: U1, placement: { active: ['node2'], arriving: [] } },
  { resource: 'vm2', name: 'vm2', uuid: U2, placement: { active: ['node1'], arriving: [] } },
  { resource: 'vm3', name: 'vm3', placement: { active: [], arriving: [] } },
  { resource: 'vm4', name: 'vm4', placement: { active: ['node2'], arriving: ['node1'] } },
];
const g = (name: string, uuid?: string): RunningGuest => ({ name, ...(uuid ? { uuid } : {}), source: 'libvirt' });
const rogueTable: Array<{ name: string; running: RunningGuest[]; expect: Array<[string, string[]]> }> = [
  { name: 'the guest the cluster placed here', running: [g('vm2', U2)], expect: [] },
  { name: 'a guest the cluster has on node2', running: [g('vm1', U1)], expect: [['vm1', ['node2']]] },
  { name: 'matched by UUID although renamed', running: [g('renamed', U1)], expect: [['vm1', ['node2']]] },
  { name: 'same name, another UUID: not the managed guest', running: [g('vm1', '00000000-0000-4000-8000-0000000000ff')], expect: [] },
  { name: 'a managed guest the cluster runs nowhere', running: [g('vm3')], expect: [['vm3', []]] },
  { name: 'an incoming live migration', running: [g('vm4')], expect: [] },
  { name: 'a guest no resource manages', running: [g('scratch', '00000000-0000-4000-8000-0000000000aa')], expect: [] },
  { name: 'nothing runs here', running: [], expect: [] },
];
for (const c of rogueTable) {
  test(`findRogues: ${c.name}`, () => {
    assert.equal(
      findRogues(c.running, managed, 'node1').map((r) => [r.resource, r.clusterHas]),
      c.expect,
    );
  });
}

test('describeRogue names the guest and where the cluster has it', () => {
  assert.is(
    describeRogue({ guest: g('vm1', U1), resource: 'vm1', clusterHas: ['node2'] }),
    `vm1 runs here outside the cluster: the cluster has vm1 on node2 (uuid ${U1})`,
  );
  assert.is(describeRogue({ guest: g('vm3'), resource: 'vm3', clusterHas: [] }), 'vm3 runs here outside the cluster: the cluster has vm3 stopped');
});

test('managedGuests: parameters win, the config file fills in', () => {
  const cib = parseCib(fixture('cib-status-started.xml'));
  const got = managedGuests(cib, placementFromStatus(fixture('cib-status-started.xml')), (params) =>
    params.config?.endsWith('vm1.xml') ? { name: 'vm1', uuid: U1 } : {},
  );
  assert.equal(got, [
    { resource: 'vm1', name: 'vm1', uuid: U1, placement: { active: ['node1'], arriving: [] } },
    { resource: 'vm2', placement: { active: ['node2'], arriving: [] } },
  ]);
});

test('listings: virsh list --uuid --name, and the qemu process table libvirt starts', () => {
  assert.equal(parseVirshList(`${U1.toUpperCase()} vm1\n\n`), [{ uuid: U1, name: 'vm1', source: 'libvirt' }]);
  // argv as libvirt 9.0 starts qemu (ps -o args of a running guest, abridged to the options read)
  const procs = [
    { pid: 10, argv: ['/usr/bin/qemu-system-x86_64', '-name', 'guest=vm1,debug-threads=on', '-S', '-uuid', U1] },
    { pid: 11, argv: ['/usr/sbin/sshd', '-D'] },
  ];
  assert.equal(guestsFromProcesses(procs), [{ name: 'vm1', uuid: U1, source: 'qemu-process' }]);
});

test('xl list -v (the layout xl prints, as the VirtualMachine xl tests read it): Domain-0 is not a guest', () => {
  const out = `Name                                        ID   Mem VCPUs\tState\tTime(s)   UUID                            Reason-Code\tSecurity Label
Domain-0                                     0  1024     2     r-----      42.7 00000000-0000-0000-0000-000000000000        -                -
web                                          3   512     2     -b----       0.4 3a0e1b7c-2f4d-4c1e-9b8a-7d6c5b4a3f21        -                -
`;
  assert.equal(parseXlListVerbose(out), [{ name: 'web', uuid: '3a0e1b7c-2f4d-4c1e-9b8a-7d6c5b4a3f21', source: 'xl' }]);
});

test('identity from a config: the harness domain XML, an xl config', () => {
  const xml = readFileSync(path.join(__dirname, '../../fixtures/libvirt/bios-domain.xml'), 'utf8').replace('@NAME@', 'vm1').replace('@UUID@', U1.toUpperCase());
  assert.equal(identityFromConfig(xml, 'libvirt'), { name: 'vm1', uuid: U1 });
  assert.equal(identityFromConfig('name = "web"\nuuid = "3a0e1b7c-2f4d-4c1e-9b8a-7d6c5b4a3f21"\nmemory = 512\n', 'xl'), {
    name: 'web',
    uuid: '3a0e1b7c-2f4d-4c1e-9b8a-7d6c5b4a3f21',
  });
  assert.equal(identityFromConfig('memory = 512\n', 'xl'), {});
});

test('the attribute: encode, decode, garbage is no census', () => {
  const value = encodeCensus({ at: 1_733_150_000_400, guests: [{ uuid: U1, name: 'vm1' }, { name: 'xen1' }] });
  assert.is(value, `{"at":1733150000,"guests":[["${U1}","vm1"],["","xen1"]]}`);
  assert.equal(decodeCensus(value), { at: 1_733_150_000_000, guests: [{ uuid: U1, name: 'vm1' }, { name: 'xen1' }] });
  for (const bad of ['', 'x', '{"at":"1","guests":[]}', '{"at":1,"guests":[[1,"a"]]}']) assert.is(decodeCensus(bad), undefined, bad);
  const q = `name="guest-census" host="node1" value="${value}"\nname="guest-census" host="node2" value=""\n`;
  assert.equal(parseAttrdQuery(q), [
    { host: 'node1', value },
    { host: 'node2', value: '' },
  ]);
});

test.run();
