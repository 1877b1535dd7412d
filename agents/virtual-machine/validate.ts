// Environment checks before every action (cheap on monitor: a PATH lookup only) and the fuller
// validate-all report: config parse, Xen lint, lock manager.
import { accessSync, constants, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError, NotInstalledError } from '../core/errors';
import { OcfExit } from '../core/exit-codes';
import type { ActionOutcome } from '../ocf/spec';
import { findOnPath } from '../core/path';
import { selfName, type VmContext, type VmParams } from './config';
import { identityForCheck, resolveIdentity } from './identity';
import { checkSaveConfigParameters, saveConfigProblem } from './config-sync';
import { checkIoErrorParameters } from './io-error';
import { checkMonitorScriptParameters, parseMonitorScripts } from './monitor-scripts';
import { checkPeerParameters, listPeers } from './peers';
import { checkOperationParameters, validateOperations } from './operations-validate';
import { checkStartResourceParameters, resourceProblems } from './start-resources';
import { checkLockManager } from './lock-manager';
import { formatFinding, lintXlConfig } from './xl-lint';
import { parseXlConfig } from './xl-config';

export function checkParameters(params: VmParams): void {
  if (!params.config && !params.name && !params.uuid) throw new ConfigurationError('set config (or name/uuid): the guest cannot be identified', 'config');
  if (params.config && !path.isAbsolute(params.config)) throw new ConfigurationError(`parameter config="${params.config}" must be an absolute path`, 'config');
  if (params.lease_dir && !path.isAbsolute(params.lease_dir))
    throw new ConfigurationError(`parameter lease_dir="${params.lease_dir}" must be an absolute path`, 'lease_dir');
  if (!/^[a-z0-9+]+:\/\//i.test(params.hypervisor))
    throw new ConfigurationError(`parameter hypervisor="${params.hypervisor}" is not a libvirt URI`, 'hypervisor');
  if (params.peer_uri !== undefined && !/^[a-z0-9+]+:\/\//i.test(params.peer_uri))
    throw new ConfigurationError(`parameter peer_uri="${params.peer_uri}" is not a libvirt URI template`, 'peer_uri');
  checkPeerParameters(params);
  checkOperationParameters(params);
  checkIoErrorParameters(params);
  checkMonitorScriptParameters(params);
  checkStartResourceParameters(params);
  checkSaveConfigParameters(params);
  if (params.migration_network_suffix && /[\s/:@]/.test(params.migration_network_suffix)) {
    throw new ConfigurationError(
      `parameter migration_network_suffix="${params.migration_network_suffix}" must be a plain host name suffix`,
      'migration_network_suffix',
    );
  }
}

export async function validateEnvironment(ctx: VmContext): Promise<void> {
  const program = ctx.params.backend === 'xl' ? 'xl' : 'virsh';
  if (!findOnPath(program, ctx.env.raw.PATH ?? process.env.PATH))
    throw new NotInstalledError(`${program} is not installed (needed for backend=${ctx.params.backend})`, program);
  if (ctx.action === 'monitor' || ctx.action === 'stop') {
    identityForCheck(ctx.params, ctx.env.instance, () => undefined);
    return;
  }
  const needsConfig = ctx.action === 'start' || ctx.action === 'validate-all';
  resolveIdentity(ctx.params, needsConfig && Boolean(ctx.params.config));
}

export async function validateAll(ctx: VmContext): Promise<ActionOutcome> {
  const { params, log } = ctx;
  const problems: string[] = [];
  if (params.backend === 'xl' && params.config) {
    const text = readFileSync(params.config, 'utf8');
    for (const finding of lintXlConfig(parseXlConfig(text), { hostCpus: os.cpus().length })) {
      const line = formatFinding(params.config, finding);
      if (finding.severity === 'error') problems.push(line);
      else log.warn(line);
    }
  }
  if (params.backend === 'libvirt') {
    const autostart = await libvirtAutostart(ctx);
    if (autostart) problems.push(autostart);
    const peers = { nodes: async () => listPeers(ctx.exec, params.peers, await selfName(ctx)) };
    const lock = await checkLockManager(params.hypervisor, params.require_lock_manager, ctx.exec, { root: params.host_root, peers });
    if (!lock.ok) problems.push(lock.reason);
    else lock.notes.forEach((n) => log.info(n));
    const saveProblem = saveConfigProblem(params);
    if (saveProblem) problems.push(saveProblem);
    if (params.start_resources && params.config) problems.push(...(await resourceProblems(ctx.exec, params.hypervisor, readFileSync(params.config, 'utf8'))));
  }
  for (const script of parseMonitorScripts(params.monitor_scripts)) {
    try {
      accessSync(script, constants.X_OK);
    } catch (error) {
      problems.push(`monitor script ${script} is not an executable file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  problems.push(...(await validateOperations(ctx)));
  if (problems.length) return { code: OcfExit.ERR_CONFIGURED, reason: problems.join('; ') };
  return OcfExit.SUCCESS;
}

/** `virsh dominfo` prints "Autostart:      enable" for a domain libvirt starts at boot. Pure. */
function autostartEnabled(dominfo: string): boolean {
  return /^Autostart:\s+enable\b/m.test(dominfo);
}

/**
 * A domain defined with autostart on a cluster node is started by libvirtd at boot, behind the
 * cluster's back, on every host where it is defined (the seed's double start after a reboot).
 */
async function libvirtAutostart(ctx: VmContext): Promise<string | undefined> {
  const { ref } = identityForCheck(ctx.params, ctx.env.instance, () => undefined);
  const key = ref.uuid ?? ref.name;
  if (!key) return undefined;
  const result = await ctx.exec.run('virsh', ['-c', ctx.params.hypervisor, 'dominfo', key], { timeoutMs: 10000 });
  if (result.exitCode !== 0 || !autostartEnabled(result.stdout)) return undefined;
  return `libvirt autostarts ${ref.name ?? key} at boot on this node, outside the cluster's control; fix: virsh -c ${ctx.params.hypervisor} autostart --disable ${ref.name ?? key}`;
}
