// Selector -> udev match keys. Property selectors read what earlier rule files set (see the file
// header in render.ts for the order); device-mapper selectors act only on change events that the
// dm rules did not mark DM_UDEV_DISABLE_OTHER_RULES_FLAG=1: a dm device's add event is an empty
// container with no table, and a suspended or private device must be left alone.
import type { Selector } from '../config/block-selectors';
import type { UdevKey } from './keys';

export interface UdevMatch {
  /** only ACTION=="change" (device-mapper) instead of add|change */
  changeOnly: boolean;
  /** the selector's own match keys */
  keys: UdevKey[];
  /** further key sets, one rule line each, when one line cannot express the selector */
  alternatives?: UdevKey[][];
  /** why there are alternatives, for a comment */
  note?: string;
}

const kernel = (value: string): UdevKey => ({ field: 'KERNEL', op: '==', value });
const env = (name: string, value: string): UdevKey => ({ field: 'ENV', name, op: '==', value });
const DM_GUARD: UdevKey[] = [kernel('dm-*'), { field: 'ENV', name: 'DM_UDEV_DISABLE_OTHER_RULES_FLAG', op: '!=', value: '1' }];

export function udevMatch(selector: Selector): UdevMatch {
  switch (selector.kind) {
    case 'kernel':
      return { changeOnly: false, keys: [kernel(selector.patterns.join('|'))] };
    case 'drbd-minor':
      return { changeOnly: false, keys: [kernel(`drbd${selector.minor}`)] };
    case 'drbd-resource':
      // drbd-utils' 65-drbd.rules imports `drbdadm sh-udev`: DRBD 9's drbdadm exports
      // SYMLINK_BY_RES=drbd/by-res/RES/VOLUME, the 8.4 one RESOURCE=RES (RES/VOLUME for volume > 0)
      return {
        changeOnly: false,
        keys: [kernel('drbd*'), env('SYMLINK_BY_RES', `drbd/by-res/${selector.resource}/*`)],
        alternatives: [[kernel('drbd*'), env('RESOURCE', `${selector.resource}|${selector.resource}/*`)]],
        note: 'drbdadm sh-udev names the resource in SYMLINK_BY_RES (DRBD 9) or RESOURCE (8.4): one line each',
      };
    case 'md-name':
      return { changeOnly: false, keys: [kernel('md*'), env('MD_DEVNAME', selector.name)] };
    case 'md-uuid':
      return { changeOnly: false, keys: [kernel('md*'), env('MD_UUID', selector.uuid)] };
    case 'dm-name':
      return { changeOnly: true, keys: [...DM_GUARD, env('DM_NAME', selector.name)] };
    case 'lvm':
      return { changeOnly: true, keys: [...DM_GUARD, env('DM_VG_NAME', selector.vg), env('DM_LV_NAME', selector.lv)] };
    case 'multipath-wwid':
      // multipathd names the dm map's UUID "mpath-" + WWID
      return { changeOnly: true, keys: [...DM_GUARD, env('DM_UUID', `mpath-${selector.wwid}`)] };
    case 'multipath-alias':
      return { changeOnly: true, keys: [...DM_GUARD, env('DM_UUID', 'mpath-?*'), env('DM_NAME', selector.alias)] };
    case 'serial':
      return { changeOnly: false, keys: [env('ID_SERIAL', selector.serial)] };
  }
}
