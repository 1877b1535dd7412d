// doctor's checks as tables: each check on a clean setup (no finding) and on the fault it exists
// for. The CIB comes from a capture (test/fixtures/doctor/cib-pcs-0.11.xml, written by pcs 0.11)
// and the DRBD options from drbdadm 9.22's dump-xml; each case changes one fact.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCib, type CibModel } from '../../../../agents/pacemaker/cib';
import { CHECKS } from '../../../../agents/cli/doctor/checks';
import { parseDrbdOptions } from '../../../../agents/cli/doctor/checks/drbd';
import { exitCodeFor, finding, type Finding } from '../../../../agents/cli/doctor/findings';
import type { Facts } from '../../../../agents/cli/doctor/facts';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../../fixtures/doctor', name), 'utf8');
const captured = () => parseCib(fixture('cib-pcs-0.11.xml'));

/** The captured CIB made clean: fencing on with a device, the drbd clone may promote on both nodes. */
function cleanCib(): CibModel {
  const cib = captured();
  cib.properties['stonith-enabled'] = 'true';
  cib.primitives.push({ id: 'fence-sbd', class: 'stonith', type: 'fence_sbd', params: { devices: '/dev/sdb' }, meta: {} });
  return cib;
}

function clean(): Facts {
  const drbd = parseDrbdOptions(fixture('drbd-dump-xml-fencing.xml')).filter((r) => r.name !== 'unfenced');
  return {
    self: 'node1',
    cib: { ok: true, value: cleanCib() },
    drbd: { ok: true, value: drbd },
    guests: [
      {
        resource: 'vm1',
        backend: 'libvirt',
        config: '/etc/libvirt/qemu/vm1.xml',
        name: 'vm1',
        uuid: '8f1c2a3b-0000-4000-8000-000000000001',
        disks: [{ disk: '/dev/drbd/by-res/vmdisks/0', drbd: ['vmdisks'] }],
        configMount: { fstype: 'ext4', target: '/' },
      },
    ],
    domains: [
      {
        node: 'node1',
        uri: 'qemu:///system',
        listing: { ok: true, value: { autostart: [], persistent: [{ uuid: 'aaaaaaaa-0000-4000-8000-000000000009', name: 'other' }] } },
      },
      { node: 'node2', uri: 'qemu+ssh://node2/system?no_tty=1', listing: { ok: true, value: { autostart: [], persistent: [] } } },
    ],
    libvirtGuests: { file: '/etc/default/libvirt-guests', settings: { ON_BOOT: 'ignore', ON_SHUTDOWN: 'shutdown' }, enabled: true },
    lockManager: {
      fact: { configured: 'lockd', configFile: '/etc/libvirt/qemu.conf', daemonRunning: true },
      space: {
        manager: 'lockd',
        configFile: '/etc/libvirt/qemu-lockd.conf',
        dirs: [{ setting: 'file_lockspace_dir', dir: '/shared/lockd', mount: { fstype: 'gfs2', target: '/shared' } }],
      },
    },
    leaseDirs: [{ resource: 'vm1', dir: '/shared/leases', mount: { fstype: 'gfs2', target: '/shared' }, marker: true }],
    clock: { ok: true, value: { synchronized: true, evidence: 'timedatectl show -p NTPSynchronized: yes' } },
    hooks: { ok: true, value: { ifaces: ['eth1'], problems: [] } },
    udev: { ok: true, value: { config: '/etc/ocfkit/ocfkit.yaml', drift: [] } },
  };
}

type Case = { name: string; check: keyof typeof CHECKS; change?: (f: Facts) => void; expect: Array<Pick<Finding, 'severity'> & { match: RegExp }> };
const cib = (f: Facts) => (f.cib as { value: CibModel }).value;

const cases: Case[] = [
  { name: 'fencing: on, with a device', check: 'fencing', expect: [] },
  {
    name: 'fencing: stonith-enabled=false as captured',
    check: 'fencing',
    change: (f) => (cib(f).properties['stonith-enabled'] = 'false'),
    expect: [{ severity: 'error', match: /stonith-enabled=false/ }],
  },
  {
    name: 'fencing: enabled but no device',
    check: 'fencing',
    change: (f) => (cib(f).primitives = cib(f).primitives.filter((p) => p.class !== 'stonith')),
    expect: [{ severity: 'error', match: /no fence device/ }],
  },
  {
    name: 'fencing: off, but every guest is banned from all nodes but one',
    check: 'fencing',
    change: (f) => {
      cib(f).properties['stonith-enabled'] = 'false';
      cib(f).locations.push({ id: 'l', rsc: 'vm1', node: 'node2', score: '-INFINITY' });
    },
    expect: [],
  },
  { name: 'constraints: the captured order and colocation with the promoted clone', check: 'constraints', expect: [] },
  {
    name: 'constraints: no order',
    check: 'constraints',
    change: (f) => (cib(f).orders = []),
    expect: [{ severity: 'error', match: /not ordered after drbd-vmdisks-clone/ }],
  },
  {
    name: 'constraints: ordered after start, not promote',
    check: 'constraints',
    change: (f) => (cib(f).orders[0]!.firstAction = 'start'),
    expect: [{ severity: 'error', match: /not ordered/ }],
  },
  {
    name: 'constraints: colocated without the Promoted role',
    check: 'constraints',
    change: (f) => delete cib(f).colocations[0]!.withRole,
    expect: [{ severity: 'error', match: /not colocated/ }],
  },
  { name: 'constraints: crmsh role name Master counts', check: 'constraints', change: (f) => (cib(f).colocations[0]!.withRole = 'Master'), expect: [] },
  {
    name: 'constraints: image below a Filesystem without constraints',
    check: 'constraints',
    change: (f) => (f.guests[0]!.disks = [{ disk: '/shared/images/vm1.qcow2', drbd: [] }]),
    expect: [
      { severity: 'error', match: /not ordered after shared-fs-clone/ },
      { severity: 'error', match: /not colocated with shared-fs-clone/ },
    ],
  },
  {
    name: 'constraints: DRBD resource nobody manages',
    check: 'constraints',
    change: (f) => (f.guests[0]!.disks = [{ disk: '/dev/drbd9', drbd: ['orphan'] }]),
    expect: [{ severity: 'warning', match: /orphan, which no ocf:linbit:drbd/ }],
  },
  { name: 'migration: allow-migrate on dual-primary, promoted-max=2', check: 'migration', expect: [] },
  {
    name: 'migration: allow-migrate without allow-two-primaries',
    check: 'migration',
    change: (f) => delete (f.drbd as { value: { options: Record<string, string> }[] }).value[0]!.options['allow-two-primaries'],
    expect: [{ severity: 'error', match: /does not allow two primaries/ }],
  },
  {
    name: 'migration: allow-migrate with promoted-max=1',
    check: 'migration',
    change: (f) => (cib(f).primitives.find((p) => p.id === 'drbd-vmdisks')!.clone!.meta['promoted-max'] = '1'),
    expect: [{ severity: 'error', match: /only 1 node be Promoted/ }],
  },
  { name: 'identity: config on a local file system', check: 'identity', expect: [] },
  {
    name: 'identity: config on gfs2 without name/uuid',
    check: 'identity',
    change: (f) => (f.guests[0]!.configMount = { fstype: 'gfs2', target: '/shared' }),
    expect: [{ severity: 'warning', match: /name and uuid are not set/ }],
  },
  {
    name: 'identity: config below a Filesystem, name and uuid set',
    check: 'identity',
    change: (f) => {
      f.guests[0]!.config = '/shared/vm1.xml';
      Object.assign(cib(f).primitives.find((p) => p.id === 'vm1')!.params, { name: 'vm1', uuid: 'x' });
    },
    expect: [],
  },
  { name: 'drbd: dual-primary fenced, handler set, used by a migrating guest', check: 'drbd', expect: [] },
  {
    name: 'drbd: dual-primary without fencing (captured "unfenced"), nobody needs it',
    check: 'drbd',
    change: (f) => ((f.drbd as { value: unknown[] }).value = parseDrbdOptions(fixture('drbd-dump-xml-fencing.xml')).filter((r) => r.name === 'unfenced')),
    expect: [
      { severity: 'error', match: /without resource-and-stonith/ },
      { severity: 'warning', match: /no live-migrating guest/ },
    ],
  },
  {
    name: 'drbd: no split-brain handler',
    check: 'drbd',
    change: (f) => (f.drbd as { value: { handlers: Record<string, string> }[] }).value.forEach((r) => delete r.handlers['split-brain']),
    expect: [
      { severity: 'warning', match: /split-brain handler/ },
      { severity: 'warning', match: /split-brain handler/ },
    ],
  },
  { name: 'libvirt-domains: the guest is neither autostarted nor persistent anywhere', check: 'libvirt-domains', expect: [] },
  {
    name: 'libvirt-domains: autostart on the peer (matched by uuid)',
    check: 'libvirt-domains',
    change: (f) =>
      (f.domains[1]!.listing = { ok: true, value: { autostart: [{ uuid: '8f1c2a3b-0000-4000-8000-000000000001', name: 'vm1-renamed' }], persistent: [] } }),
    expect: [{ severity: 'error', match: /node2 autostarts vm1-renamed/ }],
  },
  {
    name: 'libvirt-domains: persistent here',
    check: 'libvirt-domains',
    change: (f) => f.domains[0]!.listing.ok && f.domains[0]!.listing.value.persistent.push({ uuid: 'b', name: 'vm1' }),
    expect: [{ severity: 'warning', match: /defined persistently on node1/ }],
  },
  {
    name: 'libvirt-domains: a peer that cannot be asked',
    check: 'libvirt-domains',
    change: (f) => (f.domains[1]!.listing = { ok: false, what: 'virsh -c qemu+ssh://node2/system?no_tty=1 list', error: 'Host key verification failed.' }),
    expect: [{ severity: 'error', match: /node2.*cannot be asked|cannot be asked.*Host key/ }],
  },
  { name: 'libvirt-guests: ON_BOOT=ignore ON_SHUTDOWN=shutdown', check: 'libvirt-guests', expect: [] },
  {
    name: 'libvirt-guests: defaults (start, suspend)',
    check: 'libvirt-guests',
    change: (f) => (f.libvirtGuests!.settings = {}),
    expect: [
      { severity: 'warning', match: /ON_BOOT=start/ },
      { severity: 'warning', match: /ON_SHUTDOWN=suspend/ },
    ],
  },
  {
    name: 'libvirt-guests: defaults but the service is disabled',
    check: 'libvirt-guests',
    change: (f) => {
      f.libvirtGuests!.settings = {};
      f.libvirtGuests!.enabled = false;
    },
    expect: [],
  },
  { name: 'lock-manager: virtlockd with a lockspace on gfs2', check: 'lock-manager', expect: [] },
  {
    name: 'lock-manager: lockspace on ext4',
    check: 'lock-manager',
    change: (f) => (f.lockManager!.space!.dirs[0]!.mount = { fstype: 'ext4', target: '/' }),
    expect: [{ severity: 'error', match: /lies on ext4.*protect this host only/ }],
  },
  {
    name: 'lock-manager: virtlockd without any lockspace',
    check: 'lock-manager',
    change: (f) => (f.lockManager!.space!.dirs = []),
    expect: [{ severity: 'error', match: /no lockspace on shared storage/ }],
  },
  {
    name: 'lock-manager: none configured',
    check: 'lock-manager',
    change: (f) => (f.lockManager = { fact: { configured: undefined, configFile: '/etc/libvirt/qemu.conf', daemonRunning: undefined } }),
    expect: [{ severity: 'warning', match: /no lock manager/ }],
  },
  {
    name: 'lock-manager: configured, daemon down',
    check: 'lock-manager',
    change: (f) => (f.lockManager!.fact.daemonRunning = false),
    expect: [{ severity: 'error', match: /nothing listens/ }],
  },
  {
    name: 'lock-manager: daemon down and lockspace local: both',
    check: 'lock-manager',
    change: (f) => {
      f.lockManager!.fact.daemonRunning = false;
      f.lockManager!.space!.dirs[0]!.mount = { fstype: 'tmpfs', target: '/tmp' };
    },
    expect: [
      { severity: 'error', match: /nothing listens/ },
      { severity: 'error', match: /lies on tmpfs/ },
    ],
  },
  { name: 'lease: on gfs2 with its marker', check: 'lease', expect: [] },
  {
    name: 'lease: on ext4',
    check: 'lease',
    change: (f) => (f.leaseDirs[0]!.mount = { fstype: 'ext4', target: '/' }),
    expect: [{ severity: 'error', match: /not a file system the other nodes see/ }],
  },
  { name: 'lease: marker missing', check: 'lease', change: (f) => (f.leaseDirs[0]!.marker = false), expect: [{ severity: 'error', match: /no marker/ }] },
  { name: 'clock: synchronized', check: 'clock', expect: [] },
  {
    name: 'clock: not synchronized, with leases: an error',
    check: 'clock',
    change: (f) => (f.clock = { ok: true, value: { synchronized: false, evidence: 'NTPSynchronized: no' } }),
    expect: [{ severity: 'error', match: /not synchronized/ }],
  },
  {
    name: 'clock: not synchronized, no leases: a warning',
    check: 'clock',
    change: (f) => {
      f.clock = { ok: true, value: { synchronized: false, evidence: 'NTPSynchronized: no' } };
      f.leaseDirs = [];
    },
    expect: [{ severity: 'warning', match: /not synchronized/ }],
  },
  { name: 'hooks: in place', check: 'hooks', expect: [] },
  {
    name: 'hooks: missing',
    check: 'hooks',
    change: (f) =>
      (f.hooks = { ok: true, value: { ifaces: ['eth1'], problems: ['/etc/network/if-up.d/ocfkit-drbd-reconnect: missing (ocfkit hooks install)'] } }),
    expect: [{ severity: 'warning', match: /ocfkit-drbd-reconnect: missing/ }],
  },
  {
    name: 'hooks: no replication interface here, nothing needed',
    check: 'hooks',
    change: (f) => (f.hooks = { ok: true, value: { ifaces: [], problems: ['/etc/network/if-up.d/ocfkit-drbd-reconnect: missing (ocfkit hooks install)'] } }),
    expect: [],
  },
  { name: 'udev: no drift', check: 'udev', expect: [] },
  {
    name: 'udev: readahead reset',
    check: 'udev',
    change: (f) => (f.udev = { ok: true, value: { config: 'c', drift: [{ device: 'drbd1', tunable: 'read_ahead_kb', desired: '4096', current: '128' }] } }),
    expect: [{ severity: 'warning', match: /is 128, the config wants 4096/ }],
  },
  { name: 'xl-lint: nothing found', check: 'xl-lint', expect: [] },
  {
    name: 'xl-lint: the cpus list form',
    check: 'xl-lint',
    change: (f) => (f.guests[0]!.lint = [{ severity: 'error', line: 3, setting: 'cpus', message: 'cpus list form', fix: 'cpus = "^0,^1,2-7"' }]),
    expect: [{ severity: 'error', match: /cpus list form/ }],
  },
  { name: 'cib: read', check: 'cib', expect: [] },
  {
    name: 'cib: cannot be read',
    check: 'cib',
    change: (f) => (f.cib = { ok: false, what: 'cibadmin -Q', error: 'Init failed' }),
    expect: [{ severity: 'error', match: /cannot read the CIB/ }],
  },
];

for (const c of cases) {
  test(`${c.check}: ${c.name}`, () => {
    const facts = clean();
    c.change?.(facts);
    const found = CHECKS[c.check](facts);
    assert.is(found.length, c.expect.length, JSON.stringify(found, null, 1));
    c.expect.forEach((e, i) => {
      assert.is(found[i]!.severity, e.severity);
      assert.match(`${found[i]!.subject}: ${found[i]!.message}`, e.match);
      assert.ok(found[i]!.evidence && found[i]!.fix.length, 'every finding has evidence and a fix');
    });
  });
}

test('the clean setup has no finding from any check', () => {
  const facts = clean();
  assert.equal(
    Object.values(CHECKS).flatMap((check) => check(facts)),
    [],
  );
});

test('exit codes: 2 on an error, 1 on warnings only with --strict, else 0', () => {
  const w = finding('warning', 'c', 's', 'm', 'e', ['f']);
  const e = finding('error', 'c', 's', 'm', 'e', ['f']);
  assert.is(exitCodeFor([], true), 0);
  assert.is(exitCodeFor([w], false), 0);
  assert.is(exitCodeFor([w], true), 1);
  assert.is(exitCodeFor([w, e], false), 2);
});

test.run();
