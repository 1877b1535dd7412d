// Reusable Need objects for integrationSuite(name, needs): each check is synchronous and returns
// undefined when met, or the reason it is not (the suite is then reported SKIPPED with it).
import { accessSync, constants, existsSync } from 'node:fs';
import type { Need } from '../support/integration';
import { foreignCluster } from './cluster-guard';
import { runSync, which } from './proc';

export const root: Need = {
  what: 'root',
  check: () => (process.getuid?.() === 0 ? undefined : `running as uid ${process.getuid?.()}, the peers (cluster, udev, namespaces) need root`),
};

/** A program on PATH (or in /usr/sbin, /sbin). `pkg` names the Debian package for the message. */
export function binary(name: string, pkg?: string): Need {
  return {
    what: `${name} binary`,
    check: () => (which(name) ? undefined : `${name} not found on PATH${pkg ? ` (install the Debian package ${pkg})` : ''}`),
  };
}

/** A file that must exist, e.g. a schema or DTD another package ships. */
export function file(path: string, pkg?: string): Need {
  return { what: path, check: () => (existsSync(path) ? undefined : `${path} does not exist${pkg ? ` (install the Debian package ${pkg})` : ''}`) };
}

export function binaries(names: Record<string, string>): Need[] {
  return Object.entries(names).map(([name, pkg]) => binary(name, pkg));
}

export const kvm: Need = {
  what: '/dev/kvm',
  check: () => {
    if (!existsSync('/dev/kvm')) return '/dev/kvm does not exist (no hardware virtualization here)';
    try {
      accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    } catch {
      return '/dev/kvm is not readable and writable by this user';
    }
    return undefined;
  },
};

export const mountNamespaces: Need = {
  what: 'mount namespaces',
  check: () => {
    const result = runSync(['unshare', '--mount', '--propagation', 'private', 'true']);
    return result.code === 0 ? undefined : `unshare --mount failed: ${result.stderr.trim()}`;
  },
};

export const networkNamespaces: Need = {
  what: 'network namespaces',
  check: () => {
    if (!which('ip')) return 'ip (iproute2) not found';
    const result = runSync(['unshare', '--net', 'ip', 'link', 'show', 'lo']);
    return result.code === 0 ? undefined : `unshare --net failed: ${result.stderr.trim()}`;
  },
};

const loopDevices: Need = {
  what: 'loop devices',
  check: () => {
    if (!which('losetup')) return 'losetup not found (util-linux)';
    if (!existsSync('/dev/loop-control')) return '/dev/loop-control is missing (no loop driver)';
    return undefined;
  },
};

/** No corosync/pacemakerd running that a test harness did not start. */
/** @public read by cluster-guard.test.ts in a child process, which knip cannot follow */
export const noForeignCluster: Need = {
  what: 'no foreign cluster running',
  check: () => foreignCluster(),
};

/** Everything the one-node test cluster needs. */
export const cluster: Need[] = [
  root,
  mountNamespaces,
  ...binaries({
    corosync: 'corosync',
    pacemakerd: 'pacemaker',
    cibadmin: 'pacemaker-cli-utils',
    crm_mon: 'pacemaker-cli-utils',
    crm_resource: 'pacemaker-cli-utils',
    'corosync-cfgtool': 'corosync',
    nsenter: 'util-linux',
    setpriv: 'util-linux',
    flock: 'util-linux',
  }),
  noForeignCluster,
];

export const udev: Need[] = [root, mountNamespaces, loopDevices, ...binaries({ udevadm: 'udev' })];

export const ifupdown: Need[] = [root, mountNamespaces, networkNamespaces, ...binaries({ ifup: 'ifupdown', ifdown: 'ifupdown', 'run-parts': 'debianutils' })];

export const libvirt: Need[] = [
  root,
  ...binaries({
    virsh: 'libvirt-clients',
    libvirtd: 'libvirt-daemon-system',
    virtlogd: 'libvirt-daemon-system',
    'qemu-system-x86_64': 'qemu-system-x86',
    flock: 'util-linux',
  }),
];
