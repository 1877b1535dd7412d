// The lease's file operations on shared storage. Every change is judged on what is read right
// before it and carried out so that of several nodes acting at once at most one succeeds:
// - create: the complete lease is written under a temporary name, then hard-linked to the lease
//   name; link fails with EEXIST when another node created it first (atomic on local and cluster
//   file systems, and on NFS);
// - renew (the holder, before its lease expires): written beside it and renamed over it;
// - take (expired, or handed over): the lease file read is first renamed to a name only this
//   node uses; only one rename of it can succeed (the others get ENOENT), and the moved file is
//   compared with what was judged, so a lease another node wrote in between is never taken;
//   then the new lease is created as above.
// The directory proves it is the shared one by a marker file the admin creates once; without it
// nothing is read or written (an unmounted mount point is an empty local directory). Nothing here
// creates a directory, and lease files are opened without following symbolic links.
import { closeSync, constants, fstatSync, fsyncSync, linkSync, lstatSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../core/log';
import { openTemporaryBeside } from '../core/files';
import type { Handoff } from './guards';
import { decideLease, leaseFile, nextLease, parseLease, serializeLease, type LeaseFact } from './lease';

/** The file an admin creates once in the lease directory on the shared file system. */
export const LEASE_DIR_MARKER = '.ocfkit-lease-dir';

export interface LeaseSettings {
  leaseDir: string | undefined;
  leaseDurationMs: number;
  leaseSkewMs: number;
}

/** The marker's device when the directory is the shared one, else the one-line reason it is not. */
export function checkLeaseDir(dir: string): { ok: true; dev: number } | { ok: false; reason: string } {
  const marker = path.join(dir, LEASE_DIR_MARKER);
  try {
    const stat = lstatSync(marker);
    if (!stat.isFile()) return { ok: false, reason: `${marker} is not a regular file; the lease directory is not trusted` };
    return { ok: true, dev: stat.dev };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    try {
      if (!lstatSync(dir).isDirectory()) return { ok: false, reason: `the lease directory ${dir} is not a directory here` };
    } catch {
      return { ok: false, reason: `the lease directory ${dir} does not exist here (shared storage not mounted?)` };
    }
    if (code === 'ENOENT') return { ok: false, reason: `no ${marker} here: not the shared lease directory (storage not mounted?); the admin creates it once` };
    return { ok: false, reason: `cannot check ${marker}: ${(error as Error).message}` };
  }
}

interface Reading {
  fact: LeaseFact;
  /** the bytes and inode read: a take compares them with the file it moved */
  text?: string;
  ino?: number;
}

function readLeaseFile(file: string): Reading {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { fact: { kind: 'none' } };
    return { fact: { kind: 'corrupt', file, error: code === 'ELOOP' ? 'a symbolic link' : (error as Error).message } };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { fact: { kind: 'corrupt', file, error: 'not a regular file' } };
    const text = readFileSync(fd, 'utf8');
    try {
      return { fact: { kind: 'lease', lease: parseLease(text) }, text, ino: stat.ino };
    } catch (error) {
      return { fact: { kind: 'corrupt', file, error: (error as Error).message }, text, ino: stat.ino };
    }
  } catch (error) {
    return { fact: { kind: 'corrupt', file, error: (error as Error).message } };
  } finally {
    closeSync(fd);
  }
}

export function readLease(file: string): LeaseFact {
  return readLeaseFile(file).fact;
}

/**
 * Writes `text` completely under a temporary name beside `file` and returns that name. Refuses
 * when the temporary file is not on the marker's file system: the shared storage was unmounted
 * since the check and this would write to the local directory beneath it.
 */
function writeTemporary(file: string, text: string, dev: number): string {
  const { temporary, fd } = openTemporaryBeside(file, 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
    if (fstatSync(fd).dev !== dev) throw new Error(`${path.dirname(file)} is no longer the file system holding ${LEASE_DIR_MARKER} (unmounted?)`);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  return temporary;
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    fsyncSync(fd);
    closeSync(fd);
  } catch {
    // some file systems refuse fsync on directories; the rename or link is still atomic
  }
}

let claimCounter = 0;
/** A name in the lease directory no other node or process uses (host, pid, time, counter). */
function claimName(file: string): string {
  return `${file}.taken.${os.hostname()}.${process.pid}.${Date.now().toString(36)}.${claimCounter++}`;
}

/**
 * Moves exactly the lease file that was read out of the way. False when another node moved or
 * replaced it first; a replaced lease (not the one read) is put back untouched.
 */
function claim(file: string, read: Reading): boolean {
  const claimed = claimName(file);
  try {
    // Not the file read any more: leave it. This narrows, and the comparison below closes, the
    // case of a lease another node wrote since; while one is put back, a third node starting at
    // that very moment could find no lease at all (the peer check still asks it).
    if (lstatSync(file).ino !== read.ino) return false;
    renameSync(file, claimed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const moved = readLeaseFile(claimed);
  if (moved.ino === read.ino && moved.text === read.text) {
    rmSync(claimed, { force: true });
    return true;
  }
  // another node took it over and wrote its own between our read and our rename: give it back
  // (EEXIST: its holder has renewed it in the meantime; that one stays)
  try {
    linkSync(claimed, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(claimed, { force: true });
  }
  return false;
}

/** Links the written temporary file to the lease name; false when a lease exists there. */
function linkExclusive(temporary: string, file: string): boolean {
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

export interface LeaseRequest {
  guest: string;
  /** this node */
  self: string;
  /** the node the new lease names: this node, or the target migrate_to hands it to */
  holder?: string;
  handoff?: Handoff;
  /** migrate_to failed: take back the lease handed to the target */
  handback?: boolean;
  /** the lease as the guards saw it before asking the peers */
  seen?: LeaseFact;
  /** recorded in the new lease */
  handoffFrom?: string;
  now?: number;
}

/** conflict: another node holds the lease (or it is unreadable); otherwise the directory failed us. */
export type LeaseOutcome = { ok: true } | { ok: false; reason: string; conflict: boolean };

/** Judges the lease as it is now and takes, renews or hands it over in one step. */
export function acquireLease(settings: LeaseSettings, request: LeaseRequest, log: Logger): LeaseOutcome {
  const dir = settings.leaseDir;
  if (!dir) return { ok: true };
  const now = request.now ?? Date.now();
  const holder = request.holder ?? request.self;
  const file = leaseFile(dir, request.guest);
  const lost = (who: string) => ({ ok: false as const, conflict: true, reason: `${who} took the lease while this node was taking it (${file})` });
  try {
    const place = checkLeaseDir(dir);
    if (!place.ok) return { ok: false, conflict: false, reason: place.reason };
    const read = readLeaseFile(file);
    const situation = { handoff: request.handoff, handback: request.handback, seen: request.seen };
    const verdict = decideLease(read.fact, request.self, { now, skewMs: settings.leaseSkewMs }, file, situation);
    if (!verdict.ok) return { ok: false, conflict: true, reason: verdict.reason };
    const lease = nextLease(verdict.step, request.guest, holder, now, settings.leaseDurationMs, request.handoffFrom);
    const temporary = writeTemporary(file, serializeLease(lease), place.dev);
    try {
      if (verdict.step.kind === 'renew') {
        renameSync(temporary, file);
      } else {
        if (verdict.step.kind === 'take' && !claim(file, read)) return lost(holderNow(file));
        if (!linkExclusive(temporary, file)) return lost(holderNow(file));
      }
    } finally {
      rmSync(temporary, { force: true }); // gone after a rename; the spare name after a link
    }
    syncDirectory(dir);
    const takeover = verdict.step.kind === 'take' && verdict.step.from !== undefined;
    for (const note of verdict.notes) {
      if (takeover) log.warn(note);
      else log.info(note);
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, conflict: false, reason: `cannot write the lease ${file}: ${(error as Error).message}` };
  }
}

function holderNow(file: string): string {
  const fact = readLease(file);
  return fact.kind === 'lease' ? fact.lease.holder : 'another node';
}

export type ReleaseOutcome = 'released' | 'none' | { kept: string };

/**
 * Removes the lease only when it parses and names this node: a stop never drops another node's
 * lease, nor one it cannot read (an admin looks at that). The removal moves exactly the file read.
 */
export function releaseLease(settings: LeaseSettings, guest: string, self: string): ReleaseOutcome {
  if (!settings.leaseDir) return 'none';
  const file = leaseFile(settings.leaseDir, guest);
  const place = checkLeaseDir(settings.leaseDir);
  if (!place.ok) return { kept: place.reason };
  const read = readLeaseFile(file);
  switch (read.fact.kind) {
    case 'none':
      return 'none';
    case 'corrupt':
      return { kept: `the lease file is unreadable (${read.fact.error}): ${file}; left as it is` };
    case 'lease':
      if (read.fact.lease.holder !== self) return { kept: `the lease ${file} is held by ${read.fact.lease.holder}; left alone` };
      if (!claim(file, read)) return { kept: `the lease ${file} changed while this node released it; left alone` };
      syncDirectory(settings.leaseDir);
      return 'released';
  }
}
