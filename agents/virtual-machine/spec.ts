// ocf:ocfkit:VirtualMachine: KVM/Xen guests (libvirt or xl) that never run on two hosts at once.
import { defineAgent, type BrokenContext, type ProvenState } from '../ocf/spec';
import { backendFor } from './config';
import { readGuestFacts, readRemembered } from './identity';
import type { DomainRef } from './backend';
import { normalizeUuid, isUuid } from './libvirt-xml';
import { start, stop } from './lifecycle';
import { migrateFrom, migrateTo } from './migration';
import { monitor } from './monitor';
import { vmParameters } from './parameters';
import { holdsDisks } from './state';
import { checkParameters, validateAll, validateEnvironment } from './validate';

/**
 * The truth about this node when parameters or the config are broken: the identity comes from
 * the raw name/uuid parameters, the identity remembered at the last start/monitor here, or the
 * config file if it can still be read; then one hypervisor query.
 */
async function stateWhenBroken(ctx: BrokenContext): Promise<ProvenState> {
  const raw = ctx.raw;
  const backendKind = raw.backend === 'xl' ? 'xl' : 'libvirt';
  const refs: DomainRef[] = [];
  if (raw.name || (raw.uuid && isUuid(raw.uuid)))
    refs.push({ ...(raw.name ? { name: raw.name } : {}), ...(raw.uuid && isUuid(raw.uuid) ? { uuid: normalizeUuid(raw.uuid) } : {}) });
  const remembered = readRemembered(raw.state_dir || vmParameters.state_dir.default, ctx.env.instance);
  if (remembered) refs.push(remembered);
  if (raw.config) {
    try {
      const facts = readGuestFacts(raw.config, backendKind);
      refs.push({ ...(facts.name ? { name: facts.name } : {}), ...(facts.uuid ? { uuid: facts.uuid } : {}) });
    } catch {
      // unreadable: the other identities must do
    }
  }
  if (!refs.length) return 'unknown';
  const backend = backendFor({ backend: backendKind, hypervisor: raw.hypervisor }, ctx.exec);
  // the parameters, the remembered identity and the file usually name the same guest: ask once
  const asked = new Set<string>();
  for (const ref of refs) {
    const key = `${ref.uuid ?? ''}/${ref.name ?? ''}`;
    if (asked.has(key)) continue;
    asked.add(key);
    const { state } = await backend.state(ref);
    if (holdsDisks(state)) {
      ctx.log.warn(`the guest ${ref.name ?? ref.uuid} is ${state} here`);
      return 'running';
    }
  }
  return 'stopped';
}

export const virtualMachineAgent = defineAgent({
  name: 'VirtualMachine',
  version: '1.0',
  shortdesc: 'KVM/Xen guest that never runs on two hosts at once',
  longdesc: `Manages a virtual machine through libvirt (virsh, any hypervisor URI) or the Xen xl toolstack:
start, graceful stop, monitor, live migration. Before a start and before a live migration it checks
that no other node runs the guest (asking every peer in parallel), that no other node holds the
lease on shared storage, that DRBD disks are Primary here, and optionally that libvirt has a
lock manager. A probe reports the guest's real state even when its config file cannot be read.`,
  parameters: vmParameters,
  actions: {
    start: { timeout: 90, handler: start },
    stop: { timeout: 90, handler: stop },
    monitor: { timeout: 30, interval: 10, depth: 0, handler: monitor, alsoAdvertise: [{ timeout: 30, interval: 60, depth: 10 }] },
    migrate_to: { timeout: 120, handler: migrateTo },
    migrate_from: { timeout: 60, handler: migrateFrom },
    'validate-all': { timeout: 30, handler: validateAll },
  },
  checkParameters,
  validate: validateEnvironment,
  stateWhenBroken,
  examples: [
    {
      title: 'pcs: a KVM guest with live migration over a migration network, peer check and lease',
      lines: [
        'pcs resource create vm1 ocf:ocfkit:VirtualMachine config=/etc/libvirt/qemu/vm1.xml lease_dir=/shared/leases migration_network_suffix=-mig meta allow-migrate=true op monitor interval=10s timeout=30s op migrate_to timeout=120s',
      ],
    },
    {
      title: 'crmsh: a Xen guest through xl, identified by name and UUID so probes never need the config file',
      lines: [
        'crm configure primitive web ocf:ocfkit:VirtualMachine params backend=xl config=/shared/xen/web.cfg name=web uuid=3a0e1b7c-2f4d-4c1e-9b8a-7d6c5b4a3f21 lease_dir=/shared/leases meta allow-migrate=true op monitor interval=10s timeout=30s',
      ],
    },
  ],
});
