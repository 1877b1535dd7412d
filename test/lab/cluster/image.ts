// The cluster lab's additions to the guest image: the whole Pacemaker stack with its fencing (SBD),
// the cluster file system and locking (dlm, GFS2, lvmlockd) and libvirt with qemu for the nested
// test guests. fence_sbd is taken out of fence-agents rather than installing it: the package depends
// on the cloud SDKs (boto3, googleapi) for its other agents, which would add hundreds of MiB to a
// root file system that lives in the guests' memory.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PACEMAKER_PACKAGES, type ImageExtension } from '../image';
import { run } from '../proc';

const PACKAGES = [
  ...PACEMAKER_PACKAGES,
  'resource-agents',
  'sbd',
  'dlm-controld',
  'gfs2-utils',
  'lvm2',
  'lvm2-lockd',
  'libvirt-daemon',
  'libvirt-daemon-driver-qemu',
  'libvirt-clients',
  'qemu-system-x86',
  // fencing.py (fence_sbd's library) imports pycurl and pexpect; psmisc: fuser for ocf:heartbeat:Filesystem
  'python3-pycurl',
  'python3-pexpect',
  'psmisc',
  // busybox's syslogd: sbd, dlm_controld and lvmlockd log only to syslog, and the guests run no systemd
  'busybox',
];
const EXTRACT = { package: 'fence-agents', files: ['/usr/sbin/fence_sbd', '/usr/share/fence/fencing.py'] };

export const CLUSTER_IMAGE: ImageExtension = {
  id: 'cluster',
  packages: PACKAGES,
  modules: ['i6300esb', 'softdog', 'dlm', 'gfs2'],
  keyParts: [JSON.stringify(EXTRACT)],
  async finish(root) {
    await extractFiles(root, EXTRACT.package, EXTRACT.files);
  },
};

/** Copies `files` (absolute paths in the package) out of a downloaded, unpacked Debian package into the root. */
async function extractFiles(root: string, name: string, files: string[]): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), `ocfkit-lab-extract-${process.pid}-`));
  try {
    await run('apt-get', ['download', name], { cwd: work });
    const deb = readdirSync(work).find((f) => f.startsWith(`${name}_`));
    if (!deb) throw new Error(`apt-get download ${name} produced no package`);
    const unpacked = path.join(work, 'x');
    await run('dpkg-deb', ['-x', path.join(work, deb), unpacked]);
    for (const file of files) {
      const from = path.join(unpacked, file);
      if (!existsSync(from)) throw new Error(`${name} has no ${file}`);
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      copyFileSync(from, path.join(root, file));
      chmodSync(path.join(root, file), statSync(from).mode & 0o7777);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
