// start_resources: the libvirt networks and storage pools a guest's XML uses are started before the
// guest when they are defined but inactive (after a host reboot without autostart, say); otherwise
// `virsh create` fails with "network 'x' is not active" and the cluster tries the next node.
import { readFileSync } from 'node:fs';
import { lastLine, type Executor } from '../core/executor';
import { ConfigurationError, GenericError } from '../core/errors';

const attr = (element: string, name: string) => new RegExp(`\\b${name}=['"]([^'"]+)['"]`).exec(element)?.[1];

/** The networks (<interface type='network'>) and pools (<disk type='volume'>) a domain XML uses. Pure. */
export function guestResources(xml: string): { networks: string[]; pools: string[] } {
  const body = xml.replace(/<!--[\s\S]*?-->/g, '');
  const networks = new Set<string>();
  const pools = new Set<string>();
  for (const iface of body.matchAll(/<interface\b[^>]*\btype=['"]network['"][\s\S]*?<\/interface>/g)) {
    const source = /<source\b[^>]*>/.exec(iface[0])?.[0];
    const network = source && attr(source, 'network');
    if (network) networks.add(network);
  }
  for (const disk of body.matchAll(/<disk\b[\s\S]*?<\/disk>/g)) {
    const source = /<source\b[^>]*>/.exec(disk[0])?.[0];
    const pool = source && attr(source, 'pool');
    if (pool) pools.add(pool);
  }
  return { networks: [...networks], pools: [...pools] };
}

export type ResourceKind = 'network' | 'pool';

/**
 * What to do about one resource, from `virsh net-info` / `pool-info` (exit code and output). Pure.
 * net-info prints "Active: yes|no"; pool-info "State: running|inactive|building|degraded|inaccessible".
 */
export function decideResource(
  kind: ResourceKind,
  name: string,
  info: { exitCode: number; stdout: string; stderr: string },
  where = 'here',
): { kind: 'ok' } | { kind: 'start' } | { kind: 'refuse'; reason: string } {
  const what = `${kind === 'network' ? 'network' : 'storage pool'} ${name}, which the guest uses,${where === 'here' ? '' : ` ${where}`}`;
  if (info.exitCode !== 0) {
    const why = lastLine(info.stderr)?.replace(/^error: /, '') ?? `exit ${info.exitCode}`;
    return { kind: 'refuse', reason: `${what} cannot be read${where === 'here' ? ' here' : ''}: ${why}` };
  }
  const field = kind === 'network' ? 'Active' : 'State';
  const value = new RegExp(`^${field}:\\s+(\\S+)`, 'm').exec(info.stdout)?.[1];
  if (kind === 'network' ? value === 'yes' : value === 'running') return { kind: 'ok' };
  if (kind === 'network' ? value === 'no' : value === 'inactive') return { kind: 'start' };
  return {
    kind: 'refuse',
    reason: `${what} is ${value ? `${field.toLowerCase()} "${value}"` : `not understood (no ${field}: line in virsh ${kind === 'network' ? 'net' : 'pool'}-info)`}`,
  };
}

/** Starts the inactive networks and pools the domain XML uses, through the given libvirt URI. */
async function startGuestResources(exec: Executor, uri: string, xml: string, log: { info(m: string): void }, where = 'here'): Promise<void> {
  const { networks, pools } = guestResources(xml);
  const wanted: Array<[ResourceKind, string]> = [
    ...networks.map((n): [ResourceKind, string] => ['network', n]),
    ...pools.map((p): [ResourceKind, string] => ['pool', p]),
  ];
  for (const [kind, name] of wanted) {
    const prefix = kind === 'network' ? 'net' : 'pool';
    const info = await exec.run('virsh', ['-c', uri, `${prefix}-info`, name], { timeoutMs: 10000 });
    const decision = decideResource(kind, name, info, where);
    if (decision.kind === 'refuse') throw new GenericError(decision.reason);
    if (decision.kind === 'ok') continue;
    log.info(`starting the inactive ${kind === 'network' ? 'network' : 'storage pool'} ${name} the guest uses${where === 'here' ? '' : ` ${where}`}`);
    const started = await exec.run('virsh', ['-c', uri, `${prefix}-start`, name], { timeoutMs: 30000 });
    if (started.exitCode !== 0) {
      throw new GenericError(
        `virsh -c ${uri} ${prefix}-start ${name} failed: ${lastLine(started.stderr)?.replace(/^error: /, '') ?? `exit ${started.exitCode}`}`,
      );
    }
  }
}

/**
 * start (this node's libvirt) and migrate_to (the target's, `uri` = the migration's destination):
 * the config file's XML, the definition libvirt is about to create.
 */
export async function startResourcesFor(
  exec: Executor,
  params: { start_resources: boolean; backend: string; hypervisor: string; config?: string | undefined },
  log: { info(m: string): void },
  target?: { node: string; uri: string },
): Promise<void> {
  if (!params.start_resources || params.backend !== 'libvirt' || !params.config) return;
  const xml = readFileSync(params.config, 'utf8');
  if (target) await startGuestResources(exec, target.uri, xml, log, `on the target ${target.node} (${target.uri})`);
  else await startGuestResources(exec, params.hypervisor, xml, log);
}

export function checkStartResourceParameters(params: { start_resources: boolean; backend: string }): void {
  if (params.start_resources && params.backend !== 'libvirt')
    throw new ConfigurationError('parameter start_resources=true needs backend=libvirt: xl has no networks or pools to start', 'start_resources');
}

/** validate-all: the resources that start would refuse (not defined, in an odd state); starts nothing. */
export async function resourceProblems(exec: Executor, uri: string, xml: string): Promise<string[]> {
  const { networks, pools } = guestResources(xml);
  const problems: string[] = [];
  for (const [kind, name] of [...networks.map((n) => ['network', n] as const), ...pools.map((p) => ['pool', p] as const)]) {
    const info = await exec.run('virsh', ['-c', uri, `${kind === 'network' ? 'net' : 'pool'}-info`, name], { timeoutMs: 10000 });
    const decision = decideResource(kind, name, info);
    if (decision.kind === 'refuse') problems.push(decision.reason);
  }
  return problems;
}
