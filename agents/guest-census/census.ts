// The guest census as pure functions: which guests run on this node (libvirt, xl, or the qemu
// process table when libvirtd does not answer), where the cluster has each VirtualMachine and
// VirtualDomain resource (the CIB's own record of the last operation on every node), and which
// running guest the cluster did not put here: a rogue.
import type { CibModel } from '../pacemaker/cib';
import { isGuestResource } from '../pacemaker/cib';
import { childrenNamed, parseXml, type XmlElement } from '../core/xml';
import { normalizeUuid, type RunningGuest } from './listing';

export interface Placement {
  /** nodes where the CIB records the resource as active (or being started or migrated to) */
  active: string[];
  /** nodes a start or an incoming live migration is pending for */
  arriving: string[];
}

export interface ManagedGuest {
  resource: string;
  name?: string;
  uuid?: string;
  placement: Placement;
}

export interface Rogue {
  guest: RunningGuest;
  resource: string;
  /** where the cluster has it (empty: nowhere) */
  clusterHas: string[];
}

// Operations after which the resource runs where they ran (rc 0): a migrate_to source still has
// it until the stop that follows.
const LEAVES_ACTIVE = new Set(['start', 'migrate_from', 'promote', 'demote', 'migrate_to', 'reload']);

/** Whether one recorded operation leaves the resource active on its node. Pure. */
export function activeAfter(operation: string, rc: number): boolean {
  if (operation === 'monitor') return rc !== 7;
  if (operation === 'stop') return rc !== 0;
  if (LEAVES_ACTIVE.has(operation)) return true;
  // anything else that failed leaves Pacemaker unsure: count it as active
  return rc !== 0 && rc !== 7;
}

/**
 * Where the CIB's status section says each resource is: per node, the recorded operation with the
 * highest call-id decides (after a live migration the target's `<rsc>_last_0` is still the probe;
 * its migrate_from and monitor came later). A failed operation leaves Pacemaker unsure, so it
 * counts as active: the census must not call a guest rogue where the cluster may still believe it
 * runs. Pending operations (op-status -1, recorded by default since Pacemaker 2.1: a start or
 * migrate_from here, or a migrate_to naming this node as migrate_target) mark the node arriving. Pure.
 */
export function placementFromStatus(cibXml: string): Map<string, Placement> {
  const root = parseXml(cibXml.replace(/^\s*<\?xml[^>]*\?>/, ''), 'the CIB');
  const out = new Map<string, Placement>();
  const get = (id: string) => out.get(id) ?? (out.set(id, { active: [], arriving: [] }), out.get(id)!);
  const status = findFirst(root, 'status');
  for (const state of status ? childrenNamed(status, 'node_state') : []) {
    const node = state.attributes.uname;
    if (!node) continue;
    for (const lrm of childrenNamed(state, 'lrm'))
      for (const list of childrenNamed(lrm, 'lrm_resources'))
        for (const rsc of childrenNamed(list, 'lrm_resource')) {
          const id = rsc.attributes.id ?? '';
          let latest: { call: number; operation: string; rc: number } | undefined;
          for (const op of childrenNamed(rsc, 'lrm_rsc_op')) {
            const a = op.attributes;
            if (a['op-status'] === '-1') {
              if (a.operation === 'start' || a.operation === 'migrate_from') get(id).arriving.push(node);
              if (a.operation === 'migrate_to' && a.migrate_target) get(id).arriving.push(a.migrate_target);
              continue;
            }
            const call = Number(a['call-id']);
            if (!Number.isFinite(call) || (latest && latest.call >= call)) continue;
            latest = { call, operation: a.operation ?? '', rc: Number(a['rc-code']) };
          }
          if (latest && activeAfter(latest.operation, latest.rc)) get(id).active.push(node);
        }
  }
  return out;
}

function findFirst(element: XmlElement, name: string): XmlElement | undefined {
  if (element.name === name) return element;
  for (const child of element.children) {
    const hit = findFirst(child, name);
    if (hit) return hit;
  }
  return undefined;
}

/** The guests the cluster manages, with the identity their parameters or config files give. */
export function managedGuests(
  cib: CibModel,
  placement: Map<string, Placement>,
  identityOf: (params: Record<string, string>) => { name?: string; uuid?: string },
): ManagedGuest[] {
  return cib.primitives.filter(isGuestResource).map((p) => {
    const id = identityOf(p.params);
    const name = p.params.name ?? id.name;
    const uuid = p.params.uuid ? normalizeUuid(p.params.uuid) : id.uuid;
    return { resource: p.id, ...(name ? { name } : {}), ...(uuid ? { uuid } : {}), placement: placement.get(p.id) ?? { active: [], arriving: [] } };
  });
}

/**
 * Each guest running here that a cluster resource manages but the cluster did not place here.
 * Matched by UUID first (names can be reused), then by name. Guests no resource manages are not the
 * census's business, nor are managed guests that run nowhere. Pure.
 */
export function findRogues(running: RunningGuest[], managed: ManagedGuest[], self: string): Rogue[] {
  const rogues: Rogue[] = [];
  for (const guest of running) {
    const m =
      (guest.uuid && managed.find((g) => g.uuid === guest.uuid)) ||
      managed.find((g) => g.name !== undefined && g.name === guest.name && (!g.uuid || !guest.uuid));
    if (!m) continue;
    if (m.placement.active.includes(self) || m.placement.arriving.includes(self)) continue;
    rogues.push({ guest, resource: m.resource, clusterHas: m.placement.active });
  }
  return rogues;
}

export function describeRogue(r: Rogue): string {
  // Pacemaker keeps 128 characters of an exit reason: the guest and where the cluster has it first
  const where = r.clusterHas.length ? `the cluster has ${r.resource} on ${r.clusterHas.join(', ')}` : `the cluster has ${r.resource} stopped`;
  return `${r.guest.name} runs here outside the cluster: ${where}${r.guest.uuid ? ` (uuid ${r.guest.uuid})` : ''}`;
}
