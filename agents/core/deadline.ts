// Pacemaker kills an agent when CRM_meta_timeout runs out. Waits and retries inside an action end
// a little earlier, with a clear exit reason, instead of being killed without one.
import { DeadlineExceededError } from './errors';

// Node's timers hold a signed 32-bit count of milliseconds: a longer delay (a CRM_meta_timeout
// of 25 days, an integer parameter of 400 digits) fires at once, with a warning on stderr.
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay every timer can hold: NaN and negatives become 0, anything longer the maximum. */
export function timerMs(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

export class Deadline {
  readonly endsAt: number;
  readonly timeoutMs: number;

  constructor(
    timeoutMs: number,
    private readonly now: () => number = Date.now,
    startedAt: number = now(),
  ) {
    this.timeoutMs = timerMs(timeoutMs);
    // Keep 10% (1 s to 5 s) for the exit reason, logging and Pacemaker's own bookkeeping.
    const margin = Math.min(5000, Math.max(1000, this.timeoutMs * 0.1));
    this.endsAt = startedAt + Math.max(this.timeoutMs - margin, Math.min(this.timeoutMs, 500));
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - this.now());
  }

  expired(): boolean {
    return this.remainingMs() <= 0;
  }

  /** Throws when fewer than `neededMs` remain, naming what could not be done. */
  check(what: string, neededMs = 0): void {
    if (this.remainingMs() <= neededMs) {
      throw new DeadlineExceededError(`${what}: gave up, the ${Math.round(this.timeoutMs / 1000)} s action timeout is nearly spent`);
    }
  }

  /** Sleeps up to `ms`, never past the deadline; returns false when the deadline cut it short. */
  async sleep(ms: number): Promise<boolean> {
    const allowed = Math.min(ms, this.remainingMs());
    await new Promise((resolve) => setTimeout(resolve, timerMs(allowed)));
    return allowed === ms;
  }
}
