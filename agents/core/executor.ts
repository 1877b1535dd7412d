// The one way ocfkit runs another program: an argument array (never a shell string), a timeout no
// longer than the action's deadline that kills the program's whole process group, the exact argv
// and output logged at debug, stderr kept for error messages. Agents receive an Executor; tests pass a fake (test/support/fake-executor.ts).
import { GenericError } from './errors';

/**
 * The timeout of a command that names none outside an action (the CLI; inside an action the
 * deadline bounds it). An interface-up hook waits for `ocfkit drbd reconnect`: a hung drbdsetup
 * must not hold it forever.
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

export interface RunOptions {
  /** upper bound for this command ; the executor caps it at the action deadline (default: the deadline, or DEFAULT_COMMAND_TIMEOUT_MS without one) */
  timeoutMs?: number;
  input?: string;
  /** extra environment for the child (added to the agent's own environment) */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export interface CommandResult {
  argv: readonly string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Executor {
  /**
   * Runs a program. Resolves with its exit code and output whatever the exit code; rejects with
   * NotInstalledError when the program does not exist and DeadlineExceededError on a timeout.
   */
  run(file: string, args: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

/** A command exited non-zero where success was required. */
export class CommandFailedError extends GenericError {
  constructor(readonly result: CommandResult) {
    super(`${result.argv.join(' ')} failed (exit ${result.exitCode})${detail(result)}`);
  }
}

function detail(result: CommandResult): string {
  const last = lastLine(result.stderr.trim() || result.stdout);
  return last ? `: ${last.slice(0, 300)}` : '';
}

/**
 * The last line of a program's output that says anything, trimmed: what error messages quote
 * (tools print the reason last). undefined when the output is blank.
 */
export function lastLine(text: string): string | undefined {
  return text.trim().split('\n').pop()?.trim() || undefined;
}

/** Runs and requires exit 0. */
export async function runOk(exec: Executor, file: string, args: readonly string[], options?: RunOptions): Promise<CommandResult> {
  const result = await exec.run(file, args, options);
  if (result.exitCode !== 0) throw new CommandFailedError(result);
  return result;
}
