// A long-lived private mount namespace: a holder process (`unshare -m` + sleep) keeps it alive,
// bind mounts are made inside it with nsenter, and daemons are started in it with nsenter so they
// see the private files while the machine's own files stay untouched. Every process started here
// gets PR_SET_PDEATHSIG (setpriv) so it does not outlive this test process if that one dies.
import { spawn, type StdioOptions } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { processId, runOk, stopProcess, waitFor, type ProcessId, type RunOptions, type RunResult, run } from './proc';

export interface MountNamespace {
  holder: ProcessId;
  /** argv prefix that runs a command inside the namespace */
  enter(argv: readonly string[]): string[];
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  runOk(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** bind-mounts `source` (a dir or file) over `target` inside the namespace only */
  bind(source: string, target: string, options?: { readOnly?: boolean }): Promise<void>;
  /** starts a long-running daemon inside; it gets TERM if this test process dies */
  spawnDaemon(argv: readonly string[], options: { env?: NodeJS.ProcessEnv; stdio: StdioOptions }): ProcessId;
  stop(): Promise<void>;
}

export async function createMountNamespace(): Promise<MountNamespace> {
  const child = spawn('unshare', ['--mount', '--propagation', 'private', 'setpriv', '--pdeathsig', 'KILL', 'sleep', 'infinity'], { stdio: 'ignore' });
  const pid = child.pid;
  if (!pid) throw new Error('unshare --mount did not start (is util-linux installed?)');
  const ownNs = readlinkSync('/proc/self/ns/mnt');
  // unshare execs setpriv which execs sleep: once the pid shows "sleep" the namespace is ready
  await waitFor(
    'the mount namespace holder to start',
    () => {
      if (child.exitCode !== null) throw new Error(`unshare --mount exited ${child.exitCode}`);
      try {
        const comm = processId(pid)?.comm;
        return comm === 'sleep' && readlinkSync(`/proc/${pid}/ns/mnt`) !== ownNs;
      } catch {
        return false;
      }
    },
    { timeoutMs: 10_000, intervalMs: 20 },
  );
  const holder = processId(pid)!;
  const enter = (argv: readonly string[]) => ['nsenter', '-t', String(pid), '-m', ...argv];
  const ns: MountNamespace = {
    holder,
    enter,
    run: (argv, options) => run(enter(argv), options),
    runOk: (argv, options) => runOk(enter(argv), options),
    async bind(source, target, options = {}) {
      await runOk(enter(['mount', '--bind', source, target]));
      if (options.readOnly) await runOk(enter(['mount', '-o', 'remount,bind,ro', target]));
    },
    spawnDaemon(argv, options) {
      const daemon = spawn('nsenter', ['-t', String(pid), '-m', 'setpriv', '--pdeathsig', 'TERM', ...argv], {
        stdio: options.stdio,
        env: options.env ?? process.env,
      });
      if (!daemon.pid) throw new Error(`${argv.join(' ')} did not start`);
      const id = processId(daemon.pid);
      if (!id) throw new Error(`${argv.join(' ')} exited at once`);
      return id;
    },
    stop: () => stopProcess(holder, 'mount namespace holder', 5_000),
  };
  return ns;
}
