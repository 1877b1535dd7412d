// The DRBD role of the guest's disks. /proc/drbd (DRBD 8.4, the module in distribution kernels)
// has one line per minor with ro:Local/Peer; DRBD 9 only exposes roles through `drbdadm status`.
// Parsers are pure; `diskRoles` gathers the facts.
import { readFileSync, realpathSync } from 'node:fs';
import type { Executor } from '../exec/executor';
import type { DiskRoleFact, DrbdRole } from './guards';

const asRole = (text: string | undefined): DrbdRole => (text === 'Primary' || text === 'Secondary' ? text : 'Unknown');

/** minor -> roles from /proc/drbd lines such as " 0: cs:Connected ro:Primary/Secondary ds:...". */
export function parseProcDrbdRoles(text: string): Map<number, { local: DrbdRole; peers: DrbdRole[] }> {
  const roles = new Map<number, { local: DrbdRole; peers: DrbdRole[] }>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+):\s+cs:\S+\s+(?:ro|st):(\w+)\/(\w+)/.exec(line);
    if (m) roles.set(Number(m[1]), { local: asRole(m[2]), peers: [asRole(m[3])] });
  }
  return roles;
}

/** `drbdadm status <res>` (DRBD 9): the resource line's role and each connection's role. */
export function parseDrbdadmStatusRoles(text: string): { local: DrbdRole; peers: DrbdRole[] } | undefined {
  const lines = text.split('\n');
  const first = lines.find((l) => /^\S/.test(l));
  const local = /\brole:(\w+)/.exec(first ?? '')?.[1];
  if (!local) return undefined;
  const peers: DrbdRole[] = [];
  for (const line of lines) {
    // peer connection lines are indented by two spaces and name the peer first
    const m = /^ {2}\S+\s.*\brole:(\w+)/.exec(line);
    if (m && !/^ {2}(volume|disk):/.test(line)) peers.push(asRole(m[1]));
  }
  return { local: asRole(local), peers };
}

/** "/dev/drbd3" -> {minor 3}; "/dev/drbd/by-res/r0[/0]" -> {resource r0}; other paths -> undefined. */
export function drbdDeviceOf(disk: string): { minor?: number; resource?: string } | undefined {
  const minor = /^\/dev\/drbd(\d+)$/.exec(disk)?.[1];
  if (minor !== undefined) return { minor: Number(minor) };
  const res = /^\/dev\/drbd\/by-res\/([^/]+)(?:\/\d+)?$/.exec(disk)?.[1];
  if (res) return { resource: res };
  return undefined;
}

export async function diskRoles(disks: string[], exec: Executor): Promise<DiskRoleFact[]> {
  const drbdDisks = disks.map((disk) => ({ disk, dev: drbdDeviceOf(disk) })).filter((d) => d.dev);
  if (!drbdDisks.length) return [];
  let proc = new Map<number, { local: DrbdRole; peers: DrbdRole[] }>();
  try {
    proc = parseProcDrbdRoles(readFileSync('/proc/drbd', 'utf8'));
  } catch {
    // no DRBD module loaded: every DRBD disk below reports an error
  }
  const facts: DiskRoleFact[] = [];
  for (const { disk, dev } of drbdDisks) {
    let minor = dev!.minor;
    if (minor === undefined) {
      try {
        minor = drbdDeviceOf(realpathSync(disk))?.minor;
      } catch {
        minor = undefined;
      }
    }
    const fromProc = minor !== undefined ? proc.get(minor) : undefined;
    if (fromProc) {
      facts.push({ disk, device: `drbd${minor}`, ...fromProc });
      continue;
    }
    if (dev!.resource) {
      const result = await exec.run('drbdadm', ['status', dev!.resource]).catch((error: Error) => ({ exitCode: -1, stdout: '', stderr: error.message }));
      const roles = result.exitCode === 0 ? parseDrbdadmStatusRoles(result.stdout) : undefined;
      if (roles) facts.push({ disk, device: dev!.resource, ...roles });
      else facts.push({ disk, device: dev!.resource, local: 'Unknown', peers: [], error: `drbdadm status ${dev!.resource}: ${(result.stderr || result.stdout).trim().split('\n')[0] || 'no role'}` });
      continue;
    }
    facts.push({ disk, device: minor !== undefined ? `drbd${minor}` : disk, local: 'Unknown', peers: [], error: 'no such minor in /proc/drbd' });
  }
  return facts;
}
