// Parameters turned into one typed configuration (the agent's configure step). The backend is a discriminated union. Parsing,
// the activation and deactivation commands (plan.ts), the volume checks (inspect.ts) and the
// required tools (tools.ts) switch on `kind` exhaustively, so a new backend does not compile until
// they handle it. validate.ts and stop.ts only test for the LVM kinds: check those by hand.
import { ConfigurationError } from '../core/errors';
import { assertNever } from '../core/assert';
import type { ActionContext, ParameterValues } from '../ocf/spec';
import { BACKENDS, type volumeParameters } from './parameters';

export type BackendName = (typeof BACKENDS)[number];

/** An LVM target: a whole volume group (every LV in it) or one logical volume. */
export interface LvmTarget {
  vg: string;
  lv?: string;
}

export type VolumeBackend =
  | { kind: 'lvmlockd'; targets: LvmTarget[] }
  | { kind: 'clvmd'; targets: LvmTarget[] }
  /** EVMS volume names as they appear under /dev/evms (the seed: san2/vm2) */
  | { kind: 'evms'; volumes: string[] }
  /** device paths that discovery must make appear (/dev/mapper/mpath1) */
  | { kind: 'rescan'; devices: string[] };

/** Discovery steps, always run in this order: paths first, then the maps built on them, then LVM. */
const DISCOVERY_STEPS = ['iscsi', 'scsi', 'multipath', 'pvscan'] as const;
export type DiscoveryStep = (typeof DISCOVERY_STEPS)[number];

export interface VolumesConfig {
  backend: VolumeBackend;
  discovery: DiscoveryStep[];
  deactivateOnStop: boolean;
  retryDelayMs: number;
  stateDir: string;
  devRoot: string;
  sysfsRoot: string;
}

/** What every handler gets: the parameters and, as ctx.config, what parseConfig (the agent's configure step) made of them. */
export type VolumesContext = ActionContext<typeof volumeParameters, VolumesConfig>;

/** The agent's parameters as the runner parses them (declared in parameters.ts). */
export type RawVolumesParams = ParameterValues<typeof volumeParameters>;

// lvm2's rule for VG and LV names: letters, digits and + _ . -, not starting with a hyphen.
const LVM_NAME = /^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/;
const RELATIVE_PATH = /^[A-Za-z0-9+_.:@=-]+(\/[A-Za-z0-9+_.:@=-]+)*$/;

function words(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

export function parseConfig(raw: RawVolumesParams): VolumesConfig {
  const entries = words(raw.volumes);
  if (entries.length === 0) throw new ConfigurationError('parameter volumes lists no volumes', 'volumes');
  const backend = parseBackend(raw.backend, entries);
  const discovery = parseDiscovery(raw.discovery, backend.kind);
  if (backend.kind === 'rescan' && discovery.length === 0) {
    throw new ConfigurationError('backend=rescan needs at least one discovery step (parameter discovery is "none")', 'discovery');
  }
  for (const [name, value] of [
    ['state_dir', raw.state_dir],
    ['dev_root', raw.dev_root],
    ['sysfs_root', raw.sysfs_root],
  ] as const) {
    if (!value.startsWith('/')) throw new ConfigurationError(`parameter ${name}="${value}" must be an absolute path`, name);
  }
  return {
    backend,
    discovery,
    deactivateOnStop: raw.deactivate_on_stop,
    retryDelayMs: raw.retry_delay_ms,
    stateDir: raw.state_dir,
    devRoot: raw.dev_root.replace(/\/+$/, '') || '/',
    sysfsRoot: raw.sysfs_root.replace(/\/+$/, '') || '/',
  };
}

function parseBackend(kind: BackendName, entries: string[]): VolumeBackend {
  switch (kind) {
    case 'lvmlockd':
    case 'clvmd':
      return { kind, targets: entries.map(parseLvmTarget) };
    case 'evms':
      return { kind, volumes: entries.map((entry) => relativeName(entry.replace(/^\/dev\/evms\//, ''), entry)) };
    case 'rescan':
      return { kind, devices: entries.map((entry) => relativeName(entry.replace(/^\/dev\//, ''), entry)) };
    default:
      return assertNever(kind);
  }
}

function parseLvmTarget(entry: string): LvmTarget {
  const parts = entry.replace(/^\/dev\//, '').split('/');
  const bad = (why: string) => new ConfigurationError(`parameter volumes: "${entry}" ${why} (expected VG or VG/LV)`, 'volumes');
  if (parts.length > 2) throw bad('has too many parts');
  const [vg, lv] = parts as [string, string | undefined];
  if (!LVM_NAME.test(vg)) throw bad('is not a valid volume group name');
  if (lv === undefined) return { vg };
  if (!LVM_NAME.test(lv)) throw bad('is not a valid logical volume name');
  return { vg, lv };
}

function relativeName(name: string, entry: string): string {
  if (!RELATIVE_PATH.test(name) || name.split('/').some((part) => part === '..' || part === '.')) {
    throw new ConfigurationError(`parameter volumes: "${entry}" is not a device name below /dev`, 'volumes');
  }
  return name;
}

/** The steps that "auto" means for each backend. */
function defaultDiscovery(kind: BackendName): DiscoveryStep[] {
  switch (kind) {
    case 'lvmlockd':
    case 'clvmd':
      return ['pvscan'];
    case 'evms':
      return []; // evms_activate runs its own discovery
    case 'rescan':
      return ['scsi'];
    default:
      return assertNever(kind);
  }
}

export function parseDiscovery(text: string, kind: BackendName): DiscoveryStep[] {
  const listed = words(text);
  if (listed.length === 0 || (listed.length === 1 && listed[0] === 'auto')) return defaultDiscovery(kind);
  if (listed.length === 1 && listed[0] === 'none') return [];
  const chosen = new Set<DiscoveryStep>();
  for (const step of listed) {
    if (!(DISCOVERY_STEPS as readonly string[]).includes(step)) {
      throw new ConfigurationError(`parameter discovery: "${step}" is not one of auto, none, ${DISCOVERY_STEPS.join(', ')}`, 'discovery');
    }
    chosen.add(step as DiscoveryStep);
  }
  return DISCOVERY_STEPS.filter((step) => chosen.has(step));
}

/** The VGs named by LVM targets, each once, in the order first listed. */
export function targetVgs(targets: LvmTarget[]): string[] {
  return [...new Set(targets.map((target) => target.vg))];
}

export function targetName(target: LvmTarget): string {
  return target.lv === undefined ? target.vg : `${target.vg}/${target.lv}`;
}
