// Which programs a configuration needs. validate looks them up on PATH without running them, so
// the check is cheap enough to precede every monitor.
import { assertNever } from '../core/assert';
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

function stepTool(step: DiscoveryStep): string | undefined {
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
