// Every child ocfkit starts leads its own process group, so one kill(-pgid) reaches whatever it
// forked: a helper that inherited the pipes would otherwise keep a call alive past its timeout,
// and a hung tool would be re-parented to init and outlive the action. Pacemaker kills only the
// agent's own group, which no longer holds the children: so ocfkit kills their groups itself, on a
// timeout, at the action's deadline (the executor's timeout never outlasts it) and when it exits.
// The one gap: a SIGKILL of ocfkit itself cannot be caught. The deadline ends every call 1 to 5 s
// before Pacemaker's timeout would, so that SIGKILL only comes when ocfkit's event loop is stuck.
import { timerMs } from './deadline';

/** Groups whose leader is running, or that still had members when their leader's call ended. */
const groups = new Set<number>();
let exitHooked = false;

export function trackGroup(pgid: number): void {
  groups.add(pgid);
  if (!exitHooked) {
    exitHooked = true;
    // 'exit' handlers run synchronously on every exit path but a signal's default action;
    // main.ts turns the signals it expects into an exit.
    process.on('exit', () => killAllGroups('SIGKILL'));
  }
}

/**
 * Called when a call has settled. A group that is empty now is forgotten: its number may be reused
 * by an unrelated process later. One that still has members stays tracked (and is killed on exit).
 */
export function settleGroup(pgid: number): void {
  if (!groupAlive(pgid)) groups.delete(pgid);
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    // EPERM: members exist but belong to someone else (a setuid tool): still alive
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is gone already
  }
}

/** SIGTERM now, SIGKILL after `graceMs` unless the group is gone by then. */
export function terminateGroup(pgid: number, graceMs: number): void {
  killGroup(pgid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (groups.has(pgid) && groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
  }, timerMs(graceMs));
  timer.unref();
}

export function killAllGroups(signal: NodeJS.Signals): void {
  for (const pgid of groups) killGroup(pgid, signal);
  if (signal === 'SIGKILL') groups.clear();
}
