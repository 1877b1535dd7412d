// start and stop. Start: idempotent, guards first, then create and wait until the hypervisor
// reports the guest running. Stop: graceful shutdown, destroy before the deadline runs out.
import { GenericError } from '../core/errors';
import { OcfExit } from '../core/exit-codes';
import type { ActionOutcome } from '../ocf/spec';
import { describeRef, type HypervisorBackend, type DomainRef } from './backend';
import { backendFor, guardSettings, guestLabel, selfName, type VmContext } from './config';
import { ensureShutdownOrdering } from './host-ordering';
import { identityForCheck, remember, resolveIdentity } from './identity';
import { acquireLease, releaseLease } from './lease-store';
import { runGuards, takeLease } from './run-guards';
import { holdsDisks, type DomainState } from './state';
import { gracefulWaitMs, parseShutdownMode } from './shutdown';
import { parseMonitorScripts, waitForMonitorScripts } from './monitor-scripts';
import { saveRunningConfig } from './config-sync';
import { startResourcesFor } from './start-resources';
import { publishUtilization } from './utilization';

/** shutdown_mode as the backend's words (checked before every action: see validate.ts). */
function shutdownModes(params: VmContext['params']): string[] | undefined {
  if (!params.shutdown_mode) return undefined;
  const parsed = parseShutdownMode(params.shutdown_mode, params.backend);
  return parsed.ok ? parsed.modes : undefined;
}

const POLL_MS = 250;

export async function waitForState(
  backend: HypervisorBackend,
  ref: DomainRef,
  ctx: VmContext,
  until: (s: DomainState) => boolean,
  limitMs: number,
): Promise<DomainState> {
  const end = Date.now() + limitMs;
  for (;;) {
    const { state } = await backend.state(ref);
    if (until(state) || Date.now() >= end || ctx.deadline.expired()) return state;
    await ctx.deadline.sleep(Math.min(POLL_MS, Math.max(0, end - Date.now())));
  }
}

const isUp = (s: DomainState) => s === 'running' || s === 'blocked';
const isDown = (s: DomainState) => !holdsDisks(s);
/** How long stop lets xl remove a guest that has shut down (its "s" flag) before destroying it. */
const HALTED_GRACE_MS = 5000;

export async function start(ctx: VmContext): Promise<ActionOutcome> {
  const { params, log } = ctx;
  const identity = resolveIdentity(params, params.backend === 'xl' || Boolean(params.config));
  const ref = identity.ref;
  const backend = backendFor(params, ctx.exec);
  const self = await selfName(ctx);
  const settings = guardSettings(params, self);
  remember(params.state_dir, ctx.env.instance, ref);

  let current = await backend.state(ref);
  if (isUp(current.state) || current.state === 'paused' || current.state === 'pmsuspended') {
    log.info(`${describeRef(ref)} already runs here (${current.state}); start is a no-op`);
    // never overwrite another node's live lease; the next monitor reports the conflict
    const lease = acquireLease(settings, { guest: guestLabel(ref), self }, log);
    if (!lease.ok) log.err(`the guest runs here but ${lease.reason}`);
    return OcfExit.SUCCESS;
  }
  if (current.state === 'crashed' || current.state === 'halted') {
    log.warn(`${describeRef(ref)} is ${current.state} here; destroying it before starting it again`);
    await backend.destroy(ref);
  }
  if (current.state !== 'absent' && current.state !== 'shutoff') {
    current = { state: await waitForState(backend, ref, ctx, isDown, ctx.deadline.remainingMs() / 2) };
    if (!isDown(current.state)) throw new GenericError(`${describeRef(ref)} is ${current.state} here and did not stop; not starting it`);
  }

  const seen = await runGuards(settings, { ref, guest: guestLabel(ref), disks: identity.facts?.disks }, ctx.exec, log);
  takeLease(settings, { guest: guestLabel(ref), seen: seen.lease }, log);

  await startResourcesFor(ctx.exec, params, log);
  ctx.deadline.check(`starting ${describeRef(ref)}`);
  await backend.create(params.config, ref);
  const state = await waitForState(backend, ref, ctx, (s) => isUp(s) || s === 'crashed' || isDown(s), ctx.deadline.remainingMs());
  if (!isUp(state)) throw new GenericError(`${describeRef(ref)} was created but is ${state}, not running`);
  await waitForMonitorScripts(ctx.exec, parseMonitorScripts(params.monitor_scripts), ctx.deadline, log);
  if (identity.facts) await publishUtilization(ctx, identity.facts);
  await ensureShutdownOrdering(ctx);
  log.info(`${describeRef(ref)} started`);
  return OcfExit.SUCCESS;
}

export async function stop(ctx: VmContext): Promise<ActionOutcome> {
  const { params, log, deadline } = ctx;
  const { ref } = identityForCheck(params, ctx.env.instance, (m) => ctx.log.warn(m));
  const backend = backendFor(params, ctx.exec);
  const release = async () => {
    // a failed xl migrate can leave the guest's memory under another name, holding its disks
    for (const leftover of (await backend.destroyLeftovers?.(ref)) ?? []) log.warn(`destroyed ${leftover}, left by a failed migration of ${describeRef(ref)}`);
    if (!params.lease_dir) return;
    const self = await selfName(ctx);
    const outcome = releaseLease(guardSettings(params, self), guestLabel(ref), self);
    // after a live migration the target holds it: normal, and never ours to remove. A lease that
    // cannot be read is left for the admin; the stop itself succeeded (a failed stop fences).
    if (typeof outcome === 'object') log.warn(outcome.kept);
  };

  const destroyAndRelease = async () => {
    await backend.destroy(ref);
    const final = await waitForState(backend, ref, ctx, isDown, deadline.remainingMs());
    if (!isDown(final)) throw new GenericError(`${describeRef(ref)} is still ${final} after destroy`);
    await release();
    return OcfExit.SUCCESS;
  };

  const { state } = await backend.state(ref);
  if (isDown(state)) {
    await release();
    return OcfExit.SUCCESS;
  }
  if (state === 'halted') {
    log.info(`${describeRef(ref)} has shut down but its domain remains (xl on_poweroff = "preserve"?); destroying it`);
    return destroyAndRelease();
  }
  if (params.save_config_on_stop && params.backend === 'libvirt') await saveRunningConfig(ctx.exec, params, ref, log);
  // A paused, suspended, crashed or dying guest cannot shut down by itself.
  const graceful = !params.force_stop && (state === 'running' || state === 'blocked' || state === 'in-shutdown');
  if (graceful) {
    if (state !== 'in-shutdown') {
      try {
        await backend.shutdown(ref, shutdownModes(params));
      } catch (error) {
        // a request the toolstack refuses (no PV control interface, no agent) leaves destroy:
        // waiting for a shutdown that was never asked for only delays it
        log.warn(`${describeRef(ref)}: the shutdown request failed (${(error as Error).message}); destroying it`);
        return destroyAndRelease();
      }
    }
    const budget = gracefulWaitMs(deadline.timeoutMs, deadline.remainingMs(), params.shutdown_timeout);
    if (budget.capped)
      log.warn(
        `shutdown_timeout=${params.shutdown_timeout} s is more than the stop timeout leaves before destroy; waiting ${Math.round(budget.availableMs / 1000)} s`,
      );
    let after = await waitForState(backend, ref, ctx, (s) => isDown(s) || s === 'halted', budget.waitMs);
    if (after === 'halted') {
      // xl removes a shut-down domain itself unless on_poweroff keeps it: a moment, then destroy
      after = await waitForState(backend, ref, ctx, isDown, Math.min(HALTED_GRACE_MS, deadline.remainingMs()));
      if (after === 'halted') {
        log.info(`${describeRef(ref)} shut down and its domain remains (xl on_poweroff = "preserve"?); destroying it`);
        return destroyAndRelease();
      }
    }
    if (isDown(after)) {
      log.info(`${describeRef(ref)} shut down`);
      await release();
      return OcfExit.SUCCESS;
    }
    log.warn(`${describeRef(ref)} did not shut down in time (${after} after ${Math.round(budget.waitMs / 1000)} s); destroying it`);
  }
  return destroyAndRelease();
}
