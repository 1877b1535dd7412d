// What the installed udev can do. `udevadm verify` exists from systemd 254 on; Debian 12 ships
// 252, where generate skips verification with a note instead of failing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Executor } from '../../agents/core/executor';
import { NotInstalledError } from '../../agents/core/errors';

const VERIFY_SINCE = 254;

/** The udev (systemd) version number, or undefined when udevadm is not installed. */
export async function udevVersion(exec: Executor): Promise<number | undefined> {
  try {
    const result = await exec.run('udevadm', ['--version'], { timeoutMs: 10_000 });
    const match = /^\s*(\d+)/.exec(result.stdout);
    return result.exitCode === 0 && match ? Number(match[1]) : undefined;
  } catch (error) {
    if (error instanceof NotInstalledError) return undefined;
    throw error;
  }
}

export type Verification = { verified: true } | { verified: false; note: string } | { failed: string };

/** Runs `udevadm verify` on `content` (in a temporary file) when this udev has it. */
export async function verifyRules(exec: Executor, content: string, fileName: string): Promise<Verification> {
  const version = await udevVersion(exec);
  if (version === undefined) return { verified: false, note: 'udevadm is not installed: the rules were not verified' };
  if (version < VERIFY_SINCE)
    return { verified: false, note: `udev ${version} has no "udevadm verify" (systemd >= ${VERIFY_SINCE}): the rules were not verified by udev` };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-udev-verify-'));
  try {
    const file = path.join(dir, path.basename(fileName));
    writeFileSync(file, content);
    const result = await exec.run('udevadm', ['verify', '--resolve-names=never', file], { timeoutMs: 30_000 });
    if (result.exitCode === 0) return { verified: true };
    return {
      failed: `udevadm verify refused the generated rules (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().replaceAll(file, fileName)}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The page size, for the stripe cache memory figure; 4096 when getconf is unavailable. */
export async function pageSize(exec: Executor): Promise<number> {
  try {
    const result = await exec.run('getconf', ['PAGESIZE'], { timeoutMs: 5_000 });
    const value = Number(result.stdout.trim());
    return result.exitCode === 0 && Number.isInteger(value) && value > 0 ? value : 4096;
  } catch {
    return 4096;
  }
}
