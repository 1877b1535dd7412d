// Parameter checks and validate-all findings of the migration and stop tuning parameters, kept
// beside each other so validate.ts calls them once.
import { ConfigurationError } from '../ocf/errors';
import type { VmContext, VmParams } from './context';
import { checkMigrateOptions } from './migrate-options';
import { migrateOptionsArgv } from './migration';

/** Every action: syntax only, no command runs. */
export function checkOperationParameters(params: VmParams): void {
  if (params.migrate_options) {
    if (params.backend !== 'libvirt') throw new ConfigurationError('parameter migrate_options is for backend=libvirt (virsh migrate)', 'migrate_options');
    const verdict = checkMigrateOptions(params.migrate_options);
    if (!verdict.ok) throw new ConfigurationError(verdict.reason, 'migrate_options');
  }
}

/** validate-all: what needs the local tools (virsh help migrate). Returns the problems. */
export async function validateOperations(ctx: VmContext): Promise<string[]> {
  const problems: string[] = [];
  if (ctx.params.backend === 'libvirt' && ctx.params.migrate_options) {
    try {
      await migrateOptionsArgv(ctx);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}
