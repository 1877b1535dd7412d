// Hypervisor domain states, parsed from virsh and xl, and what each means for the cluster.
// Every state maps to a definite answer: an unknown or transitional state never makes an action
// wait forever (VirtualDomain loops until killed on states it does not know).
import { OcfExit } from '../core/exit-codes';
import { assertNever } from '../core/assert';

export type DomainState = 'running' | 'blocked' | 'paused' | 'in-shutdown' | 'halted' | 'shutoff' | 'crashed' | 'pmsuspended' | 'dying' | 'absent' | 'unknown';

/** `virsh domstate` prints one of libvirt's state names, optionally followed by "(reason)". */
export function parseVirshState(stdout: string): { state: DomainState; reason?: string } {
  const line =
    stdout
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  const match = /^(.*?)\s*(?:\(([^)]*)\))?$/.exec(line);
  const word = (match?.[1] ?? '').toLowerCase();
  const reason = match?.[2];
  const state: DomainState =
    word === 'running'
      ? 'running'
      : word === 'idle' || word === 'blocked'
        ? 'blocked'
        : word === 'paused'
          ? 'paused'
          : word === 'in shutdown'
            ? 'in-shutdown'
            : word === 'shut off'
              ? 'shutoff'
              : word === 'crashed'
                ? 'crashed'
                : word === 'pmsuspended'
                  ? 'pmsuspended'
                  : 'unknown'; // "no state" and anything a newer libvirt invents
  return reason ? { state, reason } : { state };
}

/**
 * xl's six state columns r b p s c d (running, blocked, paused, shutdown, crashed, dying); a
 * dash where a flag is off. A domain can show several; the most severe wins. "s" means the guest
 * OS has already shut down and the domain waits for the toolstack (a moment with on_poweroff =
 * "destroy", for good with "preserve"), so it is `halted`, not libvirt's "in shutdown".
 */
export function parseXlStateFlags(flags: string): DomainState {
  if (!/^[rbpscd-]{6}$/.test(flags)) return 'unknown';
  const on = (letter: string, column: number) => flags[column] === letter;
  if (on('d', 5)) return 'dying';
  if (on('c', 4)) return 'crashed';
  if (on('s', 3)) return 'halted';
  if (on('p', 2)) return 'paused';
  if (on('r', 0)) return 'running';
  if (on('b', 1)) return 'blocked';
  // All dashes: the domain exists and is runnable but not scheduled right now (common for idle guests).
  return 'blocked';
}

/** States in which the guest may still write to its disks: it is "running" for every safety decision. */
export function holdsDisks(state: DomainState): boolean {
  switch (state) {
    case 'running':
    case 'blocked':
    case 'paused':
    case 'in-shutdown':
    case 'halted':
    case 'crashed':
    case 'pmsuspended':
    case 'dying':
    case 'unknown':
      return true;
    case 'shutoff':
    case 'absent':
      return false;
    default:
      return assertNever(state);
  }
}

/** What monitor reports for each state. */
export function monitorOutcome(state: DomainState, reason?: string): { code: OcfExit; reason?: string } {
  const why = reason ? ` (${reason})` : '';
  switch (state) {
    case 'running':
    case 'blocked':
      return { code: OcfExit.SUCCESS };
    case 'paused':
      return { code: OcfExit.DEGRADED, reason: `the guest is paused${why}` };
    case 'pmsuspended':
      return { code: OcfExit.DEGRADED, reason: `the guest suspended itself (pmsuspended)${why}` };
    case 'in-shutdown':
      return { code: OcfExit.DEGRADED, reason: `the guest is shutting down${why}` };
    case 'shutoff':
    case 'absent':
      return { code: OcfExit.NOT_RUNNING };
    case 'halted':
      // its backends (disks) stay attached until the domain is destroyed; nothing restarts it
      return { code: OcfExit.ERR_GENERIC, reason: `the guest has shut down but its domain remains${why}` };
    case 'crashed':
      return { code: OcfExit.ERR_GENERIC, reason: `the guest crashed${why}` };
    case 'dying':
      return { code: OcfExit.ERR_GENERIC, reason: `the guest is being torn down (dying)${why}` };
    case 'unknown':
      return { code: OcfExit.ERR_GENERIC, reason: `the hypervisor reports no usable state${why}` };
    default:
      return assertNever(state);
  }
}
