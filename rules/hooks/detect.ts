// Which network stack brings up this node's interfaces. Each stack module reports evidence from the
// root file system; the choice is pure: a stack that configures the asked-for interface wins, then a
// single active stack, then a single installed one. Anything else is ambiguous, and the admin names
// the stack with --stack rather than ocfkit guessing.
import { allStacks } from './registry';
import type { StackEvidence, RootProbe, StackName } from './types';

export interface Candidate {
  stack: StackName;
  evidence: StackEvidence;
}

export type Detection =
  { kind: 'found'; stack: StackName; why: string; candidates: Candidate[] } | { kind: 'none' | 'ambiguous'; message: string; candidates: Candidate[] };

function gatherEvidence(probe: RootProbe, iface?: string): Candidate[] {
  const out: Candidate[] = [];
  for (const stack of allStacks()) {
    const evidence = stack.detect(probe, iface);
    if (evidence) out.push({ stack: stack.name, evidence });
  }
  return out;
}

export function chooseStack(candidates: Candidate[], iface?: string): Detection {
  const describe = (list: Candidate[]) => list.map((c) => `${c.stack} (${c.evidence.reasons.join(', ')})`).join('; ');
  if (candidates.length === 0) {
    return {
      kind: 'none',
      message:
        'no supported network stack found (ifupdown, SUSE sysconfig, wicked, RHEL initscripts, NetworkManager, networkd-dispatcher); name one with --stack',
      candidates,
    };
  }
  if (iface) {
    const configuring = candidates.filter((c) => c.evidence.configuresIface);
    if (configuring.length === 1) return { kind: 'found', stack: configuring[0]!.stack, why: `it configures ${iface}`, candidates };
    if (configuring.length > 1) {
      return { kind: 'ambiguous', message: `several network stacks configure ${iface}: ${describe(configuring)}; name one with --stack`, candidates };
    }
  }
  for (const strength of ['active', 'installed'] as const) {
    const level = candidates.filter((c) => c.evidence.strength === strength);
    if (level.length === 1) return { kind: 'found', stack: level[0]!.stack, why: `the only ${strength} stack`, candidates };
    if (level.length > 1) {
      const hint = iface ? '' : ' (--iface IF picks the one that configures the replication interface)';
      return { kind: 'ambiguous', message: `several ${strength} network stacks: ${describe(level)}; name one with --stack${hint}`, candidates };
    }
  }
  return { kind: 'none', message: 'no network stack found', candidates };
}

export function detectStack(probe: RootProbe, iface?: string): Detection {
  return chooseStack(gatherEvidence(probe, iface), iface);
}

/** The stack for several replication interfaces: they must agree. */
export function detectStackFor(probe: RootProbe, ifaces: readonly string[]): Detection {
  if (ifaces.length <= 1) return detectStack(probe, ifaces[0]);
  const results = ifaces.map((iface) => ({ iface, detection: detectStack(probe, iface) }));
  const stacks = [...new Set(results.flatMap((r) => (r.detection.kind === 'found' ? [r.detection.stack] : [])))];
  if (stacks.length === 1 && results.every((r) => r.detection.kind === 'found')) {
    const first = results[0]!.detection as Extract<Detection, { kind: 'found' }>;
    return { ...first, why: results.map((r) => `${r.iface}: ${(r.detection as Extract<Detection, { kind: 'found' }>).why}`).join('; ') };
  }
  if (stacks.length > 1) {
    const which = results.map((r) => `${r.iface}: ${r.detection.kind === 'found' ? r.detection.stack : r.detection.kind}`).join(', ');
    return {
      kind: 'ambiguous',
      message: `the replication interfaces use different network stacks (${which}); install each with --stack and --iface`,
      candidates: results[0]!.detection.candidates,
    };
  }
  return results.find((r) => r.detection.kind !== 'found')!.detection;
}
