// The Xen mode's additions to the lab image: Debian's hypervisor and toolstack in the root (which
// becomes dom0's), the unpacked hypervisor next to vmlinuz (qemu's multiboot loader takes an ELF,
// not xen.gz), and the PV test guest's kernel inside dom0 (Debian's again; its busybox initramfs is
// packed in dom0 when the lab runs, see domu.ts). ocf-tester comes with resource-agents; ssh
// carries `xl migrate`.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { guestImage, type GuestImage, type ImageExtension } from '../image';
import { run } from '../proc';

const XEN_PACKAGES = [
  'xen-hypervisor-4.17-amd64',
  'xen-utils-4.17',
  'xen-utils-common',
  'xenstore-utils',
  'busybox-static',
  'resource-agents',
  'libxml2-utils',
  'openssh-server',
  'openssh-client',
];
/** dom0's toolstack needs these (Debian builds them as modules); the guests need no backend */
const XEN_MODULES = ['xenfs', 'xen-evtchn', 'xen-gntdev', 'xen-privcmd'];
/** where dom0 keeps the test guest's kernel, initramfs and configs */
export const DOMU_DIR = '/var/lib/lab-xen';

const DOM0_INIT = path.join(__dirname, 'dom0-init.sh');

export interface XenImage extends GuestImage {
  /** the hypervisor, unpacked (an ELF multiboot kernel) */
  hypervisor: string;
}

const extension: ImageExtension = {
  id: 'xen',
  packages: XEN_PACKAGES,
  modules: XEN_MODULES,
  keyParts: [readFileSync(DOM0_INIT, 'utf8')],
  async finish(root, out, kernelDir, kernelVersion) {
    const boot = path.join(root, 'boot');
    const gz = readdirSync(boot).find((f) => /^xen-4\.\d+-amd64\.gz$/.test(f));
    if (!gz) throw new Error(`no xen-*.gz under the image's /boot (${readdirSync(boot).join(' ')})`);
    await run('sh', ['-c', 'gunzip -c "$0" >"$1"', path.join(boot, gz), path.join(out, 'xen')]);
    mkdirSync(path.join(root, 'etc', 'lab-init.d'), { recursive: true });
    copyFileSync(DOM0_INIT, path.join(root, 'etc', 'lab-init.d', '50-xen-dom0.sh'));
    // the test guest's kernel: Debian's is PV-capable
    const domu = path.join(root, DOMU_DIR.slice(1));
    mkdirSync(domu, { recursive: true });
    copyFileSync(path.join(kernelDir, 'boot', `vmlinuz-${kernelVersion}`), path.join(domu, 'vmlinuz'));
    // one key pair for root on both dom0s: `xl migrate` runs `ssh <target> xl migrate-receive`
    const ssh = path.join(root, 'root', '.ssh');
    mkdirSync(ssh, { recursive: true, mode: 0o700 });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lab', '-f', path.join(ssh, 'id_ed25519')]);
    copyFileSync(path.join(ssh, 'id_ed25519.pub'), path.join(ssh, 'authorized_keys'));
    writeFileSync(path.join(ssh, 'config'), 'Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n');
    await run('chroot', [root, 'ssh-keygen', '-A']);
  },
};

export async function xenImage(log: (line: string) => void): Promise<XenImage> {
  const image = await guestImage(log, [], extension);
  return { ...image, hypervisor: path.join(image.dir, 'xen') };
}
