// notify: a peer's post-start triggers rediscovery here; a peer's post-stop is logged. A
// notification never fails (Pacemaker ignores the result; a rescan that went wrong is logged).
import type { VolumesContext } from './config';
import { describeError } from '../core/errors';
import { OcfExit } from '../core/exit-codes';
import { assertNever } from '../core/assert';
import type { ActionOutcome } from '../ocf/spec';
import { rediscover } from './activate';
import { thisNode } from './node';
import { decideNotify } from './notify-decision';

export async function notify(ctx: VolumesContext): Promise<ActionOutcome> {
  const decision = decideNotify(ctx.env.notify, thisNode(ctx.env));
  switch (decision.kind) {
    case 'ignore':
      ctx.log.debug(`notify: ${decision.why}`);
      return OcfExit.SUCCESS;
    case 'log':
      ctx.log.info(decision.message);
      return OcfExit.SUCCESS;
    case 'rediscover':
      try {
        await rediscover(ctx, decision.peers);
      } catch (error) {
        ctx.log.err(`rediscovery after ${decision.peers.join(', ')} joined failed: ${describeError(error)}`);
      }
      return OcfExit.SUCCESS;
    default:
      return assertNever(decision);
  }
}
