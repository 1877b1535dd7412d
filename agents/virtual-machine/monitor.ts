// monitor: one hypervisor call for a running guest (plus a lease renewal, a local file write).
// Probe-safe: a probe never touches the lease and reports the guest's real state.
import { OcfExit } from '../core/exit-codes';
import { isProbe } from '../ocf/environment';
import type { ActionOutcome } from '../ocf/spec';
import { describeRef } from './backend';
import { backendFor, guardSettings, guestLabel, selfName, type VmContext } from './config';
import { noteConfigDrift } from './config-sync';
import { identityForCheck, remember } from './identity';
import { forgetIoError, handleIoError, pausedOnIoError } from './io-error';
import { acquireLease } from './lease-store';
import { parseMonitorScripts, runMonitorScripts } from './monitor-scripts';
import { holdsDisks, monitorOutcome } from './state';

export async function monitor(ctx: VmContext): Promise<ActionOutcome> {
  const { params, env, log } = ctx;
  const { ref } = identityForCheck(params, ctx.env.instance, (m) => ctx.log.warn(m));
  const backend = backendFor(params, ctx.exec);
  const reading = await backend.state(ref);
  let outcome = monitorOutcome(reading.state, reading.reason);
  if (!holdsDisks(reading.state)) return outcome;
  // libvirtd down but the guest's qemu runs: not a guest failure, but nothing can manage it now
  if (reading.fromProcessTable) return { code: OcfExit.DEGRADED, reason: reading.reason ?? 'libvirt unreachable' };
  remember(params.state_dir, env.instance, ref); // writes only when it changed
  if (isProbe(ctx.action, env)) return outcome;
  // only with on_io_error set: a plain monitor runs nothing more
  if (params.on_io_error !== 'report') {
    if (pausedOnIoError(reading)) outcome = await handleIoError(ctx, params, env.instance, ref);
    else forgetIoError(params.state_dir, env.instance);
  }

  if (outcome.code === OcfExit.SUCCESS && env.checkLevel >= 10) {
    const ping = await backend.guestPing(ref);
    if (ping.kind === 'failed') return { code: OcfExit.ERR_GENERIC, reason: `the guest agent of ${describeRef(ref)} does not answer: ${ping.detail}` };
    if (ping.kind === 'not-configured') log.debug(`deep check skipped: ${ping.detail}`);
  }

  if (params.lease_dir) {
    const self = await selfName(ctx);
    const lease = acquireLease(guardSettings(params, self), { guest: guestLabel(ref), self }, log);
    // another node's live lease on a guest running here is a failure; a lease that could not be
    // written is not the guest's fault, but the cluster should see that it is not being renewed
    if (!lease.ok && lease.conflict) return { code: OcfExit.ERR_GENERIC, reason: `the guest runs here but ${lease.reason}` };
    if (!lease.ok) return { code: OcfExit.DEGRADED, reason: `lease not renewed: ${lease.reason}` };
  }
  if (params.save_config_on_stop && params.backend === 'libvirt') await noteConfigDrift(ctx.exec, params, env.instance, ref, log);
  if (params.monitor_scripts && outcome.code === OcfExit.SUCCESS) {
    const failure = await runMonitorScripts(ctx.exec, parseMonitorScripts(params.monitor_scripts), ctx.deadline);
    if (failure) return { code: OcfExit.ERR_GENERIC, reason: failure };
  }
  return outcome;
}
