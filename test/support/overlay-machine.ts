// A private view of this machine for installing packages: a mount namespace where /usr, /etc and
// /var are overlays whose writable layers live on a tmpfs. dpkg inside it installs, upgrades and
// removes for real (its database is under /var), and nothing outside the namespace changes: other
// worktrees' tests, and the machine's own /usr/lib/ocf/resource.d, never see the package.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Ran } from './binaries';

const OVERLAID = ['usr', 'etc', 'var'] as const;

export interface OverlayMachine {
  /** runs a program inside the namespace */
  run(argv: string[], env?: NodeJS.ProcessEnv): Ran;
  /**
   * What the overlays hold that the machine does not: files and links, and directories the
   * machine lacks, under the given top directories (deletions, "whiteouts", are not listed).
   */
  additions(tops?: ReadonlyArray<(typeof OVERLAID)[number]>): string[];
  close(): void;
}

// Positional parameters: $1 the layer directory, $2 the test process; only fixed text is in the script.
const SETUP = `set -e
mount -t tmpfs ocfkit-overlay "$1"
for top in ${OVERLAID.join(' ')}; do
  mkdir "$1/$top.upper" "$1/$top.work"
  mount -t overlay ocfkit-overlay -o "lowerdir=/$top,upperdir=$1/$top.upper,workdir=$1/$top.work" "/$top"
  [ "$(findmnt -no FSTYPE "/$top")" = overlay ]
done
echo ready
# hold the namespace while the test process ($2) lives, so a crashed run leaves no tmpfs behind
while kill -0 "$2" 2>/dev/null; do sleep 1; done`;

export async function startOverlayMachine(): Promise<OverlayMachine> {
  const layers = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-overlay-'));
  // unshare execs sh: the child's pid holds the namespace for its lifetime
  const holder: ChildProcess = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', SETUP, 'sh', layers, String(process.pid)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  holder.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const giveUp = (error: Error): never => {
    holder.kill();
    rmSync(layers, { recursive: true, force: true });
    throw error;
  };
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.on('data', (chunk) => String(chunk).includes('ready') && resolve());
    holder.on('exit', (code) => reject(new Error(`setting up the overlay namespace failed (exit ${code}): ${stderr.trim()}`)));
    holder.on('error', reject);
  }).catch(giveUp);
  const pid = holder.pid!;

  const run = (argv: string[], env: NodeJS.ProcessEnv = {}): Ran => {
    if (holder.exitCode !== null || holder.signalCode !== null) throw new Error('the overlay namespace is gone');
    const result = spawnSync('nsenter', ['-t', String(pid), '-m', '--', ...argv], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: 300_000,
      maxBuffer: 64 << 20,
    });
    return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  };

  // Every destructive step inside relies on the overlays: prove they are there before handing out run().
  // mountinfo: "id parent dev root MOUNTPOINT options ... - FSTYPE source superoptions"; the last mount wins
  const mountinfo = run(['cat', '/proc/self/mountinfo']).stdout.split('\n');
  for (const top of OVERLAID) {
    const last = mountinfo.filter((line) => line.split(' ')[4] === `/${top}`).pop();
    if (!last || last.split(' - ')[1]?.split(' ')[0] !== 'overlay')
      giveUp(new Error(`/${top} is not an overlay inside the namespace (${last ?? 'not a mount point'})`));
  }

  return {
    run,
    additions(tops = ['usr', 'etc']) {
      const found: string[] = [];
      for (const top of tops) {
        const upper = `${layers}/${top}.upper`;
        const listing = run(['find', upper, '-mindepth', '1', '-printf', '%y %P\\n']);
        if (listing.status !== 0) throw new Error(`listing ${upper}: ${listing.stderr}`);
        for (const line of listing.stdout.split('\n').filter(Boolean)) {
          const [type, relative] = [line[0], line.slice(2)];
          const onMachine = `/${top}/${relative}`;
          // c: a whiteout (something deleted); d: a directory copied up because something below changed
          if (type === 'c') continue;
          if (type === 'd' && existsSync(onMachine)) continue;
          found.push(onMachine);
        }
      }
      return found.sort();
    },
    close() {
      holder.kill('SIGTERM');
      rmSync(layers, { recursive: true, force: true });
    },
  };
}
