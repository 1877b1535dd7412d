// The per-guest lease on shared storage: who runs the guest and until when. One small JSON file
// per guest, replaced atomically (write, fsync, rename), so a crash leaves the old or the new
// lease, never a torn one. Renewed by every monitor, released by stop.
import { closeSync, fsyncSync, linkSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { openTemporaryBeside, writeFileAtomic } from '../system/files';
import type { Lease, LeaseFact } from './guards';

export function leaseFile(dir: string, guest: string): string {
  return path.join(dir, `${guest.replace(/[^A-Za-z0-9_.-]/g, '_')}.lease`);
}

export function parseLease(text: string): Lease {
  const data = JSON.parse(text) as Record<string, unknown>;
  const str = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : undefined);
  const time = (k: string) => {
    const v = str(k);
    const t = v === undefined ? NaN : Date.parse(v);
    if (Number.isNaN(t)) throw new Error(`"${k}" is not a timestamp`);
    return t;
  };
  const holder = str('holder');
  if (!holder) throw new Error('no holder');
  const lease: Lease = { guest: str('guest') ?? '', holder, expiresAt: time('expires'), renewedAt: time('renewed') };
  if (str('takenOverFrom')) lease.takenOverFrom = str('takenOverFrom');
  if (str('handoffFrom')) lease.handoffFrom = str('handoffFrom');
  return lease;
}

export function serializeLease(lease: Lease): string {
  const out: Record<string, string> = {
    guest: lease.guest,
    holder: lease.holder,
    expires: new Date(lease.expiresAt).toISOString(),
    renewed: new Date(lease.renewedAt).toISOString(),
  };
  if (lease.takenOverFrom) out.takenOverFrom = lease.takenOverFrom;
  if (lease.handoffFrom) out.handoffFrom = lease.handoffFrom;
  return JSON.stringify(out, null, 1) + '\n';
}

export function readLease(file: string): LeaseFact {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'corrupt', file, error: (error as Error).message };
  }
  try {
    return { kind: 'lease', lease: parseLease(text) };
  } catch (error) {
    return { kind: 'corrupt', file, error: (error as Error).message };
  }
}

export function writeLease(file: string, lease: Lease): void {
  writeFileAtomic(file, serializeLease(lease), 0o644);
}

/**
 * Creates the lease only if no lease file exists: the complete file is written and synced under a
 * temporary name, then hard-linked to the lease name, which fails if another node created it in
 * the meantime (link is atomic on local and cluster file systems, and on NFS).
 */
export function createLeaseExclusive(file: string, lease: Lease): 'created' | 'exists' {
  const { temporary, fd } = openTemporaryBeside(file, 0o644);
  try {
    writeSync(fd, serializeLease(lease));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, file);
    return 'created';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Removes the lease only when this node holds it: a stop never drops another node's lease. */
export function releaseLease(file: string, self: string): 'released' | 'not-held' | 'none' {
  const fact = readLease(file);
  if (fact.kind === 'none') return 'none';
  if (fact.kind === 'lease' && fact.lease.holder !== self) return 'not-held';
  rmSync(file, { force: true });
  return 'released';
}
