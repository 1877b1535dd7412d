// Gathers doctor's facts: every source at once, each command bounded by its own timeout (and all
// of them by the run's deadline through the executor), so a node or daemon that does not answer
// becomes a fact ("cannot be asked: ...") and never a hang. Nothing here decides anything.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Executor } from '../../core/executor';
import { expandNodeTemplate } from '../../virtual-machine/cluster-facts';
import { resolveDisks, systemBlocks } from '../../virtual-machine/disks';
import { guestFactsFromText } from '../../virtual-machine/identity';
import { lockManagerFact, lockspaceFact, parseFindmnt } from '../../virtual-machine/lock-manager';
import { parseXlConfig } from '../../virtual-machine/xl-config';
import { lintXlConfig } from '../../virtual-machine/xl-lint';
import { isGuestResource, parseCib, type CibModel } from '../../pacemaker/cib';
import { parseDrbdOptions } from './checks/drbd';
import { parseVirshList } from '../../guest-census/listing';
import type { ClockFact, DomainListing, DrbdResourceFact, Facts, GuestFact, LeaseDirFact, Mount, NodeDomains, Source } from './facts';

export interface CollectOptions {
  /** root of this node's files (tests point it at a tree); commands still run on this host */
  root: string;
  /** bound of each command, and of each peer's answer */
  timeoutMs: number;
  /** replication interfaces for the hooks check (default: those of the DRBD configuration) */
  iface?: string;
  /** the udev tuning config (default /etc/ocfkit/ocfkit.yaml; absent: no udev check) */
  udevConfig: string;
  version: string;
}

const lastLine = (text: string) => (text.trim().split('\n').filter(Boolean).pop() ?? '').replace(/^error: /, '');

async function source<T>(what: string, work: () => Promise<T>): Promise<Source<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, what, error: (error as Error).message.split('\n')[0]! };
  }
}

async function output(exec: Executor, argv: string[], timeoutMs: number): Promise<string> {
  const result = await exec.run(argv[0]!, argv.slice(1), { timeoutMs });
  if (result.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${lastLine(result.stderr) || `exit ${result.exitCode}`}`);
  return result.stdout;
}

async function mountOf(exec: Executor, dir: string, timeoutMs: number): Promise<{ mount?: Mount; error?: string }> {
  const result = await exec
    .run('findmnt', ['-n', '-P', '-o', 'FSTYPE,TARGET', '-T', dir], { timeoutMs })
    .catch((e: Error) => ({ exitCode: -1, stdout: '', stderr: e.message }));
  const mount = result.exitCode === 0 ? parseFindmnt(result.stdout) : undefined;
  return mount ? { mount } : { error: lastLine(result.stderr) || `findmnt -T ${dir} found no mount` };
}

/** `virsh list --uuid --name` lines ("uuid name"), read as the guest census reads them. Pure. */
export function parseVirshUuidName(stdout: string): DomainListing[] {
  return parseVirshList(stdout).map(({ uuid, name }) => ({ uuid: uuid ?? '', name }));
}

/** ssh transports get no_tty=1, so a missing key fails at once instead of prompting for a password. */
export function nonInteractive(uri: string): string {
  if (!/^[a-z]+\+ssh:/.test(uri) || /[?&]no_tty=/.test(uri)) return uri;
  return `${uri}${uri.includes('?') ? '&' : '?'}no_tty=1`;
}

/** `timedatectl show -p NTPSynchronized --value` ("yes"/"no"), else chrony's Leap status. */
async function clock(exec: Executor, timeoutMs: number): Promise<ClockFact> {
  const t = await exec
    .run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'], { timeoutMs })
    .catch((e: Error) => ({ exitCode: -1, stdout: '', stderr: e.message }));
  if (t.exitCode === 0 && /^(yes|no)$/.test(t.stdout.trim()))
    return { synchronized: t.stdout.trim() === 'yes', evidence: `timedatectl show -p NTPSynchronized: ${t.stdout.trim()}` };
  const c = await exec.run('chronyc', ['-n', 'tracking'], { timeoutMs }).catch((e: Error) => ({ exitCode: -1, stdout: '', stderr: e.message }));
  const leap = /^Leap status\s*:\s*(.+)$/m.exec(c.stdout)?.[1]?.trim();
  if (c.exitCode === 0 && leap) return { synchronized: leap === 'Normal', evidence: `chronyc tracking: Leap status ${leap}` };
  throw new Error(`timedatectl: ${lastLine(t.stderr) || t.stdout.trim() || 'no answer'}; chronyc: ${lastLine(c.stderr) || 'no answer'}`);
}

async function selfName(exec: Executor, timeoutMs: number): Promise<string> {
  const r = await exec.run('crm_node', ['-n'], { timeoutMs }).catch(() => undefined);
  return r?.exitCode === 0 && r.stdout.trim() ? r.stdout.trim() : os.hostname().split('.')[0]!;
}

async function guestFacts(exec: Executor, cib: CibModel, drbd: DrbdResourceFact[] | undefined, o: CollectOptions): Promise<GuestFact[]> {
  const byMinor = new Map<number, string>();
  for (const r of drbd ?? []) for (const m of r.minors) byMinor.set(m, r.name);
  return Promise.all(
    cib.primitives.filter(isGuestResource).map(async (p): Promise<GuestFact> => {
      const backend = p.params.backend === 'xl' ? 'xl' : 'libvirt';
      const fact: GuestFact = {
        resource: p.id,
        backend,
        disks: [],
        ...(p.params.config ? { config: p.params.config } : {}),
        ...(p.params.name ? { name: p.params.name } : {}),
        ...(p.params.uuid ? { uuid: p.params.uuid.toLowerCase() } : {}),
      };
      if (!p.params.config) return fact;
      const file = path.join(o.root, p.params.config);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        return { ...fact, configError: (error as NodeJS.ErrnoException).code ?? String(error) };
      }
      try {
        const guest = guestFactsFromText(text, p.params.config, backend);
        if (!fact.name && guest.name) fact.name = guest.name;
        if (!fact.uuid && guest.uuid) fact.uuid = guest.uuid;
        const hypervisor = p.params.hypervisor ?? 'qemu:///system';
        const resolved = await resolveDisks(guest.disks, exec, hypervisor, systemBlocks(path.join(o.root, 'sys')));
        fact.disks = resolved.map((r) =>
          'error' in r
            ? { disk: r.disk, drbd: [], error: r.error }
            : { disk: r.disk, drbd: r.drbd.map((d) => d.resource ?? byMinor.get(d.minor!) ?? `minor ${d.minor}`) },
        );
        if (backend === 'xl') fact.lint = lintXlConfig(parseXlConfig(text), { hostCpus: os.cpus().length });
      } catch (error) {
        fact.configError = (error as Error).message;
      }
      const where = await mountOf(exec, file, o.timeoutMs);
      if (where.mount) fact.configMount = where.mount;
      return fact;
    }),
  );
}

async function nodeDomains(exec: Executor, node: string, uri: string, timeoutMs: number): Promise<NodeDomains> {
  const list = (flag: string) => output(exec, ['virsh', '-c', uri, 'list', '--all', flag, '--uuid', '--name'], timeoutMs).then(parseVirshUuidName);
  return {
    node,
    uri,
    listing: await source(`virsh -c ${uri} list --all --autostart`, async () => {
      const [autostart, persistent] = await Promise.all([list('--autostart'), list('--persistent')]);
      return { autostart, persistent };
    }),
  };
}

function shellSettings(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_]+)=["']?([^"'#\s]*)["']?/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

export async function collectFacts(exec: Executor, o: CollectOptions): Promise<Facts> {
  const t = o.timeoutMs;
  const at = (p: string) => path.join(o.root, p);
  const hasDrbd = existsSync(at('etc/drbd.conf'));
  const [self, cib, drbd, clockFact] = await Promise.all([
    selfName(exec, t),
    source('cibadmin -Q', async () => parseCib(await output(exec, ['cibadmin', '-Q'], t))),
    hasDrbd ? source('drbdadm dump-xml', async () => parseDrbdOptions(await output(exec, ['drbdadm', 'dump-xml'], t))) : Promise.resolve(undefined),
    source('timedatectl show / chronyc tracking', () => clock(exec, t)),
  ]);
  const model = cib.ok ? cib.value : undefined;
  const vms = model?.primitives.filter(isGuestResource) ?? [];
  const hypervisor = vms.find((p) => p.params.hypervisor)?.params.hypervisor ?? 'qemu:///system';
  const peerTemplate = vms.find((p) => p.params.peer_uri)?.params.peer_uri ?? hypervisor.replace(/^([a-z]+):\/\/\//, '$1+ssh://%n/');
  const peers = (model?.nodes ?? []).filter((n) => n !== self);

  const [guests, domains, libvirtGuests, lockManager, leaseDirs, hooks, udev] = await Promise.all([
    model ? guestFacts(exec, model, drbd?.ok ? drbd.value : undefined, o) : Promise.resolve([]),
    Promise.all([nodeDomains(exec, self, hypervisor, t), ...peers.map((n) => nodeDomains(exec, n, nonInteractive(expandNodeTemplate(peerTemplate, n)), t))]),
    (async () => {
      const file = ['etc/default/libvirt-guests', 'etc/sysconfig/libvirt-guests'].map(at).find((f) => existsSync(f));
      const enabled = await exec.run('systemctl', ['is-enabled', 'libvirt-guests.service'], { timeoutMs: t }).then(
        (r) => r.stdout.trim() === 'enabled',
        () => false,
      );
      if (!file && !enabled) return undefined;
      return { file: file ?? at('etc/default/libvirt-guests'), settings: file ? shellSettings(readFileSync(file, 'utf8')) : {}, enabled };
    })(),
    (async () => {
      const fact = await lockManagerFact(hypervisor, { configFile: at(/^(xen|libxl)/.test(hypervisor) ? 'etc/libvirt/libxl.conf' : 'etc/libvirt/qemu.conf') });
      if (fact.configured !== 'lockd' && fact.configured !== 'sanlock') return { fact };
      const driver = /^(xen|libxl)/.test(hypervisor) ? 'libxl' : 'qemu';
      return { fact, space: await lockspaceFact(fact.configured, hypervisor, exec, at(`etc/libvirt/${driver}-${fact.configured}.conf`)) };
    })(),
    Promise.all(
      vms
        .filter((p) => p.params.lease_dir)
        .map(async (p): Promise<LeaseDirFact> => {
          const dir = p.params.lease_dir!;
          const where = await mountOf(exec, at(dir), t);
          return { resource: p.id, dir, ...where, marker: existsSync(path.join(at(dir), '.ocfkit-lease-dir')) };
        }),
    ),
    hasDrbd || o.iface ? source('ocfkit hooks doctor', () => hooksFacts(exec, o)) : Promise.resolve(undefined),
    existsSync(o.udevConfig) ? source(`ocfkit udev status --config ${o.udevConfig}`, () => udevFacts(exec, o)) : Promise.resolve(undefined),
  ]);
  return {
    self,
    cib,
    drbd,
    guests,
    domains,
    ...(libvirtGuests ? { libvirtGuests } : {}),
    ...(lockManager ? { lockManager } : {}),
    leaseDirs,
    clock: clockFact,
    ...(hooks ? { hooks } : {}),
    ...(udev ? { udev } : {}),
  };
}

async function hooksFacts(exec: Executor, o: CollectOptions) {
  const [{ doctor }, { replicationInterfaces }] = await Promise.all([import('../../../rules/hooks/doctor'), import('../../../rules/hooks/replication')]);
  const replication = o.iface ? { ifaces: [o.iface], notes: [], from: '--iface' } : { ...(await replicationInterfaces(exec)), from: 'DRBD configuration' };
  const report = doctor({ root: o.root, version: o.version, replication });
  return { ifaces: replication.ifaces, problems: report.problems };
}

async function udevFacts(exec: Executor, o: CollectOptions) {
  const [{ loadSiteConfig }, { readInventory }, { pageSize }, { statusReport }] = await Promise.all([
    import('../../../rules/config/site'),
    import('../../../rules/udev/inventory'),
    import('../../../rules/udev/udevadm'),
    import('../../../rules/udev/status'),
  ]);
  const report = statusReport(loadSiteConfig(o.udevConfig), await readInventory(exec, at0(o.root, 'sys')), await pageSize(exec));
  return {
    config: o.udevConfig,
    drift: report.rows
      .filter((r) => r.state === 'drift' || r.state === 'missing')
      .map((r) => ({ device: r.device, tunable: r.tunable, desired: r.desired, current: r.current })),
  };
}

const at0 = (root: string, p: string) => path.join(root, p);
