// Every agent ocfkit ships, by its OCF type name. Loaded lazily so that one agent's monitor never
// pays for another agent's code. Adding an agent: one line here; `ocfkit install`, the symlinks,
// meta-data checks and man pages all follow from this list.
import type { AnyAgentSpec } from './ocf/spec';

const AGENTS = {
  DrbdReconnect: () => import('./drbd-reconnect/spec').then((m) => m.drbdReconnectAgent),
  VirtualMachine: () => import('./virtual-machine/spec').then((m) => m.virtualMachineAgent),
  SharedVolumes: () => import('./shared-volumes/spec').then((m) => m.sharedVolumesAgent),
  GuestCensus: () => import('./guest-census/spec').then((m) => m.guestCensusAgent),
} satisfies Record<string, () => Promise<AnyAgentSpec>>;

export type AgentName = keyof typeof AGENTS;

export function agentNames(): AgentName[] {
  return Object.keys(AGENTS).sort() as AgentName[];
}

export function isAgentName(name: string): name is AgentName {
  return Object.prototype.hasOwnProperty.call(AGENTS, name);
}

export async function loadAgent(name: AgentName): Promise<AnyAgentSpec> {
  return AGENTS[name]!();
}
