// DRBD recomputes a device's readahead when it (re)attaches or disconnects, overwriting the block
// tuning ocfkit's udev rules applied. After a reconnect, replay a udev "change" event for those
// devices so the rules run again. Without ocfkit's rules file there is nothing to re-apply.
import { existsSync } from 'node:fs';
import { lastLine, type Executor } from '../core/executor';

export interface RetuneResult {
  devices: string[];
  /** the udevadm argv, when it ran (or would run, in a dry run) */
  command: string[] | undefined;
  skipped?: string;
  error?: string;
}

/** drbdN names of the minors, sorted, each once */
function deviceNames(minors: readonly number[]): string[] {
  return [...new Set(minors)].sort((a, b) => a - b).map((m) => `drbd${m}`);
}

function triggerArgv(names: readonly string[]): string[] {
  // several --sysname-match options select the union of the devices
  return ['udevadm', 'trigger', '--action=change', '--subsystem-match=block', ...names.map((n) => `--sysname-match=${n}`)];
}

export async function retuneDevices(exec: Executor, rulesFile: string, minors: readonly number[], dryRun: boolean): Promise<RetuneResult> {
  const devices = deviceNames(minors);
  if (!devices.length) return { devices, command: undefined, skipped: 'no devices' };
  if (!existsSync(rulesFile)) return { devices, command: undefined, skipped: `${rulesFile} does not exist: no block tuning to re-apply` };
  const argv = triggerArgv(devices);
  if (dryRun) return { devices, command: argv };
  const result = await exec.run(argv[0]!, argv.slice(1), { timeoutMs: 10_000 });
  return result.exitCode === 0
    ? { devices, command: argv }
    : { devices, command: argv, error: `${argv.join(' ')} failed (exit ${result.exitCode}): ${lastLine(result.stderr) ?? ''}` };
}
