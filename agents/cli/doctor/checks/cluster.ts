// Checks over the CIB and the guests' disks: fencing, the constraints that tie a guest to the
// storage it uses, live migration against dual-primary storage, and the identity a probe needs.
import { isGuestResource, isTrue, topId, type CibModel, type CibPrimitive } from '../../../pacemaker/cib';
import type { Facts, GuestFact } from '../facts';
import { finding, type Finding } from '../findings';
import { SHARED_FS } from '../../../virtual-machine/lock-manager';

const INFINITY = /^\+?INFINITY$/i;

function guestsOf(cib: CibModel): CibPrimitive[] {
  return cib.primitives.filter(isGuestResource);
}

/** Nodes a resource may run on: every node, minus -INFINITY locations (opt-in clusters: plus positive ones). */
function candidateNodes(cib: CibModel, p: CibPrimitive): string[] {
  const ids = new Set([p.id, p.group?.id, p.clone?.id].filter(Boolean));
  const mine = cib.locations.filter((l) => ids.has(l.rsc) && l.node);
  if (cib.properties['symmetric-cluster'] === 'false') return cib.nodes.filter((n) => mine.some((l) => l.node === n && !/^-/.test(l.score ?? '')));
  return cib.nodes.filter((n) => !mine.some((l) => l.node === n && /^-INFINITY$/i.test(l.score ?? '')));
}

export function checkFencing(facts: Facts): Finding[] {
  if (!facts.cib.ok) return [];
  const cib = facts.cib.value;
  const movable = guestsOf(cib)
    .map((g) => ({ g, nodes: candidateNodes(cib, g) }))
    .filter((x) => x.nodes.length > 1);
  if (!movable.length) return [];
  const example = movable[0]!;
  const where = `${example.g.id} can run on ${example.nodes.join(', ')}${movable.length > 1 ? ` (and ${movable.length - 1} more guest(s))` : ''}`;
  const enabled = cib.properties['stonith-enabled'];
  const devices = cib.primitives.filter((p) => p.class === 'stonith');
  const addDevice = [
    'pcs stonith create fence-sbd fence_sbd devices=/dev/disk/by-id/<shared disk> (crmsh: crm configure primitive fence-sbd stonith:fence_sbd params devices=/dev/disk/by-id/<shared disk>)',
  ];
  // Pacemaker's default is stonith-enabled=true: only an explicit false turns it off
  if (enabled !== undefined && !isTrue(enabled)) {
    return [
      finding(
        'error',
        'fencing',
        'cluster',
        `stonith-enabled=${enabled}: a node that stops answering is assumed dead and its guests start elsewhere while they may still run`,
        `cibadmin -Q: crm_config stonith-enabled=${enabled}; ${where}`,
        [...(devices.length ? [] : addDevice), 'pcs property set stonith-enabled=true (crmsh: crm configure property stonith-enabled=true)'],
      ),
    ];
  }
  if (!devices.length) {
    return [
      finding(
        'error',
        'fencing',
        'cluster',
        'no fence device is configured: Pacemaker cannot fence a lost node and will not recover its guests',
        `cibadmin -Q: no stonith-class primitive; ${where}`,
        addDevice,
      ),
    ];
  }
  return [];
}

type Provider = { kind: 'drbd' | 'filesystem' | 'shared-volumes'; primitive: CibPrimitive; via: string };

/** The cluster resources that provide a guest's disks. */
function providersOf(cib: CibModel, guest: GuestFact): { providers: Provider[]; unmanaged: string[] } {
  const providers: Provider[] = [];
  const unmanaged: string[] = [];
  const add = (p: Provider) => {
    if (!providers.some((x) => x.primitive.id === p.primitive.id)) providers.push(p);
  };
  for (const disk of guest.disks) {
    for (const res of disk.drbd) {
      const p = cib.primitives.find((x) => x.provider === 'linbit' && x.type === 'drbd' && x.params.drbd_resource === res);
      if (p) add({ kind: 'drbd', primitive: p, via: `${disk.disk} is on DRBD resource ${res}` });
      else unmanaged.push(`${disk.disk} is on DRBD resource ${res}, which no ocf:linbit:drbd resource manages`);
    }
    for (const p of cib.primitives.filter((x) => x.type === 'Filesystem' && x.params.directory)) {
      const dir = p.params.directory!.replace(/\/+$/, '');
      if (disk.disk.startsWith(`${dir}/`)) add({ kind: 'filesystem', primitive: p, via: `${disk.disk} lies below ${dir}` });
    }
    for (const p of cib.primitives.filter((x) => x.provider === 'ocfkit' && x.type === 'SharedVolumes' && x.params.volumes)) {
      const lv = /^\/dev\/(?:mapper\/)?([^/]+)\/([^/]+)$/.exec(disk.disk);
      if (!lv) continue;
      const [vg, name] = [lv[1]!, lv[2]!];
      if (p.params.volumes!.split(/[\s,]+/).some((v) => v === vg || v === `${vg}/${name}`))
        add({ kind: 'shared-volumes', primitive: p, via: `${disk.disk} is in volume group ${vg}` });
    }
  }
  return { providers, unmanaged };
}

const PROMOTED = /^(Promoted|Master)$/;

export function checkConstraints(facts: Facts): Finding[] {
  if (!facts.cib.ok) return [];
  const cib = facts.cib.value;
  const out: Finding[] = [];
  for (const guest of facts.guests) {
    const g = cib.primitives.find((p) => p.id === guest.resource);
    if (!g) continue;
    const mine = new Set([g.id, g.group?.id].filter(Boolean) as string[]);
    const { providers, unmanaged } = providersOf(cib, guest);
    for (const text of unmanaged)
      out.push(
        finding('warning', 'constraints', g.id, `${text}: nothing makes the disk Primary before the guest starts`, text, [
          'add an ocf:linbit:drbd promotable clone for it, then the order and colocation constraints doctor names',
        ]),
      );
    for (const { kind, primitive, via } of providers) {
      const top = topId(primitive);
      const promote = kind === 'drbd' && Boolean(primitive.clone?.promotable);
      if (g.group && primitive.group?.id === g.group.id && g.group.members.indexOf(primitive.id) < g.group.members.indexOf(g.id)) continue;
      const ordered = cib.orders.some(
        (o) => o.mandatory && o.first === top && mine.has(o.then) && (!promote || o.firstAction === 'promote') && o.thenAction === 'start',
      );
      const colocated = cib.colocations.some(
        (c) => mine.has(c.rsc) && c.withRsc === top && INFINITY.test(c.score) && (!promote || PROMOTED.test(c.withRole ?? '')),
      );
      const action = promote ? 'promote' : 'start';
      if (!ordered) {
        out.push(
          finding(
            'error',
            'constraints',
            g.id,
            `not ordered after ${top}${promote ? ' is promoted' : ''}: the guest may start before its disk is ${promote ? 'Primary' : 'there'}`,
            `${via} (${primitive.id}); no mandatory rsc_order ${top}:${action} -> ${g.id}:start in cibadmin -Q`,
            [
              `pcs constraint order ${action} ${top} then start ${g.id}`,
              `crm configure order o-${g.id}-after-${top} Mandatory: ${top}:${action} ${g.id}:start`,
            ],
          ),
        );
      }
      if (!colocated) {
        out.push(
          finding(
            'error',
            'constraints',
            g.id,
            `not colocated with ${top}${promote ? ' (Promoted)' : ''}: the guest may start on a node where its disk is not ${promote ? 'Primary' : 'available'}`,
            `${via} (${primitive.id}); no rsc_colocation ${g.id} with ${top}${promote ? ' role Promoted' : ''} score INFINITY in cibadmin -Q`,
            [
              `pcs constraint colocation add ${g.id} with ${promote ? 'Promoted ' : ''}${top} INFINITY`,
              `crm configure colocation c-${g.id}-with-${top} inf: ${g.id} ${top}${promote ? ':Promoted' : ''}`,
            ],
          ),
        );
      }
    }
  }
  return out;
}

export function checkMigration(facts: Facts): Finding[] {
  if (!facts.cib.ok) return [];
  const cib = facts.cib.value;
  const out: Finding[] = [];
  const drbd = facts.drbd?.ok ? facts.drbd.value : undefined;
  for (const guest of facts.guests) {
    const g = cib.primitives.find((p) => p.id === guest.resource);
    if (!g || !isTrue(g.meta['allow-migrate'])) continue;
    for (const res of new Set(guest.disks.flatMap((d) => d.drbd))) {
      const conf = drbd?.find((r) => r.name === res);
      if (conf && conf.options['allow-two-primaries'] !== 'yes') {
        out.push(
          finding(
            'error',
            'migration',
            g.id,
            `allow-migrate=true but DRBD resource ${res} does not allow two primaries: every live migration fails (the target cannot become Primary)`,
            `meta allow-migrate=${g.meta['allow-migrate']}; drbdadm dump-xml: ${res} net allow-two-primaries ${conf.options['allow-two-primaries'] ?? 'not set'}`,
            [
              `in ${res}'s net section: allow-two-primaries yes; (and fencing resource-and-stonith;) then drbdadm adjust ${res}`,
              `or: pcs resource meta ${g.id} allow-migrate=false (crmsh: crm resource meta ${g.id} set allow-migrate false)`,
            ],
          ),
        );
      }
      const clone = cib.primitives.find((p) => p.type === 'drbd' && p.params.drbd_resource === res)?.clone;
      const max = clone?.meta['promoted-max'] ?? clone?.meta['master-max'] ?? '1';
      if (clone?.promotable && Number(max) < 2) {
        out.push(
          finding(
            'error',
            'migration',
            g.id,
            `allow-migrate=true but ${clone.id} lets only ${max} node be Promoted: the migration target cannot promote, every live migration fails`,
            `cibadmin -Q: ${clone.id} promoted-max=${max}`,
            [`pcs resource meta ${clone.id} promoted-max=2`, `crm resource meta ${clone.id} set promoted-max 2`],
          ),
        );
      }
    }
  }
  return out;
}

export function checkIdentity(facts: Facts): Finding[] {
  if (!facts.cib.ok) return [];
  const cib = facts.cib.value;
  const out: Finding[] = [];
  const fsDirs = cib.primitives.filter((p) => p.type === 'Filesystem' && p.params.directory).map((p) => p.params.directory!.replace(/\/+$/, ''));
  for (const guest of facts.guests) {
    const g = cib.primitives.find((p) => p.id === guest.resource);
    if (!g || g.type !== 'VirtualMachine' || !guest.config) continue;
    const underFs = fsDirs.find((d) => guest.config!.startsWith(`${d}/`));
    const shared = guest.configMount && SHARED_FS.has(guest.configMount.fstype);
    if (!underFs && !shared) continue;
    const missing = ['name', 'uuid'].filter((k) => !g.params[k]);
    if (!missing.length) continue;
    const values = missing.map((k) => `${k}=${(k === 'name' ? guest.name : guest.uuid) ?? `<${k}>`}`).join(' ');
    out.push(
      finding(
        'warning',
        'identity',
        g.id,
        `config ${guest.config} lives on shared storage but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: a probe where that storage is not mounted cannot tell whether the guest runs`,
        underFs
          ? `${guest.config} lies below Filesystem directory ${underFs}`
          : `${guest.config} is on ${guest.configMount!.fstype} (${guest.configMount!.target})`,
        [
          `pcs resource update ${g.id} ${values}`,
          `crm resource param ${g.id} set ${missing[0]} ${(missing[0] === 'name' ? guest.name : guest.uuid) ?? `<${missing[0]}>`}${missing.length > 1 ? `; crm resource param ${g.id} set uuid ${guest.uuid ?? '<uuid>'}` : ''}`,
        ],
      ),
    );
  }
  return out;
}
