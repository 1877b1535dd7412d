// Typed view of `crm_mon -1 --output-as=xml`: resources (flattened out of clones and groups),
// the operation history of each resource on each node, failed operations with their exit
// reasons, and node attributes. Pure: tested against the live cluster by the cluster suite.
import { child, findAll, parseXml, type XmlElement } from './xml';

export interface ResourceState {
  id: string;
  /** the clone/group it belongs to, if any */
  parent?: string;
  agent: string;
  role: string;
  active: boolean;
  failed: boolean;
  managed: boolean;
  blocked: boolean;
  nodes: string[];
}

export interface OperationState {
  resource: string;
  node: string;
  task: string;
  /** ms */
  interval: number;
  rc: number;
  rcText: string;
  call: number;
}

export interface FailureState {
  opKey: string;
  resource: string;
  node: string;
  task: string;
  /** ms */
  interval: number;
  exitCode: number;
  exitStatus: string;
  exitReason: string;
  status: string;
  call: number;
}

export interface ClusterState {
  dc: string | undefined;
  quorate: boolean;
  onlineNodes: string[];
  resources: ResourceState[];
  operations: OperationState[];
  failures: FailureState[];
  /** node -> attribute name -> value (transient and permanent, as crm_mon shows them) */
  nodeAttributes: Record<string, Record<string, string>>;
  /** fail counts: `${resource}@${node}` -> count */
  failCounts: Record<string, number>;
  xml: string;
}

const ms = (text: string | undefined) => {
  if (!text) return 0;
  const match = /^(\d+)(ms|s)?$/.exec(text);
  if (!match) return Number(text) || 0;
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
};

// Clone instances of anonymous clones appear as "id:N" in some places and "id" in others.
const baseId = (id: string) => id.replace(/:\d+$/, '');

function resourcesOf(container: XmlElement, parent: string | undefined, out: ResourceState[]): void {
  for (const element of container.children) {
    if (element.name === 'resource') {
      out.push({
        id: baseId(element.attrs.id ?? ''),
        ...(parent ? { parent } : {}),
        agent: element.attrs.resource_agent ?? '',
        role: element.attrs.role ?? '',
        active: element.attrs.active === 'true',
        failed: element.attrs.failed === 'true',
        managed: element.attrs.managed !== 'false',
        blocked: element.attrs.blocked === 'true',
        nodes: findAll(element, 'node').map((node) => node.attrs.name ?? ''),
      });
    } else if (element.name === 'clone' || element.name === 'group' || element.name === 'bundle') {
      resourcesOf(element, element.attrs.id, out);
    }
  }
}

export function parseCrmMon(xml: string): ClusterState {
  const root = parseXml(xml);
  const summary = child(root, 'summary');
  const dc = summary && child(summary, 'current_dc');
  const resources: ResourceState[] = [];
  const resourcesElement = child(root, 'resources');
  if (resourcesElement) resourcesOf(resourcesElement, undefined, resources);
  const operations: OperationState[] = [];
  const failCounts: Record<string, number> = {};
  for (const node of child(root, 'node_history')?.children ?? []) {
    for (const history of node.children.filter((c) => c.name === 'resource_history')) {
      const resource = baseId(history.attrs.id ?? '');
      if (history.attrs['fail-count']) failCounts[`${resource}@${node.attrs.name}`] = Number(history.attrs['fail-count']);
      for (const op of history.children.filter((c) => c.name === 'operation_history')) {
        operations.push({
          resource,
          node: node.attrs.name ?? '',
          task: op.attrs.task ?? '',
          interval: ms(op.attrs.interval),
          rc: Number(op.attrs.rc),
          rcText: op.attrs.rc_text ?? '',
          call: Number(op.attrs.call),
        });
      }
    }
  }
  const failures = (child(root, 'failures')?.children ?? []).map((f): FailureState => {
    const opKey = f.attrs.op_key ?? '';
    const keyMatch = /^(.*)_([a-z_]+)_(\d+)$/.exec(opKey);
    return {
      opKey,
      resource: baseId(keyMatch?.[1] ?? ''),
      node: f.attrs.node ?? '',
      task: f.attrs.task ?? keyMatch?.[2] ?? '',
      interval: ms(f.attrs.interval ?? keyMatch?.[3]),
      exitCode: Number(f.attrs.exitcode),
      exitStatus: f.attrs.exitstatus ?? '',
      exitReason: f.attrs.exitreason ?? '',
      status: f.attrs.status ?? '',
      call: Number(f.attrs.call),
    };
  });
  const nodeAttributes: Record<string, Record<string, string>> = {};
  for (const node of child(root, 'node_attributes')?.children ?? []) {
    const attrs: Record<string, string> = {};
    for (const attribute of node.children) attrs[attribute.attrs.name ?? ''] = attribute.attrs.value ?? '';
    nodeAttributes[node.attrs.name ?? ''] = attrs;
  }
  const nodes = child(root, 'nodes')?.children ?? [];
  return {
    dc: dc?.attrs.present === 'true' ? dc.attrs.name : undefined,
    quorate: dc?.attrs.with_quorum === 'true',
    onlineNodes: nodes.filter((n) => n.attrs.online === 'true').map((n) => n.attrs.name ?? ''),
    resources,
    operations,
    failures,
    nodeAttributes,
    failCounts,
    xml,
  };
}

/**
 * The latest operation of `task` at `interval` (ms) on `resource`: crm_mon keeps a failed monitor
 * in the history next to later ones, so take the highest call id.
 */
export function lastOp(state: ClusterState, resource: string, task: string, interval = 0): OperationState | undefined {
  return state.operations.filter((o) => o.resource === resource && o.task === task && o.interval === interval).sort((a, b) => b.call - a.call)[0];
}
