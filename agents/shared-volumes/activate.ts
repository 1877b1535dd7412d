// start, and the rediscovery a peer's start triggers: discovery, then the backend's activation,
// then verification that every expected volume is usable here.
import { runOk } from '../core/executor';
import { DeadlineExceededError, GenericError, NotInstalledError, describeError } from '../core/errors';
import { OcfExit } from '../core/exit-codes';
import type { ActionOutcome } from '../ocf/spec';
import { runDiscovery } from './discovery';
import { inspect } from './inspect';
import type { VolumesConfig, VolumesContext } from './config';
import { activationCommands } from './plan';
import { nextRetry, policyFor, startStaggerMs } from './schedule';
import { markerPath, readMarker, writeMarker } from './state';
import { thisNode } from './node';
import { describeMissing } from './verdict';

type Random = () => number;

/** One pass of discovery, activation and verification: what is active, or why it failed. */
async function attempt(ctx: VolumesContext, config: VolumesConfig): Promise<{ activated: string[] } | { failed: string }> {
  await runDiscovery(config.discovery, { exec: ctx.exec, log: ctx.log, sysfsRoot: config.sysfsRoot });
  for (const [file, ...args] of activationCommands(config.backend)) {
    await runOk(ctx.exec, file, args);
  }
  const verdict = await inspect(config, ctx.exec);
  if (verdict.missing.length > 0) return { failed: `not usable after activation: ${describeMissing(verdict.missing)}` };
  return { activated: verdict.active };
}

export async function start(ctx: VolumesContext, random: Random = Math.random): Promise<ActionOutcome> {
  const config = ctx.config;
  const node = thisNode(ctx.env);
  const starting = ctx.env.notify?.start.unames ?? [];
  // never let waiting for a turn eat more than a quarter of the start timeout
  const stagger = Math.min(startStaggerMs(starting, node, config.retryDelayMs, random()), Math.floor(ctx.deadline.remainingMs() / 4));
  if (stagger > 0) {
    ctx.log.info(`${starting.join(', ')} start together; waiting ${stagger} ms for this node's turn`);
    await ctx.deadline.sleep(stagger);
  }
  const policy = policyFor(config.retryDelayMs);
  let lastFailure = '';
  let slowestMs = 0;
  for (let round = 0; ; round++) {
    const began = Date.now();
    try {
      const outcome = await attempt(ctx, config);
      if ('activated' in outcome) {
        writeMarker(markerPath(config.stateDir, ctx.env.instance), {
          backend: config.backend.kind,
          activated: outcome.activated,
          since: new Date().toISOString(),
        });
        ctx.log.info(`shared volumes active here after ${round + 1} attempt(s): ${outcome.activated.join(' ') || config.backend.kind}`);
        return OcfExit.SUCCESS;
      }
      lastFailure = outcome.failed;
    } catch (error) {
      if (error instanceof NotInstalledError) throw error;
      if (error instanceof DeadlineExceededError) {
        // an attempt ran into the deadline: still say what the attempts before it found
        throw lastFailure ? new GenericError(`start gave up after ${round + 1} attempt(s) (${describeError(error)}); last: ${lastFailure}`) : error;
      }
      lastFailure = describeError(error);
    }
    // Another attempt must fit with room to spare: attempts slow down under load, and one that
    // runs into the deadline ends without naming what is missing.
    slowestMs = Math.max(slowestMs, Date.now() - began);
    const decision = nextRetry(round, ctx.deadline.remainingMs(), policy, random(), Math.round(slowestMs * 1.5) + 100);
    if (decision.kind === 'give-up') {
      throw new GenericError(`start gave up after ${round + 1} attempt(s) (${decision.why}); last: ${lastFailure}`);
    }
    ctx.log.warn(`attempt ${round + 1} failed: ${lastFailure}; retrying in ${decision.delayMs} ms`);
    await ctx.deadline.sleep(decision.delayMs);
  }
}

/** A peer joined: rescan and activate once more, so volumes created meanwhile appear here. */
export async function rediscover(ctx: VolumesContext, peers: string[]): Promise<void> {
  const config = ctx.config;
  const file = markerPath(config.stateDir, ctx.env.instance);
  const marker = readMarker(file);
  if (!marker) {
    ctx.log.info(`${peers.join(', ')} started the shared volumes; not started here, nothing to rediscover`);
    return;
  }
  ctx.log.info(`${peers.join(', ')} started the shared volumes; rediscovering here`);
  const outcome = await attempt(ctx, config);
  if ('failed' in outcome) {
    ctx.log.warn(`rediscovery after ${peers.join(', ')} joined: ${outcome.failed}`);
    return;
  }
  const fresh = outcome.activated.filter((name) => !(marker.activated ?? []).includes(name));
  if (fresh.length) ctx.log.info(`rediscovery activated new volumes: ${fresh.join(' ')}`);
  writeMarker(file, { ...marker, activated: outcome.activated });
}
