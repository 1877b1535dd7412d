// The generated rules file. Pure: config in, text out, so the output is compared with checked-in
// expected files. One rule line per tunable, self-contained (event, subsystem, whole disk,
// selector, guards, assignment), in config order: when two entries set the same attribute on one
// device, the later one wins, as in udev.
import { GENERATED_MARKER } from '../../agents/core/files';
import { describeSelector } from '../config/block-selectors';
import { ConfigError } from '../config/errors';
import { TUNABLE_NAMES, TUNABLES } from '../config/block-tunables';
import type { BlockEntry } from '../config/block';
import type { SiteConfig } from '../config/site';
import { formatBytes } from '../config/sizes';
import { eventKeys, MD_GUARDS, quote, renderKey } from './keys';
import { udevMatch } from './selectors';

export interface RenderMeta {
  version: string;
  /** the config path as given, shown in the header */
  source: string;
  /** bytes; the stripe cache costs one page per member disk per entry */
  pageSize: number;
}

const HEADER = (meta: RenderMeta) => `# ${GENERATED_MARKER} ${meta.version} from ${commentText(meta.source)}.
# Do not edit: change the config and run "ocfkit udev generate" (or "ocfkit udev apply").
# ocfkit replaces this file; it never overwrites a rules file it did not generate.
#
# Why 83-: udev reads /usr/lib/udev/rules.d, /etc/udev/rules.d and /run/udev/rules.d as one list
# sorted by file name. The selectors below read properties that earlier files set:
#   DM_NAME, DM_UUID, DM_UDEV_DISABLE_OTHER_RULES_FLAG  10-dm.rules, 13-dm-disk.rules
#                                                       (Debian: 55-dm.rules, 60-persistent-storage-dm.rules)
#   DM_VG_NAME, DM_LV_NAME                              11-dm-lvm.rules (Debian: 56-lvm.rules)
#   ID_SERIAL                                           60-persistent-storage.rules
#   MD_DEVNAME, MD_UUID                                 63-md-raid-arrays.rules
#   SYMLINK_BY_RES, RESOURCE                            65-drbd.rules
# so this file sorts after all of them.
# Why add|change: md attributes appear only when an array starts, and the kernel recomputes
# readahead when a dm table is loaded or a DRBD disk attaches; those are change events.
# Why DEVTYPE=="disk": partitions have no queue attributes.
# Device-mapper rules run on change only: the add event of a dm device carries no table yet.
`;

export function renderRules(config: SiteConfig, meta: RenderMeta): string {
  const blocks = config.block.devices.map((entry) => renderEntry(entry, config, meta));
  const body = blocks.length ? blocks.join('\n') : '# (the config has no block.devices entries)\n';
  return `${HEADER(meta)}\n${body}`;
}

function renderEntry(entry: BlockEntry, config: SiteConfig, meta: RenderMeta): string {
  const where = entry.position ? `${basename(config.file)}:${entry.position.line}` : basename(config.file);
  const label = entry.name ? ` "${entry.name}"` : '';
  const lines = [`# ${entry.path} (${commentText(where)})${label}: ${describeSelector(entry.selector)}`];
  const match = udevMatch(entry.selector);
  const event = eventKeys(match.changeOnly);
  const keySets = [match.keys, ...(match.alternatives ?? [])];
  if (match.note) lines.push(`# ${match.note}`);
  for (const name of TUNABLE_NAMES) {
    const value = entry.set[name];
    if (value === undefined) continue;
    const spec = TUNABLES[name];
    const guards = spec.mdOnly ? MD_GUARDS.map((guard) => guard.key) : [];
    if (name === 'stripe_cache_size') lines.push(`# ${stripeCacheCost(Number(value), meta.pageSize)}`);
    const assignment = `ATTR{${spec.attribute}}=${quote(value)}`;
    for (const keys of keySets) lines.push(bounded([...event, ...keys, ...guards].map(renderKey).concat(assignment).join(', '), entry, config));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * udev reads rules files in lines of at most 16 KiB: a longer line makes it stop reading the rest of
 * the file, silently dropping every rule after it (ours and the admin's). Half of that is plenty.
 */
const MAX_RULE_LINE = 8192;

function bounded(line: string, entry: BlockEntry, config: SiteConfig): string {
  const bytes = Buffer.byteLength(line);
  if (bytes > MAX_RULE_LINE) {
    throw new ConfigError(
      config.file,
      entry.position,
      `${entry.path}: its udev rule line would be ${bytes} bytes, over the ${MAX_RULE_LINE} ocfkit writes (udev stops reading a rules file at a line over 16 KiB): split the entry`,
    );
  }
  return line;
}

/**
 * "stripe_cache_size 8192 costs 32 MiB per member disk (page size 4096 x 8192); 4 member disks: 128 MiB",
 * or with memberDisks = 4: "... (page size 4096 x 8192): 128 MiB for 4 member disks"
 */
export function stripeCacheCost(value: number, pageSize: number, memberDisks?: number): string {
  const perDisk = value * pageSize;
  const total = memberDisks ? `: ${formatBytes(perDisk * memberDisks)} for ${memberDisks} member disks` : `; 4 member disks: ${formatBytes(perDisk * 4)}`;
  return `stripe_cache_size ${value} costs ${formatBytes(perDisk)} per member disk (page size ${pageSize} x ${value})${total}`;
}

/** The memory notes generate prints, one per md entry. */
export function stripeCacheNotes(config: SiteConfig, pageSize: number): string[] {
  return config.block.devices
    .filter((entry) => entry.set.stripe_cache_size !== undefined)
    .map((entry) => `${entry.path} (${describeSelector(entry.selector)}): ${stripeCacheCost(Number(entry.set.stripe_cache_size), pageSize)}`);
}

/** Text safe for a comment line (no line breaks; odd characters escaped as JSON). */
function commentText(text: string): string {
  return /^[A-Za-z0-9_./@+:, -]*$/.test(text) ? text : JSON.stringify(text);
}

function basename(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
