// monitor_scripts: the admin's own checks of the service inside the guest (a port answers, a
// health URL says ok), run after the hypervisor says running. Each runs with the action's
// remaining time as its bound; monitor fails on the first failing script with its last output
// line, and start and migrate_from wait (until their deadline) for every script to pass.
import path from 'node:path';
import { lastLine, type Executor } from '../core/executor';
import type { Deadline } from '../core/deadline';
import { ConfigurationError, DeadlineExceededError, GenericError } from '../core/errors';

/** The scripts in the parameter, separated by spaces (or commas). */
export function parseMonitorScripts(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

export function checkMonitorScriptParameters(params: { monitor_scripts?: string | undefined }): void {
  for (const script of parseMonitorScripts(params.monitor_scripts)) {
    if (!path.isAbsolute(script)) throw new ConfigurationError(`parameter monitor_scripts: "${script}" must be an absolute path`, 'monitor_scripts');
  }
}

export type ScriptRun = { exitCode: number; stdout: string; stderr: string } | { timedOut: string } | { notRunnable: string };

/** Whether one script passed and, if not, the one line that says why. Pure. */
export function scriptVerdict(script: string, run: ScriptRun): { ok: true } | { ok: false; reason: string } {
  if ('timedOut' in run) return { ok: false, reason: `monitor script ${script} did not finish: ${run.timedOut}` };
  if ('notRunnable' in run) return { ok: false, reason: `monitor script ${script} cannot be run: ${run.notRunnable}` };
  if (run.exitCode === 0) return { ok: true };
  // the script's own last words: stdout first (where scripts print their verdict), else stderr
  const line = lastLine(run.stdout) ?? lastLine(run.stderr);
  return { ok: false, reason: `monitor script ${script} failed (exit ${run.exitCode})${line ? `: ${line}` : ''}` };
}

/** Runs the scripts in order; the first failure's reason, or undefined when all pass. */
export async function runMonitorScripts(exec: Executor, scripts: string[], deadline: Deadline): Promise<string | undefined> {
  for (const script of scripts) {
    let run: ScriptRun;
    try {
      run = await exec.run(script, [], { timeoutMs: deadline.remainingMs() });
    } catch (error) {
      run = error instanceof DeadlineExceededError ? { timedOut: error.message } : { notRunnable: (error as Error).message };
    }
    const verdict = scriptVerdict(script, run);
    if (!verdict.ok) return verdict.reason;
  }
  return undefined;
}

const RETRY_MS = 2000;

/** start and migrate_from: the guest counts as started once every script passes; tries every 2 s. */
export async function waitForMonitorScripts(exec: Executor, scripts: string[], deadline: Deadline, log: { info(m: string): void }): Promise<void> {
  if (!scripts.length) return;
  for (let tries = 1; ; tries++) {
    const failure = await runMonitorScripts(exec, scripts, deadline);
    if (!failure) {
      log.info(`monitor scripts passed (try ${tries})`);
      return;
    }
    // no try that could not finish: give up while there is time left to say why
    if (deadline.remainingMs() < RETRY_MS || !(await deadline.sleep(RETRY_MS)))
      throw new GenericError(`the guest runs but its monitor scripts did not pass before the timeout: ${failure}`);
  }
}
