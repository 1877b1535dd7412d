// libvirt's disk lock manager (virtlockd or sanlock), configured by `lock_manager` in
// /etc/libvirt/qemu.conf (or libxl.conf for the Xen driver). Without one libvirt lets two hosts
// start the same guest on shared disks.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Executor } from '../core/executor';
import { decideLockManager, type LockManagerFact, type GuardVerdict } from './guards';

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

export async function lockManagerFact(
  hypervisorUri: string,
  where: { root?: string; configFile?: string; sockets?: Record<string, string[]> } = {},
): Promise<LockManagerFact> {
  const root = where.root ?? '/';
  const configFile = where.configFile ?? path.join(root, /^(xen|libxl)/.test(hypervisorUri) ? 'etc/libvirt/libxl.conf' : 'etc/libvirt/qemu.conf');
  let configured: string | undefined;
  try {
    configured = parseLockManager(readFileSync(configFile, 'utf8'));
  } catch {
    configured = undefined;
  }
  const sockets = configured ? (where.sockets ?? SOCKETS)[configured]?.map((file) => path.join(root, file)) : undefined;
  if (!sockets) return { configured, configFile, daemonRunning: undefined };
  const probes = await Promise.all(sockets.map(async (file) => ({ file, ...(await probeSocket(file)) })));
  if (probes.some((p) => p.listening)) return { configured, configFile, daemonRunning: true };
  const evidence = probes.map((p) => `${p.file}: ${p.listening ? 'listening' : p.error}`).join(', ');
  return { configured, configFile, daemonRunning: false, evidence };
}

// ---- does the lock manager protect across hosts? --------------------------------------------
// virtlockd locks through fcntl on files in its lockspace directories; a lock on a local file
// system is invisible to the other nodes (libvirt: "host-local protection only"). sanlock's
// automatic leases live in disk_lease_dir, and each host needs its own host_id there.

/** `key = "value"` and `key = 1` settings of a libvirt .conf file, comments skipped, last wins. Pure. */
export function parseLibvirtConf(conf: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const line of conf.split('\n')) {
    const m = /^\s*([a-z_]+)\s*=\s*(?:"([^"]*)"|(-?\d+))\s*(?:#.*)?$/.exec(line);
    if (m) settings.set(m[1]!, m[2] ?? m[3]!);
  }
  return settings;
}

/** `findmnt -n -P -o FSTYPE,TARGET -T dir`: the file system holding dir. Pure. */
export function parseFindmnt(stdout: string): { fstype: string; target: string } | undefined {
  const m = /^FSTYPE="([^"]*)" TARGET="([^"]*)"/m.exec(stdout);
  return m && m[1] ? { fstype: m[1], target: m[2]! } : undefined;
}

/**
 * File systems whose fcntl locks (virtlockd) and lease files (sanlock) other nodes see. FUSE
 * types count only by their subtype (fuse.glusterfs): plain "fuse" may be anything.
 */
export const SHARED_FS = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'gfs2',
  'ocfs2',
  'ceph',
  'fuse.ceph-fuse',
  'fuse.glusterfs',
  'glusterfs',
  'lustre',
  'gpfs',
  'beegfs',
]);

const LOCKD_DIR_SETTINGS = ['file_lockspace_dir', 'lvm_lockspace_dir', 'scsi_lockspace_dir'] as const;

export interface LockspaceDir {
  setting: string;
  dir: string;
  /** the file system type and mount point; undefined when findmnt could not tell (missing dir) */
  mount?: { fstype: string; target: string };
  error?: string;
}

export interface LockspaceFact {
  manager: 'lockd' | 'sanlock';
  /** qemu-lockd.conf or qemu-sanlock.conf (libxl-* for the Xen driver) */
  configFile: string;
  /** the file could not be read: why */
  unreadable?: string;
  dirs: LockspaceDir[];
  /** sanlock: auto_disk_leases and host_id as written; undefined when not set */
  autoDiskLeases?: string;
  hostId?: string;
}

const setTo = (fact: LockspaceFact, setting: string, value: string) => `set ${setting} = ${value} in ${fact.configFile}`;

function decideDir(fact: LockspaceFact, d: LockspaceDir): string | undefined {
  const where = `${d.setting} = "${d.dir}" in ${fact.configFile}`;
  const fix = setTo(fact, d.setting, '"<a directory on a file system all nodes mount>"');
  if (!d.mount) return `${where}: cannot tell its file system (${d.error ?? 'findmnt found no mount'}); create it on shared storage or ${fix}`;
  if (!SHARED_FS.has(d.mount.fstype)) {
    return `${where} lies on ${d.mount.fstype} (mounted on ${d.mount.target}), not a file system shared by the nodes: the locks protect this host only; ${fix}`;
  }
  return undefined;
}

/** Whether the configured lock manager's locks reach the other nodes. Pure. */
export function decideLockspace(fact: LockspaceFact): GuardVerdict {
  if (fact.unreadable)
    return {
      ok: false,
      reason: `cannot read ${fact.configFile} (${fact.unreadable}): cannot tell whether the ${fact.manager === 'lockd' ? 'virtlockd' : 'sanlock'} locks reach the other nodes`,
    };
  if (fact.manager === 'lockd') {
    if (!fact.dirs.length) {
      return {
        ok: false,
        reason: `virtlockd has no lockspace on shared storage: none of ${LOCKD_DIR_SETTINGS.join(', ')} is set in ${fact.configFile}, so its locks protect this host only; ${setTo(fact, 'file_lockspace_dir', '"<a directory on a file system all nodes mount>"')}`,
      };
    }
  } else {
    if (fact.autoDiskLeases !== '1')
      return {
        ok: false,
        reason: `sanlock takes no disk leases by itself: auto_disk_leases is ${fact.autoDiskLeases === undefined ? 'not set' : `"${fact.autoDiskLeases}"`} in ${fact.configFile}; ${setTo(fact, 'auto_disk_leases', '1')}`,
      };
    const id = Number(fact.hostId);
    if (fact.hostId === undefined || !Number.isInteger(id) || id < 1 || id > 2000) {
      return {
        ok: false,
        reason: `sanlock host_id is ${fact.hostId === undefined ? 'not set' : `"${fact.hostId}"`} in ${fact.configFile}; ${setTo(fact, 'host_id', '<1-2000, different on every node>')}`,
      };
    }
  }
  for (const d of fact.dirs) {
    const refusal = decideDir(fact, d);
    if (refusal) return { ok: false, reason: refusal };
  }
  const on = fact.dirs.map((d) => `${d.dir} (${d.mount!.fstype})`).join(', ');
  return { ok: true, notes: [`${fact.manager === 'lockd' ? 'virtlockd' : 'sanlock'} lockspace on shared storage: ${on}`] };
}

export async function lockspaceFact(
  manager: 'lockd' | 'sanlock',
  hypervisorUri: string,
  exec: Executor,
  configFile?: string,
  root = '/',
): Promise<LockspaceFact> {
  const driver = /^(xen|libxl)/.test(hypervisorUri) ? 'libxl' : 'qemu';
  const file = configFile ?? path.join(root, `etc/libvirt/${driver}-${manager}.conf`);
  let settings: Map<string, string>;
  try {
    settings = parseLibvirtConf(readFileSync(file, 'utf8'));
  } catch (error) {
    return { manager, configFile: file, unreadable: (error as NodeJS.ErrnoException).code ?? String(error), dirs: [] };
  }
  // sanlock's disk_lease_dir has a default; virtlockd's lockspaces exist only when set
  const wanted: Array<[string, string | undefined]> =
    manager === 'lockd'
      ? LOCKD_DIR_SETTINGS.map((s) => [s, settings.get(s)])
      : [['disk_lease_dir', settings.get('disk_lease_dir') ?? '/var/lib/libvirt/sanlock']];
  const dirs = await Promise.all(
    wanted
      .filter((w): w is [string, string] => Boolean(w[1]))
      .map(async ([setting, dir]): Promise<LockspaceDir> => {
        const result = await exec.run('findmnt', ['-n', '-P', '-o', 'FSTYPE,TARGET', '-T', dir], { timeoutMs: 5000 });
        const mount = result.exitCode === 0 ? parseFindmnt(result.stdout) : undefined;
        return mount ? { setting, dir, mount } : { setting, dir, error: result.stderr.trim() || `findmnt -T ${dir} found no mount (does ${dir} exist?)` };
      }),
  );
  return {
    manager,
    configFile: file,
    dirs,
    ...(settings.has('auto_disk_leases') ? { autoDiskLeases: settings.get('auto_disk_leases') } : {}),
    ...(settings.has('host_id') ? { hostId: settings.get('host_id') } : {}),
  };
}

// ---- sanlock host_id unique across the nodes -------------------------------------------------
// Two hosts with one host_id renew the same delta lease in the lockspace and take each other's
// leases for their own. libvirt does not tell its host_id to anyone (no API reads qemu-sanlock.conf),
// so each node publishes the one it starts with as a permanent node attribute, and a start compares
// its own with the other nodes'.

const HOST_ID_ATTRIBUTE = 'ocfkit-sanlock-host-id';

/** One other node's published host_id: the value, none published yet, or why it could not be read. */
export type PeerHostId = { node: string; hostId: string } | { node: string; none: true } | { node: string; error: string };

/** Whether this node's sanlock host_id is used by no other node. Pure. */
export function decideHostIdUnique(hostId: string, configFile: string, peers: PeerHostId[]): GuardVerdict {
  const fix = setTo({ configFile } as LockspaceFact, 'host_id', '<1-2000, different on every node>');
  for (const peer of peers) {
    if ('error' in peer)
      return {
        ok: false,
        reason: `cannot read node ${peer.node}'s sanlock host_id (node attribute ${HOST_ID_ATTRIBUTE}: ${peer.error}): cannot tell whether host_id = ${hostId} is unique`,
      };
    if ('hostId' in peer && !/^\d+$/.test(peer.hostId))
      return {
        ok: false,
        reason: `node ${peer.node}'s ${HOST_ID_ATTRIBUTE} is "${peer.hostId}", not a host_id: cannot tell whether host_id = ${hostId} is unique; correct it: crm_attribute --type nodes --node ${peer.node} --name ${HOST_ID_ATTRIBUTE} --delete`,
      };
  }
  const same = peers.filter((p): p is { node: string; hostId: string } => 'hostId' in p && Number(p.hostId) === Number(hostId));
  if (same.length) {
    return {
      ok: false,
      reason: `sanlock host_id = ${hostId} in ${configFile} is also the host_id of ${same.map((p) => `node ${p.node}`).join(' and ')} (node attribute ${HOST_ID_ATTRIBUTE}): two hosts with one host_id take each other's leases; ${fix}`,
    };
  }
  const known = peers.filter((p): p is { node: string; hostId: string } => 'hostId' in p);
  const unknown = peers.filter((p) => 'none' in p);
  return {
    ok: true,
    notes: [
      ...(known.length ? [`sanlock host_id ${hostId} differs from ${known.map((p) => `${p.node}'s ${p.hostId}`).join(', ')}`] : []),
      ...unknown.map((p) => `node ${p.node} has published no sanlock host_id yet (${HOST_ID_ATTRIBUTE}, set by its first start): not compared`),
    ],
  };
}

/** `crm_attribute --query` of each node's published host_id (exit 105: none published). */
async function peerHostIds(exec: Executor, nodes: string[]): Promise<PeerHostId[]> {
  return Promise.all(
    nodes.map(async (node): Promise<PeerHostId> => {
      const result = await exec.run('crm_attribute', ['--type', 'nodes', '--node', node, '--name', HOST_ID_ATTRIBUTE, '--query', '--quiet'], {
        timeoutMs: 10000,
      });
      const value = result.stdout.trim();
      if (result.exitCode === 105) return { node, none: true };
      if (result.exitCode !== 0) return { node, error: result.stderr.trim().split('\n').pop() || `exit ${result.exitCode}` };
      return { node, hostId: value };
    }),
  );
}

interface HostIdPeers {
  /** the other nodes (the guard's peer list), asked only when sanlock is required */
  nodes: () => Promise<string[]>;
  /** this node's name: the guards publish its host_id under it; validate-all only compares */
  publishAs?: string;
}

/**
 * The lock-manager guard: configured and its daemon answering, and (only when required, so
 * optional setups pay nothing) its locks reaching the other nodes and, for sanlock, this node's
 * host_id used by no other node.
 */
export async function checkLockManager(
  hypervisorUri: string,
  required: boolean,
  exec: Executor,
  where: { root?: string; configFile?: string; sockets?: Record<string, string[]>; lockspaceConfigFile?: string; peers?: HostIdPeers } = {},
): Promise<GuardVerdict> {
  const fact = await lockManagerFact(hypervisorUri, where);
  const verdict = decideLockManager(fact, required);
  if (!verdict.ok || !required) return verdict;
  const space = await lockspaceFact(fact.configured === 'sanlock' ? 'sanlock' : 'lockd', hypervisorUri, exec, where.lockspaceConfigFile, where.root);
  const spaceVerdict = decideLockspace(space);
  if (!spaceVerdict.ok) return spaceVerdict;
  const notes = [...verdict.notes, ...spaceVerdict.notes];
  if (space.manager !== 'sanlock' || !where.peers) return { ok: true, notes };
  const hostId = space.hostId!; // decideLockspace refused a sanlock setup without one
  // publish before comparing: two nodes starting their first guest at once then cannot both miss
  // each other (whichever reads second sees the other's value)
  if (where.peers.publishAs) {
    const published = await exec.run('crm_attribute', ['--type', 'nodes', '--node', where.peers.publishAs, '--name', HOST_ID_ATTRIBUTE, '--update', hostId], {
      timeoutMs: 10000,
    });
    // not publishing weakens only the other nodes' later check, which then notes this node as unknown
    if (published.exitCode !== 0)
      notes.push(
        `could not publish sanlock host_id ${hostId} as ${HOST_ID_ATTRIBUTE}: ${published.stderr.trim().split('\n').pop() ?? `exit ${published.exitCode}`}`,
      );
  }
  const unique = decideHostIdUnique(hostId, space.configFile, await peerHostIds(exec, await where.peers.nodes()));
  if (!unique.ok) return unique;
  return { ok: true, notes: [...notes, ...unique.notes] };
}
