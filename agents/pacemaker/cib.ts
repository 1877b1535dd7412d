// The parts of the CIB doctor and the census read, from `cibadmin -Q` (or `-Q -o resources`):
// cluster properties, nodes, primitives with their parameters and containers (group, clone,
// promotable clone), and simple order/colocation/location constraints. Pure.
// Resource sets inside constraints are listed as `sets` so a check can say it could not follow them.
import { childrenNamed, parseXml, type XmlElement } from '../core/xml';

export interface CibPrimitive {
  id: string;
  class: string;
  provider?: string;
  type: string;
  params: Record<string, string>;
  meta: Record<string, string>;
  /** the group holding it, and its members in order */
  group?: { id: string; members: string[] };
  /** the clone holding it (or its group): the id constraints name */
  clone?: { id: string; promotable: boolean; meta: Record<string, string> };
}

interface CibOrder {
  id: string;
  first: string;
  then: string;
  firstAction: string;
  thenAction: string;
  /** Mandatory unless kind="Optional" or score="0" */
  mandatory: boolean;
}
interface CibColocation {
  id: string;
  rsc: string;
  withRsc: string;
  rscRole?: string;
  withRole?: string;
  score: string;
}
interface CibLocation {
  id: string;
  rsc: string;
  node?: string;
  score?: string;
}

export interface CibModel {
  properties: Record<string, string>;
  nodes: string[];
  primitives: CibPrimitive[];
  orders: CibOrder[];
  colocations: CibColocation[];
  locations: CibLocation[];
  /** ids of constraints that use resource sets (not followed) */
  sets: string[];
  /** node -> transient attribute -> value (status section), when the status was read */
  transient: Record<string, Record<string, string>>;
}

function nvpairs(element: XmlElement | undefined, setName: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!element) return out;
  for (const set of childrenNamed(element, setName))
    for (const pair of childrenNamed(set, 'nvpair')) if (pair.attributes.name) out[pair.attributes.name] = pair.attributes.value ?? '';
  return out;
}

const find = (element: XmlElement, name: string): XmlElement | undefined => {
  if (element.name === name) return element;
  for (const child of element.children) {
    const hit = find(child, name);
    if (hit) return hit;
  }
  return undefined;
};

/** Accepts a whole CIB, a <resources> section, or crm_mon-style XML with a declaration. */
export function parseCib(xml: string): CibModel {
  const root = parseXml(xml.replace(/^\s*<\?xml[^>]*\?>/, ''), 'the CIB');
  const model: CibModel = { properties: {}, nodes: [], primitives: [], orders: [], colocations: [], locations: [], sets: [], transient: {} };
  const crmConfig = find(root, 'crm_config');
  if (crmConfig) Object.assign(model.properties, nvpairs(crmConfig, 'cluster_property_set'));
  const nodes = find(root, 'nodes');
  if (nodes)
    model.nodes = childrenNamed(nodes, 'node')
      .map((n) => n.attributes.uname ?? '')
      .filter(Boolean);
  const resources = find(root, 'resources');
  if (resources) walkResources(resources, model, {});
  const constraints = find(root, 'constraints');
  for (const c of constraints?.children ?? []) {
    const a = c.attributes;
    if (c.children.some((child) => child.name === 'resource_set')) {
      model.sets.push(a.id ?? '');
      continue;
    }
    if (c.name === 'rsc_order' && a.first && a.then) {
      model.orders.push({
        id: a.id ?? '',
        first: a.first,
        then: a.then,
        firstAction: a['first-action'] ?? 'start',
        thenAction: a['then-action'] ?? a['first-action'] ?? 'start',
        mandatory: a.kind !== 'Optional' && a.score !== '0',
      });
    } else if (c.name === 'rsc_colocation' && a.rsc && a['with-rsc']) {
      model.colocations.push({
        id: a.id ?? '',
        rsc: a.rsc,
        withRsc: a['with-rsc'],
        ...(a['rsc-role'] ? { rscRole: a['rsc-role'] } : {}),
        ...(a['with-rsc-role'] ? { withRole: a['with-rsc-role'] } : {}),
        score: a.score ?? '0',
      });
    } else if (c.name === 'rsc_location' && a.rsc) {
      model.locations.push({ id: a.id ?? '', rsc: a.rsc, ...(a.node ? { node: a.node } : {}), ...(a.score ? { score: a.score } : {}) });
    }
  }
  const status = find(root, 'status');
  for (const state of status ? childrenNamed(status, 'node_state') : []) {
    const name = state.attributes.uname;
    const transient = childrenNamed(state, 'transient_attributes')[0];
    if (name && transient) model.transient[name] = nvpairs(transient, 'instance_attributes');
  }
  return model;
}

function walkResources(element: XmlElement, model: CibModel, inherited: Pick<CibPrimitive, 'group' | 'clone'>): void {
  for (const child of element.children) {
    const id = child.attributes.id ?? '';
    if (child.name === 'primitive') {
      const a = child.attributes;
      model.primitives.push({
        id,
        class: a.class ?? '',
        ...(a.provider ? { provider: a.provider } : {}),
        type: a.type ?? '',
        params: nvpairs(child, 'instance_attributes'),
        meta: nvpairs(child, 'meta_attributes'),
        ...inherited,
      });
    } else if (child.name === 'group') {
      const members = childrenNamed(child, 'primitive').map((p) => p.attributes.id ?? '');
      walkResources(child, model, { ...inherited, group: { id, members } });
    } else if (child.name === 'clone' || child.name === 'master') {
      const meta = nvpairs(child, 'meta_attributes');
      const promotable = child.name === 'master' || isTrue(meta.promotable);
      walkResources(child, model, { clone: { id, promotable, meta } });
    } else if (child.name === 'bundle') {
      // container bundles hold no guests of ours
    }
  }
}

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|yes|on|1|y)$/i.test(value);
}

/** The id constraints use for a primitive: its clone, else itself (groups are handled by the checks). */
export function topId(p: CibPrimitive): string {
  return p.clone?.id ?? p.id;
}

/** Guests the cluster manages: ocf:ocfkit:VirtualMachine and ocf:heartbeat:VirtualDomain. */
export function isGuestResource(p: CibPrimitive): boolean {
  return p.class === 'ocf' && ((p.provider === 'ocfkit' && p.type === 'VirtualMachine') || (p.provider === 'heartbeat' && p.type === 'VirtualDomain'));
}
