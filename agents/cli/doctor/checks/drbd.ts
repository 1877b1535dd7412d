// DRBD configuration checks: fencing for dual-primary, ocfkit's split-brain handler, and
// allow-two-primaries where no guest migrates live over the resource.
import { isTrue } from '../../../pacemaker/cib';
import type { DrbdResourceFact, Facts } from '../facts';
import { finding, type Finding } from '../findings';
import { parseXml, childrenNamed, type XmlElement } from '../../../core/xml';

/** `drbdadm dump-xml`: per resource, its net/disk options and handlers (common ones included). Pure. */
export function parseDrbdOptions(xml: string): DrbdResourceFact[] {
  const root = parseXml(xml, 'drbdadm dump-xml');
  const config = root.children.find((c) => c.name === 'config');
  if (!config) throw new Error('drbdadm dump-xml: no <config> element');
  const sections = (element: XmlElement | undefined, names: string[]): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const section of element ? childrenNamed(element, 'section') : []) {
      if (!names.includes(section.attributes.name ?? '')) continue;
      for (const o of childrenNamed(section, 'option')) if (o.attributes.name) out[o.attributes.name] = o.attributes.value ?? '';
    }
    return out;
  };
  const common = childrenNamed(config, 'common')[0];
  return childrenNamed(config, 'resource').map((res) => {
    const options = { ...sections(common, ['net', 'disk']), ...sections(res, ['net', 'disk']) };
    // DRBD 9 repeats net options per connection; one connection allowing two primaries counts
    for (const conn of childrenNamed(res, 'connection'))
      for (const [k, v] of Object.entries(sections(conn, ['net']))) if (!(k in options) || v === 'yes') options[k] = v;
    const minors = new Set<number>();
    for (const host of childrenNamed(res, 'host'))
      for (const vol of childrenNamed(host, 'volume'))
        for (const dev of childrenNamed(vol, 'device')) if (dev.attributes.minor) minors.add(Number(dev.attributes.minor));
    return { name: res.attributes.name ?? '', options, handlers: { ...sections(common, ['handlers']), ...sections(res, ['handlers']) }, minors: [...minors] };
  });
}

const dualPrimary = (r: DrbdResourceFact) => r.options['allow-two-primaries'] === 'yes';

export function checkDrbd(facts: Facts): Finding[] {
  if (!facts.drbd) return [];
  if (!facts.drbd.ok)
    return [
      finding('warning', 'drbd', 'this node', `cannot read the DRBD configuration: ${facts.drbd.error}`, facts.drbd.what, [
        'run drbdadm dump-xml and fix what it reports',
      ]),
    ];
  const out: Finding[] = [];
  const cib = facts.cib.ok ? facts.cib.value : undefined;
  for (const r of facts.drbd.value) {
    if (dualPrimary(r)) {
      if (r.options.fencing !== 'resource-and-stonith' || !r.handlers['fence-peer']) {
        out.push(
          finding(
            'error',
            'drbd-fencing',
            r.name,
            'allows two primaries without resource-and-stonith fencing and a fence-peer handler: after a network split both sides keep writing (split brain)',
            `drbdadm dump-xml: allow-two-primaries yes, fencing ${r.options.fencing ?? 'not set'}, fence-peer ${r.handlers['fence-peer'] ?? 'not set'}`,
            [
              `in resource ${r.name}: net { fencing resource-and-stonith; } handlers { fence-peer "/usr/lib/drbd/crm-fence-peer.9.sh"; unfence-peer "/usr/lib/drbd/crm-unfence-peer.9.sh"; }`,
              `drbdadm adjust ${r.name}`,
            ],
          ),
        );
      }
      const users = facts.guests.filter(
        (g) => g.disks.some((d) => d.drbd.includes(r.name)) && cib?.primitives.some((p) => p.id === g.resource && isTrue(p.meta['allow-migrate'])),
      );
      const clusterFs = cib?.primitives.some(
        (p) => p.type === 'Filesystem' && /^(gfs2|ocfs2)$/.test(p.params.fstype ?? '') && deviceIsResource(p.params.device ?? '', r),
      );
      if (!users.length && !clusterFs) {
        out.push(
          finding(
            'warning',
            'drbd-dual-primary',
            r.name,
            'allows two primaries but no live-migrating guest (allow-migrate=true) and no cluster file system uses it: dual-primary without need only widens the split-brain window',
            `drbdadm dump-xml: allow-two-primaries yes; cibadmin -Q: no guest with allow-migrate and no gfs2/ocfs2 Filesystem on it`,
            [`remove allow-two-primaries from resource ${r.name}'s net section, then drbdadm adjust ${r.name}`],
          ),
        );
      }
    }
    const handler = r.handlers['split-brain'];
    if (!handler || !/ocfkit\S*\s+drbd\s+split-brain-handler/.test(handler)) {
      out.push(
        finding(
          'warning',
          'drbd-split-brain',
          r.name,
          "ocfkit's split-brain handler is not configured: DrbdReconnect cannot tell a split brain from a network failure",
          `drbdadm dump-xml: handlers split-brain ${handler ? `"${handler}"` : 'not set'}`,
          ['in the common section: handlers { split-brain "/usr/sbin/ocfkit drbd split-brain-handler"; }', 'drbdadm adjust all'],
        ),
      );
    }
  }
  return out;
}

function deviceIsResource(device: string, r: DrbdResourceFact): boolean {
  const minor = /^\/dev\/drbd(\d+)$/.exec(device)?.[1];
  if (minor !== undefined) return r.minors.includes(Number(minor));
  return new RegExp(`^/dev/drbd/by-res/${r.name.replace(/[.+]/g, '\\$&')}(/\\d+)?$`).test(device);
}
