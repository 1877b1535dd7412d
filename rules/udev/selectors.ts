// Selector -> udev match keys. Property selectors read what earlier rule files set (see the file
// header in render.ts for the order); device-mapper selectors act only on change events that the
// dm rules did not mark DM_UDEV_DISABLE_OTHER_RULES_FLAG=1: a dm device's add event is an empty
// container with no table, and a suspended or private device must be left alone.
import type { Selector } from '../config/block-selectors';

export interface UdevMatch {
  /** only ACTION=="change" (device-mapper) instead of add|change */
  changeOnly: boolean;
  /** the selector's own match keys, already quoted */
  keys: string[];
  /** further key sets, one rule line each, when one line cannot express the selector */
  alternatives?: string[][];
  /** why there are alternatives, for a comment */
  note?: string;
}

/** A value inside "...": the config layer allows no character that udev would treat specially. */
export function quote(value: string): string {
  if (/["\\$%{}\n\r\x00-\x1f]/.test(value)) throw new Error(`internal: unescaped value ${JSON.stringify(value)} reached the udev renderer`);
  return `"${value}"`;
}

const DM_GUARD = ['KERNEL=="dm-*"', 'ENV{DM_UDEV_DISABLE_OTHER_RULES_FLAG}!="1"'];

export function udevMatch(selector: Selector): UdevMatch {
  switch (selector.kind) {
    case 'kernel':
      return { changeOnly: false, keys: [`KERNEL==${quote(selector.patterns.join('|'))}`] };
    case 'drbd-minor':
      return { changeOnly: false, keys: [`KERNEL==${quote(`drbd${selector.minor}`)}`] };
    case 'drbd-resource':
      // drbd-utils' 65-drbd.rules imports `drbdadm sh-udev`: DRBD 9's drbdadm exports
      // SYMLINK_BY_RES=drbd/by-res/RES/VOLUME, the 8.4 one RESOURCE=RES (RES/VOLUME for volume > 0)
      return {
        changeOnly: false,
        keys: ['KERNEL=="drbd*"', `ENV{SYMLINK_BY_RES}==${quote(`drbd/by-res/${selector.resource}/*`)}`],
        alternatives: [['KERNEL=="drbd*"', `ENV{RESOURCE}==${quote(`${selector.resource}|${selector.resource}/*`)}`]],
        note: 'drbdadm sh-udev names the resource in SYMLINK_BY_RES (DRBD 9) or RESOURCE (8.4): one line each',
      };
    case 'md-name':
      return { changeOnly: false, keys: ['KERNEL=="md*"', `ENV{MD_DEVNAME}==${quote(selector.name)}`] };
    case 'md-uuid':
      return { changeOnly: false, keys: ['KERNEL=="md*"', `ENV{MD_UUID}==${quote(selector.uuid)}`] };
    case 'dm-name':
      return { changeOnly: true, keys: [...DM_GUARD, `ENV{DM_NAME}==${quote(selector.name)}`] };
    case 'lvm':
      return { changeOnly: true, keys: [...DM_GUARD, `ENV{DM_VG_NAME}==${quote(selector.vg)}`, `ENV{DM_LV_NAME}==${quote(selector.lv)}`] };
    case 'multipath-wwid':
      // multipathd names the dm map's UUID "mpath-" + WWID
      return { changeOnly: true, keys: [...DM_GUARD, `ENV{DM_UUID}==${quote(`mpath-${selector.wwid}`)}`] };
    case 'multipath-alias':
      return { changeOnly: true, keys: [...DM_GUARD, 'ENV{DM_UUID}=="mpath-?*"', `ENV{DM_NAME}==${quote(selector.alias)}`] };
    case 'serial':
      return { changeOnly: false, keys: [`ENV{ID_SERIAL}==${quote(selector.serial)}`] };
  }
}
