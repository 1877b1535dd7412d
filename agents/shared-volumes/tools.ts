// Which programs a configuration needs, and whether they are on PATH. Looked up without running
// them, so the check is cheap enough to precede every monitor.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { assertNever } from '../ocf/parameters';
import type { DiscoveryStep, VolumesConfig } from './config';

export function requiredTools(config: VolumesConfig): string[] {
  const tools: string[] = [];
  switch (config.backend.kind) {
    case 'lvmlockd':
      tools.push('lvs', 'vgs', 'vgchange', 'lvchange', 'lvmlockctl');
      break;
    case 'clvmd':
      tools.push('lvs', 'vgs', 'vgchange', 'lvchange');
      break;
    case 'evms':
      tools.push('evms_activate');
      break;
    case 'rescan':
      break;
    default:
      assertNever(config.backend);
  }
  for (const step of config.discovery) {
    const tool = stepTool(step);
    if (tool) tools.push(tool);
  }
  return [...new Set(tools)];
}

export function stepTool(step: DiscoveryStep): string | undefined {
  switch (step) {
    case 'iscsi':
      return 'iscsiadm';
    case 'scsi':
      return undefined; // a sysfs write
    case 'multipath':
      return 'multipath';
    case 'pvscan':
      return 'pvscan';
    default:
      return assertNever(step);
  }
}

/** The full path of `name` on `searchPath`, or undefined. */
export function findOnPath(name: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
