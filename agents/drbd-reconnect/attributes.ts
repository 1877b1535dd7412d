// Per-resource connection state as node attributes (attrd_updater), so location constraints can
// react (e.g. keep a VM off a node whose replication is StandAlone). One value per resource: the
// worst state of its chosen connections.
import { runOk, type Executor } from '../core/executor';
import type { ConnectionReport } from '../drbd/reconnect';
import { classifyConnection } from '../drbd/types';

const RANK = { standalone: 0, disconnecting: 1, down: 2, retrying: 3, connected: 4 } as const;

export function attributeName(prefix: string, resource: string): string {
  return `${prefix}-${resource}-connection`;
}

/** attribute name -> value for every resource in the report */
export function attributeValues(prefix: string, reports: readonly ConnectionReport[]): Record<string, string> {
  const worst = new Map<string, string>();
  for (const r of reports) {
    const current = worst.get(r.resource);
    if (current === undefined || RANK[classifyConnection(r.stateAfter)] < RANK[classifyConnection(current)]) worst.set(r.resource, r.stateAfter);
  }
  return Object.fromEntries([...worst].map(([res, state]) => [attributeName(prefix, res), state]));
}

export async function publish(exec: Executor, name: string, value: string): Promise<void> {
  await runOk(exec, 'attrd_updater', ['-n', name, '-U', value], { timeoutMs: 10_000 });
}

export async function withdraw(exec: Executor, name: string): Promise<void> {
  // -D on an attribute that does not exist succeeds; a failure here must not fail stop
  await exec.run('attrd_updater', ['-n', name, '-D'], { timeoutMs: 10_000 }).catch(() => undefined);
}
