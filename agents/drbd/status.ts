// `ocfkit drbd status`: the model and the policy's verdict on every connection, read-only
// (records are read, never written: looking must not change what a later reconnect decides).
import type { Executor } from '../core/executor';
import { readDrbd, type DrbdSnapshot } from './reader';
import { scan, type ScannedConnection } from './scan';
import type { DrbdSettings } from './settings';
import { StateDir } from './state-dir';

export async function drbdStatus(exec: Executor, settings: DrbdSettings, now = Date.now()): Promise<{ snapshot: DrbdSnapshot; scanned: ScannedConnection[] }> {
  const snapshot = await readDrbd(exec, settings, { kernelLog: true });
  const state = new StateDir(settings.stateDir);
  return { snapshot, scanned: scan(snapshot, state.readRecords(), state.readMarkers(), now) };
}
