// Per-action wiring: the backend, the guard settings and the identity from the parameters.
import type { ActionContext, ParameterValues } from '../ocf/spec';
import type { HypervisorBackend } from './backend';
import { libvirtBackend } from './libvirt';
import { vmParameters, type VmParameters } from './parameters';
import { localNodeName } from './peers';
import type { GuardSettings } from './run-guards';
import { xlBackend } from './xl';

export type VmContext = ActionContext<VmParameters>;
export type VmParams = ParameterValues<VmParameters>;

export function backendFor(params: { backend?: string; hypervisor?: string }, exec: VmContext['exec']): HypervisorBackend {
  return params.backend === 'xl' ? xlBackend(exec) : libvirtBackend(exec, params.hypervisor || vmParameters.hypervisor.default);
}

export function guardSettings(params: VmParams, self: string): GuardSettings {
  return {
    self,
    checkPeers: params.check_peers,
    peers: params.peers,
    peerUri: params.peer_uri ?? defaultPeerUri(params.backend, params.hypervisor),
    peerTimeoutMs: params.peer_timeout * 1000,
    leaseDir: params.lease_dir,
    leaseDurationMs: params.lease_duration * 1000,
    leaseSkewMs: params.lease_skew_margin * 1000,
    requireLockManager: params.require_lock_manager,
    checkStorage: params.check_storage,
    dualPrimary: params.dual_primary,
    census: { attribute: params.census_attribute, maxAgeMs: params.census_max_age * 1000, trust: params.trust_census },
    hypervisor: params.hypervisor,
    backend: params.backend,
    hostRoot: params.host_root,
  };
}

/**
 * This node as Pacemaker names it: CRM_meta_on_node, set on every operation Pacemaker runs; for
 * manual runs (crm_resource --force-*, ocf-tester) `crm_node -n`, else the host name. Pacemaker's
 * name matters: it is how peers are listed and how leases name their holder.
 */
export async function selfName(ctx: VmContext): Promise<string> {
  if (ctx.env.onNode) return ctx.env.onNode;
  try {
    const result = await ctx.exec.run('crm_node', ['-n'], { timeoutMs: 5000 });
    const name = result.stdout.trim();
    if (result.exitCode === 0 && name && !/\s/.test(name)) return name;
  } catch {
    // Pacemaker's tools are not installed: the host name is all there is
  }
  return localNodeName(undefined);
}

/** The name used for the lease file and messages. */
export function guestLabel(ref: { name?: string; uuid?: string }): string {
  return ref.name ?? ref.uuid ?? 'guest';
}

/**
 * The local hypervisor URI as seen from another host: qemu:///system with transport ssh and host
 * node2 -> qemu+ssh://node2/system. The query is dropped: it names local things (a socket path).
 * undefined when the URI is not driver[+transport]://[host]/path.
 */
export function remoteUri(hypervisor: string, transport: string, host: string): string | undefined {
  const m = /^([a-z0-9]+)(?:\+[a-z0-9]+)?:\/\/[^/]*(\/[^?]*)?/i.exec(hypervisor);
  return m ? `${m[1]}+${transport}://${host}${m[2] ?? '/system'}` : undefined;
}

/** qemu:///system -> qemu+ssh://%n/system; the xl backend asks peers through libvirt's Xen driver. */
export function defaultPeerUri(backend: 'libvirt' | 'xl', hypervisor: string): string {
  if (backend === 'xl') return 'xen+ssh://%n/system';
  return remoteUri(hypervisor, 'ssh', '%n') ?? 'qemu+ssh://%n/system';
}
