// XML builders for the CIB objects the integration suites create with cibadmin. Ids are derived
// from the resource id the same way crmsh/pcs do (id-instance_attributes, id-monitor-interval-10s).
import { escapeXml } from './xml';

interface OpSpec {
  name: string;
  /** seconds; 0 for start/stop */
  interval?: number;
  /** seconds */
  timeout?: number;
  /** extra attributes on <op>, e.g. { role: 'Promoted', 'on-fail': 'block' } */
  attrs?: Record<string, string>;
}

export interface PrimitiveSpec {
  id: string;
  /** "ocf:PROVIDER:TYPE" (or "stonith:TYPE", "systemd:UNIT") */
  agent: string;
  params?: Record<string, string | number | boolean>;
  meta?: Record<string, string | number | boolean>;
  ops?: OpSpec[];
}

function nvpairs(owner: string, set: string, values: Record<string, string | number | boolean> | undefined): string {
  const entries = Object.entries(values ?? {});
  if (!entries.length) return '';
  const pairs = entries
    .map(([name, value]) => `<nvpair id="${escapeXml(`${owner}-${set}-${name}`)}" name="${escapeXml(name)}" value="${escapeXml(String(value))}"/>`)
    .join('');
  return `<${set} id="${escapeXml(`${owner}-${set}`)}">${pairs}</${set}>`;
}

export function primitiveXml(spec: PrimitiveSpec): string {
  const parts = spec.agent.split(':');
  const [klass, provider, type] = parts.length === 3 ? parts : [parts[0], undefined, parts[1]];
  if (!klass || !type) throw new Error(`agent "${spec.agent}" is not CLASS:PROVIDER:TYPE or CLASS:TYPE`);
  const ops = (spec.ops ?? [])
    .map((op) => {
      const interval = `${op.interval ?? 0}s`;
      const extra = Object.entries(op.attrs ?? {})
        .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
        .join('');
      const timeout = op.timeout === undefined ? '' : ` timeout="${op.timeout}s"`;
      const role = op.attrs?.role ? `-${op.attrs.role}` : '';
      return `<op id="${escapeXml(`${spec.id}-${op.name}${role}-interval-${interval}`)}" name="${escapeXml(op.name)}" interval="${interval}"${timeout}${extra}/>`;
    })
    .join('');
  const providerAttr = provider ? ` provider="${escapeXml(provider)}"` : '';
  return (
    `<primitive id="${escapeXml(spec.id)}" class="${escapeXml(klass)}"${providerAttr} type="${escapeXml(type)}">` +
    nvpairs(spec.id, 'instance_attributes', spec.params) +
    nvpairs(spec.id, 'meta_attributes', spec.meta) +
    (ops ? `<operations>${ops}</operations>` : '') +
    `</primitive>`
  );
}

export function cloneXml(cloneId: string, primitive: PrimitiveSpec, meta: Record<string, string | number | boolean> = {}): string {
  return `<clone id="${escapeXml(cloneId)}">${nvpairs(cloneId, 'meta_attributes', meta)}${primitiveXml(primitive)}</clone>`;
}

export function colocationXml(id: string, rsc: string, withRsc: string, score: string | number = 'INFINITY'): string {
  return `<rsc_colocation id="${escapeXml(id)}" rsc="${escapeXml(rsc)}" with-rsc="${escapeXml(withRsc)}" score="${escapeXml(String(score))}"/>`;
}

export function orderXml(id: string, first: string, then: string, kind: 'Mandatory' | 'Optional' | 'Serialize' = 'Mandatory'): string {
  return `<rsc_order id="${escapeXml(id)}" first="${escapeXml(first)}" then="${escapeXml(then)}" kind="${kind}"/>`;
}
