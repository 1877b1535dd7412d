// Per-action wiring: the backend, the guard settings and the identity from the parameters.
import type { ActionContext, ParameterValues } from '../ocf/spec';
import type { Backend } from './backend';
import { libvirtBackend } from './libvirt';
import type { VmParameters } from './params';
import { localNodeName } from './peers';
import type { GuardSettings } from './run-guards';
import { xlBackend } from './xl';

export type VmContext = ActionContext<VmParameters>;
export type VmParams = ParameterValues<VmParameters>;

export function backendFor(params: { backend?: string; hypervisor?: string }, exec: VmContext['exec']): Backend {
  return params.backend === 'xl' ? xlBackend(exec) : libvirtBackend(exec, params.hypervisor || 'qemu:///system');
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
    requireLockManager: params.require_lock_manager,
    checkStorage: params.check_storage,
    dualPrimary: params.dual_primary,
    hypervisor: params.hypervisor,
    backend: params.backend,
  };
}

export function selfName(ctx: VmContext): string {
  return localNodeName(ctx.env.onNode);
}

/** The name used for the lease file and messages. */
export function guestLabel(ref: { name?: string; uuid?: string }): string {
  return ref.name ?? ref.uuid ?? 'guest';
}

/** qemu:///system -> qemu+ssh://%n/system; the xl backend asks peers through libvirt's Xen driver. */
export function defaultPeerUri(backend: 'libvirt' | 'xl', hypervisor: string): string {
  if (backend === 'xl') return 'xen+ssh://%n/system';
  const m = /^([a-z0-9]+)(?:\+[a-z0-9]+)?:\/\/[^/]*(\/[^?]*)?/i.exec(hypervisor);
  return m ? `${m[1]}+ssh://%n${m[2] ?? '/system'}` : 'qemu+ssh://%n/system';
}
