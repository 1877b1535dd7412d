// How a block.devices entry names its devices. A discriminated union: every consumer (the udev
// match keys, which the renderer writes and the inventory matcher evaluates; the functions below)
// switches over `kind` exhaustively, so a new selector does not compile until every site handles it.
import { integer, object, oneOrMany, string, type Schema } from './schema';
import { KERNEL_GLOB, NAME_GLOB, namedGlob } from './strings';

export type Selector =
  | { kind: 'kernel'; patterns: string[] }
  | { kind: 'drbd-resource'; resource: string }
  | { kind: 'drbd-minor'; minor: number }
  | { kind: 'dm-name'; name: string }
  | { kind: 'lvm'; vg: string; lv: string }
  | { kind: 'md-name'; name: string }
  | { kind: 'md-uuid'; uuid: string }
  | { kind: 'multipath-wwid'; wwid: string }
  | { kind: 'multipath-alias'; alias: string }
  | { kind: 'serial'; serial: string };

const kernelGlob = string(
  'a kernel name pattern such as sd*, vd*, nvme*n*, xvd*',
  namedGlob(KERNEL_GLOB, 'a kernel name pattern', 'block device', 'name a family such as sd* or vd*'),
);
const name = (what: string) => string(what, namedGlob(NAME_GLOB, what, 'device of its kind', 'a pattern needs at least one literal character'));
const mdUuid = string('an md UUID as mdadm prints it (xxxxxxxx:xxxxxxxx:xxxxxxxx:xxxxxxxx)', (value) =>
  /^[0-9a-fA-F]{8}(:[0-9a-fA-F]{8}){3}$/.test(value)
    ? undefined
    : `${JSON.stringify(value)} is not an md UUID as mdadm --detail prints it (xxxxxxxx:xxxxxxxx:xxxxxxxx:xxxxxxxx)`,
);

const MATCH = object(
  {
    kernel: { schema: oneOrMany(kernelGlob) },
    drbd: {
      schema: object({ resource: { schema: name('a DRBD resource name') }, minor: { schema: integer(0, 1048575) } }, { exactlyOne: ['resource', 'minor'] }),
    },
    dm: { schema: object({ name: { schema: name('a device-mapper name'), required: true } }) },
    lvm: {
      schema: object({ vg: { schema: name('an LVM volume group name'), required: true }, lv: { schema: name('an LVM logical volume name'), required: true } }),
    },
    md: { schema: object({ name: { schema: name('an md array name (/dev/md/NAME)') }, uuid: { schema: mdUuid } }, { exactlyOne: ['name', 'uuid'] }) },
    multipath: {
      schema: object({ wwid: { schema: name('a multipath WWID') }, alias: { schema: name('a multipath alias') } }, { exactlyOne: ['wwid', 'alias'] }),
    },
    serial: { schema: name('a disk serial as in /dev/disk/by-id (ID_SERIAL)') },
  },
  { exactlyOne: ['kernel', 'drbd', 'dm', 'lvm', 'md', 'multipath', 'serial'], expected: 'a selector: one of kernel, drbd, dm, lvm, md, multipath, serial' },
);

export const SELECTOR: Schema<Selector> = {
  expected: MATCH.expected,
  read(ctx, node, path) {
    const m = MATCH.read(ctx, node, path);
    if (m.kernel) return { kind: 'kernel', patterns: m.kernel };
    if (m.drbd) return m.drbd.resource !== undefined ? { kind: 'drbd-resource', resource: m.drbd.resource } : { kind: 'drbd-minor', minor: m.drbd.minor! };
    if (m.dm) return { kind: 'dm-name', name: m.dm.name! };
    if (m.lvm) return { kind: 'lvm', vg: m.lvm.vg!, lv: m.lvm.lv! };
    if (m.md) return m.md.name !== undefined ? { kind: 'md-name', name: m.md.name } : { kind: 'md-uuid', uuid: m.md.uuid!.toLowerCase() };
    if (m.multipath)
      return m.multipath.wwid !== undefined ? { kind: 'multipath-wwid', wwid: m.multipath.wwid } : { kind: 'multipath-alias', alias: m.multipath.alias! };
    return { kind: 'serial', serial: m.serial! };
  },
};

/** One line for comments and reports: "kernel sd*|vd*", "lvm vg0/data" */
export function describeSelector(selector: Selector): string {
  switch (selector.kind) {
    case 'kernel':
      return `kernel ${selector.patterns.join('|')}`;
    case 'drbd-resource':
      return `drbd resource ${selector.resource}`;
    case 'drbd-minor':
      return `drbd minor ${selector.minor}`;
    case 'dm-name':
      return `dm ${selector.name}`;
    case 'lvm':
      return `lvm ${selector.vg}/${selector.lv}`;
    case 'md-name':
      return `md ${selector.name}`;
    case 'md-uuid':
      return `md uuid ${selector.uuid}`;
    case 'multipath-wwid':
      return `multipath wwid ${selector.wwid}`;
    case 'multipath-alias':
      return `multipath alias ${selector.alias}`;
    case 'serial':
      return `serial ${selector.serial}`;
  }
}

/** Whether the selector can name an md array (stripe_cache_size is md-only). */
export function canBeMd(selector: Selector): boolean {
  switch (selector.kind) {
    case 'md-name':
    case 'md-uuid':
      return true;
    case 'kernel':
      return selector.patterns.every((p) => /^md/.test(p));
    case 'drbd-resource':
    case 'drbd-minor':
    case 'dm-name':
    case 'lvm':
    case 'multipath-wwid':
    case 'multipath-alias':
    case 'serial':
      return false;
  }
}
