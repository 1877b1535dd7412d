// libvirt's disk lock manager (virtlockd or sanlock), configured by `lock_manager` in
// /etc/libvirt/qemu.conf (or libxl.conf for the Xen driver). Without one libvirt lets two hosts
// start the same guest on shared disks.
import { readFileSync } from 'node:fs';
import net from 'node:net';
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

export type SocketProbe = { listening: true } | { listening: false; error: string };

/**
 * Whether something accepts connections on a Unix socket. A socket file outlives a daemon killed
 * with SIGKILL, so its presence proves nothing: only a connection does. (systemd's virtlockd.socket
 * accepts and starts the daemon: that counts as running.)
 */
export function probeSocket(file: string, timeoutMs = 2000): Promise<SocketProbe> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ path: file });
    const done = (probe: SocketProbe) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(probe);
    };
    const timer = setTimeout(() => done({ listening: false, error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.once('connect', () => done({ listening: true }));
    socket.once('error', (error: NodeJS.ErrnoException) => done({ listening: false, error: error.code ?? error.message }));
  });
}

export async function lockManagerFact(hypervisorUri: string, where: { configFile?: string; sockets?: Record<string, string[]> } = {}): Promise<LockManagerFact> {
  const configFile = where.configFile ?? (/^(xen|libxl)/.test(hypervisorUri) ? '/etc/libvirt/libxl.conf' : '/etc/libvirt/qemu.conf');
  let configured: string | undefined;
  try {
    configured = parseLockManager(readFileSync(configFile, 'utf8'));
  } catch {
    configured = undefined;
  }
  const sockets = configured ? (where.sockets ?? SOCKETS)[configured] : undefined;
  if (!sockets) return { configured, configFile, daemonRunning: undefined };
  const probes = await Promise.all(sockets.map(async (file) => ({ file, ...(await probeSocket(file)) })));
  if (probes.some((p) => p.listening)) return { configured, configFile, daemonRunning: true };
  const evidence = probes.map((p) => `${p.file}: ${p.listening ? 'listening' : p.error}`).join(', ');
  return { configured, configFile, daemonRunning: false, evidence };
}
