// Reads this node's view of the volumes: one lvs call for LVM backends, device-node checks for
// all, judged by the pure verdict (verdict.ts). readLvs is also stop's view of the LVs.
import { existsSync } from 'node:fs';
import { lastLine, type Executor } from '../core/executor';
import { GenericError } from '../core/errors';
import { assertNever } from '../core/assert';
import type { LvmTarget, VolumesConfig } from './config';
import { parseLvsReport, ReportFormatError, vgsNotFound, type LvRow } from './lvm-report';
import { lvsArguments } from './plan';
import { devicePath, judgeDevices, judgeLvm, type VolumeVerdict } from './verdict';

export const LVS_FIELDS = 'vg_name,lv_name,lv_attr,vg_lock_type';

export interface LvmView {
  rows: LvRow[];
  vgsNotFound: string[];
}

export async function readLvs(exec: Executor, targets: LvmTarget[]): Promise<LvmView> {
  const result = await exec.run('lvs', ['--reportformat', 'json', '-o', LVS_FIELDS, ...lvsArguments(targets)]);
  try {
    // exit 5 with rows: some named VG or LV does not exist; the rows of the others are still valid
    return { rows: parseLvsReport(result.stdout), vgsNotFound: vgsNotFound(result.stderr) };
  } catch (error) {
    const why = error instanceof ReportFormatError ? error.message : String(error);
    throw new GenericError(
      `${result.argv.join(' ')} (exit ${result.exitCode}): ${why}${lastLine(result.stderr) ? `; stderr: ${lastLine(result.stderr)}` : ''}`,
    );
  }
}

export async function inspect(config: VolumesConfig, exec: Executor, recorded?: readonly string[]): Promise<VolumeVerdict> {
  const exists = (path: string) => existsSync(path);
  const backend = config.backend;
  switch (backend.kind) {
    case 'lvmlockd':
    case 'clvmd': {
      const view = await readLvs(exec, backend.targets);
      return judgeLvm({ targets: backend.targets, rows: view.rows, vgsNotFound: view.vgsNotFound, devRoot: config.devRoot, exists, recorded });
    }
    case 'evms':
      return judgeDevices(
        backend.volumes.map((name) => ({ name, path: devicePath(config.devRoot, `evms/${name}`) })),
        exists,
      );
    case 'rescan':
      return judgeDevices(
        backend.devices.map((name) => ({ name, path: devicePath(config.devRoot, name) })),
        exists,
      );
    default:
      return assertNever(backend);
  }
}
