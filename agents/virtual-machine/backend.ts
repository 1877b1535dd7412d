// One interface over the two toolstacks: libvirt through virsh (any URI) and Xen's xl.
import type { DomainState } from './state';

/** How the agent names the guest to the hypervisor: UUID when known (it survives renames), else name. */
export interface DomainRef {
  name?: string;
  uuid?: string;
}

export interface StateReading {
  state: DomainState;
  reason?: string;
  /** which identifier found the domain (absent: none did) */
  matchedBy?: 'uuid' | 'name';
  /** set when the hypervisor could not be asked and the process table answered instead */
  fromProcessTable?: boolean;
}

export interface MigrationRequest {
  /** Pacemaker's name of the target node */
  target: string;
  /** hypervisor URI of the target (libvirt) */
  destinationUri: string;
  /** data-channel URI (libvirt --migrateuri), when configured */
  migrateUri?: string;
  /** host name for xl migrate (target plus the migration network suffix) */
  targetHost: string;
  /** max downtime in ms */
  maxDowntimeMs?: number;
  /** bandwidth limit in MiB/s */
  bandwidthMiBs?: number;
  /** xl migrate -s: the ssh command */
  sshCommand?: string;
  /** extra `virsh migrate` words (migrate_options), already checked */
  extraArgs?: string[];
  /** hard bound of the migrate command */
  timeoutMs: number;
  /** libvirt: when the migration has not finished by then, it is aborted (virsh domjobabort) */
  abortAfterMs?: number;
}

export type GuestPing = { kind: 'ok' } | { kind: 'not-configured'; detail: string } | { kind: 'failed'; detail: string };

export interface HypervisorBackend {
  readonly kind: 'libvirt' | 'xl';
  /** the program this backend runs, for "not installed" checks */
  readonly program: string;
  state(ref: DomainRef): Promise<StateReading>;
  /** starts the guest from its config file, or (libvirt) a defined domain by name when there is none */
  create(configFile: string | undefined, ref: DomainRef): Promise<void>;
  /** asks the guest OS to shut down (modes: shutdown_mode, checked); returns without waiting */
  shutdown(ref: DomainRef, modes?: string[]): Promise<void>;
  /** pulls the plug */
  destroy(ref: DomainRef): Promise<void>;
  migrate(ref: DomainRef, request: MigrationRequest): Promise<void>;
  /** xl: destroys what a failed migration left under another name; returns the names destroyed */
  destroyLeftovers?(ref: DomainRef): Promise<string[]>;
  guestPing(ref: DomainRef): Promise<GuestPing>;
}

export function describeRef(ref: DomainRef): string {
  if (ref.name && ref.uuid) return `${ref.name} (${ref.uuid})`;
  return ref.name ?? ref.uuid ?? '(unnamed guest)';
}
