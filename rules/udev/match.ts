// Which devices the generated rules would tune, and to what: the same decisions udev makes with the
// rules file, as a pure function over an inventory so apply and status can be tested without udev.
import { describeSelector, type Selector } from '../config/block-selectors';
import { TUNABLE_NAMES, TUNABLES, type TunableName } from '../config/block-tunables';
import type { BlockEntry } from '../config/block';
import type { SiteConfig } from '../config/site';
import { udevGlobMatch } from './glob';
import type { BlockDevice } from './inventory';

export interface Setting {
  tunable: TunableName;
  attribute: string;
  desired: string;
  /** the config entry that decides the value (the last matching one, as in udev) */
  entry: string;
  /** why the rule does not fire on this device now (md guards), else undefined */
  notApplicable?: string;
}

export interface DeviceTuning {
  device: BlockDevice;
  settings: Setting[];
}

export interface MatchResult {
  matched: DeviceTuning[];
  /** entries that match no device on this host */
  unmatched: Array<{ entry: string; selector: string; name?: string }>;
}

export function selectorMatches(selector: Selector, device: BlockDevice): boolean {
  const p = device.properties;
  const glob = (pattern: string, value: string | undefined) => value !== undefined && udevGlobMatch(pattern, value);
  const dm = () => glob('dm-*', device.name) && p.DM_UDEV_DISABLE_OTHER_RULES_FLAG !== '1';
  switch (selector.kind) {
    case 'kernel':
      return glob(selector.patterns.join('|'), device.name);
    case 'drbd-minor':
      return device.name === `drbd${selector.minor}`;
    case 'drbd-resource':
      return glob('drbd*', device.name) && (glob(`drbd/by-res/${selector.resource}/*`, p.SYMLINK_BY_RES) || glob(`${selector.resource}|${selector.resource}/*`, p.RESOURCE));
    case 'md-name':
      return glob('md*', device.name) && glob(selector.name, p.MD_DEVNAME);
    case 'md-uuid':
      return glob('md*', device.name) && glob(selector.uuid, p.MD_UUID);
    case 'dm-name':
      return dm() && glob(selector.name, p.DM_NAME);
    case 'lvm':
      return dm() && glob(selector.vg, p.DM_VG_NAME) && glob(selector.lv, p.DM_LV_NAME);
    case 'multipath-wwid':
      return dm() && glob(`mpath-${selector.wwid}`, p.DM_UUID);
    case 'multipath-alias':
      return dm() && glob('mpath-?*', p.DM_UUID) && glob(selector.alias, p.DM_NAME);
    case 'serial':
      return glob(selector.serial, p.ID_SERIAL);
  }
}

/** The md guards of the stripe cache rule: the attribute exists (array running) and RAID4/5/6. */
export function mdGuard(device: BlockDevice): string | undefined {
  if (device.attributes['md/stripe_cache_size'] === undefined) return 'no md/stripe_cache_size (not an md array, or the array is not running)';
  const level = device.attributes['md/level'] ?? '';
  if (!udevGlobMatch('raid[456]', level)) return `md level is ${level || 'unknown'}, the stripe cache exists only on raid4/5/6`;
  return undefined;
}

export function matchDevices(config: SiteConfig, devices: BlockDevice[]): MatchResult {
  const matched: DeviceTuning[] = [];
  const hits = new Set<BlockEntry>();
  for (const device of devices) {
    if (device.properties.DEVTYPE !== 'disk') continue; // the rules say ENV{DEVTYPE}=="disk"
    const decided = new Map<TunableName, Setting>();
    for (const entry of config.block.devices) {
      if (!selectorMatches(entry.selector, device)) continue;
      hits.add(entry);
      for (const tunable of TUNABLE_NAMES) {
        const desired = entry.set[tunable];
        if (desired === undefined) continue;
        const spec = TUNABLES[tunable];
        const notApplicable = spec.mdOnly ? mdGuard(device) : undefined;
        // a rule whose guards fail writes nothing, so it does not override an earlier one
        if (notApplicable && decided.has(tunable) && !decided.get(tunable)!.notApplicable) continue;
        decided.set(tunable, { tunable, attribute: spec.attribute, desired, entry: entry.path, ...(notApplicable ? { notApplicable } : {}) });
      }
    }
    if (decided.size) matched.push({ device, settings: TUNABLE_NAMES.flatMap((t) => (decided.has(t) ? [decided.get(t)!] : [])) });
  }
  const unmatched = config.block.devices
    .filter((entry) => !hits.has(entry))
    .map((entry) => ({ entry: entry.path, selector: describeSelector(entry.selector), ...(entry.name ? { name: entry.name } : {}) }));
  return { matched, unmatched };
}
