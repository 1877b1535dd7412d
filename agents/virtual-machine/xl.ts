// The Xen xl backend: xl create/shutdown/destroy/list/migrate. `xl list NAME` prints a header and
// one row "name id mem vcpus state time" (state: six flag columns r b p s c d); UUIDs need
// `xl list -v`, which adds the UUID column.
import type { CommandResult, Executor } from '../core/executor';
import { CommandFailedError } from '../core/executor';
import type { HypervisorBackend, DomainRef, GuestPing, MigrationRequest, StateReading } from './backend';
import { normalizeUuid } from './libvirt-xml';
import { parseXlStateFlags, type DomainState } from './state';

export interface XlListRow {
  name: string;
  id: number;
  memMiB: number;
  vcpus: number;
  state: DomainState;
  flags: string;
  uuid?: string;
}

export function parseXlList(stdout: string): XlListRow[] {
  const rows: XlListRow[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim() || /^Name\s+ID\s/.test(line)) continue;
    const words = line.trim().split(/\s+/);
    if (words.length < 6 || !/^\d+$/.test(words[1]!)) continue;
    const flags = words[4]!;
    const row: XlListRow = { name: words[0]!, id: Number(words[1]), memMiB: Number(words[2]), vcpus: Number(words[3]), flags, state: parseXlStateFlags(flags) };
    const uuid = words.slice(6).find((w) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(w));
    if (uuid) row.uuid = normalizeUuid(uuid);
    rows.push(row);
  }
  return rows;
}

export function xlMigrateArgs(name: string, request: MigrationRequest): string[] {
  const args = ['migrate'];
  if (request.sshCommand) args.push('-s', request.sshCommand);
  args.push(name, request.targetHost);
  return args;
}

export function xlBackend(exec: Executor, commandTimeoutMs = 30000): HypervisorBackend {
  const xl = (args: string[], timeoutMs = commandTimeoutMs) => exec.run('xl', args, { timeoutMs });
  const resolveName = async (ref: DomainRef): Promise<string | undefined> => {
    if (ref.name) return ref.name;
    const reading = await findByUuid(ref.uuid!);
    return reading?.name;
  };
  const findByUuid = async (uuid: string): Promise<XlListRow | undefined> => {
    const result = await xl(['list', '-v']);
    if (result.exitCode !== 0) throw new CommandFailedError(result);
    return parseXlList(result.stdout).find((row) => row.uuid === normalizeUuid(uuid));
  };
  const requireName = async (ref: DomainRef) => {
    const name = await resolveName(ref);
    if (!name) throw new CommandFailedError({ argv: ['xl', 'list', '-v'], exitCode: 1, stdout: '', stderr: `no domain with UUID ${ref.uuid}` });
    return name;
  };
  return {
    kind: 'xl',
    program: 'xl',
    async state(ref): Promise<StateReading> {
      if (ref.name) {
        const result = await xl(['list', ref.name]);
        if (result.exitCode === 0) {
          const row = parseXlList(result.stdout).find((r) => r.name === ref.name);
          if (row) return { state: row.state, reason: `xl flags ${row.flags}`, matchedBy: 'name' };
        } else if (!/invalid domain identifier|not found|does not exist/i.test(result.stderr)) {
          throw new CommandFailedError(result);
        }
      }
      if (ref.uuid) {
        const row = await findByUuid(ref.uuid);
        if (row) return { state: row.state, reason: `xl flags ${row.flags}`, matchedBy: 'uuid' };
      }
      return { state: 'absent' };
    },
    async create(configFile, ref) {
      if (!configFile)
        throw new CommandFailedError({ argv: ['xl', 'create'], exitCode: 1, stdout: '', stderr: `xl needs the config file to start ${ref.name ?? ref.uuid}` });
      // xl create builds the domain paused and unpauses it last: killed half way (a busy host
      // takes more than the per-command timeout), it leaves a paused domain behind. It gets the
      // rest of the action's time instead.
      const result = await exec.run('xl', ['create', configFile], {});
      if (result.exitCode !== 0) throw new CommandFailedError(result);
    },
    async shutdown(ref, modes = ['paravirt']) {
      // Each mode in turn until the toolstack accepts one: an HVM guest without PV drivers has
      // no PV control interface ("external graceful shutdown not possible"), the ACPI power
      // button still reaches it.
      const name = await requireName(ref);
      let refused: CommandResult | undefined;
      for (const mode of modes) {
        const result = await xl(mode === 'acpi' ? ['trigger', name, 'power'] : ['shutdown', name]);
        // xl 4.17 exits 0 when libxl refuses the trigger (a PV guest has no ACPI power button):
        // only the message tells
        const triggerRefused = mode === 'acpi' && /Send trigger .* failed/.test(result.stderr);
        if ((result.exitCode === 0 && !triggerRefused) || /invalid domain identifier/i.test(result.stderr)) return;
        refused = triggerRefused ? { ...result, exitCode: result.exitCode || 1 } : result;
      }
      if (refused) throw new CommandFailedError(refused);
    },
    async destroy(ref) {
      const result = await xl(['destroy', await requireName(ref)]);
      if (result.exitCode !== 0 && !/invalid domain identifier/i.test(result.stderr)) throw new CommandFailedError(result);
    },
    async migrate(ref, request) {
      const result = await exec.run('xl', xlMigrateArgs(await requireName(ref), request), { timeoutMs: request.timeoutMs });
      if (result.exitCode !== 0) throw new CommandFailedError(result);
    },
    async destroyLeftovers(ref) {
      if (!ref.name) return [];
      // one `xl list` (all domains) answers for every leftover name
      const result = await xl(['list']);
      if (result.exitCode !== 0) throw new CommandFailedError(result);
      const present = new Set(parseXlList(result.stdout).map((row) => row.name));
      const destroyed: string[] = [];
      for (const leftover of migrationLeftoverNames(ref.name).filter((n) => present.has(n))) {
        const gone = await xl(['destroy', leftover]);
        if (gone.exitCode !== 0 && !/invalid domain identifier/i.test(gone.stderr)) throw new CommandFailedError(gone);
        destroyed.push(leftover);
      }
      return destroyed;
    },
    async guestPing(): Promise<GuestPing> {
      return { kind: 'not-configured', detail: 'xl has no guest agent channel' };
    },
  };
}

/**
 * Names a failed migration leaves behind for the guest: xm/xend and the Xen agent's
 * `migrating-<name>`; xl's receiving side `<name>--incoming` (paused, never resumed); and xl's
 * sending side `<name>--migratedaway`, the name the sender gives the guest just before it lets
 * the target resume it and keeps when that final handshake fails (xl_migrate.c: "Domain state is
 * now undefined"), still holding the guest's disks.
 */
export function migrationLeftoverNames(name: string): string[] {
  return [`migrating-${name}`, `${name}--incoming`, `${name}--migratedaway`];
}
