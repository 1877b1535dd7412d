// DRBD's live state, read one way for every user: the reconnect path and `ocfkit drbd status`
// (reader.ts) and VirtualMachine's storage-role guard. /proc/drbd carries DRBD 8.4's devices and
// every version's version line; `drbdsetup status --json` carries DRBD 9's resources.
import { readFile } from 'node:fs/promises';
import type { Executor } from '../core/executor';
import { parseProcDrbd, type ProcDrbd } from './parse-proc';
import { parseStatusJson } from './parse-status-json';
import type { ResourceState } from './types';

/** /proc/drbd (or the file settings name) parsed; undefined when it cannot be read: no module loaded. */
export async function readProcDrbd(file: string): Promise<ProcDrbd | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseProcDrbd(text);
}

export type StatusJsonRead = { resources: ResourceState[] } | { failed: 'exit' | 'parse'; error: string };

/**
 * DRBD 9's resources from `drbdsetup status --json`. A non-zero exit or unreadable JSON is an
 * answer naming why; a program that cannot be started rejects, as every executor call does.
 */
export async function readStatusJson(exec: Executor, drbdsetup: string, timeoutMs: number): Promise<StatusJsonRead> {
  const result = await exec.run(drbdsetup, ['status', '--json'], { timeoutMs });
  if (result.exitCode !== 0)
    return { failed: 'exit', error: `drbdsetup status --json: ${(result.stderr || result.stdout).trim().split('\n')[0] || `exit ${result.exitCode}`}` };
  try {
    return { resources: parseStatusJson(result.stdout) };
  } catch (error) {
    return { failed: 'parse', error: (error as Error).message };
  }
}
