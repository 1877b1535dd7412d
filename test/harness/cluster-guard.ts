// Guards the machine's real cluster: the lock that serializes test clusters of different test runs
// and the record of which corosync/pacemakerd processes a harness started. A corosync or
// pacemakerd process that no harness recorded belongs to someone else: the harness refuses to run.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAlive, processesNamed, stopProcess, type ProcessId } from './proc';

export const CLUSTER_LOCK = '/run/lock/ocfkit-test-cluster.lock';
const CLUSTER_OWNER = '/run/lock/ocfkit-test-cluster.owner.json';
const DAEMONS = ['corosync', 'pacemakerd'];

export interface OwnerRecord {
  owner: ProcessId;
  /** daemons in stop order: pacemakerd first, then corosync, then the namespace holder */
  daemons: Array<ProcessId & { what: string }>;
}

function readOwner(): OwnerRecord | undefined {
  if (!existsSync(CLUSTER_OWNER)) return undefined;
  try {
    return JSON.parse(readFileSync(CLUSTER_OWNER, 'utf8')) as OwnerRecord;
  } catch {
    return undefined;
  }
}

// Written atomically (rename): another test run's need check may read it at any moment.
export function writeOwner(record: OwnerRecord): void {
  const temporary = `${CLUSTER_OWNER}.${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, CLUSTER_OWNER);
}

export function removeOwner(): void {
  rmSync(CLUSTER_OWNER, { force: true });
}

const recorded = (record: OwnerRecord | undefined, id: ProcessId) => record?.daemons.some((d) => d.pid === id.pid && d.start === id.start) ?? false;

/**
 * Cluster daemons running here that no harness started, as a reason string; undefined if none.
 * Daemons of another test run (recorded, owner alive) are not foreign: we wait for its lock.
 */
export function foreignCluster(): string | undefined {
  let foreign: ProcessId[] = [];
  // another test run records a daemon right after starting it: look twice before calling it foreign
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const record = readOwner();
    foreign = processesNamed(DAEMONS).filter((id) => !recorded(record, id));
    if (!foreign.length) return undefined;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  }
  return `a cluster not started by the test harness is running here (${foreign.map((f) => `${f.comm} pid ${f.pid}`).join(', ')}); refusing to touch it`;
}

/** Called with the lock held: stops daemons a crashed earlier test run left behind. */
export async function reapStaleHarnessCluster(): Promise<void> {
  const record = readOwner();
  if (!record) return;
  if (isAlive(record.owner) && record.owner.pid !== process.pid) {
    throw new Error(`cluster owner record names a live process (pid ${record.owner.pid}) although we hold ${CLUSTER_LOCK}`);
  }
  for (const daemon of record.daemons) {
    if (isAlive(daemon)) {
      console.log(`harness: stopping ${daemon.what} pid ${daemon.pid} left behind by an earlier test run (pid ${record.owner.pid})`);
      await stopProcess(daemon, daemon.what, 60_000);
    }
  }
  removeOwner();
}
