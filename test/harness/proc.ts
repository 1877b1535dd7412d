// Process helpers shared by the harness modules: running commands (argument arrays, never a shell
// string unless a module builds one on purpose), bounded waits with clear errors, and identifying
// processes by pid + start time so a recycled pid is never mistaken for one we started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { Readable } from 'node:stream';

export interface RunResult {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
  /**
   * Resolve only when every process the command started has exited too: the command gets an extra
   * pipe as fd 3, which its children inherit (a hook's backgrounded child keeps it open while it
   * runs; one that never ran cannot hold it). Waiting for this is a condition, not a sleep.
   */
  waitForDescendants?: boolean;
}

/** Runs a command to completion; never throws for a non-zero exit (see runOk). */
export function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('run: empty argv');
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe', ...(options.waitForDescendants ? ['pipe' as const] : [])],
    });
    // 'close' comes after every pipe is closed, fd 3 included: by then the descendants have exited
    (child.stdio[3] as Readable | null | undefined)?.resume();
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timeoutMs = options.timeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${argv.join(' ')}: no answer within ${timeoutMs / 1000} s (killed)\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${argv.join(' ')}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ argv: [...argv], code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // a command that exits without reading its input
      child.stdin.end(options.input);
    }
  });
}

class CommandError extends Error {
  constructor(readonly result: RunResult) {
    super(`${result.argv.join(' ')} exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 2000)}`);
  }
}

export async function runOk(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(argv, options);
  if (result.code !== 0) throw new CommandError(result);
  return result;
}

/** Synchronous variant for Need checks (which must be synchronous). */
export function runSync(argv: readonly string[], options: RunOptions = {}): RunResult {
  const [file, ...args] = argv;
  const result = spawnSync(file!, args, {
    encoding: 'utf8',
    env: options.env ?? process.env,
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 30_000,
  });
  if (result.error) return { argv: [...argv], code: 127, stdout: '', stderr: result.error.message };
  return { argv: [...argv], code: result.status ?? 128, stdout: result.stdout, stderr: result.stderr };
}

/** Quotes one word for a POSIX shell script: single quotes, with each ' written as '\''. */
export const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a value other than undefined/false. On timeout the error names
 * `what` and the last thing `probe` reported through `lastSeen`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs: number; intervalMs?: number; lastSeen?: () => string },
): Promise<T> {
  const until = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > until) {
      const seen = options.lastSeen ? `\nlast seen: ${options.lastSeen()}` : '';
      const err = lastError instanceof Error ? `\nlast error: ${lastError.message}` : '';
      throw new Error(`timed out after ${(options.timeoutMs / 1000).toFixed(0)} s waiting for ${what}${err}${seen}`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}

/** Identity of a process: pid plus its start time (clock ticks since boot, /proc/PID/stat field 22). */
export interface ProcessId {
  pid: number;
  start: number;
  comm?: string;
}

export function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses: the fields after it start after the LAST ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

export function processId(pid: number): ProcessId | undefined {
  const start = processStart(pid);
  if (start === undefined) return undefined;
  return { pid, start, comm: readComm(pid) };
}

/** True when the very process identified (not just some process with that pid) still runs. */
export function isAlive(id: ProcessId): boolean {
  if (processStart(id.pid) !== id.start) return false;
  try {
    const state = readFileSync(`/proc/${id.pid}/stat`, 'utf8');
    return state.slice(state.lastIndexOf(')') + 2, state.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function readComm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Live processes whose comm (the kernel's 15-character name) is one of `names`. */
export function processesNamed(names: readonly string[]): ProcessId[] {
  const found: ProcessId[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const comm = readComm(pid);
    if (comm && names.includes(comm)) {
      const id = processId(pid);
      if (id && isAlive(id)) found.push(id);
    }
  }
  return found;
}

/** Sends TERM to one identified process, waits, then KILL. Never by name. */
export async function stopProcess(id: ProcessId, what: string, graceMs: number): Promise<void> {
  if (!isAlive(id)) return;
  process.kill(id.pid, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    if (!isAlive(id)) return;
    await sleep(200);
  }
  console.error(`harness: ${what} (pid ${id.pid}) did not stop within ${graceMs / 1000} s after TERM: sending KILL`);
  try {
    process.kill(id.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  await waitFor(`${what} (pid ${id.pid}) to die after KILL`, () => !isAlive(id), { timeoutMs: 10_000 });
}

export function which(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (dir && existsSync(`${dir}/${binary}`)) return `${dir}/${binary}`;
  }
  return undefined;
}
