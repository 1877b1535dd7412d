// Re-apply the block tuning rules to some devices: a change event makes udev run the installed
// rules again. Needed after the kernel recomputed readahead behind udev's back (DRBD reattach or
// reconnect, dm table reload). Used by `ocfkit udev apply` and by the DRBD agents.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Executor } from '../../agents/exec/executor';
import { runOk } from '../../agents/exec/executor';

export interface RetriggerResult {
  /** kernel names that got a change event */
  triggered: string[];
  /** names given that are not whole block devices here */
  missing: string[];
}

/**
 * Sends a change uevent to each named block device and waits until udev has processed them
 * (`udevadm trigger --settle`). `names` are kernel names (drbd0) or device paths (/dev/drbd0,
 * /dev/drbd/by-res/r0/0). Throws CommandFailedError when udevadm fails.
 */
export async function retriggerDevices(exec: Executor, names: readonly string[], options: { sysfsRoot?: string; timeoutMs?: number } = {}): Promise<RetriggerResult> {
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
