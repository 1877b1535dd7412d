// What a notification means for this node. Pacemaker sends every clone instance a pre- and a
// post-notification around each start/stop of any instance (meta notify=true).
//
// Rediscovery runs on POST-start of a peer, not pre-start: at post-start the joining node has
// finished its own start (logged into its iSCSI sessions, joined the VG lockspaces, activated),
// so a rescan here sees whatever it brought or created meanwhile. At pre-start it has done
// nothing yet, and every node's pre-notification delays the joining node's start, because
// Pacemaker waits for all of them before it starts the instance.
import type { NotifyInfo } from '../ocf/environment';

export type NotifyDecision = { kind: 'rediscover'; peers: string[] } | { kind: 'log'; message: string } | { kind: 'ignore'; why: string };

export function decideNotify(notify: NotifyInfo | undefined, thisNode: string): NotifyDecision {
  if (!notify || !notify.type || !notify.operation) return { kind: 'ignore', why: 'no notification variables set' };
  const peersIn = (unames: string[]) => [...new Set(unames.filter((uname) => uname !== thisNode))];
  const label = `${notify.type}-${notify.operation}`;
  if (notify.operation === 'start') {
    const peers = peersIn(notify.start.unames);
    if (notify.type === 'pre') return { kind: 'ignore', why: `${label}: discovery runs after the start, at post-start` };
    if (peers.length === 0) return { kind: 'ignore', why: `${label}: only this node started (its own start ran discovery)` };
    return { kind: 'rediscover', peers };
  }
  if (notify.operation === 'stop') {
    const peers = peersIn(notify.stop.unames);
    if (notify.type === 'post' && peers.length > 0) return { kind: 'log', message: `${peers.join(', ')} stopped the shared volumes; nothing to do here` };
    return { kind: 'ignore', why: `${label}: nothing to do` };
  }
  return { kind: 'ignore', why: `${label}: not a start or stop` };
}
