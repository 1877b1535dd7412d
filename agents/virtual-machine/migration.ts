// Live migration. migrate_to runs on the source: guards (with the handoff allowances), hand the
// lease to the target, migrate. migrate_from runs on the target after the migration finished: it
// checks the guest runs here and takes the lease; it never waits for something that will not
// happen (ocf-tester calls it on a stopped resource).
import { lastLine } from '../core/executor';
import { ConfigurationError, GenericError } from '../core/errors';
import { OcfExit } from '../core/exit-codes';
import type { ActionOutcome } from '../ocf/spec';
import { describeRef, type MigrationRequest } from './backend';
import { expandNodeTemplate } from './cluster-facts';
import { backendFor, guardSettings, guestLabel, remoteUri, selfName, type VmContext } from './config';
import type { Handoff } from './guards';
import { ensureShutdownOrdering } from './host-ordering';
import { remember, resolveIdentity } from './identity';
import { waitForState } from './lifecycle';
import { acquireLease } from './lease-store';
import { checkMigrateOptions, parseVirshHelpOptions } from './migrate-options';
import { parseMonitorScripts, waitForMonitorScripts } from './monitor-scripts';
import { runGuards, takeLease } from './run-guards';
import { startResourcesFor } from './start-resources';

export interface MigrationParams {
  hypervisor: string;
  migration_transport: string;
  migration_uri?: string | undefined;
  migrateuri?: string | undefined;
  migration_network_suffix?: string | undefined;
  migration_downtime?: number | undefined;
  migration_speed?: number | undefined;
  migration_ssh_command?: string | undefined;
}

/**
 * The part of the migrate_to time given to the migration itself: the rest (a quarter, 2 s to
 * 15 s) is kept to abort a migration that does not converge and to see the guest still here.
 * Pure.
 */
export function migrationAbortAfterMs(remainingMs: number): number {
  return Math.max(0, remainingMs - Math.min(15000, Math.max(2000, remainingMs * 0.25)));
}

/**
 * A node attribute's value on a node (`crm_attribute --type nodes --query --quiet` prints the
 * bare value; exit 105 with "No such device or address" when the node has none). A missing or
 * empty value refuses the migration: guessing an address could send the memory elsewhere.
 */
export async function nodeAttribute(ctx: VmContext, node: string, attribute: string): Promise<string> {
  const result = await ctx.exec.run('crm_attribute', ['--type', 'nodes', '--node', node, '--name', attribute, '--query', '--quiet'], { timeoutMs: 10000 });
  const value = result.stdout.trim();
  if (result.exitCode !== 0 || !value) {
    const why = result.exitCode === 0 ? 'it is empty' : (lastLine(result.stderr) ?? '');
    throw new GenericError(
      `node_ip_attribute: node ${node} has no ${attribute} (${why}); set it: crm_attribute --type nodes --node ${node} --name ${attribute} --update <address>`,
    );
  }
  if (/\s|[/@]/.test(value)) throw new GenericError(`node_ip_attribute: ${attribute}="${value}" on node ${node} is not an address`);
  return value;
}

/** migrate_options checked against this node's virsh; a refusal is the exit reason. */
export async function migrateOptionsArgv(ctx: VmContext): Promise<string[]> {
  const text = ctx.params.migrate_options;
  if (!text) return [];
  const help = await ctx.exec.run('virsh', ['help', 'migrate'], { timeoutMs: 10000 });
  if (help.exitCode !== 0) throw new GenericError(`cannot check migrate_options: virsh help migrate failed: ${lastLine(help.stderr) ?? ''}`);
  const verdict = checkMigrateOptions(text, parseVirshHelpOptions(help.stdout));
  if (!verdict.ok) throw new GenericError(verdict.reason);
  return verdict.argv;
}

/**
 * The migration network's name of a node: the suffix goes before the first dot, so an FQDN keeps
 * its domain (node2.example.com + "-mig" -> node2-mig.example.com), as VirtualDomain does. Pure.
 */
export function migrationHost(node: string, suffix: string | undefined): string {
  if (!suffix) return node;
  const dot = node.indexOf('.');
  return dot < 0 ? node + suffix : node.slice(0, dot) + suffix + node.slice(dot);
}

/**
 * The destination and data URIs for a target node. Pure. `targetAddress` (node_ip_attribute's
 * value on the target) is the data path's host instead of the suffixed node name.
 */
export function migrationRequest(params: MigrationParams, target: string, timeoutMs: number, targetAddress?: string): MigrationRequest {
  const host = targetAddress ?? migrationHost(target, params.migration_network_suffix);
  const expand = (template: string) => expandNodeTemplate(template, target, { h: host });
  let destinationUri: string;
  if (params.migration_uri) {
    destinationUri = expand(params.migration_uri);
  } else {
    const derived = remoteUri(params.hypervisor, params.migration_transport, target);
    if (!derived) throw new ConfigurationError(`cannot derive a migration URI from hypervisor="${params.hypervisor}"; set migration_uri`, 'migration_uri');
    destinationUri = derived;
  }
  const request: MigrationRequest = { target, destinationUri, targetHost: host, timeoutMs };
  if (params.migrateuri) request.migrateUri = expand(params.migrateuri);
  else if (params.migration_network_suffix || targetAddress) request.migrateUri = `tcp://${targetAddress?.includes(':') ? `[${host}]` : host}`;
  if (params.migration_downtime) request.maxDowntimeMs = params.migration_downtime;
  if (params.migration_speed) request.bandwidthMiBs = params.migration_speed;
  if (params.migration_ssh_command) request.sshCommand = params.migration_ssh_command;
  return request;
}

export async function migrateTo(ctx: VmContext): Promise<ActionOutcome> {
  const { params, env, log } = ctx;
  const target = env.migrateTarget;
  if (!target) throw new GenericError('migrate_to needs the target node (OCF_RESKEY_CRM_meta_migrate_target, set by Pacemaker)');
  const self = await selfName(ctx);
  if (target === self) throw new GenericError(`migrate_to: the target ${target} is this node`);
  const identity = resolveIdentity(params, false);
  const ref = identity.ref;
  const backend = backendFor(params, ctx.exec);
  const { state } = await backend.state(ref);
  if (state !== 'running' && state !== 'blocked' && state !== 'paused')
    throw new GenericError(`migrate_to: ${describeRef(ref)} is ${state} here, nothing to migrate`);
  const handoff: Handoff = { role: 'source', source: self, target };
  const settings = guardSettings(params, self);
  const seen = await runGuards(settings, { ref, guest: guestLabel(ref), disks: identity.facts?.disks, handoff }, ctx.exec, log);
  const extraArgs = params.backend === 'libvirt' ? await migrateOptionsArgv(ctx) : [];
  const address = params.node_ip_attribute ? await nodeAttribute(ctx, target, params.node_ip_attribute) : undefined;
  const request = migrationRequest(params, target, ctx.deadline.remainingMs(), address);
  if (extraArgs.length) request.extraArgs = extraArgs;
  if (params.backend === 'libvirt') request.abortAfterMs = migrationAbortAfterMs(request.timeoutMs);
  // The target's libvirt must have the guest's networks and pools active when the memory arrives
  // (its prepare step fails "network 'x' is not active"); migrate_from runs only after the
  // memory has moved, too late, so the source starts them on the target through the migration URI.
  await startResourcesFor(ctx.exec, params, log, { node: target, uri: request.destinationUri });
  // The lease moves before the memory does: a crash mid-migration leaves it with the target, and
  // the source's stop will not release a lease it no longer holds.
  takeLease(settings, { guest: guestLabel(ref), holder: target, handoffFrom: self, handoff, seen: seen.lease }, log);
  log.info(`migrating ${describeRef(ref)} to ${target} (${request.destinationUri}${request.migrateUri ? `, data ${request.migrateUri}` : ''})`);
  try {
    await backend.migrate(ref, request);
  } catch (error) {
    // the guest stays here: so does the lease, unless the target has taken it meanwhile
    const back = acquireLease(settings, { guest: guestLabel(ref), self, handoff, handback: true, handoffFrom: target }, log);
    if (!back.ok) log.err(`the migration failed and the lease could not be taken back: ${back.reason}`);
    throw error;
  }
  return OcfExit.SUCCESS;
}

export async function migrateFrom(ctx: VmContext): Promise<ActionOutcome> {
  const { params, env, log } = ctx;
  const self = await selfName(ctx);
  const source = env.migrateSource;
  const identity = resolveIdentity(params, false);
  const ref = identity.ref;
  const backend = backendFor(params, ctx.exec);
  // In a real handoff migrate_to has returned, so the guest is here or about to be: wait a few
  // seconds at most. Without a source (a manual call, ocf-tester) look once.
  const limit = source ? Math.min(10000, ctx.deadline.remainingMs()) : 0;
  const state = await waitForState(backend, ref, ctx, (s) => s === 'running' || s === 'blocked', limit);
  if (state !== 'running' && state !== 'blocked') {
    throw new GenericError(
      `migrate_from: ${describeRef(ref)} is ${state} on ${self}${source ? ` after the migration from ${source}` : ' (no migration source given)'}`,
    );
  }
  remember(params.state_dir, env.instance, ref);
  await ensureShutdownOrdering(ctx);
  const settings = guardSettings(params, self);
  if (source) {
    const handoff: Handoff = { role: 'target', source, target: self };
    const seen = await runGuards(settings, { ref, guest: guestLabel(ref), disks: identity.facts?.disks, handoff }, ctx.exec, log);
    takeLease(settings, { guest: guestLabel(ref), handoffFrom: source, handoff, seen: seen.lease }, log);
  } else {
    takeLease(settings, { guest: guestLabel(ref) }, log);
  }
  await waitForMonitorScripts(ctx.exec, parseMonitorScripts(params.monitor_scripts), ctx.deadline, log);
  return OcfExit.SUCCESS;
}
