// stop: deactivate what start activated, never under a running guest.
import { runOk } from '../core/executor';
import { GenericError } from '../core/errors';
import { OcfExit } from '../core/exit-codes';
import type { ActionOutcome } from '../ocf/spec';
import { targetName, targetVgs, type LvmTarget, type VolumesConfig, type VolumesContext } from './config';
import { readLvs, type LvmView } from './inspect';
import { lvState } from './lvm-report';
import { deactivationCommands, lockStopVgs, openVolumes, targetRows } from './plan';
import { markerPath, removeMarker } from './state';

/** Targets that still exist: a VG or LV that is gone cannot be deactivated and must not fail stop. */
function existingTargets(targets: LvmTarget[], view: LvmView): LvmTarget[] {
  return targets.filter((t) => !view.vgsNotFound.includes(t.vg) && (t.lv === undefined || view.rows.some((r) => r.vg === t.vg && r.lv === t.lv)));
}

export async function stop(ctx: VolumesContext): Promise<ActionOutcome> {
  const config = ctx.config;
  const marker = markerPath(config.stateDir, ctx.env.instance);
  if (!config.deactivateOnStop) {
    ctx.log.info('deactivate_on_stop=false: leaving the volumes active');
  } else {
    await deactivate(ctx, config);
  }
  removeMarker(marker);
  return OcfExit.SUCCESS;
}

async function deactivate(ctx: VolumesContext, config: VolumesConfig): Promise<void> {
  const backend = config.backend;
  if (backend.kind === 'evms' || backend.kind === 'rescan') {
    ctx.log.info(`backend ${backend.kind} has no per-node deactivation; volumes stay visible`);
    return;
  }
  const before = await readLvs(ctx.exec, backend.targets);
  const targets = existingTargets(backend.targets, before);
  if (targets.length < backend.targets.length)
    ctx.log.warn(
      `not found, nothing to deactivate: ${backend.targets
        .filter((t) => !targets.includes(t))
        .map(targetName)
        .join(' ')}`,
    );
  const { open, unknown } = openVolumes(targets, before.rows);
  if (open.length) {
    throw new GenericError(
      `refusing to deactivate ${open.join(', ')}: open here (in use, e.g. by a running guest); stop what uses ${open.length > 1 ? 'them' : 'it'} first`,
    );
  }
  if (unknown.length) {
    throw new GenericError(
      `refusing to deactivate ${unknown.join(', ')}: lvm cannot tell whether ${unknown.length > 1 ? 'they are' : 'it is'} open (no device-mapper?)`,
    );
  }
  const needed = targets.length > 0 && targetRows(targets, before.rows).some((row) => lvState(row.attr) !== 'inactive');
  if (needed) {
    for (const [file, ...args] of deactivationCommands({ ...backend, targets })) await runOk(ctx.exec, file, args);
  }
  if (backend.kind !== 'lvmlockd' || targets.length === 0) return;
  // One read of the whole VGs after deactivating: it shows whether the targets went inactive and
  // whether any other LV of their VGs is still active. For whole-VG targets the view from before
  // is already that, when nothing needed deactivating.
  const wholeVgsOnly = targets.every((t) => t.lv === undefined);
  const after =
    !needed && wholeVgsOnly
      ? before
      : await readLvs(
          ctx.exec,
          targetVgs(targets).map((vg) => ({ vg })),
        );
  const still = targetRows(targets, after.rows).filter((row) => lvState(row.attr) !== 'inactive');
  if (still.length) throw new GenericError(`still active after deactivation: ${still.map((r) => `${r.vg}/${r.lv}`).join(', ')}`);
  // Leaving a lockspace releases this node's locks in it; only when no LV of the VG is active here.
  const vgs = lockStopVgs(targets, after.rows, after.vgsNotFound);
  if (vgs.length) await runOk(ctx.exec, 'vgchange', ['--lock-stop', ...vgs]);
}
