// The real Executor, built on execa. Loaded lazily: meta-data and usage never pay for it.
import os from 'node:os';
import { DeadlineExceededError, NotInstalledError } from '../ocf/errors';
import type { Deadline } from '../ocf/deadline';
import type { Logger } from '../ocf/log';
import type { CommandResult, Executor, RunOptions } from './executor';

export function createExecaExecutor(log: Logger, deadline?: Deadline): Executor {
  return {
    async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
      const { execa } = await import('execa');
      const argv = [file, ...args];
      const remaining = deadline ? deadline.remainingMs() : Number.POSITIVE_INFINITY;
      const timeout = Math.min(options.timeoutMs ?? Number.POSITIVE_INFINITY, remaining);
      if (timeout <= 0) throw new DeadlineExceededError(`not running ${file}: the action deadline has passed`);
      log.debug(`exec: ${JSON.stringify(argv)}`);
      const started = Date.now();
      const result = await execa(file, args, {
        reject: false,
        stdin: options.input === undefined ? 'ignore' : 'pipe',
        ...(options.input === undefined ? {} : { input: options.input }),
        ...(Number.isFinite(timeout) ? { timeout, forceKillAfterDelay: 1000 } : {}),
        env: options.env,
        extendEnv: true,
        cwd: options.cwd,
        stripFinalNewline: false,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        // No exit hook that kills children: on a timeout Pacemaker kills the agent's whole process
        // group, and the deadline above bounds every child. Installing it would register handlers
        // for 15 signals on every action (about 4 ms).
        cleanup: false,
      });
      const stdout = String(result.stdout ?? '');
      const stderr = String(result.stderr ?? '');
      log.debug(`exec: ${file} exit=${result.exitCode ?? result.signal} in ${Date.now() - started} ms; stdout=${JSON.stringify(stdout.slice(0, 2000))} stderr=${JSON.stringify(stderr.slice(0, 2000))}`);
      if ((result as { code?: string }).code === 'ENOENT' || (result.failed && /ENOENT/.test(String(result.message)) && result.exitCode === undefined)) {
        throw new NotInstalledError(`${file} not found (is it installed and on PATH?)`, file);
      }
      if (result.timedOut) {
        throw new DeadlineExceededError(`${argv.join(' ')} did not finish within ${Math.round(timeout / 1000)} s`);
      }
      if ((result as { code?: string }).code === 'EACCES') {
        throw new NotInstalledError(`${file} is not executable`, file);
      }
      return { argv, exitCode: result.exitCode ?? 128 + signalNumber(result.signal), stdout, stderr };
    },
  };
}

function signalNumber(signal: string | undefined): number {
  return (signal && os.constants.signals[signal as NodeJS.Signals]) || 1;
}
