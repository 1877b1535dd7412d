// `ocfkit drbd reconnect` and the agent's monitor: scan, select, reconnect per the policy, re-apply
// block tuning, persist the records. 8.x: `drbdadm connect <res>` (one connection per resource);
// 9: `drbdadm connect <res>:<peer>` per StandAlone peer (a bare `connect <res>` stops at the first
// connection that is not StandAlone). Never adjust, never --discard-my-data, never a role change.
import { lastLine, type Executor } from '../core/executor';
import type { Logger } from '../core/log';
import { readFile } from 'node:fs/promises';
import { parseProcDrbd } from './parse-proc';
import { parseStatusJson } from './parse-status-json';
import { foldEvents2 } from './parse-events2';
import { DEFAULT_POLICY, describeVerdict, type PolicySettings, type ReconnectVerdict } from './policy';
import { readDrbd, type DrbdSnapshot } from './reader';
import { recordAttempt, resolvedMarkers, updateRecords, markerMatches } from './records';
import { retuneDevices, type RetuneResult } from './retune';
import { scan, type ScannedConnection } from './scan';
import type { DrbdSettings } from './settings';
import { RecordsLockTimeout, withRecordsLock } from './records-lock';
import { StateDir } from './state-dir';
import { classifyConnection } from './types';

export interface ReconnectOptions {
  /** only these resources (default: all) */
  resources?: readonly string[];
  /** only connections whose local replication address is on this interface */
  iface?: string;
  dryRun?: boolean;
  /** false: decide and report, never connect (the agent with reconnect=false) */
  act?: boolean;
  now?: () => number;
  policy?: PolicySettings;
  /** wait this long after the connects before reading the resulting states (default 0) */
  settleMs?: number;
  /** after connecting, keep reading the states up to this long until they are Connected (default 0) */
  waitConnectedMs?: number;
  /** how long to wait for the records lock (default 30 s) */
  lockWaitMs?: number;
}

/** resources reconnected at the same time */
const CONCURRENCY = 8;

type Outcome = 'connected' | 'retrying' | 'disconnecting' | 'reconnected' | 'would-reconnect' | 'waiting' | 'left' | 'failed';

export interface ConnectionReport {
  resource: string;
  peer: string;
  interfaces: string[];
  stateBefore: string;
  stateAfter: string;
  verdict: ReconnectVerdict;
  /** ocfkit saw it up before (the baseline): a StandAlone it cannot explain needs a human */
  wasUp: boolean;
  outcome: Outcome;
  command?: string[];
  error?: string;
}

export interface ReconnectReport {
  connections: ConnectionReport[];
  retune: RetuneResult | undefined;
  /** every selected connection is connected or (re)connecting */
  allUp: boolean;
  warnings: string[];
}

/** How long a reconnect waits for another one (monitor or hook) to finish with the records. */
const LOCK_WAIT_MS = 30_000;

/**
 * Scans and reconnects under the records lock, so that a monitor and a hook running at once cannot
 * lose each other's updates (nor both connect the same connection). When the lock cannot be had,
 * the scan still reports but neither connects nor writes.
 */
export async function reconnect(exec: Executor, settings: DrbdSettings, log: Logger, options: ReconnectOptions = {}): Promise<ReconnectReport> {
  // a dry run writes nothing, not even the lock
  if (options.dryRun) return reconnectLocked(exec, settings, log, options);
  const state = new StateDir(settings.stateDir);
  try {
    state.ensure();
  } catch (error) {
    const report = await reconnectLocked(exec, settings, log, options);
    return { ...report, warnings: [...report.warnings, `cannot create ${settings.stateDir}: ${(error as Error).message}`] };
  }
  try {
    return await withRecordsLock(settings.stateDir, options.lockWaitMs ?? LOCK_WAIT_MS, () => reconnectLocked(exec, settings, log, options));
  } catch (error) {
    if (!(error instanceof RecordsLockTimeout)) throw error;
    const report = await reconnectLocked(exec, settings, log, { ...options, dryRun: true });
    return { ...report, allUp: false, warnings: [...report.warnings, `not reconnecting: ${error.message}`] };
  }
}

async function reconnectLocked(exec: Executor, settings: DrbdSettings, log: Logger, options: ReconnectOptions): Promise<ReconnectReport> {
  const now = (options.now ?? Date.now)();
  const policy = options.policy ?? DEFAULT_POLICY;
  const dryRun = options.dryRun ?? false;
  const act = options.act ?? true;
  const state = new StateDir(settings.stateDir);
  const snapshot = await readDrbd(exec, settings, { kernelLog: true });
  let records = state.readRecords();
  const markers = state.readMarkers();
  const scanned = scan(snapshot, records, markers, now, policy);
  const warnings = [...snapshot.warnings];
  for (const name of options.resources ?? []) {
    if (!snapshot.model.resources.some((r) => r.name === name)) warnings.push(`resource ${name} is not configured on this node (${settings.hostname})`);
  }
  const selected = scanned.filter(
    (s) => (!options.resources?.length || options.resources.includes(s.resource.name)) && (!options.iface || s.interfaces.includes(options.iface)),
  );

  const reports: ConnectionReport[] = [];
  const reconnectedMinors: number[] = [];
  const eight = (snapshot.model.version?.major ?? 8) < 9;
  const jobs = new Map<string, Array<{ s: ScannedConnection; report: ConnectionReport; target: string }>>();
  for (const s of selected) {
    const report: ConnectionReport = {
      resource: s.resource.name,
      peer: s.connection.peer,
      interfaces: s.interfaces,
      stateBefore: s.evidence.state,
      stateAfter: s.evidence.state,
      verdict: s.verdict,
      wasUp: s.evidence.baseline?.state === 'up',
      outcome: baseOutcome(s.verdict),
    };
    reports.push(report);
    if (s.verdict.action !== 'reconnect') continue;
    const target = eight ? s.resource.name : `${s.resource.name}:${s.connection.peer}`;
    report.command = [settings.drbdadm, 'connect', target];
    if (!act || dryRun) {
      report.outcome = 'would-reconnect';
      continue;
    }
    jobs.set(s.resource.name, [...(jobs.get(s.resource.name) ?? []), { s, report, target }]);
  }
  // resources in parallel (a few at a time), the peers of one resource in order
  await inParallel([...jobs.values()], CONCURRENCY, async (list) => {
    for (const { s, report, target } of list) {
      log.info(`reconnecting ${target}: ${s.verdict.why}`);
      const result = await exec.run(settings.drbdadm, ['connect', target], { timeoutMs: 30_000 });
      records = recordAttempt(records, s.key, now, policy);
      if (result.exitCode !== 0 && !/net-config/i.test(result.stderr + result.stdout)) {
        report.outcome = 'failed';
        report.error = `drbdadm connect ${target} failed (exit ${result.exitCode}): ${lastLine(result.stderr.trim() || result.stdout) ?? ''}`;
        log.warn(report.error);
        continue;
      }
      // exit 10 "(125) Device has a net-config": someone else connected it a moment ago; fine
      report.outcome = 'reconnected';
      reconnectedMinors.push(...s.resource.volumes.map((v) => v.minor).filter((m): m is number => m !== undefined));
    }
  });
  const reconnected = reports.filter((r) => r.outcome === 'reconnected');
  if (reconnected.length) {
    // a bind failure shows within milliseconds; the handshake takes a little longer (~0.6 s):
    // read the states after a moment, and again until every one is Connected or StandAlone again
    const deadline = Date.now() + (options.waitConnectedMs ?? 0);
    if (options.settleMs) await sleep(options.settleMs);
    for (;;) {
      const after = await stateAfter(exec, settings, eight, snapshot);
      for (const r of reconnected) r.stateAfter = after.get(`${r.resource}:${r.peer}`) ?? r.stateAfter;
      const pending = reconnected.some((r) => classifyConnection(r.stateAfter) === 'retrying');
      if (!pending || Date.now() + 250 > deadline) break;
      await sleep(250);
    }
  }
  // DRBD recomputes readahead on attach, disconnect and when the peer connects, without a uevent:
  // replay one for devices we reconnected and for connections that became Connected since the
  // last scan (whoever connected them)
  const cameUp = scanned.filter(
    (s) => classifyConnection(s.evidence.state) === 'connected' && records.seen?.[s.key] !== undefined && records.seen[s.key] !== 'connected',
  );
  for (const s of cameUp) reconnectedMinors.push(...s.resource.volumes.map((v) => v.minor).filter((m): m is number => m !== undefined));
  const retune = reconnectedMinors.length ? await retuneDevices(exec, settings.udevRules, reconnectedMinors, dryRun) : undefined;
  if (retune?.error) warnings.push(retune.error);

  if (!dryRun) {
    records = updateRecords(
      records,
      scanned.map((s) => {
        const report = reports.find((r) => r.resource === s.resource.name && r.peer === s.connection.peer);
        return { key: s.key, state: report?.stateAfter ?? s.evidence.state, verdict: s.verdict };
      }),
      now,
    );
    try {
      state.writeRecords(records);
      const isConnected = (m: (typeof markers)[number]) =>
        scanned.some(
          (s) => markerMatches(m, s.resource.name, s.connection.peer, s.connection.peerNodeId) && classifyConnection(s.evidence.state) === 'connected',
        );
      for (const m of resolvedMarkers(markers, isConnected, now)) state.removeMarker(m);
    } catch (error) {
      warnings.push(`cannot write the records in ${settings.stateDir}: ${(error as Error).message}`);
    }
  }
  const allUp = reports.every((r) => {
    const cls = classifyConnection(r.stateAfter);
    return r.outcome === 'would-reconnect' || (r.outcome !== 'failed' && (cls === 'connected' || cls === 'retrying'));
  });
  return { connections: reports, retune, allUp, warnings };
}

function baseOutcome(v: ReconnectVerdict): Outcome {
  switch (v.action) {
    case 'none':
      return v.kind;
    case 'reconnect':
      return 'would-reconnect';
    case 'wait':
      return 'waiting';
    case 'leave':
      return 'left';
    default:
      throw new Error(`unhandled verdict ${describeVerdict(v)}`);
  }
}

/**
 * Connection states after the connects, with one subprocess: 9 from `drbdsetup status --json`;
 * 8.4 from `drbdsetup events2 --now` (utils >= 8.9.2), where a connection that is missing is
 * StandAlone again (8.4 frees its net config); /proc/drbd when events2 is not available.
 */
async function stateAfter(exec: Executor, settings: DrbdSettings, eight: boolean, snapshot: DrbdSnapshot): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  try {
    if (!eight) {
      const result = await exec.run(settings.drbdsetup, ['status', '--json'], { timeoutMs: 15_000 });
      for (const r of result.exitCode === 0 ? parseStatusJson(result.stdout) : []) for (const c of r.connections) states.set(`${r.name}:${c.peer}`, c.state);
      return states;
    }
    const events = await exec.run(settings.drbdsetup, ['events2', '--now'], { timeoutMs: 15_000 }).catch(() => undefined);
    if (events && events.exitCode === 0) {
      const live = foldEvents2(events.stdout).resources;
      for (const r of snapshot.model.resources) {
        const found = live.find((x) => x.name === r.name);
        if (!found) continue;
        const state = found.connections[0]?.state ?? 'StandAlone';
        for (const c of r.connections) states.set(`${r.name}:${c.peer}`, state);
      }
      return states;
    }
    const proc = parseProcDrbd(await readFile(settings.procDrbd, 'utf8'));
    for (const r of snapshot.model.resources) {
      const cs = r.volumes.map((v) => proc.devices.find((d) => d.minor === v.minor)?.cstate).filter((x): x is string => !!x);
      const state = cs.find((x) => x === 'StandAlone') ?? cs[0];
      if (state) for (const c of r.connections) states.set(`${r.name}:${c.peer}`, state);
    }
  } catch {
    // the states stay as they were before; the next scan will see the truth
  }
  return states;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}
