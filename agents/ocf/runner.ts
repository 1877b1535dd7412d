// The OCF lifecycle, owned in one place: dispatch the action, answer meta-data and usage, parse
// and check parameters, build the agent's configuration once (configure), run the agent's environment checks, apply the action-dependent failure
// mapping, enforce the deadline, and turn every outcome into one exit code and one exit reason.
// Agents contain domain logic only.
import type { Executor } from '../core/executor';
import { Deadline, timerMs } from '../core/deadline';
import { parseEnvironment, isProbe, type OcfEnvironment } from './environment';
import { asSystemCallError, describeError, OcfError } from '../core/errors';
import { OcfExit, exitName } from '../core/exit-codes';
import { createLogger, logSettingsFromEnv, type Logger } from '../core/log';
import { renderMetaData, usageText } from './metadata';
import { parseParameters, rawParameters } from './parameters';
import type { ActionContext, ActionName, ActionOutcome, AgentSpec, AnyAgentSpec, ParameterSpecs, ParameterValues } from './spec';

export interface RunnerIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** builds the executor for this action; tests pass a fake */
  executor: (log: Logger, deadline: Deadline) => Executor | Promise<Executor>;
  now?: () => number;
}

export interface RunnerResult {
  code: OcfExit;
  reason?: string;
  log: Logger;
}

/** Default deadline when no CRM_meta_timeout is set (a manual run): the action's advertised timeout. */
function actionTimeoutMs(spec: AnyAgentSpec, action: ActionName | undefined, env: OcfEnvironment): number {
  if (env.timeoutMs !== undefined && env.timeoutMs > 0) return env.timeoutMs;
  const advertised = action ? spec.actions[action]?.timeout : undefined;
  return (advertised ?? 20) * 1000;
}

export async function runAgent<P extends ParameterSpecs, C>(spec: AgentSpec<P, C>, args: readonly string[], io: RunnerIo): Promise<RunnerResult> {
  const env = parseEnvironment(io.env);
  const actionArg = args[0];
  const log = createLogger(logSettingsFromEnv(io.env, `${spec.name}(${env.instance})[${process.pid}]`, (line) => io.stderr(line + '\n')));
  const finish = (code: OcfExit, reason?: string): RunnerResult => {
    if (reason) io.stderr(`${env.exitReasonPrefix}${reason.replace(/\n/g, ' ')}\n`);
    if (actionArg && actionArg !== 'meta-data') log.debug(`${actionArg} returned ${code} (${exitName(code)})${reason ? `: ${reason}` : ''}`);
    return { code, reason, log };
  };

  if (actionArg === 'meta-data') {
    io.stdout(renderMetaData(spec));
    return finish(OcfExit.SUCCESS);
  }
  if (actionArg === 'usage' || actionArg === 'help' || actionArg === '--help' || actionArg === '-h') {
    io.stdout(usageText(spec));
    return finish(OcfExit.SUCCESS);
  }
  if (actionArg === undefined) {
    io.stderr(usageText(spec));
    return finish(OcfExit.ERR_ARGS, 'no action given');
  }
  const action = actionArg as ActionName;
  // own keys only: `toString`, `constructor` and `__proto__` are names Pacemaker could pass too
  const actionSpec = Object.hasOwn(spec.actions, action) ? spec.actions[action] : undefined;
  if (!actionSpec && action !== 'validate-all') {
    io.stderr(usageText(spec));
    return finish(OcfExit.ERR_UNIMPLEMENTED, `action ${actionArg} is not implemented by ${spec.name}`);
  }

  const deadline = new Deadline(actionTimeoutMs(spec, action, env), io.now);
  const exec = await io.executor(log, deadline);
  const raw = rawParameters(io.env, spec.parameters);
  const probe = isProbe(action, env);
  log.debug(`${action}${probe ? ' (probe)' : ''} with ${JSON.stringify(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)))}`);

  let params: ParameterValues<P>;
  let ctx: ActionContext<P, C>;
  try {
    params = parseParameters(spec.parameters, raw);
    spec.checkParameters?.(params);
    // an agent without a configure step has no configuration: C is undefined for it
    const config = spec.configure ? spec.configure(params, env) : (undefined as C);
    ctx = { action, params, config, env, exec, log, deadline };
    await withDeadline(deadline, `${action} environment checks`, () => spec.validate?.(ctx));
  } catch (error) {
    return finish(...(await brokenEnvironment(spec, action, probe, typed(error, log), { raw, env, exec, log, deadline })));
  }

  try {
    const outcome = actionSpec ? await withDeadline(deadline, action, () => actionSpec.handler(ctx)) : OcfExit.SUCCESS;
    const { code, reason } = normalize(outcome);
    return finish(code, reason);
  } catch (thrown) {
    const error = typed(thrown, log);
    // A state file that cannot be written must not fail a stop (a failed stop gets the node
    // fenced) when the resource is provably stopped: the same proof as for a broken environment.
    if (action === 'stop' && asSystemCallError(error))
      return finish(...(await brokenEnvironment(spec, action, probe, error, { raw, env, exec, log, deadline })));
    return finish(error instanceof OcfError ? error.code : OcfExit.ERR_GENERIC, describeError(error));
  }
}

/**
 * Failed system calls become typed errors; anything else untyped is a bug, logged in full only at
 * debug: an admin or Pacemaker sees one line, never a stack trace.
 */
function typed(error: unknown, log: Logger): unknown {
  const system = asSystemCallError(error);
  if (system) return system;
  if (!(error instanceof OcfError)) log.debug(`unexpected failure: ${error instanceof Error ? error.stack : String(error)}`);
  return error;
}

/**
 * The failure mapping for broken parameters or environment. Stop must not fail (and get the node
 * fenced) when the resource is provably not running here; a probe reports the truth, or
 * NOT_RUNNING when the agent cannot tell anything; every other action fails with the error's code.
 */
async function brokenEnvironment(
  spec: AnyAgentSpec,
  action: ActionName,
  probe: boolean,
  error: unknown,
  parts: { raw: Record<string, string | undefined>; env: OcfEnvironment; exec: Executor; log: Logger; deadline: Deadline },
): Promise<[OcfExit, string?]> {
  const code = error instanceof OcfError ? error.code : OcfExit.ERR_GENERIC;
  const reason = describeError(error);
  if (action !== 'stop' && !probe) return [code, reason];
  if (!spec.stateWhenBroken) {
    if (probe) {
      parts.log.warn(`probe: ${reason}; reporting not running`);
      return [OcfExit.NOT_RUNNING];
    }
    return [code, reason];
  }
  let state: 'running' | 'stopped' | 'unknown' = 'unknown';
  try {
    // inside the deadline: a proof that hangs must still end with an exit reason
    state = await withDeadline(parts.deadline, `${action} (establishing the state)`, () => spec.stateWhenBroken!({ action, error, ...parts }));
  } catch (inner) {
    parts.log.warn(`could not establish the state after "${reason}": ${describeError(inner)}`);
  }
  if (action === 'stop') {
    if (state === 'stopped') {
      parts.log.warn(`stop: ${reason}; the resource is provably not running here, so stop succeeds`);
      return [OcfExit.SUCCESS];
    }
    return [code, `${reason} (and it may still be running here)`];
  }
  if (state === 'running') {
    parts.log.warn(`probe: ${reason}; but the resource is running here`);
    return [OcfExit.SUCCESS];
  }
  if (state === 'stopped') return [OcfExit.NOT_RUNNING];
  return [code, `${reason} (cannot tell whether it runs here)`];
}

function normalize(outcome: ActionOutcome): { code: OcfExit; reason?: string } {
  if (outcome === undefined) return { code: OcfExit.SUCCESS };
  if (typeof outcome === 'number') return { code: outcome };
  return outcome;
}

/** Runs `work`, but answers with a clear reason shortly before Pacemaker would kill the process. */
async function withDeadline<T>(deadline: Deadline, what: string, work: () => Promise<T> | T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new OcfError(OcfExit.ERR_GENERIC, `${what} did not finish within its ${Math.round(deadline.timeoutMs / 1000)} s timeout`));
    }, timerMs(deadline.remainingMs()));
  });
  try {
    return await Promise.race([Promise.resolve().then(work), expiry]);
  } finally {
    clearTimeout(timer);
  }
}
