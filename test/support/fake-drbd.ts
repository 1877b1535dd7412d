// Sets up the fake DRBD userland (test/fakes/drbd) in a temporary directory and returns the
// environment ocfkit needs to use it. See the header of test/fakes/drbd/fake-drbd.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './binaries';

export const fakeDrbdBin = path.join(repoRoot, 'test', 'fakes', 'drbd');

export interface FakeDrbd {
  dir: string;
  env: { PATH: string; OCFKIT_FAKE_DRBD_DIR: string; OCFKIT_PROC_DRBD: string; OCFKIT_DRBD_HOSTNAME: string; OCFKIT_DRBD_STATE_DIR: string };
  /** runs test/fakes/drbd/fake-drbd with these arguments; throws on failure */
  ctl(...args: string[]): string;
  /** runs the fake drbdadm */
  drbdadm(...args: string[]): { status: number | null; stdout: string; stderr: string };
  /** runs one of the fake tools (drbdadm, drbdsetup, dmesg) */
  run(tool: 'drbdadm' | 'drbdsetup' | 'dmesg', args: string[]): { status: number | null; stdout: string; stderr: string };
  read(name: 'calls.log' | 'forbidden.log' | 'handler-calls.log' | 'kmsg' | 'proc_drbd'): string;
  cleanup(): void;
}

export function fakeDrbd(init: string[]): FakeDrbd {
  const dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-fake-drbd-${process.pid}-`));
  const env = {
    PATH: `${fakeDrbdBin}:${process.env.PATH}`,
    OCFKIT_FAKE_DRBD_DIR: path.join(dir, 'fake'),
    OCFKIT_PROC_DRBD: path.join(dir, 'fake', 'proc_drbd'),
    OCFKIT_DRBD_HOSTNAME: 'alice',
    OCFKIT_DRBD_STATE_DIR: path.join(dir, 'ocfkit'),
  };
  const run = (file: string, args: string[]) => spawnSync(path.join(fakeDrbdBin, file), args, { encoding: 'utf8', env: { ...process.env, ...env } });
  const fake: FakeDrbd = {
    dir,
    env,
    ctl(...args) {
      const r = run('fake-drbd', args);
      if (r.status !== 0) throw new Error(`fake-drbd ${args.join(' ')} failed: ${r.stderr}`);
      return r.stdout;
    },
    drbdadm: (...args) => {
      const r = run('drbdadm', args);
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    run: (tool, args) => {
      const r = run(tool, args);
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    read(name) {
      try {
        return readFileSync(path.join(env.OCFKIT_FAKE_DRBD_DIR, name), 'utf8');
      } catch {
        return '';
      }
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  fake.ctl('init', '--hostname', 'alice', ...init);
  return fake;
}
