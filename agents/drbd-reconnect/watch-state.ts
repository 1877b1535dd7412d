// The agent's "running" state on this node: a file in /run (gone after a reboot, as a clone
// instance is) holding the node attributes last published, so stop can remove them and monitor
// only calls attrd_updater when a value changed.
import { readIfExists, writeFileAtomicIfChanged } from '../core/files';
import { rmSync } from 'node:fs';
import path from 'node:path';

export interface WatchState {
  startedAt: number;
  /** attribute name -> value last published */
  published: Record<string, string>;
}

function runDir(env: NodeJS.ProcessEnv): string {
  return env.OCFKIT_RUN_DIR || '/run/ocfkit';
}

/** One file per primitive: an anonymous clone's ":N" suffix differs between nodes and runs. */
export function watchFile(env: NodeJS.ProcessEnv, instance: string): string {
  const base = instance.replace(/:\d+$/, '').replace(/[^A-Za-z0-9_.-]/g, '_');
  return path.join(runDir(env), 'drbd-reconnect', `${base}.active`);
}

export function readWatch(file: string): WatchState | undefined {
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as WatchState;
    return { startedAt: Number(value.startedAt) || 0, published: value.published ?? {} };
  } catch {
    return { startedAt: 0, published: {} };
  }
}

export function writeWatch(file: string, state: WatchState): void {
  writeFileAtomicIfChanged(file, JSON.stringify(state) + '\n', 0o644);
}

export function removeWatch(file: string): void {
  rmSync(file, { force: true });
}
