// The real Executor, built on execa. Loaded lazily: meta-data and usage never pay for it.
import os from 'node:os';
import { DeadlineExceededError, NotInstalledError } from './errors';
import { timerMs, type Deadline } from './deadline';
import type { Logger } from './log';
import { DEFAULT_COMMAND_TIMEOUT_MS, type CommandResult, type Executor, type RunOptions } from './executor';
import { settleGroup, terminateGroup, trackGroup } from './process-groups';

/** How long a timed-out group gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 1000;

export function createExecaExecutor(log: Logger, deadline?: Deadline): Executor {
  return {
    async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
      const { execa } = await import('execa');
      const argv = [file, ...args];
      const timeout = callTimeoutMs(options.timeoutMs, deadline?.remainingMs());
      if (timeout <= 0) throw new DeadlineExceededError(`not running ${file}: the action deadline has passed`);
      log.debug(`exec: ${JSON.stringify(argv)}`);
      const started = Date.now();
      const subprocess = execa(file, args, {
        reject: false,
        stdin: options.input === undefined ? 'ignore' : 'pipe',
        ...(options.input === undefined ? {} : { input: options.input }),
        env: options.env,
        extendEnv: true,
        cwd: options.cwd,
        stripFinalNewline: false,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        // The child leads a new process group (and session): the timeout below kills the group,
        // so a helper it forked cannot hold the pipes open past the timeout (process-groups.ts).
        detached: true,
        // No execa exit hook: it would register handlers for 15 signals on every action (about
        // 4 ms) and kill only the leader; process-groups.ts kills the whole groups on exit.
        cleanup: false,
      });
      // pid is undefined when the spawn itself failed (ENOENT): there is no group to watch
      const pgid = subprocess.pid;
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      if (pgid !== undefined) {
        trackGroup(pgid);
        timer = setTimeout(() => {
          timedOut = true;
          terminateGroup(pgid, KILL_GRACE_MS);
        }, timeout);
      }
      const result = await subprocess;
      clearTimeout(timer);
      if (pgid !== undefined) settleGroup(pgid);
      const stdout = String(result.stdout ?? '');
      const stderr = String(result.stderr ?? '');
      log.debug(
        `exec: ${file} exit=${result.exitCode ?? result.signal} in ${Date.now() - started} ms; stdout=${JSON.stringify(stdout.slice(0, 2000))} stderr=${JSON.stringify(stderr.slice(0, 2000))}`,
      );
      if ((result as { code?: string }).code === 'ENOENT' || (result.failed && /ENOENT/.test(String(result.message)) && result.exitCode === undefined)) {
        throw new NotInstalledError(`${file} not found (is it installed and on PATH?)`, file);
      }
      if (timedOut) {
        throw new DeadlineExceededError(`${argv.join(' ')} did not finish within ${Math.round(timeout / 1000)} s`);
      }
      if ((result as { code?: string }).code === 'EACCES') {
        throw new NotInstalledError(`${file} is not executable`, file);
      }
      return { argv, exitCode: result.exitCode ?? 128 + signalNumber(result.signal), stdout, stderr };
    },
  };
}

/**
 * How long one call may take: its own timeout capped at what is left of the action's deadline; a
 * call that names none gets the deadline inside an action and DEFAULT_COMMAND_TIMEOUT_MS outside
 * (the CLI). Always a delay a timer can hold.
 */
export function callTimeoutMs(own: number | undefined, deadlineRemainingMs: number | undefined): number {
  if (deadlineRemainingMs === undefined) return timerMs(own ?? DEFAULT_COMMAND_TIMEOUT_MS);
  return timerMs(Math.min(own ?? Infinity, deadlineRemainingMs));
}

function signalNumber(signal: string | undefined): number {
  return (signal && os.constants.signals[signal as NodeJS.Signals]) || 1;
}
