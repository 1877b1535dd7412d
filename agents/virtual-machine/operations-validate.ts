// Parameter checks and validate-all findings of the migration and stop tuning parameters, kept
// beside each other so validate.ts calls them once.
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../core/errors';
import { readGuestFacts } from './identity';
import type { VmContext, VmParams } from './config';
import { checkMigrateOptions } from './migrate-options';
import { selfName } from './config';
import { checkLibvirtGuests } from './host-ordering';
import { migrateOptionsArgv, nodeAttribute } from './migration';
import { parseShutdownMode, xlIsHvm } from './shutdown';
import { parseXlConfig } from './xl-config';

/** Every action: syntax only, no command runs. */
export function checkOperationParameters(params: VmParams): void {
  if (params.node_ip_attribute !== undefined && !/^[A-Za-z0-9_.#-]+$/.test(params.node_ip_attribute)) {
    throw new ConfigurationError(`parameter node_ip_attribute="${params.node_ip_attribute}" is not a node attribute name`, 'node_ip_attribute');
  }
  if (params.migration_ssh_command !== undefined) {
    if (params.backend !== 'xl') throw new ConfigurationError('parameter migration_ssh_command is for backend=xl (xl migrate -s)', 'migration_ssh_command');
    if (!params.migration_ssh_command.trim() || /[\n\r]/.test(params.migration_ssh_command))
      throw new ConfigurationError(`parameter migration_ssh_command must be one line naming a command`, 'migration_ssh_command');
  }
  if (params.shutdown_mode) {
    const parsed = parseShutdownMode(params.shutdown_mode, params.backend);
    if (!parsed.ok) throw new ConfigurationError(parsed.reason, 'shutdown_mode');
  }
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
  if (ctx.params.node_ip_attribute) {
    // this node's own value: a node the guest can migrate to needs one too (a warning: the
    // cluster may be down while validate-all runs)
    const self = await selfName(ctx);
    await nodeAttribute(ctx, self, ctx.params.node_ip_attribute).then(
      (address) => ctx.log.info(`node_ip_attribute: migrations to ${self} go to ${address}`),
      (error: Error) => ctx.log.warn(error.message),
    );
  }
  if (ctx.params.backend === 'libvirt') (await checkLibvirtGuests(ctx)).forEach((w) => ctx.log.warn(w));
  const modes = ctx.params.shutdown_mode ? parseShutdownMode(ctx.params.shutdown_mode, ctx.params.backend) : undefined;
  if (modes?.ok && ctx.params.backend === 'xl' && modes.modes.includes('acpi') && ctx.params.config) {
    // the ACPI power button exists only for HVM guests: a PV guest would never see it
    if (!xlIsHvm(parseXlConfig(readFileSync(ctx.params.config, 'utf8'))))
      problems.push(`shutdown_mode=${ctx.params.shutdown_mode}: acpi (xl trigger power) needs an HVM guest, and ${ctx.params.config} has no type = "hvm"`);
  }
  if (modes?.ok && ctx.params.backend === 'libvirt' && modes.modes.length === 1 && modes.modes[0] === 'agent' && ctx.params.config) {
    const facts = readGuestFacts(ctx.params.config, 'libvirt');
    if (!facts.hasGuestAgent)
      problems.push(`shutdown_mode=agent: ${ctx.params.config} has no qemu guest agent channel (org.qemu.guest_agent.0), so the guest could only be destroyed`);
  }
  return problems;
}
