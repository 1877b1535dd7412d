// monitor: started here (the marker) and every expected volume active with its device node.
import type { VolumesContext } from './config';
import { OcfExit } from '../core/exit-codes';
import type { ActionOutcome } from '../ocf/spec';
import { inspect } from './inspect';
import { markerPath, readMarker } from './state';
import { describeMissing } from './verdict';

export async function monitor(ctx: VolumesContext): Promise<ActionOutcome> {
  const config = ctx.config;
  const marker = readMarker(markerPath(config.stateDir, ctx.env.instance));
  if (!marker) return OcfExit.NOT_RUNNING;
  const verdict = await inspect(config, ctx.exec, marker.activated);
  if (verdict.fresh.length) ctx.log.info(`new, not yet active here (activated at the next start or when a node joins): ${verdict.fresh.join(' ')}`);
  if (verdict.removed.length) ctx.log.warn(`removed from their volume group since activation: ${verdict.removed.join(' ')}`);
  if (verdict.missing.length) {
    return { code: OcfExit.ERR_GENERIC, reason: `shared volumes missing on this node: ${describeMissing(verdict.missing)}` };
  }
  return OcfExit.SUCCESS;
}
