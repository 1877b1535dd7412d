// Pure decisions about LVM volumes: which commands activate or deactivate the targets, which
// lockspaces can stop, whether a VG's lock type fits the backend. No I/O here.
import { assertNever } from '../core/assert';
import { targetName, targetVgs, type VolumeBackend, type LvmTarget } from './config';
import { lvOpen, lvState, vgClustered, type LvRow, type VgRow } from './lvm-report';

export type Argv = [string, ...string[]];

function wholeVgs(targets: LvmTarget[]): string[] {
  return [...new Set(targets.filter((t) => t.lv === undefined).map((t) => t.vg))];
}

/** LV targets whose VG is not also listed whole (a whole VG already covers them). */
function singleLvs(targets: LvmTarget[]): string[] {
  const whole = new Set(wholeVgs(targets));
  return [...new Set(targets.filter((t) => t.lv !== undefined && !whole.has(t.vg)).map(targetName))];
}

/** The commands that activate the backend's volumes on this node, in order. */
export function activationCommands(backend: VolumeBackend): Argv[] {
  switch (backend.kind) {
    case 'lvmlockd':
      // Shared activation needs this node's lock in the VG's lockspace: join it first.
      return [['vgchange', '--lock-start', ...targetVgs(backend.targets)], ...lvmActivation(backend.targets, '-asy')];
    case 'clvmd':
      return lvmActivation(backend.targets, '-asy');
    case 'evms':
      return [['evms_activate', '-q']];
    case 'rescan':
      return [];
    default:
      return assertNever(backend);
  }
}

function lvmActivation(targets: LvmTarget[], flag: '-asy' | '-an'): Argv[] {
  const commands: Argv[] = [];
  const vgs = wholeVgs(targets);
  const lvs = singleLvs(targets);
  if (vgs.length) commands.push(['vgchange', flag, ...vgs]);
  if (lvs.length) commands.push(['lvchange', flag, ...lvs]);
  return commands;
}

/** Commands that deactivate LVM targets (nothing for backends that have no deactivation). */
export function deactivationCommands(backend: VolumeBackend): Argv[] {
  switch (backend.kind) {
    case 'lvmlockd':
    case 'clvmd':
      return lvmActivation(backend.targets, '-an');
    case 'evms': // EVMS has no per-node deactivation; the heartbeat agent's stop was a no-op too
    case 'rescan':
      return [];
    default:
      return assertNever(backend);
  }
}

/** The names the lvs call asks for: whole VGs and single LVs. */
export function lvsArguments(targets: LvmTarget[]): string[] {
  return [...wholeVgs(targets), ...singleLvs(targets)];
}

/** Rows of the target LVs (every LV of a whole VG, or the named LV). */
export function targetRows(targets: LvmTarget[], rows: LvRow[]): LvRow[] {
  const whole = new Set(wholeVgs(targets));
  const single = new Set(singleLvs(targets));
  return rows.filter((row) => whole.has(row.vg) || single.has(`${row.vg}/${row.lv}`));
}

/** Target LVs that are open here (a running guest holds them), and those whose open state lvm cannot tell. */
export function openVolumes(targets: LvmTarget[], rows: LvRow[]): { open: string[]; unknown: string[] } {
  const open: string[] = [];
  const unknown: string[] = [];
  for (const row of targetRows(targets, rows)) {
    if (lvState(row.attr) === 'inactive') continue;
    const flag = lvOpen(row.attr);
    if (flag === true) open.push(`${row.vg}/${row.lv}`);
    else if (flag === 'unknown') unknown.push(`${row.vg}/${row.lv}`);
  }
  return { open, unknown };
}

/**
 * VGs whose lockspace can be left after deactivation: target VGs with no LV active any more
 * (an LV another resource activated keeps the lockspace, and with it its lock, alive).
 */
export function lockStopVgs(targets: LvmTarget[], rowsAfter: LvRow[], vgsNotFound: string[] = []): string[] {
  return targetVgs(targets).filter((vg) => !vgsNotFound.includes(vg) && !rowsAfter.some((row) => row.vg === vg && lvState(row.attr) !== 'inactive'));
}

const LVMLOCKD_LOCK_TYPES = ['dlm', 'sanlock', 'idm'];

/** Why a VG does not fit the backend, one sentence each; empty when all fit. */
export function lockTypeProblems(kind: 'lvmlockd' | 'clvmd', vgs: string[], rows: VgRow[]): string[] {
  const problems: string[] = [];
  for (const vg of vgs) {
    const row = rows.find((r) => r.vg === vg);
    if (!row) {
      problems.push(`volume group ${vg} not found`);
      continue;
    }
    const shown = row.lockType === '' ? 'none (a local VG)' : row.lockType;
    if (kind === 'lvmlockd' && !LVMLOCKD_LOCK_TYPES.includes(row.lockType)) {
      problems.push(
        `volume group ${vg} has lock type ${shown}; backend lvmlockd needs a shared VG (dlm, sanlock or idm: vgcreate --shared or vgchange --locktype)`,
      );
    } else if (kind === 'clvmd' && row.lockType !== 'clvm' && !vgClustered(row.attr)) {
      problems.push(`volume group ${vg} has lock type ${shown} and is not clustered; backend clvmd needs a clustered VG (vgchange -cy)`);
    }
  }
  return problems;
}
