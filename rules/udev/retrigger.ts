// Re-apply the block tuning rules to some devices: a change event makes udev run the installed
// rules again. Needed after the kernel recomputed readahead behind udev's back (DRBD reattach or
// reconnect, dm table reload). Used by `ocfkit udev apply`, which must know the values landed
// before it reads sysfs back: hence the ping and --settle. The DRBD reconnect path fires its
// change events without waiting (agents/drbd/retune.ts): it runs inside network hooks and monitors.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Executor } from '../../agents/core/executor';
import { runOk } from '../../agents/core/executor';
import { GenericError } from '../../agents/core/errors';

export class UdevNotRunningError extends GenericError {}

export interface RetriggerResult {
  /** kernel names that got a change event */
  triggered: string[];
  /** names given that are not whole block devices here */
  missing: string[];
}

/**
 * Sends a change uevent to each named block device and waits until udev has processed them
 * (`udevadm trigger --settle`). `names` are kernel names (drbd0) or device paths (/dev/drbd0,
 * /dev/drbd/by-res/r0/0). Throws UdevNotRunningError when no udevd answers and
 * CommandFailedError when udevadm trigger fails (both OcfErrors: ERR_GENERIC in an agent).
 */
export async function retriggerDevices(
  exec: Executor,
  names: readonly string[],
  options: { sysfsRoot?: string; timeoutMs?: number } = {},
): Promise<RetriggerResult> {
  const sysfsRoot = options.sysfsRoot ?? '/sys';
  const triggered: string[] = [];
  const missing: string[] = [];
  for (const given of names) {
    const name = kernelName(given);
    if (name && existsSync(path.join(sysfsRoot, 'block', name))) {
      if (!triggered.includes(name)) triggered.push(name);
    } else missing.push(given);
  }
  if (triggered.length) {
    // without a running udevd, trigger --settle waits for events nobody processes: ask first
    const ping = await exec.run('udevadm', ['control', '--ping'], { timeoutMs: 10_000 });
    if (ping.exitCode !== 0)
      throw new UdevNotRunningError(
        `systemd-udevd is not running (udevadm control --ping: ${(ping.stderr || ping.stdout).trim() || `exit ${ping.exitCode}`}): cannot re-apply the block tuning to ${triggered.join(' ')}`,
      );
    const timeoutMs = options.timeoutMs ?? 60_000;
    await runOk(exec, 'udevadm', ['trigger', '--action=change', '--settle', ...triggered.map((name) => path.join(sysfsRoot, 'block', name))], { timeoutMs });
  }
  return { triggered, missing };
}

function kernelName(given: string): string | undefined {
  let name = given;
  if (given.startsWith('/')) {
    try {
      name = path.basename(realpathSync(given));
    } catch {
      return undefined;
    }
  }
  return /^[A-Za-z0-9][A-Za-z0-9_.:!-]*$/.test(name) ? name : undefined;
}
