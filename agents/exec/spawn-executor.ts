// An Executor on node:child_process alone, with the execa executor's contract (argv only, never a
// shell; timeout capped at the action deadline; NotInstalledError for a missing program;
// DeadlineExceededError on timeout; argv and output logged at debug). Agent actions use it:
// loading execa's module graph costs several MiB of RSS on every monitor, and a monitor runs
// every few seconds for every resource.
import { spawn } from 'node:child_process';
import { DeadlineExceededError, NotInstalledError } from '../ocf/errors';
import type { Deadline } from '../ocf/deadline';
import type { Logger } from '../ocf/log';
import type { CommandResult, Executor, RunOptions } from './executor';

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 };
const MAX_BUFFER = 64 * 1024 * 1024;

export function createSpawnExecutor(log: Logger, deadline?: Deadline): Executor {
  return {
    run(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
      const argv = [file, ...args];
      const remaining = deadline ? deadline.remainingMs() : Number.POSITIVE_INFINITY;
      const timeout = Math.min(options.timeoutMs ?? Number.POSITIVE_INFINITY, remaining);
      if (timeout <= 0) return Promise.reject(new DeadlineExceededError(`not running ${file}: the action deadline has passed`));
      log.debug(`exec: ${JSON.stringify(argv)}`);
      const started = Date.now();
      return new Promise<CommandResult>((resolve, reject) => {
        const child = spawn(file, args, {
          stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
          env: options.env ? { ...process.env, ...options.env } : process.env,
          cwd: options.cwd,
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let size = 0;
        let timedOut = false;
        let killTimer: NodeJS.Timeout | undefined;
        const collect = (into: Buffer[]) => (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BUFFER) into.push(chunk);
        };
        child.stdout!.on('data', collect(out));
        child.stderr!.on('data', collect(err));
        const timer = Number.isFinite(timeout)
          ? setTimeout(() => {
              timedOut = true;
              child.kill('SIGTERM');
              killTimer = setTimeout(() => child.kill('SIGKILL'), 1000);
            }, timeout)
          : undefined;
        if (options.input !== undefined) child.stdin!.end(options.input);
        child.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          clearTimeout(killTimer);
          if (error.code === 'ENOENT') reject(new NotInstalledError(`${file} not found (is it installed and on PATH?)`, file));
          else if (error.code === 'EACCES') reject(new NotInstalledError(`${file} is not executable`, file));
          else reject(error);
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          clearTimeout(killTimer);
          const stdout = Buffer.concat(out).toString('utf8');
          const stderr = Buffer.concat(err).toString('utf8');
          log.debug(`exec: ${file} exit=${code ?? signal} in ${Date.now() - started} ms; stdout=${JSON.stringify(stdout.slice(0, 2000))} stderr=${JSON.stringify(stderr.slice(0, 2000))}`);
          if (timedOut) {
            reject(new DeadlineExceededError(`${argv.join(' ')} did not finish within ${Math.round(timeout / 1000)} s`));
            return;
          }
          resolve({ argv, exitCode: code ?? 128 + ((signal && SIGNALS[signal]) || 1), stdout, stderr });
        });
      });
    },
  };
}
