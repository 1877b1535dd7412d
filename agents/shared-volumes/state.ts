// The "started here" marker. Volumes may stay active after stop (deactivate_on_stop=false, EVMS,
// rescan), so activity alone cannot tell Pacemaker whether the clone instance runs here. The
// marker lives in /run (gone after a reboot, like the activation) and records which LVs the
// last start or rediscovery activated, so monitor can tell a vanished volume from a new one.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { readIfExists, writeFileAtomic } from '../core/files';

export interface Marker {
  backend: string;
  /** undefined when the marker is damaged: monitor then expects every LV of a listed VG */
  activated: string[] | undefined;
  since: string;
}

/** One marker per resource, not per clone instance number: anonymous clone numbers change. */
export function markerPath(stateDir: string, instance: string): string {
  const resource = instance.replace(/:\d+$/, '').replace(/[^A-Za-z0-9_.-]/g, '_');
  return path.join(stateDir, `${resource}.json`);
}

export function readMarker(file: string): Marker | undefined {
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<Marker>;
    return {
      backend: String(parsed.backend ?? ''),
      activated: Array.isArray(parsed.activated) ? parsed.activated.map(String) : undefined,
      since: String(parsed.since ?? ''),
    };
  } catch {
    // A damaged marker still says "started"; monitor then checks every volume.
    return { backend: '', activated: undefined, since: '' };
  }
}

export function writeMarker(file: string, marker: Marker): void {
  writeFileAtomic(file, JSON.stringify(marker) + '\n', 0o644);
}

export function removeMarker(file: string): void {
  rmSync(file, { force: true });
}
