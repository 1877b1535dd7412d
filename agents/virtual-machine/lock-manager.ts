// libvirt's disk lock manager (virtlockd or sanlock), configured by `lock_manager` in
// /etc/libvirt/qemu.conf (or libxl.conf for the Xen driver). Without one libvirt lets two hosts
// start the same guest on shared disks.
import { existsSync, readFileSync } from 'node:fs';
import type { LockManagerFact } from './guards';

/** The last uncommented `lock_manager = "..."` line; undefined when there is none. */
export function parseLockManager(conf: string): string | undefined {
  let value: string | undefined;
  for (const line of conf.split('\n')) {
    const m = /^\s*lock_manager\s*=\s*"([^"]*)"/.exec(line);
    if (m) value = m[1];
  }
  return value;
}

const SOCKETS: Record<string, string[]> = {
  lockd: ['/run/libvirt/virtlockd-sock', '/var/run/libvirt/virtlockd-sock'],
  sanlock: ['/run/sanlock/sanlock.sock', '/var/run/sanlock/sanlock.sock'],
};

export function lockManagerFact(hypervisorUri: string): LockManagerFact {
  const configFile = /^(xen|libxl)/.test(hypervisorUri) ? '/etc/libvirt/libxl.conf' : '/etc/libvirt/qemu.conf';
  let configured: string | undefined;
  try {
    configured = parseLockManager(readFileSync(configFile, 'utf8'));
  } catch {
    configured = undefined;
  }
  const sockets = configured ? SOCKETS[configured] : undefined;
  return { configured, configFile, daemonRunning: sockets ? sockets.some((s) => existsSync(s)) : undefined };
}
