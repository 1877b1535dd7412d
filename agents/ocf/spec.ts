// The declarative agent definition. One object per agent drives meta-data, parameter parsing,
// defaults, validation, usage text and man pages; the runner (runner.ts) owns the lifecycle.
import type { Executor } from '../core/executor';
import type { Deadline } from '../core/deadline';
import type { OcfEnvironment } from './environment';
import type { OcfExit } from '../core/exit-codes';
import type { Logger } from '../core/log';

interface ParameterBase {
  shortdesc: string;
  longdesc: string;
  required?: boolean;
  unique?: boolean;
  /**
   * Only tests set it (a fake /dev or /sys): parsed like any parameter, so the suites that run the
   * agent under Pacemaker can still pass it, but left out of meta-data, usage and man pages.
   */
  testOnly?: true;
}
interface StringParameter extends ParameterBase {
  type: 'string';
  default?: string;
  /** the only accepted values; listed in the description and enforced before any action */
  allowed?: readonly string[];
}
interface IntegerParameter extends ParameterBase {
  type: 'integer';
  default?: number;
  min?: number;
  max?: number;
}
interface BooleanParameter extends ParameterBase {
  type: 'boolean';
  default?: boolean;
}
export type ParameterSpec = StringParameter | IntegerParameter | BooleanParameter;
export type ParameterSpecs = Record<string, ParameterSpec>;

type ValueOf<P> = P extends { type: 'string'; allowed: readonly (infer A)[] }
  ? A
  : P extends { type: 'string' }
    ? string
    : P extends { type: 'integer' }
      ? number
      : boolean;
type AlwaysSet<P> = P extends { default: unknown } ? true : P extends { required: true } ? true : false;

/** Typed parameter values: a parameter with a default or marked required is never undefined. */
export type ParameterValues<P extends ParameterSpecs> = {
  readonly [K in keyof P]: AlwaysSet<P[K]> extends true ? ValueOf<P[K]> : ValueOf<P[K]> | undefined;
};

export type ActionName = 'start' | 'stop' | 'monitor' | 'validate-all' | 'notify' | 'promote' | 'demote' | 'migrate_to' | 'migrate_from' | 'reload';

/** What a handler may return: a bare code, or a code with a reason for Pacemaker to show. */
export type ActionOutcome = OcfExit | { code: OcfExit; reason?: string } | void;

export interface ActionContext<P extends ParameterSpecs, C = undefined> {
  action: ActionName;
  params: ParameterValues<P>;
  /** what the agent's `configure` made of the parameters (undefined for an agent without one) */
  config: C;
  env: OcfEnvironment;
  exec: Executor;
  log: Logger;
  deadline: Deadline;
}

/** How an action is advertised in meta-data. Times are in seconds. */
export interface ActionTiming {
  timeout: number;
  interval?: number;
  depth?: number;
  role?: 'Promoted' | 'Unpromoted';
}

interface ActionSpec<P extends ParameterSpecs, C = undefined> extends ActionTiming {
  handler: (ctx: ActionContext<P, C>) => Promise<ActionOutcome>;
  /** further meta-data entries for the same action (a deeper monitor, a per-role monitor) */
  alsoAdvertise?: ActionTiming[];
}

/** What the runner hands an agent when parameters or the environment are broken. */
export interface BrokenContext {
  action: ActionName;
  /** the raw OCF_RESKEY_* values as Pacemaker passed them */
  raw: Readonly<Record<string, string | undefined>>;
  env: OcfEnvironment;
  exec: Executor;
  log: Logger;
  deadline: Deadline;
  error: unknown;
}

export type ProvenState = 'running' | 'stopped' | 'unknown';

export interface AgentSpec<P extends ParameterSpecs = ParameterSpecs, C = undefined> {
  name: string;
  /** the agent's own version (meta-data's resource-agent/@version) */
  version: string;
  shortdesc: string;
  longdesc: string;
  parameters: P;
  actions: { start: ActionSpec<P, C>; stop: ActionSpec<P, C>; monitor: ActionSpec<P, C> } & Partial<
    Record<Exclude<ActionName, 'start' | 'stop' | 'monitor'>, ActionSpec<P, C>>
  >;
  /** Pure cross-parameter checks; throw ConfigurationError naming the parameter. */
  checkParameters?: (params: ParameterValues<P>) => void;
  /**
   * The parameters made into the agent's typed configuration, once per run, after parsing and
   * checkParameters: every handler and `validate` read it as `ctx.config`. Pure; a
   * ConfigurationError naming the parameter goes through the broken-environment mapping.
   */
  configure?: (params: ParameterValues<P>, env: OcfEnvironment) => C;
  /**
   * Environment checks run before every action but meta-data (binaries, files, daemons). Keep the
   * monitor path cheap: `ctx.action` says which action is about to run.
   */
  validate?: (ctx: ActionContext<P, C>) => Promise<void>;
  /**
   * What can still be proven about the resource on this node when parameters or the environment
   * are broken. Stop succeeds only on 'stopped'; a probe reports 'running'/'stopped' truthfully.
   */
  stateWhenBroken?: (ctx: BrokenContext) => Promise<ProvenState>;
  /** example configurations for docs and man pages: pcs or crmsh lines */
  examples?: Array<{ title: string; lines: string[] }>;
}

/** Identity helper that keeps the literal parameter types for ParameterValues inference. */
export function defineAgent<const P extends ParameterSpecs, C = undefined>(spec: AgentSpec<P, C>): AgentSpec<P, C> {
  return spec;
}

/** Any agent, whatever its parameters: what the registry, runner entry and docs take. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAgentSpec = AgentSpec<any, any>;
