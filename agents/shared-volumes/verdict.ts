// Pure judgement of what is missing on this node: given what lvm reports and which device nodes
// exist, which expected volumes are not usable here, and why (the why ends up in the exit reason).
import { targetName, type LvmTarget } from './config';
import { lvState, type LvRow } from './lvm-report';

export interface Missing {
  name: string;
  why: string;
}

export interface VolumeVerdict {
  /** volumes expected here that are not usable: a monitor failure naming each */
  missing: Missing[];
  /** volumes active here with their device node present */
  active: string[];
  /** LVs of a whole VG that appeared since the last activation and are not active yet (not a failure) */
  fresh: string[];
  /** LVs activated earlier that no longer exist in the VG's metadata: removed on purpose (not a failure) */
  removed: string[];
}

export function devicePath(devRoot: string, name: string): string {
  return `${devRoot === '/' ? '' : devRoot}/${name}`;
}

/**
 * LVM targets. `recorded` is the set of LVs activated by the last start or rediscovery (monitor
 * mode); without it (start verification) every LV of a whole VG must be active.
 */
export function judgeLvm(input: {
  targets: LvmTarget[];
  rows: LvRow[];
  vgsNotFound: string[];
  devRoot: string;
  exists: (path: string) => boolean;
  recorded?: readonly string[];
}): VolumeVerdict {
  const verdict: VolumeVerdict = { missing: [], active: [], fresh: [], removed: [] };
  const recorded = input.recorded ? new Set(input.recorded) : undefined;
  const seen = new Set<string>();
  const judgeRow = (row: LvRow, mayBeFresh: boolean) => {
    const name = `${row.vg}/${row.lv}`;
    if (seen.has(name)) return;
    seen.add(name);
    const state = lvState(row.attr);
    if (state === 'active') {
      const path = devicePath(input.devRoot, name);
      if (input.exists(path)) verdict.active.push(name);
      else verdict.missing.push({ name, why: `active but its device node ${path} is missing` });
      return;
    }
    if (mayBeFresh && recorded && !recorded.has(name)) {
      verdict.fresh.push(name);
      return;
    }
    const why = state === 'inactive' ? 'not active' : state === 'unknown' ? `state unknown (lv_attr ${row.attr})` : `not usable (lv_attr ${row.attr})`;
    verdict.missing.push({ name, why });
  };
  // Named LVs first: they are judged strictly even when their whole VG is listed too.
  const ordered = [...input.targets.filter((t) => t.lv !== undefined), ...input.targets.filter((t) => t.lv === undefined)];
  for (const target of ordered) {
    if (input.vgsNotFound.includes(target.vg)) {
      verdict.missing.push({ name: targetName(target), why: `volume group ${target.vg} not found` });
      continue;
    }
    if (target.lv !== undefined) {
      const row = input.rows.find((r) => r.vg === target.vg && r.lv === target.lv);
      if (row) judgeRow(row, false);
      else verdict.missing.push({ name: targetName(target), why: 'logical volume not found' });
      continue;
    }
    for (const row of input.rows.filter((r) => r.vg === target.vg)) judgeRow(row, true);
    for (const name of recorded ?? []) {
      if (name.startsWith(`${target.vg}/`) && !input.rows.some((r) => `${r.vg}/${r.lv}` === name)) verdict.removed.push(name);
    }
  }
  return verdict;
}

/** EVMS volumes and rescanned devices: expected device nodes. */
export function judgeDevices(paths: Array<{ name: string; path: string }>, exists: (path: string) => boolean): VolumeVerdict {
  const verdict: VolumeVerdict = { missing: [], active: [], fresh: [], removed: [] };
  for (const { name, path } of paths) {
    if (exists(path)) verdict.active.push(name);
    else verdict.missing.push({ name, why: `device node ${path} is missing` });
  }
  return verdict;
}

/** One line for an exit reason: "vg/lv2 (not active), vg/lv3 (active but ...)". */
export function describeMissing(missing: Missing[]): string {
  return missing.map((m) => `${m.name} (${m.why})`).join(', ');
}
