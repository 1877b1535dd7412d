// Graceful stop: how the guest is asked (shutdown_mode) and how long it is given
// (shutdown_timeout) before destroy. Pure decisions; the stop action runs them.
import { xlSetting, type XlSetting } from './xl-config';

/** libvirt's `virsh shutdown --mode` words; the driver picks the order among those listed. */
const LIBVIRT_SHUTDOWN_MODES = ['acpi', 'agent', 'initctl', 'signal', 'paravirt'] as const;
/** xl: paravirt = `xl shutdown` (the PV control interface), acpi = `xl trigger <dom> power` (HVM). */
const XL_SHUTDOWN_MODES = ['paravirt', 'acpi'] as const;

/** "acpi,agent" -> ['acpi', 'agent'], or the reason it cannot be used with this backend. */
export function parseShutdownMode(text: string, backend: 'libvirt' | 'xl'): { ok: true; modes: string[] } | { ok: false; reason: string } {
  const allowed: readonly string[] = backend === 'xl' ? XL_SHUTDOWN_MODES : LIBVIRT_SHUTDOWN_MODES;
  const modes = text.split(/[\s,]+/).filter(Boolean);
  if (!modes.length) return { ok: false, reason: `parameter shutdown_mode="${text}" names no mode` };
  const unknown = modes.find((m) => !allowed.includes(m));
  if (unknown) return { ok: false, reason: `parameter shutdown_mode="${text}": "${unknown}" is not a mode of backend=${backend} (${allowed.join(', ')})` };
  return { ok: true, modes: [...new Set(modes)] };
}

/**
 * How long the graceful stop waits before destroy. A reserve for destroy stays (a fifth of the
 * stop timeout, at least 5 s); shutdown_timeout, when set, is the wait, cut to what the stop
 * timeout leaves (`capped` then says so for the log).
 */
export function gracefulWaitMs(
  stopTimeoutMs: number,
  remainingMs: number,
  shutdownTimeoutS?: number,
): { waitMs: number; availableMs: number; capped: boolean } {
  const reserve = Math.max(5000, stopTimeoutMs * 0.2);
  const availableMs = Math.max(0, remainingMs - reserve);
  if (shutdownTimeoutS === undefined) return { waitMs: availableMs, availableMs, capped: false };
  const wanted = shutdownTimeoutS * 1000;
  return wanted > availableMs ? { waitMs: availableMs, availableMs, capped: true } : { waitMs: wanted, availableMs, capped: false };
}

/** An xl guest is HVM when its config says type = "hvm" (or the older builder = "hvm"). */
export function xlIsHvm(settings: XlSetting[]): boolean {
  const value = (key: string) => {
    const v = xlSetting(settings, key)?.value;
    return typeof v === 'string' ? v.toLowerCase() : undefined;
  };
  return value('type') === 'hvm' || value('builder') === 'hvm';
}
