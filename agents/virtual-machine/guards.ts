// The start/migration guards as pure decisions over observed facts. Gathering the facts (asking
// peers, reading the lease, /proc/drbd, qemu.conf) is I/O and lives elsewhere; here every refusal
// names the host and the evidence, so the exit reason alone tells the admin what to look at.
import { assertNever } from '../core/assert';

export type GuardVerdict = { ok: true; notes: string[] } | { ok: false; reason: string };

/**
 * A live-migration handoff: migrate_to runs on the source, migrate_from on the target; for that
 * moment both nodes may legitimately see the guest (and both DRBD sides may be Primary).
 */
export interface Handoff {
  role: 'source' | 'target';
  source: string;
  target: string;
}

const ok = (...notes: string[]): GuardVerdict => ({ ok: true, notes });
const refuse = (reason: string): GuardVerdict => ({ ok: false, reason });

// ---- peers ---------------------------------------------------------------------------------
export type PeerAnswer =
  | { node: string; kind: 'running'; matchedBy: 'uuid' | 'name'; evidence: string }
  | { node: string; kind: 'absent' }
  | { node: string; kind: 'unreachable'; uri: string; error: string };

/** A node as crm_mon reports it; undefined: the attribute was missing or not "true"/"false". */
export interface NodeStatus {
  name: string;
  online: boolean | undefined;
  /** Pacemaker does not know what the node is doing (it needs fencing) */
  unclean: boolean | undefined;
  /** the node is joining the cluster: what it runs is not known yet */
  pending?: boolean;
}

export function decidePeers(answers: PeerAnswer[], status: NodeStatus[] | undefined, handoff?: Handoff): GuardVerdict {
  const refusals: string[] = [];
  const notes: string[] = [];
  for (const answer of answers) {
    switch (answer.kind) {
      case 'absent':
        break;
      case 'running':
        if (handoff?.role === 'target' && answer.node === handoff.source) {
          notes.push(`${answer.node} still shows the guest: expected during the live-migration handoff from it`);
        } else if (handoff?.role === 'source' && answer.node === handoff.target) {
          refusals.push(`the guest already runs on the migration target ${answer.node} (${answer.evidence})`);
        } else {
          refusals.push(`the guest already runs on ${answer.node} (${answer.evidence})`);
        }
        break;
      case 'unreachable': {
        const node = status?.find((n) => n.name === answer.node);
        // only what crm_mon states proves it: online="false" unclean="false", not pending
        if (node && node.online === false && node.unclean === false && !node.pending) {
          notes.push(`${answer.node} could not be asked (${answer.error}) but Pacemaker reports it offline and clean`);
        } else {
          const pacemaker = !status
            ? 'the Pacemaker node status is unavailable'
            : !node
              ? 'Pacemaker does not know the node'
              : node.pending
                ? 'Pacemaker reports it pending (joining)'
                : node.online
                  ? 'Pacemaker reports it online'
                  : node.online === undefined || node.unclean === undefined
                    ? 'Pacemaker does not say it is offline and clean'
                    : 'Pacemaker reports it offline but unclean (not fenced)';
          // Pacemaker cuts exit reasons at 128 characters: the node and the verdict come first.
          refusals.push(`cannot ask ${answer.node} whether it runs the guest and ${pacemaker} (${answer.uri}: ${answer.error})`);
        }
        break;
      }
      default:
        return assertNever(answer);
    }
  }
  if (refusals.length) return refuse(refusals.join('; '));
  return ok(...notes);
}

// ---- libvirt lock manager ------------------------------------------------------------------
export interface LockManagerFact {
  /** lock_manager in qemu.conf: "lockd" (virtlockd), "sanlock", or undefined (none, the default) */
  configured: string | undefined;
  configFile: string;
  /** whether the lock daemon's socket accepts a connection; undefined when not checked */
  daemonRunning: boolean | undefined;
  /** why it is not running: each socket tried and its error */
  evidence?: string;
}

export function decideLockManager(fact: LockManagerFact, required: boolean): GuardVerdict {
  const daemon = fact.configured === 'lockd' ? 'virtlockd' : fact.configured;
  if (!fact.configured || fact.configured === 'nop') {
    const text = `no libvirt lock manager is configured (lock_manager in ${fact.configFile}); libvirt will not stop a second host from using the same disks`;
    return required ? refuse(`${text}; set lock_manager = "lockd" or "sanlock"`) : ok(text);
  }
  if (fact.configured !== 'lockd' && fact.configured !== 'sanlock') {
    return refuse(`lock_manager = "${fact.configured}" in ${fact.configFile} is not a lock manager libvirt knows (lockd, sanlock)`);
  }
  if (fact.daemonRunning === false) {
    const text = `${daemon} is configured in ${fact.configFile} but nothing listens on its socket (${fact.evidence ?? 'not found'}): is ${daemon} running?`;
    return required ? refuse(text) : ok(text);
  }
  return ok(`libvirt lock manager: ${daemon} (${fact.configFile})`);
}

// ---- DRBD storage role ---------------------------------------------------------------------
export type DrbdRole = 'Primary' | 'Secondary' | 'Unknown';
/** One DRBD peer as this node sees it. */
export interface PeerRoleFact {
  /** Secondary only over a connection in a state known to be connected; Primary whatever the state */
  role: DrbdRole;
  /** the connection state as DRBD prints it (8.x cstate, 9 connection-state) */
  connection: string;
  /** the peer's disk state (DUnknown when not connected; Outdated once fencing marked it) */
  peerDisk: string;
}
export interface DiskRoleFact {
  disk: string;
  /** "drbd0" or the resource name: how the device was identified */
  device: string;
  local: DrbdRole;
  peers: PeerRoleFact[];
  /** set when the role could not be read */
  error?: string;
}
export type DualPrimaryPolicy = 'handoff-only' | 'allowed';

export function decideStorage(disks: DiskRoleFact[], policy: DualPrimaryPolicy, handoff?: Handoff): GuardVerdict {
  const refusals: string[] = [];
  const notes: string[] = [];
  for (const d of disks) {
    if (d.error) {
      refusals.push(`cannot read the DRBD role of ${d.disk} (${d.error})`);
    } else if (d.local !== 'Primary') {
      refusals.push(`disk ${d.disk} (${d.device}) is ${d.local} here, not Primary`);
    } else if (d.peers.some((p) => p.role === 'Primary')) {
      if (handoff) notes.push(`${d.device} is dual-primary: expected during the live-migration handoff`);
      else if (policy === 'allowed') notes.push(`${d.device} is dual-primary (dual_primary=allowed)`);
      else
        refusals.push(
          `disk ${d.disk} (${d.device}) is Primary on the peer too, outside a live-migration handoff (set dual_primary=allowed for permanently dual-primary storage)`,
        );
    } else if (!handoff && policy === 'handoff-only') {
      // A peer not seen over a connection may be Primary on its own copy (split brain). DRBD proves
      // it is not only by having outdated its disk (fencing): an Outdated disk cannot be promoted.
      if (!d.peers.length) {
        refusals.push(
          `disk ${d.disk} (${d.device}) has no DRBD connection: cannot prove no peer is Primary (configure the peer and connect, or set dual_primary=allowed)`,
        );
      }
      for (const p of d.peers.filter((peer) => peer.role === 'Unknown' && peer.peerDisk !== 'Outdated')) {
        refusals.push(
          `disk ${d.disk} (${d.device}): peer role unknown (${p.connection}, peer disk ${p.peerDisk}), cannot prove it is not Primary; DRBD fencing outdates a lost peer`,
        );
      }
    }
  }
  if (refusals.length) return refuse(refusals.join('; '));
  return ok(...notes);
}
