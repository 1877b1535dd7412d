// The storage guard's disk resolution: every disk of the guest is found as DRBD (through
// symlinks, named minors, drbd: specs, pool volumes, dm/md stacks), found as not DRBD, or refused
// by name; without a config file libvirt's definition lists the disks.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runAgent } from '../../../agents/ocf/runner';
import { definedDisks, resolveDisk, resolveDisks, splitDev, systemBlocks, type BlockSystem, type ResolvedDisk } from '../../../agents/virtual-machine/disks';
import { diskRoles } from '../../../agents/virtual-machine/drbd-role';
import { decideStorage } from '../../../agents/virtual-machine/guards';
import { parseLibvirtXml } from '../../../agents/virtual-machine/libvirt-xml';
import { virtualMachineAgent } from '../../../agents/virtual-machine/spec';
import { parseXlConfig, xlDisks } from '../../../agents/virtual-machine/xl-config';
import { fakeExecutor } from '../../support/fake-executor';

const test = suite('virtual-machine disk resolution');
type FakeAnswerLike = { stdout?: string; stderr?: string; exitCode?: number };

/**
 * A block stack as the kernel shows it: /dev paths (symlinks or nodes) and /sys/dev/block/M:m with
 * its slaves/ (the layout of a dm device on DRBD: /sys/block/dm-2/slaves/drbd1 -> ../../drbd1).
 */
function fakeBlocks(): BlockSystem {
  const links: Record<string, string> = {
    '/dev/drbd/by-res/r0/0': '/dev/drbd0',
    '/dev/drbd/by-res/web': '/dev/drbd3',
    '/dev/mapper/vg_on_drbd-web': '/dev/dm-2',
    '/dev/vg_on_drbd/web': '/dev/dm-2',
    '/dev/mapper/web_crypt': '/dev/dm-5',
    '/dev/disk/by-id/md-name-raid': '/dev/md0',
    '/dev/vg_local/root': '/dev/dm-0',
  };
  const nodes: Record<string, { kind: 'block' | 'file' | 'other'; dev?: readonly [number, number] }> = {
    '/dev/drbd0': { kind: 'block', dev: [147, 0] },
    '/dev/drbd3': { kind: 'block', dev: [147, 3] },
    '/dev/drbd_web': { kind: 'block', dev: [147, 3] }, // a named minor: DRBD 9 `device /dev/drbd_web minor 3;`
    '/dev/dm-0': { kind: 'block', dev: [253, 0] },
    '/dev/dm-2': { kind: 'block', dev: [253, 2] },
    '/dev/dm-5': { kind: 'block', dev: [253, 5] },
    '/dev/md0': { kind: 'block', dev: [9, 0] },
    '/dev/md0p1': { kind: 'block', dev: [259, 4] },
    '/dev/sda1': { kind: 'block', dev: [8, 1] },
    '/dev/dm-9': { kind: 'block', dev: [253, 9] },
    '/dev/null': { kind: 'other' },
    '/var/lib/libvirt/images/local.qcow2': { kind: 'file', dev: [253, 0] },
    '/srv/drbdfs/image.raw': { kind: 'file', dev: [147, 4] },
    '/run/images/tmp.raw': { kind: 'file', dev: [0, 45] },
  };
  const sys: Record<string, string[]> = {
    '253:0': ['sda2'],
    '253:2': ['drbd1'],
    '253:5': ['dm-2'],
    '9:0': ['drbd1', 'drbd2'],
    '259:4': ['md0'],
    '8:1': [],
    '8:2': [],
  };
  const devs: Record<string, readonly [number, number]> = { sda2: [8, 2], drbd1: [147, 1], drbd2: [147, 2], 'dm-2': [253, 2], md0: [9, 0] };
  const enoent = (p: string) => Object.assign(new Error(`ENOENT: no such file or directory, ${p}`), { code: 'ENOENT' });
  return {
    realpath(p) {
      const real = links[p] ?? p;
      if (!nodes[real]) throw enoent(p);
      return real;
    },
    stat(p) {
      const n = nodes[p]!;
      return n.kind === 'other' ? { kind: 'other' } : { kind: n.kind, dev: n.dev! };
    },
    slaves: (dev) => sys[`${dev[0]}:${dev[1]}`],
    devOf: (name) => devs[name]!,
  };
}

test('disk resolution: every disk is found as DRBD, found as not DRBD, or named as unresolved', () => {
  const sys = fakeBlocks();
  // [disk as configured, the DRBD devices and chains it resolves to, or the error]
  const cases: Array<[string, string[] | RegExp]> = [
    ['/dev/drbd0', ['minor 0 via /dev/drbd0']],
    ['/dev/drbd/by-res/r0/0', ['minor 0 via /dev/drbd/by-res/r0/0 -> /dev/drbd0']],
    ['/dev/drbd/by-res/web', ['minor 3 via /dev/drbd/by-res/web -> /dev/drbd3']],
    ['/dev/drbd/by-res/down/0', ['resource down via /dev/drbd/by-res/down/0']],
    ['/dev/drbd_web', ['minor 3 via /dev/drbd_web']],
    ['drbd:r0', ['minor 0 via drbd:r0 = /dev/drbd/by-res/r0/0 -> /dev/drbd0']],
    ['drbd:web', ['minor 3 via drbd:web = /dev/drbd/by-res/web -> /dev/drbd3']],
    ['drbd:down', ['resource down via drbd:down']],
    ['/dev/vg_on_drbd/web', ['minor 1 via /dev/vg_on_drbd/web -> /dev/dm-2 on drbd1']],
    ['/dev/mapper/web_crypt', ['minor 1 via /dev/mapper/web_crypt -> /dev/dm-5 on dm-2 on drbd1']],
    [
      '/dev/disk/by-id/md-name-raid',
      ['minor 1 via /dev/disk/by-id/md-name-raid -> /dev/md0 on drbd1', 'minor 2 via /dev/disk/by-id/md-name-raid -> /dev/md0 on drbd2'],
    ],
    ['/dev/md0p1', ['minor 1 via /dev/md0p1 on md0 on drbd1', 'minor 2 via /dev/md0p1 on md0 on drbd2']],
    ['/srv/drbdfs/image.raw', ['minor 4 via /srv/drbdfs/image.raw']],
    ['/dev/sda1', []],
    ['/dev/vg_local/root', []],
    ['/var/lib/libvirt/images/local.qcow2', []],
    ['/run/images/tmp.raw', []],
    ['/srv/images/gone.img', /^ENOENT$/],
    ['/dev/drbd/by-res/r0/1', ['resource r0 via /dev/drbd/by-res/r0/1']],
    ['/dev/dm-9', /^the kernel shows no block device 253:9 \(\/sys\/dev\/block\/253:9\)$/],
    ['/dev/null', /^\/dev\/null is neither a block device nor a file$/],
    ['iscsi:iqn.2001-04.com.example:storage', /^not a path or a drbd: spec$/],
    ['vm1.img', /^not a path/],
  ];
  const show = (r: ResolvedDisk) =>
    'error' in r ? r.error : r.drbd.map((d) => (d.minor !== undefined ? `minor ${d.minor} via ${d.via}` : `resource ${d.resource} via ${d.via}`));
  for (const [disk, expected] of cases) {
    const shown = show(resolveDisk(disk, sys));
    if (expected instanceof RegExp) assert.match(String(shown), expected, disk);
    else assert.equal(shown, expected, disk);
  }
});

test('disk resolution: an unresolved disk, and an LV on a Secondary DRBD, are refused by name', async () => {
  const sys = fakeBlocks();
  const json = `[{"name":"web","node-id":0,"role":"Secondary","suspended":false,"devices":[{"volume":0,"minor":1,"disk-state":"UpToDate","client":false,"open":false,"quorum":true}],"connections":[{"peer-node-id":1,"name":"bob","connection-state":"Connected","peer-role":"Primary","peer_devices":[{"volume":0,"replication-state":"Established","peer-disk-state":"UpToDate"}]}]}]`;
  const exec = fakeExecutor([{ match: ['drbdsetup', 'status', '--json'], answer: { stdout: json } }]);
  const facts = await diskRoles(
    ['/srv/images/gone.img', '/dev/vg_on_drbd/web', '/var/lib/libvirt/images/local.qcow2'].map((d) => resolveDisk(d, sys)),
    exec,
  );
  const verdict = decideStorage(facts, 'handoff-only');
  assert.is(verdict.ok, false);
  if (!verdict.ok) {
    assert.match(verdict.reason, /^cannot read the DRBD role of \/srv\/images\/gone\.img \(cannot resolve it: ENOENT\)/);
    assert.match(verdict.reason, /disk \/dev\/vg_on_drbd\/web -> \/dev\/dm-2 on drbd1 \(web\) is Secondary here, not Primary/);
    assert.not.match(verdict.reason, /local\.qcow2/);
  }
});

test('disk resolution on this machine: sysfs, a block device node, a character device, an image file', () => {
  const sys = systemBlocks();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-disks-'));
  try {
    const image = path.join(dir, 'image.raw');
    writeFileSync(image, '');
    const resolved = resolveDisk(image, sys);
    assert.ok(!('error' in resolved) && resolved.drbd.length === 0, JSON.stringify(resolved));
    assert.equal(resolveDisk('/dev/null', sys), { disk: '/dev/null', error: '/dev/null is neither a block device nor a file' });
    assert.equal(resolveDisk(path.join(dir, 'missing.raw'), sys), { disk: path.join(dir, 'missing.raw'), error: 'ENOENT' });
    const block = ['/dev/vda', '/dev/sda', '/dev/nvme0n1', '/dev/xvda', '/dev/loop0'].find((d) => existsSync(d));
    if (block) assert.equal(resolveDisk(block, sys), { disk: block, drbd: [] }, block);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sysfs reading: slaves of a dm device, the whole device of a partition, a device with no slaves', () => {
  // the kernel's layout: /sys/dev/block/M:m and /sys/class/block/NAME link into /sys/devices/...,
  // each device directory has dev ("M:m"), slaves/ (links to the devices below), a partition has
  // a "partition" file and sits inside its whole device's directory
  const sysfs = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-sysfs-'));
  try {
    const device = (rel: string, dev: string, slaves?: string[], partition = false) => {
      const dir = path.join(sysfs, 'devices', rel);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'dev'), `${dev}\n`);
      if (slaves) {
        mkdirSync(path.join(dir, 'slaves'));
        for (const name of slaves) symlinkSync(`../../${name}`, path.join(dir, 'slaves', name));
      }
      if (partition) writeFileSync(path.join(dir, 'partition'), '1\n');
      for (const link of [path.join(sysfs, 'dev/block', dev), path.join(sysfs, 'class/block', path.basename(rel))]) {
        mkdirSync(path.dirname(link), { recursive: true });
        symlinkSync(path.relative(path.dirname(link), dir), link);
      }
    };
    device('virtual/block/drbd1', '147:1', []);
    device('virtual/block/drbd2', '147:2', []);
    device('virtual/block/dm-2', '253:2', ['drbd1']);
    device('virtual/block/md0', '9:0', ['drbd1', 'drbd2']);
    device('virtual/block/md0/md0p1', '259:4', undefined, true);
    device('pci0000:00/0000:00:02.0/virtio1/block/vda', '254:0', []);
    const sys = systemBlocks(sysfs);
    assert.equal(sys.slaves([253, 2]), ['drbd1']);
    assert.equal(sys.slaves([9, 0]), ['drbd1', 'drbd2']);
    assert.equal(sys.slaves([259, 4]), ['md0']);
    assert.equal(sys.slaves([254, 0]), []);
    assert.is(sys.slaves([253, 9]), undefined);
    assert.equal(sys.devOf('drbd2'), [147, 2]);
    assert.equal(sys.devOf('md0'), [9, 0]);
  } finally {
    rmSync(sysfs, { recursive: true, force: true });
  }
});

test('dev_t: glibc major/minor, including minors above 255', () => {
  assert.equal(splitDev(259n), [1, 3]); // /dev/null, statSync(..., { bigint: true }).rdev
  assert.equal(splitDev(0x93_00n), [147, 0]);
  assert.equal(splitDev(1113388n), [253, 300]);
  assert.equal(splitDev((0x1000n << 32n) | 0x93_05n), [147 | 0x1000, 5]);
});

test('xl: DRBD disks through block-drbd are resolved as resources, other scripts stay visible', () => {
  const settings = parseXlConfig(`disk = [ 'drbd:r0,xvda,w',
  'format=raw, vdev=xvdb, access=rw, script=block-drbd, target=data',
  'vdev=xvdc, access=rw, script=/etc/xen/scripts/block-drbd, target=drbd:logs',
  'phy:/dev/vg_on_drbd/web,xvdd,w',
  'iscsi:iqn.2001-04.com.example:storage,xvde,w',
  ',xvdf:cdrom,r' ]\n`);
  assert.equal(xlDisks(settings), ['drbd:r0', 'drbd:data', 'drbd:logs', '/dev/vg_on_drbd/web', 'iscsi:iqn.2001-04.com.example:storage']);
});

test('libvirt pool volumes are resolved through virsh vol-path; network disks are not local devices', async () => {
  const xml = `<domain type='kvm'><name>vm1</name><devices>
    <disk type='volume' device='disk'><driver name='qemu' type='raw'/><source pool='vg_on_drbd' volume='web'/><target dev='vda' bus='virtio'/></disk>
    <disk type='volume' device='disk'><source pool='nope' volume='x'/><target dev='vdb' bus='virtio'/></disk>
    <disk type='network' device='disk'><source protocol='rbd' name='pool/image'><host name='mon1' port='6789'/></source><target dev='vdc' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>
  </devices></domain>`;
  const disks = parseLibvirtXml(xml).disks;
  assert.equal(disks, ['volume:vg_on_drbd/web', 'volume:nope/x']);
  // stdout and stderr as virsh 9.0 prints them (test:///default driver)
  const exec = fakeExecutor([
    { match: ['virsh', '-c', 'qemu:///system', 'vol-path', '--pool', 'vg_on_drbd', 'web'], answer: { stdout: '/dev/vg_on_drbd/web\n\n' } },
    {
      match: ['virsh', '-c', 'qemu:///system', 'vol-path', '--pool', 'nope', 'x'],
      answer: { exitCode: 1, stderr: "error: failed to get pool 'nope'\nerror: Storage pool not found: no storage pool with matching name 'nope'\n" },
    },
  ]);
  const resolved = await resolveDisks(disks, exec, 'qemu:///system', fakeBlocks());
  assert.equal(resolved, [
    { disk: 'volume:vg_on_drbd/web', drbd: [{ minor: 1, via: 'volume:vg_on_drbd/web = /dev/vg_on_drbd/web -> /dev/dm-2 on drbd1' }] },
    { disk: 'volume:nope/x', error: "virsh vol-path: Storage pool not found: no storage pool with matching name 'nope'" },
  ]);
});

test('virsh dumpxml lists the disks when no config file was read; failures are one line', async () => {
  const DUMPXML = `<domain type='kvm'>
  <name>vm1</name>
  <uuid>8f1c0e52-4b6a-4d2e-9a51-0c7f2d7b1a12</uuid>
  <devices>
    <disk type='block' device='disk'>
      <driver name='qemu' type='raw' cache='none' io='native'/>
      <source dev='/dev/drbd/by-res/vm1/0'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/scratch.qcow2'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
  </devices>
</domain>
`;
  const ref = { name: 'vm1', uuid: '8f1c0e52-4b6a-4d2e-9a51-0c7f2d7b1a12' };
  const ok = fakeExecutor([{ match: ['virsh', '-c', 'qemu:///system', 'dumpxml', ref.uuid], answer: { stdout: DUMPXML } }]);
  assert.equal(await definedDisks(ok, 'libvirt', 'qemu:///system', ref), ['/dev/drbd/by-res/vm1/0', '/var/lib/libvirt/images/scratch.qcow2']);
  const cases: Array<[string, 'libvirt' | 'xl', FakeAnswerLike, RegExp]> = [
    [
      'no such domain (captured stderr)',
      'libvirt',
      { exitCode: 1, stderr: readFileSync('test/fixtures/virtual-machine/domstate-missing.stderr', 'utf8') },
      /^virsh dumpxml 8f1c0e52-4b6a-4d2e-9a51-0c7f2d7b1a12 failed: failed to get domain 'nosuch-dom'$/,
    ],
    ['exit 0 but no domain XML', 'libvirt', { stdout: '' }, /^virsh dumpxml 8f1c0e52-.*: not a libvirt domain definition/],
    ['xl has no definition to ask', 'xl', { stdout: DUMPXML }, /^no config file was read to list the guest's disks \(set config, or check_storage=false\)$/],
  ];
  for (const [name, backend, answer, reason] of cases) {
    const exec = fakeExecutor([{ match: ['virsh'], answer }]);
    const error = await definedDisks(exec, backend, 'qemu:///system', ref).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.instance(error, Error, name);
    assert.match(error!.message, reason, name);
  }
});

test('start without a config file: the storage guard asks libvirt for the disks and refuses what it cannot resolve', async () => {
  const dumpxml = (stdout: string, exitCode = 0, stderr = '') => ({
    match: ['virsh', '-c', 'qemu:///system', 'dumpxml', 'vm1'],
    answer: { stdout, exitCode, stderr },
  });
  const domstate = {
    match: ['virsh', '-c', 'qemu:///system', 'domstate', '--reason', 'vm1'],
    answer: { exitCode: 1, stderr: "error: failed to get domain 'vm1'\n" },
  };
  const start = async (rules: Parameters<typeof fakeExecutor>[0]) => {
    const exec = fakeExecutor(rules);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-nocfg-'));
    try {
      const result = await runAgent(virtualMachineAgent, ['start'], {
        env: {
          OCF_ROOT: '/usr/lib/ocf',
          OCF_RESOURCE_INSTANCE: 'vm1',
          OCF_RESKEY_name: 'vm1',
          OCF_RESKEY_peers: 'none',
          OCF_RESKEY_state_dir: dir,
          OCF_RESKEY_CRM_meta_on_node: 'node1',
        },
        stdout: () => undefined,
        stderr: () => undefined,
        executor: () => exec,
      });
      return { ...result, commands: exec.commands() };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const missing = await start([domstate, dumpxml('', 1, "error: failed to get domain 'vm1'\n")]);
  assert.is(missing.code, 1);
  assert.is(missing.reason, "cannot check the guest's disks: virsh dumpxml vm1 failed: failed to get domain 'vm1'");
  const gone = await start([
    domstate,
    dumpxml(
      "<domain type='kvm'><name>vm1</name><devices><disk type='file' device='disk'><source file='/nonexistent/ocfkit/vm1.img'/><target dev='vda'/></disk></devices></domain>",
    ),
  ]);
  assert.is(gone.code, 1);
  assert.is(gone.reason, 'cannot read the DRBD role of /nonexistent/ocfkit/vm1.img (cannot resolve it: ENOENT)');
  assert.ok(!gone.commands.some((c) => c.startsWith('virsh -c qemu:///system start')), 'never started');
});

test.run();
