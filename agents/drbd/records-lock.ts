// One lock serializes every read-modify-write of the DRBD records (baseline, backoff, seen): the
// DrbdReconnect monitor and an interface hook's `ocfkit drbd reconnect` run at the same moment after
// a network restart, and without it one's write drops the other's attempt count or baseline.
// The lock is a file created exclusively, holding the owner's pid; a lock whose owner is gone (killed
// at its deadline) is taken over. Readers that only look (`ocfkit drbd status`) take no lock.
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

export class RecordsLockTimeout extends Error {}

const POLL_MS = 25;

export async function withRecordsLock<T>(dir: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const file = path.join(dir, 'records.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (tryTake(file)) break;
    if (takeOverStale(file)) continue;
    if (Date.now() > deadline)
      throw new RecordsLockTimeout(`${file} is held by process ${ownerOf(file) ?? '?'} for longer than ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    rmSync(file, { force: true });
  }
}

function tryTake(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a lock whose owner is dead; true when it did. The file is moved aside first and checked
 *  to be the same one that was judged, so a lock a live process took meanwhile is never removed. */
function takeOverStale(file: string): boolean {
  let before;
  try {
    before = statSync(file);
  } catch {
    return true; // released meanwhile: try again at once
  }
  const owner = ownerOf(file);
  // an empty file is one being written this instant (create, then write): give it time
  if (owner === undefined ? Date.now() - before.mtimeMs < 5_000 : alive(owner)) return false;
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return true;
  }
  const moved = statSync(aside);
  if (moved.ino !== before.ino) {
    // a live process took the lock between the judgement and the move: give it back
    try {
      renameSync(aside, file);
    } catch {
      rmSync(aside, { force: true });
    }
    return false;
  }
  rmSync(aside, { force: true });
  return true;
}
