// Host shutdown ordering: at a host reboot Pacemaker must stop (and so migrate the guests away)
// before systemd stops libvirt, its lock daemon, machined and libvirt-guests, or the guests are
// killed under it (resource-agents #1087, fixed there by a drop-in for resource-agents-deps.target:
// pacemaker.service is ordered After= that target, so at shutdown it stops first). ocfkit writes
// its own transient drop-in there (under /run: gone at the next boot), never touching the admin's.
import { lastLine } from '../core/executor';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { VmContext } from './config';

const DEPS_TARGET_DIR = 'run/systemd/system/resource-agents-deps.target.d';

/** The units the guests depend on, per backend; After= a unit that does not exist is harmless. */
const ORDERED_UNITS = {
  libvirt: [
    'libvirtd.service',
    'virtqemud.service',
    'virtxend.service',
    'virtlockd.service',
    'virtlogd.service',
    'systemd-machined.service',
    'libvirt-guests.service',
  ],
  xl: ['xenstored.service', 'xenconsoled.service', 'xendomains.service'],
} as const;

export function dropInName(backend: 'libvirt' | 'xl'): string {
  return `50-ocfkit-virtual-machine-${backend}.conf`;
}

/** The drop-in's text. Pure. */
export function dropInText(backend: 'libvirt' | 'xl'): string {
  const units = ORDERED_UNITS[backend].join(' ');
  // After= only: Wants= would start libvirt-guests or xendomains where the admin left them off
  return `# Written by ocf:ocfkit:VirtualMachine: Pacemaker stops (and migrates its guests) before these.\n[Unit]\nAfter=${units}\n`;
}

/**
 * Whether the file must be written: only when it is missing or says something else, so a start
 * or migrate_from does not reload systemd every time. Pure.
 */
export function dropInChanged(existing: string | undefined, wanted: string): boolean {
  return existing !== wanted;
}

/**
 * Writes the drop-in when it changed and then reloads systemd once. Never fails the action: a host
 * without systemd (no /run/systemd/system) or a write that fails is logged.
 */
export async function ensureShutdownOrdering(ctx: VmContext): Promise<void> {
  const { params, log } = ctx;
  if (!params.shutdown_ordering) return;
  const root = params.host_root;
  // systemd's own test for "booted with systemd" (sd_booted): /run/systemd/system exists
  if (!statSync(path.join(root, 'run/systemd/system'), { throwIfNoEntry: false })?.isDirectory()) {
    log.debug(`no ${path.join(root, 'run/systemd/system')}: not booted with systemd; no shutdown ordering to set`);
    return;
  }
  const dir = path.join(root, DEPS_TARGET_DIR);
  const file = path.join(dir, dropInName(params.backend));
  const wanted = dropInText(params.backend);
  let existing: string | undefined;
  try {
    existing = readFileSync(file, 'utf8');
  } catch {
    existing = undefined;
  }
  if (!dropInChanged(existing, wanted)) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    // written whole and renamed: systemd never reads half a file
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, wanted, { mode: 0o644 });
    renameSync(temp, file);
  } catch (error) {
    log.warn(`cannot write ${file} (${(error as Error).message}): at a host shutdown the guests may stop before Pacemaker migrates them`);
    return;
  }
  const reload = await ctx.exec.run('systemctl', ['daemon-reload'], { timeoutMs: 30000 }).catch((error: Error) => ({ exitCode: 1, stderr: error.message }));
  if (reload.exitCode !== 0) log.warn(`wrote ${file}, but systemctl daemon-reload failed: ${lastLine(reload.stderr) ?? ''}`);
  else log.info(`${file}: Pacemaker now stops before ${ORDERED_UNITS[params.backend].join(', ')} at a host shutdown`);
}

/** validate-all: libvirt-guests' configuration when the service is enabled. Returns warnings. */
export async function checkLibvirtGuests(ctx: VmContext): Promise<string[]> {
  const enabled = await ctx.exec.run('systemctl', ['is-enabled', 'libvirt-guests.service'], { timeoutMs: 10000 }).catch(() => undefined);
  if (!enabled || enabled.stdout.trim() !== 'enabled') return [];
  const candidates = ['etc/default/libvirt-guests', 'etc/sysconfig/libvirt-guests'].map((f) => path.join(ctx.params.host_root, f));
  for (const file of candidates) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    return libvirtGuestsWarnings(libvirtGuestsSettings(text), file);
  }
  return libvirtGuestsWarnings(libvirtGuestsSettings(undefined), candidates[0]!);
}

/**
 * libvirt-guests' settings (a shell-variable file), with libvirt-guests.sh's defaults when a
 * variable is unset (libvirt 9.0: ON_BOOT=ignore, ON_SHUTDOWN=shutdown). Pure.
 */
export function libvirtGuestsSettings(text: string | undefined): { onBoot: string; onShutdown: string } {
  const value = (key: string) => {
    if (text === undefined) return undefined;
    let found: string | undefined;
    for (const line of text.split('\n')) {
      const m = new RegExp(`^\\s*${key}\\s*=\\s*["']?([A-Za-z]*)["']?\\s*(#.*)?$`).exec(line);
      if (m) found = m[1];
    }
    return found;
  };
  return { onBoot: value('ON_BOOT') ?? 'ignore', onShutdown: value('ON_SHUTDOWN') ?? 'shutdown' };
}

/**
 * What validate-all warns about when libvirt-guests is enabled: it acts on every guest, the
 * cluster's included, behind Pacemaker's back. Pure.
 */
export function libvirtGuestsWarnings(settings: { onBoot: string; onShutdown: string }, file: string): string[] {
  const warnings: string[] = [];
  if (settings.onBoot === 'start')
    warnings.push(`libvirt-guests starts at boot the guests that ran at shutdown, cluster guests included (ON_BOOT=start in ${file}); set ON_BOOT=ignore`);
  if (settings.onShutdown === 'suspend' || settings.onShutdown === 'shutdown')
    warnings.push(
      `libvirt-guests ${settings.onShutdown === 'suspend' ? 'suspends' : 'shuts down'} the running guests at host shutdown (ON_SHUTDOWN=${settings.onShutdown} in ${file} or its default): a cluster guest not yet migrated by Pacemaker is stopped by it; make sure Pacemaker stops first (shutdown_ordering) or disable libvirt-guests`,
    );
  return warnings;
}
