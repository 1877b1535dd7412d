// The one reader: every subprocess through the injected Executor, files read directly, then the
// pure parsers and one merge into the model. 8.x state comes from /proc/drbd (8.4 kernels drop
// StandAlone connections from `drbdsetup status` and events2); 9 from `drbdsetup status --json`,
// falling back to `events2 --now` for utils older than 8.9.8. Addresses come from dump-xml.
import { readFile } from 'node:fs/promises';
import type { Executor } from '../exec/executor';
import { resolveResource, type ResolvedResource } from './config-endpoints';
import { AddressBook, parseIpJsonAddr } from './interfaces';
import { parseDumpXml } from './parse-dump-xml';
import { foldEvents2 } from './parse-events2';
import { parseKernelLog, type KernelEvent } from './parse-kernel-log';
import { parseProcDrbd, type ProcDevice } from './parse-proc';
import { parseStatusJson } from './parse-status-json';
import type { DrbdSettings } from './settings';
import { classifyConnection, type ConnectionState, type DrbdModel, type ResourceState } from './types';

export interface DrbdSnapshot {
  model: DrbdModel;
  config: ResolvedResource[];
  /** undefined when the kernel log could not be read; parsed only when some connection is StandAlone
   * (the only state whose verdict looks at it), else empty */
  kernelEvents: KernelEvent[] | undefined;
  /** "res:peer" of `call helper ... helper:split-brain` lines seen in events2 output */
  events2SplitBrain: string[];
  addresses: AddressBook | undefined;
  warnings: string[];
}

export interface ReadOptions {
  /** read the kernel log for evidence (status and reconnect do; a plain model read need not) */
  kernelLog?: boolean;
}

export async function readDrbd(exec: Executor, settings: DrbdSettings, options: ReadOptions = {}): Promise<DrbdSnapshot> {
  const warnings: string[] = [];
  // dump-xml first: it also lets a fake userland advance its state before /proc/drbd is read
  // independent reads at once: dump-xml, the addresses and the kernel log
  const [dump, ip, kernelText] = await Promise.all([
    exec.run(settings.drbdadm, ['dump-xml']),
    exec.run('ip', ['-j', 'addr', 'show']).catch(() => undefined),
    options.kernelLog ? readKernelLog(exec, settings) : Promise.resolve(undefined),
  ]);
  let configResources: ReturnType<typeof parseDumpXml> = [];
  if (dump.exitCode === 0) {
    try {
      configResources = parseDumpXml(dump.stdout);
    } catch (error) {
      warnings.push(`${settings.drbdadm} dump-xml: ${(error as Error).message}`);
    }
  } else {
    warnings.push(`${settings.drbdadm} dump-xml failed (exit ${dump.exitCode}): ${lastLine(dump.stderr)}`);
  }
  const procText = await readFile(settings.procDrbd, 'utf8').catch(() => undefined);
  const proc = parseProcDrbd(procText ?? '');
  if (procText === undefined) warnings.push(`${settings.procDrbd} is missing: the drbd module is not loaded`);

  let addresses: AddressBook | undefined;
  try {
    addresses = ip && ip.exitCode === 0 ? new AddressBook(parseIpJsonAddr(ip.stdout)) : undefined;
  } catch (error) {
    warnings.push((error as Error).message);
  }
  const config = configResources.map((r) => resolveResource(r, settings.hostname, addresses?.allIps() ?? [])).filter((r) => r.local);

  let live: ResourceState[] = [];
  let events2SplitBrain: string[] = [];
  const nine = (proc.version?.major ?? 0) >= 9;
  if (nine) {
    const status = await exec.run(settings.drbdsetup, ['status', '--json']);
    if (status.exitCode === 0) {
      try {
        live = parseStatusJson(status.stdout);
      } catch (error) {
        warnings.push((error as Error).message);
      }
    }
    if (status.exitCode !== 0 || !live.length) {
      const events = await exec.run(settings.drbdsetup, ['events2', '--now']);
      if (events.exitCode === 0) {
        const snap = foldEvents2(events.stdout);
        if (!live.length) live = snap.resources;
        events2SplitBrain = snap.splitBrainCalls;
      }
    }
  }
  const resources = config.map((c) => (nine ? merge9(c, live.find((r) => r.name === c.name)) : merge8(c, proc.devices)));
  for (const r of live) if (!resources.some((x) => x.name === r.name)) resources.push(r);

  let kernelEvents: KernelEvent[] | undefined;
  if (options.kernelLog) {
    const standAlone = resources.some((r) => r.up && r.connections.some((c) => classifyConnection(c.state) === 'standalone'));
    kernelEvents = kernelText === undefined ? undefined : standAlone ? parseKernelLog(kernelText) : [];
    if (kernelText === undefined) warnings.push('the kernel log is not readable (dmesg)');
  }
  return { model: { version: proc.version, hostname: settings.hostname, resources }, config, kernelEvents, events2SplitBrain, addresses, warnings };
}

/** 8.x: the connection is per resource; a volume's cs: line carries it (StandAlone wins if mixed). */
function merge8(c: ResolvedResource, devices: ProcDevice[]): ResourceState {
  const states = c.volumes.map((v) => ({ v, d: devices.find((d) => d.minor === v.minor) }));
  const present = states.filter((s) => s.d && s.d.cstate !== 'Unconfigured');
  const up = present.length > 0;
  const cstate = !up ? 'Unconfigured' : present.find((s) => s.d!.cstate === 'StandAlone')?.d!.cstate ?? present[0]!.d!.cstate;
  const role = present[0]?.d?.role ?? 'Unknown';
  return {
    name: c.name,
    up,
    role,
    volumes: states.map(({ v, d }) => ({ volume: v.volume, minor: v.minor, disk: d?.disk ?? 'Unconfigured', role: d?.role ?? 'Unknown' })),
    connections: c.peers.map((p) => ({
      peer: p.peer,
      state: cstate,
      peerRole: present[0]?.d?.peerRole ?? 'Unknown',
      peerVolumes: states.map(({ v, d }) => ({ volume: v.volume, peerDisk: d?.peerDisk ?? 'DUnknown', replication: d?.cstate ?? 'Unconfigured' })),
      ...addressesOf(p.paths[0]),
    })),
  };
}

function merge9(c: ResolvedResource, live: ResourceState | undefined): ResourceState {
  if (!live) {
    return {
      name: c.name,
      up: false,
      role: 'Unknown',
      volumes: c.volumes.map((v) => ({ volume: v.volume, minor: v.minor, disk: 'Unconfigured', role: 'Unknown' })),
      connections: c.peers.map((p) => ({ peer: p.peer, state: 'Unconfigured', peerRole: 'Unknown', peerVolumes: [], ...addressesOf(p.paths[0]) })),
    };
  }
  const connections: ConnectionState[] = live.connections.map((conn) => {
    // the configuration names peers as the kernel names connections (it has no node ids)
    const p = c.peers.find((x) => x.peer === conn.peer);
    const fromConfig = addressesOf(p?.paths[0]);
    return { ...conn, localAddress: conn.localAddress ?? fromConfig.localAddress, peerAddress: conn.peerAddress ?? fromConfig.peerAddress };
  });
  for (const p of c.peers) {
    if (!connections.some((x) => x.peer === p.peer)) {
      // configured but never created in the kernel: only `drbdadm adjust` would, an admin decision
      connections.push({ peer: p.peer, state: 'Unconfigured', peerRole: 'Unknown', peerVolumes: [], ...addressesOf(p.paths[0]) });
    }
  }
  const volumes = live.volumes.map((v) => ({ ...v, minor: v.minor ?? c.volumes.find((x) => x.volume === v.volume)?.minor }));
  return { ...live, volumes, connections };
}

function addressesOf(path: ResolvedResource['peers'][number]['paths'][number] | undefined): Pick<ConnectionState, 'localAddress' | 'peerAddress'> {
  const out: Pick<ConnectionState, 'localAddress' | 'peerAddress'> = {};
  if (path?.local) out.localAddress = path.local;
  if (path?.remote) out.peerAddress = path.remote;
  return out;
}

async function readKernelLog(exec: Executor, settings: DrbdSettings): Promise<string | undefined> {
  if (settings.kernelLogFile) return readFile(settings.kernelLogFile, 'utf8').catch(() => undefined);
  return exec.run('dmesg', []).then((r) => (r.exitCode === 0 ? r.stdout : undefined), () => undefined);
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
