// Which devices the generated rules would tune, and to what: the same decisions udev makes with the
// rules file, as a pure function over an inventory so apply and status can be tested without udev.
import { describeSelector, type Selector } from '../config/block-selectors';
import { TUNABLE_NAMES, TUNABLES, type TunableName } from '../config/block-tunables';
import type { BlockEntry } from '../config/block';
import type { SiteConfig } from '../config/site';
import type { BlockDevice } from './inventory';
import { eventKeys, keyMatches, MD_GUARDS } from './keys';
import { udevMatch } from './selectors';

interface Setting {
  tunable: TunableName;
  attribute: string;
  desired: string;
  /** the config entry that decides the value (the last matching one, as in udev) */
  entry: string;
  /** why the rule does not fire on this device now (md guards), else undefined */
  notApplicable?: string;
}

interface DeviceTuning {
  device: BlockDevice;
  settings: Setting[];
}

export interface MatchResult {
  matched: DeviceTuning[];
  /** entries that match no device on this host */
  unmatched: Array<{ entry: string; selector: string; name?: string }>;
}

/**
 * Whether a rule line of this selector fires on the device: the event keys and the selector's keys
 * of at least one of its lines (udevMatch), evaluated as udev would. The tunables' own guards are
 * mdGuard's.
 */
export function selectorMatches(selector: Selector, device: BlockDevice): boolean {
  const match = udevMatch(selector);
  const event = eventKeys(match.changeOnly);
  return [match.keys, ...(match.alternatives ?? [])].some((keys) => [...event, ...keys].every((key) => keyMatches(key, device)));
}

/** The md guards of the stripe cache rule (MD_GUARDS): why the first one fails, else undefined. */
function mdGuard(device: BlockDevice): string | undefined {
  return MD_GUARDS.find((guard) => !keyMatches(guard.key, device))?.unmet(device);
}

export function matchDevices(config: SiteConfig, devices: BlockDevice[]): MatchResult {
  const matched: DeviceTuning[] = [];
  const hits = new Set<BlockEntry>();
  for (const device of devices) {
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
