// libvirt for integration suites: libvirtd and virtlogd (reused if running, else started by the
// harness and stopped again by the last test run that uses them), small BIOS-only domains with
// unique names (kvm where /dev/kvm works, qemu/TCG otherwise) destroyed and undefined at run end,
// and libvirt test-driver URIs that stand in for peer hosts running (or not) a given domain.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { onRunEnd } from '../support/integration';
import { repoRoot } from '../support/binaries';
import { acquireLock, type HeldLock } from './lock';
import { kvm } from './needs';
import { isAlive, processId, processesNamed, run, runOk, stopProcess, waitFor, type ProcessId, type RunResult } from './proc';
import { freshDir, runTempDir, uniqueName } from './tmp';
import { escapeXml } from './xml';

const LIBVIRT_URI = 'qemu:///system';
const MUTEX = '/run/lock/ocfkit-test-libvirt.lock';
const USERS = '/run/lock/ocfkit-test-libvirt.users.lock';
const RECORD = '/run/lock/ocfkit-test-libvirt.started.json';
type Record_ = Partial<Record<'libvirtd' | 'virtlogd', ProcessId>>;

let ready: Promise<void> | undefined;

export function virsh(args: readonly string[], uri = LIBVIRT_URI): Promise<RunResult> {
  return run(['virsh', '-c', uri, ...args], { timeoutMs: 60_000 });
}

export async function virshOk(args: readonly string[], uri = LIBVIRT_URI): Promise<string> {
  return (await runOk(['virsh', '-c', uri, ...args], { timeoutMs: 60_000 })).stdout;
}

/** Makes sure libvirtd and virtlogd run (starting them if needed); idempotent per run. */
export function ensureLibvirt(): Promise<void> {
  if (!ready) {
    ready = startLibvirt();
    ready.catch(() => undefined);
  }
  return ready;
}

const readRecord = (): Record_ => (existsSync(RECORD) ? (JSON.parse(readFileSync(RECORD, 'utf8')) as Record_) : {});

function startDaemon(binary: string, log: string): ProcessId {
  const fd = openSync(log, 'a');
  const child = spawn(binary, [], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  const id = child.pid ? processId(child.pid) : undefined;
  if (!id) throw new Error(`${binary} did not start; see ${log}`);
  return id;
}

async function startLibvirt(): Promise<void> {
  const mutex = (await acquireLock(MUTEX, { mode: 'exclusive', timeoutMs: 10 * 60_000, what: 'the libvirtd start/stop lock' }))!;
  let record: Record_;
  try {
    const users = (await acquireLock(USERS, { mode: 'shared', timeoutMs: 60_000, what: 'the libvirtd users lock' }))!;
    // the run dir (daemon logs) registers its removal before our release, so it outlives libvirtd
    const logDir = runTempDir();
    // from here on, the run end releases our use (and stops what a harness started if we are last)
    onRunEnd(() => releaseLibvirt(users));
    record = readRecord();
    if (!processesNamed(['virtlogd']).length) record.virtlogd = startDaemon('virtlogd', path.join(logDir, 'virtlogd.log'));
    writeFileSync(RECORD, `${JSON.stringify(record)}\n`);
    if (record.virtlogd) await waitFor('virtlogd to create its socket', () => existsSync('/run/libvirt/virtlogd-sock'), { timeoutMs: 30_000 });
    if (!processesNamed(['libvirtd']).length) record.libvirtd = startDaemon('libvirtd', path.join(logDir, 'libvirtd.log'));
    writeFileSync(RECORD, `${JSON.stringify(record)}\n`);
  } finally {
    await mutex.release();
  }
  // A fresh libvirtd probes qemu's capabilities before it answers: tens of seconds on a busy machine.
  const started = Date.now();
  await waitFor(
    'libvirtd to answer (virsh version)',
    async () => {
      if (record.libvirtd && !isAlive(record.libvirtd)) throw new Error('libvirtd exited; see libvirtd.log in the run temp dir');
      return (await run(['virsh', '-c', LIBVIRT_URI, 'version'], { timeoutMs: 180_000 })).code === 0;
    },
    { timeoutMs: 180_000, intervalMs: 300 },
  );
  if (record.libvirtd) console.log(`harness: started libvirtd, answering after ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Run end: the last test run using libvirtd stops the daemons a harness started (never others). */
async function releaseLibvirt(users: HeldLock): Promise<void> {
  const mutex = (await acquireLock(MUTEX, { mode: 'exclusive', timeoutMs: 10 * 60_000, what: 'the libvirtd start/stop lock' }))!;
  try {
    await users.release();
    const alone = await acquireLock(USERS, { mode: 'exclusive', timeoutMs: 0, what: 'the libvirtd users lock' });
    if (!alone) return; // another test run still uses libvirtd
    try {
      const record = readRecord();
      if (record.libvirtd) await stopProcess(record.libvirtd, 'libvirtd', 30_000);
      if (record.virtlogd) await stopProcess(record.virtlogd, 'virtlogd', 10_000);
      rmSync(RECORD, { force: true });
    } finally {
      await alone.release();
    }
  } finally {
    ready = undefined;
    await mutex.release();
  }
}

export interface TestDomain {
  name: string;
  uuid: string;
  type: 'kvm' | 'qemu';
  xml: string;
  start(): Promise<void>;
  /** virsh destroy (hard power-off); no error if already off */
  destroy(): Promise<void>;
  state(): Promise<string>;
  undefine(): Promise<void>;
}

const created = new Map<string, TestDomain>();
let domainCleanupRegistered = false;

/** The domain type for this machine: kvm where /dev/kvm is usable, else qemu (TCG). */
export function domainType(): 'kvm' | 'qemu' {
  return kvm.check() === undefined ? 'kvm' : 'qemu';
}

export function domainXml(options: { name: string; uuid: string; type: 'kvm' | 'qemu' }): string {
  const template = readFileSync(path.join(repoRoot, 'test/fixtures/libvirt/bios-domain.xml'), 'utf8');
  return template
    .replace(/@TYPE@/g, options.type)
    .replace(/@NAME@/g, escapeXml(options.name))
    .replace(/@UUID@/g, options.uuid)
    .replace(/@MEMORY_MIB@/g, '32');
}

/** Defines (not starts) a small BIOS-only domain with a unique name; undefined at run end. */
export async function defineDomain(): Promise<TestDomain> {
  await ensureLibvirt();
  const name = uniqueName('ocfkit-test-vm-');
  const uuid = randomUUID();
  const type = domainType();
  const xml = domainXml({ name, uuid, type });
  const file = path.join(freshDir('domain'), `${name}.xml`);
  writeFileSync(file, xml);
  await virshOk(['define', file]);
  const domain: TestDomain = {
    name,
    uuid,
    type,
    xml,
    start: async () => void (await virshOk(['start', name])),
    destroy: async () => {
      const result = await virsh(['destroy', name]);
      if (result.code !== 0 && !/not running/i.test(result.stderr)) throw new Error(`virsh destroy ${name}: ${result.stderr.trim()}`);
    },
    state: async () => (await virshOk(['domstate', name])).trim(),
    undefine: async () => {
      if (!created.delete(name)) return;
      // undefine even when destroy failed: a running transient domain at least vanishes once it stops
      const destroyed = await domain.destroy().then(
        () => undefined,
        (error: unknown) => error,
      );
      await virshOk(['undefine', name]);
      if (destroyed) throw destroyed;
    },
  };
  created.set(name, domain);
  if (!domainCleanupRegistered) {
    domainCleanupRegistered = true;
    onRunEnd(async () => {
      for (const left of [...created.values()]) await left.undefine().catch((error) => console.error(`harness: removing domain ${left.name}: ${error}`));
    });
  }
  return domain;
}

export interface PeerDomain {
  name: string;
  uuid: string;
  state?: 'running' | 'blocked' | 'paused' | 'shutdown' | 'shutoff' | 'crashed' | 'pmsuspended';
}

// virDomainState numbers used by the test driver's <test:runstate>
const RUNSTATE: Record<NonNullable<PeerDomain['state']>, number> = { running: 1, blocked: 2, paused: 3, shutdown: 4, shutoff: 5, crashed: 6, pmsuspended: 7 };

/**
 * A libvirt URI (test:///abs/path.xml) for a pretend peer host that has exactly `domains`
 * (default state running). `virsh -c URI domstate NAME` then answers as that host would.
 */
export function testDriverHost(domains: PeerDomain[], label = 'peer'): string {
  const entries = domains
    .map(
      (d) =>
        `  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n    <name>${escapeXml(d.name)}</name>\n    <uuid>${d.uuid}</uuid>\n    <memory>65536</memory>\n    <os><type>hvm</type></os>\n    <test:runstate>${RUNSTATE[d.state ?? 'running']}</test:runstate>\n  </domain>`,
    )
    .join('\n');
  const template = readFileSync(path.join(repoRoot, 'test/fixtures/libvirt/test-host.xml'), 'utf8');
  const file = path.join(freshDir(`libvirt-${label}`), 'host.xml');
  writeFileSync(file, template.replace('@DOMAINS@', entries));
  return `test://${file}`;
}
