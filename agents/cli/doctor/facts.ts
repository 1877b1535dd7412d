// Everything doctor's checks look at, collected once (collect.ts) and then only read: each check
// is a pure function of these facts. A source that could not be read carries why, so a check can
// report "cannot tell" instead of guessing.
import type { LockManagerFact } from '../../virtual-machine/guards';
import type { LockspaceFact } from '../../virtual-machine/lock-manager';
import type { LintFinding } from '../../virtual-machine/xl-lint';
import type { CibModel } from '../../pacemaker/cib';

export type Source<T> = { ok: true; value: T } | { ok: false; what: string; error: string };

export interface Mount {
  fstype: string;
  target: string;
}

interface GuestDisk {
  disk: string;
  /** DRBD resources (or minors as "minor N") the disk sits on; empty: not on DRBD */
  drbd: string[];
  /** set when the disk could not be resolved */
  error?: string;
}

/** A VirtualMachine/VirtualDomain resource and what its config file on this node says. */
export interface GuestFact {
  resource: string;
  backend: 'libvirt' | 'xl';
  config?: string;
  name?: string;
  uuid?: string;
  disks: GuestDisk[];
  /** why the config file could not be read here */
  configError?: string;
  /** the file system holding the config file */
  configMount?: Mount;
  /** xl configs: known-bad settings */
  lint?: LintFinding[];
}

export interface DrbdResourceFact {
  name: string;
  /** net and disk options (common, resource and connection sections; any connection setting a value counts) */
  options: Record<string, string>;
  handlers: Record<string, string>;
  minors: number[];
}

export interface DomainListing {
  uuid: string;
  name: string;
}

export interface NodeDomains {
  node: string;
  uri: string;
  listing: Source<{ autostart: DomainListing[]; persistent: DomainListing[] }>;
}

export interface LeaseDirFact {
  resource: string;
  dir: string;
  mount?: Mount;
  error?: string;
  marker: boolean;
}

export interface ClockFact {
  /** undefined: the tools did not say */
  synchronized: boolean | undefined;
  evidence: string;
}

export interface Facts {
  self: string;
  cib: Source<CibModel>;
  /** undefined: DRBD is not configured on this node */
  drbd: Source<DrbdResourceFact[]> | undefined;
  guests: GuestFact[];
  domains: NodeDomains[];
  libvirtGuests?: { file: string; settings: Record<string, string>; enabled: boolean };
  lockManager?: { fact: LockManagerFact; space?: LockspaceFact };
  leaseDirs: LeaseDirFact[];
  clock: Source<ClockFact>;
  hooks?: Source<{ ifaces: string[]; problems: string[] }>;
  udev?: Source<{ config: string; drift: Array<{ device: string; tunable: string; desired: string; current: string | undefined }> }>;
}
