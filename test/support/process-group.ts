// Process-group probes for tests that must prove no process was left behind: the members of a
// group read from /proc (zombies count as gone: an init that reaps slowly is not our leftover).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '../harness/proc';
import { repoRoot } from './binaries';

/** The fake hung tool: forks a helper holding its stdout, then sleeps (test/fakes/hung/hung-tool). */
export const hungTool = path.join(repoRoot, 'test', 'fakes', 'hung', 'hung-tool');

/** Pids of the live (not zombie) processes in process group `pgid`. */
export function liveMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // fields after the last ')': state ppid pgrp ...
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') pids.push(Number(entry));
  }
  return pids;
}

/** Reads the "<leader> <helper>" pid file the hung tool writes, waiting until it exists. */
export async function hungToolPids(pidFile: string): Promise<{ leader: number; helper: number }> {
  const text = await waitFor(
    'the hung tool to start',
    () => {
      try {
        return readFileSync(pidFile, 'utf8');
      } catch {
        return undefined;
      }
    },
    { timeoutMs: 30_000, intervalMs: 20 },
  );
  const [leader, helper] = text.trim().split(' ').map(Number);
  return { leader: leader!, helper: helper! };
}

/** Waits until group `pgid` has no live member; fails naming the survivors. */
export async function waitGroupGone(pgid: number): Promise<void> {
  await waitFor(`process group ${pgid} to be empty`, () => liveMembers(pgid).length === 0, {
    timeoutMs: 30_000,
    intervalMs: 20,
    lastSeen: () => `members ${liveMembers(pgid).join(' ')}`,
  });
}
