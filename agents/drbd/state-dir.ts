// The persistent records in the state directory (default /var/lib/ocfkit/drbd):
//   baseline.json   which connections were up (or StandAlone on purpose), by "res:peer"
//   backoff.json    reconnect attempts per connection
//   seen.json       each connection's state class at the last scan (to notice one came up)
//   split-brain/    one marker file per resource/peer, written by `ocfkit drbd split-brain-handler`
// Every write is atomic; an unreadable or corrupt file counts as empty (and is rewritten).
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureDirectory, readIfExists, writeFileAtomic, writeFileAtomicIfChanged } from '../core/files';
import type { SplitBrainMarker } from './policy';
import type { Records } from './records';

export class StateDir {
  constructor(readonly dir: string) {}

  readRecords(): Records {
    return { baseline: this.readJson('baseline.json'), backoff: this.readJson('backoff.json'), seen: this.readJson('seen.json') };
  }

  writeRecords(records: Records): void {
    // unchanged files are left alone: most monitors change nothing but the baseline
    writeFileAtomicIfChanged(path.join(this.dir, 'baseline.json'), JSON.stringify(records.baseline, null, 1) + '\n');
    writeFileAtomicIfChanged(path.join(this.dir, 'backoff.json'), JSON.stringify(records.backoff, null, 1) + '\n');
    writeFileAtomicIfChanged(path.join(this.dir, 'seen.json'), JSON.stringify(records.seen ?? {}, null, 1) + '\n');
  }

  markerFile(m: Pick<SplitBrainMarker, 'resource' | 'peer' | 'peerNodeId'>): string {
    const peer = m.peer ?? (m.peerNodeId !== undefined ? `node-${m.peerNodeId}` : 'any');
    return path.join(this.dir, 'split-brain', `${safe(m.resource)}@${safe(peer)}.json`);
  }

  writeMarker(m: SplitBrainMarker & Record<string, unknown>): string {
    const file = this.markerFile(m);
    writeFileAtomic(file, JSON.stringify(m, null, 1) + '\n', 0o644);
    return file;
  }

  readMarkers(): SplitBrainMarker[] {
    const dir = path.join(this.dir, 'split-brain');
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    const markers: SplitBrainMarker[] = [];
    for (const name of names) {
      try {
        const m = JSON.parse(readIfExists(path.join(dir, name)) ?? 'null') as SplitBrainMarker | null;
        if (m && typeof m.resource === 'string' && typeof m.at === 'number') markers.push(m);
      } catch {
        // a half-written marker cannot exist (atomic writes); anything else unreadable is ignored
      }
    }
    return markers;
  }

  removeMarker(m: SplitBrainMarker): void {
    rmSync(this.markerFile(m), { force: true });
  }

  ensure(): void {
    ensureDirectory(this.dir);
  }

  private readJson<T>(name: string): Record<string, T> {
    try {
      const value = JSON.parse(readIfExists(path.join(this.dir, name)) ?? '{}') as unknown;
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, T>) : {};
    } catch {
      return {};
    }
  }
}

function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9_.:+-]/g, '_');
}
