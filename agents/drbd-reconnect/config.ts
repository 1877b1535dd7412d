// The agent's configure step: the parameters checked and made into what every action needs, once
// per run (ctx.config): the DRBD settings, the chosen resources and the backoff policy.
import path from 'node:path';
import { ConfigurationError } from '../core/errors';
import type { PolicySettings } from '../drbd/policy';
import { drbdSettings, type DrbdSettings } from '../drbd/settings';
import type { OcfEnvironment } from '../ocf/environment';
import type { ActionContext, ParameterValues } from '../ocf/spec';
import { reconnectParameters } from './parameters';

type ReconnectParams = ParameterValues<typeof reconnectParameters>;

export interface ReconnectConfig {
  settings: DrbdSettings;
  /** the resources to watch; empty: every resource configured for this node */
  resources: string[];
  policy: PolicySettings;
}

export type ReconnectContext = ActionContext<typeof reconnectParameters, ReconnectConfig>;

export function configure(params: ReconnectParams, env: OcfEnvironment): ReconnectConfig {
  const resources = params.resources.split(/\s+/).filter(Boolean);
  for (const name of resources) {
    if (!/^[A-Za-z0-9_.+-]+$/.test(name)) throw new ConfigurationError(`resources: "${name}" is not a DRBD resource name`, 'resources');
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(params.attribute_prefix))
    throw new ConfigurationError(`attribute_prefix "${params.attribute_prefix}" may only contain letters, digits, "_", "." and "-"`, 'attribute_prefix');
  if (!path.isAbsolute(params.state_dir)) throw new ConfigurationError(`state_dir "${params.state_dir}" must be an absolute path`, 'state_dir');
  if (!path.isAbsolute(params.proc_drbd)) throw new ConfigurationError(`proc_drbd "${params.proc_drbd}" must be an absolute path`, 'proc_drbd');
  // a parameter left at its default defers to the environment (OCFKIT_PROC_DRBD, ... in tests)
  const given = (name: 'drbdadm' | 'drbdsetup' | 'proc_drbd') => (params[name] !== reconnectParameters[name].default ? params[name] : undefined);
  return {
    settings: drbdSettings(env.raw, { stateDir: params.state_dir, drbdadm: given('drbdadm'), drbdsetup: given('drbdsetup'), procDrbd: given('proc_drbd') }),
    resources,
    policy: { backoffBaseMs: params.backoff_base * 1000, backoffMaxMs: Math.max(params.backoff_max, params.backoff_base) * 1000 },
  };
}
