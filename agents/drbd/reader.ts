// The one reader: every subprocess through the injected Executor, files read directly, then the
// pure parsers and one merge into the model. 8.x state comes from /proc/drbd (8.4 kernels drop
// StandAlone connections from `drbdsetup status` and events2); 9 from `drbdsetup status --json`,
// falling back to `events2 --now` for utils older than 8.9.8. Addresses come from dump-xml.
import { readFile } from 'node:fs/promises';
import { lastLine, type Executor } from '../core/executor';
import { resolveResource, type ResolvedResource } from './config-endpoints';
import { AddressBook, parseIpJsonAddr } from './interfaces';
import { parseDumpXml } from './parse-dump-xml';
import { foldEvents2 } from './parse-events2';
import { parseKernelLog, type KernelLog, type ParseOptions } from './parse-kernel-log';
import { parseProcDrbd, type ProcDevice } from './parse-proc';
import { readProcDrbd, readStatusJson } from './live-state';
import type { DrbdSettings, KernelLogSource } from './settings';
import { classifyConnection, type ConnectionState, type DrbdModel, type ResourceState } from './types';

export interface DrbdSnapshot {
  model: DrbdModel;
  config: ResolvedResource[];
  /** every kernel log source that could be read (undefined when not asked for); parsed only when
   * some connection is StandAlone (the only state whose verdict looks at it), else without events */
  kernelLogs: KernelLog[] | undefined;
  addresses: AddressBook | undefined;
  warnings: string[];
}

/** every call of a read has a deadline: a hung tool must not hang the hook or the monitor */
const TIMEOUT_MS = 15_000;

export interface ReadOptions {
  /** read the kernel log for evidence (status and reconnect do; a plain model read need not) */
  kernelLog?: boolean;
}

export async function readDrbd(exec: Executor, settings: DrbdSettings, options: ReadOptions = {}): Promise<DrbdSnapshot> {
  const warnings: string[] = [];
  // dump-xml first: it also lets a fake userland advance its state before /proc/drbd is read
  // independent reads at once: dump-xml, the addresses and the kernel log
  const [dump, ip, kernelTexts] = await Promise.all([
    exec.run(settings.drbdadm, ['dump-xml'], { timeoutMs: TIMEOUT_MS }),
    exec.run('ip', ['-j', 'addr', 'show'], { timeoutMs: TIMEOUT_MS }).catch(() => undefined),
    options.kernelLog ? readKernelLogs(exec, settings) : Promise.resolve(undefined),
  ]);
  let configResources: ReturnType<typeof parseDumpXml> = [];
  if (dump.exitCode === 0) {
    try {
      configResources = parseDumpXml(dump.stdout);
    } catch (error) {
      warnings.push(`${settings.drbdadm} dump-xml: ${(error as Error).message}`);
    }
  } else {
    warnings.push(`${settings.drbdadm} dump-xml failed (exit ${dump.exitCode}): ${lastLine(dump.stderr) ?? ''}`);
  }
  const read = await readProcDrbd(settings.procDrbd);
  const proc = read ?? parseProcDrbd('');
  if (read === undefined) warnings.push(`${settings.procDrbd} is missing: the drbd module is not loaded`);

  let addresses: AddressBook | undefined;
  try {
    addresses = ip && ip.exitCode === 0 ? new AddressBook(parseIpJsonAddr(ip.stdout)) : undefined;
  } catch (error) {
    warnings.push((error as Error).message);
  }
  const config = configResources.map((r) => resolveResource(r, settings.hostname, addresses?.allIps() ?? [])).filter((r) => r.local);

  let live: ResourceState[] = [];
  const nine = (proc.version?.major ?? 0) >= 9;
  if (nine) {
    const status = await readStatusJson(exec, settings.drbdsetup, TIMEOUT_MS);
    if ('resources' in status) live = status.resources;
    else if (status.failed === 'parse') warnings.push(status.error);
    if (!('resources' in status) || !live.length) {
      const events = await exec.run(settings.drbdsetup, ['events2', '--now'], { timeoutMs: TIMEOUT_MS });
      if (events.exitCode === 0) live = foldEvents2(events.stdout).resources;
    }
  }
  const resources = config.map((c) =>
    nine
      ? merge9(
          c,
          live.find((r) => r.name === c.name),
        )
      : merge8(c, proc.devices),
  );
  for (const r of live) if (!resources.some((x) => x.name === r.name)) resources.push(r);

  let kernelLogs: KernelLog[] | undefined;
  if (kernelTexts) {
    const standAlone = resources.some((r) => r.up && r.connections.some((c) => classifyConnection(c.state) === 'standalone'));
    const peers = new Map(resources.map((r) => [r.name, r.connections.map((c) => c.peer)]));
    const bootTime = standAlone ? await readBootTime(settings) : undefined;
    const parseOptions: ParseOptions = bootTime === undefined ? { peers } : { peers, bootTime };
    kernelLogs = kernelTexts.logs.map(({ source, text }) =>
      standAlone ? parseKernelLog(text, source, parseOptions) : { source, events: [], firstAt: undefined, lines: 0 },
    );
    if (!kernelLogs.length) warnings.push(`no kernel log is readable (${kernelTexts.tried.join(', ')})`);
  }
  return { model: { version: proc.version, hostname: settings.hostname, resources }, config, kernelLogs, addresses, warnings };
}

/** 8.x: the connection is per resource; a volume's cs: line carries it (StandAlone wins if mixed). */
function merge8(c: ResolvedResource, devices: ProcDevice[]): ResourceState {
  const states = c.volumes.map((v) => ({ v, d: devices.find((d) => d.minor === v.minor) }));
  const present = states.filter((s) => s.d && s.d.cstate !== 'Unconfigured');
  const up = present.length > 0;
  const cstate = !up ? 'Unconfigured' : (present.find((s) => s.d!.cstate === 'StandAlone')?.d!.cstate ?? present[0]!.d!.cstate);
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

/**
 * The kernel log from every source that has it. The journal's kernel messages (this boot) survive
 * ring-buffer wraps and `dmesg -C`; dmesg has the newest lines before journald has read them. Both
 * are read and judged: a deliberate cause in either wins, and a network cause counts from the one
 * that reaches back far enough. A source that fails or prints nothing is left out.
 */
async function readKernelLogs(exec: Executor, settings: DrbdSettings): Promise<{ logs: Array<{ source: string; text: string }>; tried: string[] }> {
  if (settings.kernelLogFile) {
    const text = await readFile(settings.kernelLogFile, 'utf8').catch(() => undefined);
    return { logs: text === undefined ? [] : [{ source: `file ${settings.kernelLogFile}`, text }], tried: [settings.kernelLogFile] };
  }
  const read = async (source: KernelLogSource): Promise<{ source: string; text: string } | undefined> => {
    const run = (file: string, args: string[]) =>
      exec.run(file, args, { timeoutMs: TIMEOUT_MS }).then(
        (r) => (r.exitCode === 0 && r.stdout.trim() ? r.stdout : undefined),
        () => undefined,
      );
    if (source === 'journal') {
      const text = await run('journalctl', ['-k', '-b', '-o', 'short-iso-precise', '--no-pager', '-q']);
      return text === undefined ? undefined : { source: 'journalctl -k', text };
    }
    // absolute times where util-linux' dmesg can print them; plain dmesg (busybox) otherwise
    const text = (await run('dmesg', ['--time-format', 'iso'])) ?? (await run('dmesg', []));
    return text === undefined ? undefined : { source: 'dmesg', text };
  };
  const logs = await Promise.all(settings.kernelLogSources.map(read));
  return {
    logs: logs.filter((l): l is { source: string; text: string } => l !== undefined),
    tried: settings.kernelLogSources.map((s) => (s === 'journal' ? 'journalctl -k' : 'dmesg')),
  };
}

/** Boot time from /proc/uptime, for dmesg's seconds-since-boot stamps. */
async function readBootTime(settings: DrbdSettings): Promise<number | undefined> {
  const text = await readFile(settings.procUptime, 'utf8').catch(() => undefined);
  const uptime = Number(text?.split(/\s+/)[0]);
  return text !== undefined && Number.isFinite(uptime) ? Date.now() - Math.round(uptime * 1000) : undefined;
}
