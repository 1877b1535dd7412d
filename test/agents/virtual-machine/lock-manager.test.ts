// Does the lock manager protect across hosts: the qemu-lockd.conf / qemu-sanlock.conf settings and
// the file system their lockspaces lie on, as tables. findmnt lines are as util-linux 2.38 prints
// `findmnt -n -P -o FSTYPE,TARGET -T <dir>` (the ext4 line captured here; the others differ only
// in the values).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decideHostIdUnique,
  decideLockspace,
  parseFindmnt,
  parseLibvirtConf,
  type LockspaceDir,
  type LockspaceFact,
  type PeerHostId,
} from '../../../agents/virtual-machine/lock-manager';

test('parseLibvirtConf: quoted strings and integers, comments and commented-out settings skipped, last wins', () => {
  // lines from Debian's /etc/libvirt/qemu-lockd.conf and qemu-sanlock.conf (libvirt 9.0), uncommented where set
  const conf = [
    '#file_lockspace_dir = "/var/lib/libvirt/lockd/files"',
    'file_lockspace_dir = "/shared/lockd/files"',
    "# NB: the 'host_id' parameter must be set if enabling this",
    '#auto_disk_leases = 1',
    'auto_disk_leases = 1',
    'host_id = 3',
    'host_id = 4  # the second node',
    'lvm_lockspace_dir= "/shared/lockd/lvm"',
  ].join('\n');
  const s = parseLibvirtConf(conf);
  assert.equal(
    [...s.entries()],
    [
      ['file_lockspace_dir', '/shared/lockd/files'],
      ['auto_disk_leases', '1'],
      ['host_id', '4'],
      ['lvm_lockspace_dir', '/shared/lockd/lvm'],
    ],
  );
  assert.equal(parseLibvirtConf(''), new Map());
});

test('parseFindmnt: the file system and mount point; nothing on empty output', () => {
  assert.equal(parseFindmnt('FSTYPE="ext4" TARGET="/"\n'), { fstype: 'ext4', target: '/' });
  assert.equal(parseFindmnt('FSTYPE="nfs4" TARGET="/shared"\n'), { fstype: 'nfs4', target: '/shared' });
  assert.equal(parseFindmnt('FSTYPE="fuse.glusterfs" TARGET="/mnt/gv0"\n'), { fstype: 'fuse.glusterfs', target: '/mnt/gv0' });
  assert.is(parseFindmnt(''), undefined);
  assert.is(parseFindmnt('FSTYPE="" TARGET=""\n'), undefined);
});

const on = (fstype: string, target = '/shared') => ({ mount: { fstype, target } });
const dir = (setting: string, path: string, mount: Partial<LockspaceDir>): LockspaceDir => ({ setting, dir: path, ...mount });
const lockd = (dirs: LockspaceDir[]): LockspaceFact => ({ manager: 'lockd', configFile: '/etc/libvirt/qemu-lockd.conf', dirs });
const sanlock = (autoDiskLeases: string | undefined, hostId: string | undefined, dirs: LockspaceDir[]): LockspaceFact => ({
  manager: 'sanlock',
  configFile: '/etc/libvirt/qemu-sanlock.conf',
  dirs,
  ...(autoDiskLeases ? { autoDiskLeases } : {}),
  ...(hostId ? { hostId } : {}),
});

test('decideLockspace: only lockspaces on a file system the nodes share pass; the refusal names the setting to change', () => {
  const files = (m: Partial<LockspaceDir>) => dir('file_lockspace_dir', '/shared/lockd/files', m);
  const lease = (m: Partial<LockspaceDir>) => dir('disk_lease_dir', '/var/lib/libvirt/sanlock', m);
  // [name, fact, undefined = passes | the refusal]
  const cases: Array<[string, LockspaceFact, RegExp | undefined]> = [
    [
      'virtlockd, no lockspace set',
      lockd([]),
      /^virtlockd has no lockspace on shared storage: none of file_lockspace_dir, lvm_lockspace_dir, scsi_lockspace_dir is set in \/etc\/libvirt\/qemu-lockd\.conf, so its locks protect this host only; set file_lockspace_dir = "<a directory on a file system all nodes mount>" in \/etc\/libvirt\/qemu-lockd\.conf$/,
    ],
    ['virtlockd, files on nfs4', lockd([files(on('nfs4'))]), undefined],
    ['virtlockd, files on gfs2, lvm on ocfs2', lockd([files(on('gfs2')), dir('lvm_lockspace_dir', '/o/lvm', on('ocfs2', '/o'))]), undefined],
    [
      'virtlockd, files on the local root',
      lockd([files(on('ext4', '/'))]),
      /^file_lockspace_dir = "\/shared\/lockd\/files" in \/etc\/libvirt\/qemu-lockd\.conf lies on ext4 \(mounted on \/\), not a file system shared by the nodes: the locks protect this host only; set file_lockspace_dir = /,
    ],
    [
      'virtlockd, one shared, scsi on tmpfs',
      lockd([files(on('nfs')), dir('scsi_lockspace_dir', '/run/scsi', on('tmpfs', '/run'))]),
      /^scsi_lockspace_dir = "\/run\/scsi" .* lies on tmpfs \(mounted on \/run\)/,
    ],
    ['virtlockd, plain fuse: cannot tell what is behind it', lockd([files(on('fuse'))]), /lies on fuse \(mounted on \/shared\), not a file system shared/],
    [
      'virtlockd, directory missing',
      lockd([files({ error: 'findmnt -T /shared/lockd/files found no mount (does /shared/lockd/files exist?)' })]),
      /^file_lockspace_dir = "\/shared\/lockd\/files" in \/etc\/libvirt\/qemu-lockd\.conf: cannot tell its file system \(findmnt -T .*does \/shared\/lockd\/files exist\?\)\); create it on shared storage or set file_lockspace_dir = /,
    ],
    [
      'virtlockd, conf unreadable',
      { ...lockd([]), unreadable: 'ENOENT' },
      /^cannot read \/etc\/libvirt\/qemu-lockd\.conf \(ENOENT\): cannot tell whether the virtlockd locks reach the other nodes$/,
    ],
    ['sanlock, auto leases, host_id, shared', sanlock('1', '2', [lease(on('nfs4', '/var/lib/libvirt/sanlock'))]), undefined],
    [
      'sanlock, auto_disk_leases not set',
      sanlock(undefined, '2', [lease(on('nfs4'))]),
      /^sanlock takes no disk leases by itself: auto_disk_leases is not set in \/etc\/libvirt\/qemu-sanlock\.conf; set auto_disk_leases = 1 in \/etc\/libvirt\/qemu-sanlock\.conf$/,
    ],
    ['sanlock, auto_disk_leases = 0', sanlock('0', '2', [lease(on('nfs4'))]), /auto_disk_leases is "0"/],
    [
      'sanlock, host_id not set',
      sanlock('1', undefined, [lease(on('nfs4'))]),
      /^sanlock host_id is not set in \/etc\/libvirt\/qemu-sanlock\.conf; set host_id = <1-2000, different on every node> in /,
    ],
    ['sanlock, host_id 0', sanlock('1', '0', [lease(on('nfs4'))]), /^sanlock host_id is "0"/],
    ['sanlock, host_id 2001', sanlock('1', '2001', [lease(on('nfs4'))]), /^sanlock host_id is "2001"/],
    [
      'sanlock, lease dir local',
      sanlock('1', '1', [lease(on('xfs', '/var'))]),
      /^disk_lease_dir = "\/var\/lib\/libvirt\/sanlock" in \/etc\/libvirt\/qemu-sanlock\.conf lies on xfs \(mounted on \/var\).*set disk_lease_dir = /,
    ],
  ];
  for (const [name, fact, refusal] of cases) {
    const verdict = decideLockspace(fact);
    if (!refusal) {
      assert.ok(verdict.ok, `${name}: ${verdict.ok ? '' : verdict.reason}`);
      continue;
    }
    assert.not.ok(verdict.ok, name);
    if (!verdict.ok) assert.match(verdict.reason, refusal, name);
  }
});

test('decideHostIdUnique: refused when another node published the same host_id; unknown peers noted; unreadable ones refuse', () => {
  const conf = '/etc/libvirt/qemu-sanlock.conf';
  const cases: Array<[string, string, PeerHostId[], RegExp | string[]]> = [
    ['no other node', '1', [], []],
    ['different', '1', [{ node: 'node2', hostId: '2' }], ["sanlock host_id 1 differs from node2's 2"]],
    [
      'the same',
      '2',
      [{ node: 'node2', hostId: '2' }],
      /^sanlock host_id = 2 in \/etc\/libvirt\/qemu-sanlock\.conf is also the host_id of node node2 \(node attribute ocfkit-sanlock-host-id\): two hosts with one host_id take each other's leases; set host_id = <1-2000, different on every node> in \/etc\/libvirt\/qemu-sanlock\.conf$/,
    ],
    [
      'the same number written otherwise',
      '3',
      [
        { node: 'node2', hostId: '1' },
        { node: 'node3', hostId: '03' },
      ],
      /is also the host_id of node node3 \(/,
    ],
    [
      'two others the same',
      '4',
      [
        { node: 'node2', hostId: '4' },
        { node: 'node3', hostId: '4' },
      ],
      /is also the host_id of node node2 and node node3 /,
    ],
    [
      'one not published yet',
      '1',
      [
        { node: 'node2', none: true },
        { node: 'node3', hostId: '3' },
      ],
      [
        "sanlock host_id 1 differs from node3's 3",
        'node node2 has published no sanlock host_id yet (ocfkit-sanlock-host-id, set by its first start): not compared',
      ],
    ],
    [
      'unreadable',
      '1',
      [
        { node: 'node2', hostId: '2' },
        { node: 'node3', error: 'Could not connect to the CIB: Transport endpoint is not connected' },
      ],
      /^cannot read node node3's sanlock host_id \(node attribute ocfkit-sanlock-host-id: Could not connect to the CIB: Transport endpoint is not connected\): cannot tell whether host_id = 1 is unique$/,
    ],
    [
      'not a number',
      '1',
      [{ node: 'node2', hostId: 'two' }],
      /^node node2's ocfkit-sanlock-host-id is "two", not a host_id: cannot tell whether host_id = 1 is unique; correct it: crm_attribute --type nodes --node node2 --name ocfkit-sanlock-host-id --delete$/,
    ],
    ['empty', '1', [{ node: 'node2', hostId: '' }], /^node node2's ocfkit-sanlock-host-id is "", not a host_id/],
  ];
  for (const [name, hostId, peers, expected] of cases) {
    const verdict = decideHostIdUnique(hostId, conf, peers);
    if (Array.isArray(expected)) {
      assert.ok(verdict.ok, `${name}: ${verdict.ok ? '' : verdict.reason}`);
      if (verdict.ok) assert.equal(verdict.notes, expected, name);
      continue;
    }
    assert.not.ok(verdict.ok, name);
    if (!verdict.ok) assert.match(verdict.reason, expected, name);
  }
});

test.run();
