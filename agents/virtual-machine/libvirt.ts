// The libvirt backend: virsh against any URI. Monitor costs one `virsh domstate` call when the
// guest runs (UUID or name), two when it does not (UUID, then name).
import { lastLine, type Executor, type CommandResult } from '../core/executor';
import { CommandFailedError } from '../core/executor';
import { timerMs } from '../core/deadline';
import { GenericError } from '../core/errors';
import type { HypervisorBackend, DomainRef, GuestPing, MigrationRequest, StateReading } from './backend';
import { listProcesses } from '../core/qemu-processes';
import { findQemuProcess } from './qemu-process';
import { parseVirshState } from './state';

/** virsh's wording when the domain does not exist on that connection. */
export function isNoSuchDomain(result: CommandResult): boolean {
  return result.exitCode !== 0 && /failed to get domain|Domain not found|no domain with matching/i.test(result.stderr);
}
function isNotRunningError(result: CommandResult): boolean {
  return /domain is not running|is not running/i.test(result.stderr);
}
export function isConnectFailure(result: CommandResult): boolean {
  return /failed to connect to the hypervisor|Cannot recv data|Failed to connect socket|unable to connect/i.test(result.stderr);
}

/** The argv of a live migration (after "virsh -c URI"). */
export function virshMigrateArgs(key: string, request: MigrationRequest): string[] {
  const args = ['migrate', '--live', key, request.destinationUri];
  if (request.migrateUri) args.push('--migrateuri', request.migrateUri);
  if (request.bandwidthMiBs) args.push('--bandwidth', String(request.bandwidthMiBs));
  if (request.extraArgs) args.push(...request.extraArgs);
  return args;
}

const lastError = (text: string) => (lastLine(text) ?? '').replace(/^error: /, '');

export function libvirtBackend(
  exec: Executor,
  uri: string,
  commandTimeoutMs = 30000,
  findProcess: (ref: DomainRef) => { pid: number } | undefined = (ref) => findQemuProcess(listProcesses(), ref),
): HypervisorBackend {
  const virsh = (args: string[], timeoutMs = commandTimeoutMs) => exec.run('virsh', ['-c', uri, ...args], { timeoutMs });
  const keyOf = (ref: DomainRef) => ref.uuid ?? ref.name ?? '';
  const connectError = (result: CommandResult) => new GenericError(`cannot reach libvirt at ${uri}: ${lastError(result.stderr)} (${result.argv.join(' ')})`);

  const lookup = async (key: string, ref: DomainRef): Promise<StateReading | undefined> => {
    const result = await virsh(['domstate', '--reason', key]);
    if (result.exitCode === 0) return parseVirshState(result.stdout);
    if (isConnectFailure(result)) return processEvidence(ref, result);
    if (isNoSuchDomain(result)) return undefined;
    throw new CommandFailedError(result);
  };

  // libvirtd unreachable: for the local QEMU driver the process table still tells the truth.
  const processEvidence = (ref: DomainRef, result: CommandResult): StateReading => {
    if (!/^qemu:\/\/\/(system|session)$/.test(uri)) throw connectError(result);
    const hit = findProcess(ref);
    const why = lastError(result.stderr);
    if (hit) return { state: 'running', reason: `libvirt unreachable (${why}); qemu process ${hit.pid} runs it`, fromProcessTable: true };
    return { state: 'absent', reason: `libvirt unreachable (${why}); no qemu process runs it`, fromProcessTable: true };
  };

  return {
    kind: 'libvirt',
    program: 'virsh',
    async state(ref) {
      if (ref.uuid) {
        const reading = await lookup(ref.uuid, ref);
        if (reading) return { ...reading, matchedBy: 'uuid' };
      }
      if (ref.name) {
        const reading = await lookup(ref.name, ref);
        if (reading) return { ...reading, matchedBy: 'name' };
      }
      return { state: 'absent' };
    },
    async create(configFile, ref) {
      const result = configFile ? await virsh(['create', configFile]) : await virsh(['start', keyOf(ref)]);
      if (result.exitCode !== 0) {
        if (isConnectFailure(result)) throw connectError(result);
        throw new CommandFailedError(result);
      }
    },
    async shutdown(ref, modes) {
      const result = await virsh(['shutdown', keyOf(ref), ...(modes?.length ? ['--mode', modes.join(',')] : [])]);
      if (result.exitCode !== 0 && !isNotRunningError(result) && !isNoSuchDomain(result)) throw new CommandFailedError(result);
    },
    async destroy(ref) {
      const result = await virsh(['destroy', keyOf(ref)]);
      if (result.exitCode !== 0 && !isNotRunningError(result) && !isNoSuchDomain(result)) throw new CommandFailedError(result);
    },
    async migrate(ref, request) {
      const key = keyOf(ref);
      if (request.maxDowntimeMs) {
        // Setting it before the migration starts is accepted by current libvirt/QEMU; a failure
        // only means the default downtime applies, so it is not fatal.
        await virsh(['migrate-setmaxdowntime', key, String(request.maxDowntimeMs)]);
      }
      const migration = exec.run('virsh', ['-c', uri, ...virshMigrateArgs(key, request)], { timeoutMs: request.timeoutMs });
      if (request.abortAfterMs === undefined) {
        const result = await migration;
        if (result.exitCode !== 0) throw new CommandFailedError(result);
        return;
      }
      // A migration that does not converge (the guest dirties memory faster than the link
      // carries it) is aborted while there is time left, so the guest keeps running here; left
      // to the action timeout, virsh would be killed with the job's outcome unknown.
      let timer: NodeJS.Timeout | undefined;
      const ran = await Promise.race([
        migration.then((result) => ({ result })),
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), timerMs(request.abortAfterMs!));
        }),
      ]).finally(() => clearTimeout(timer));
      if (ran) {
        if (ran.result.exitCode !== 0) throw new CommandFailedError(ran.result);
        return;
      }
      const abort = await virsh(['domjobabort', key], 10000);
      const result = await migration;
      if (result.exitCode === 0) return; // it finished just before the abort reached it
      const here = (await this.state(ref)).state;
      const seconds = Math.round(request.abortAfterMs / 1000);
      const how = abort.exitCode === 0 ? 'aborted it (virsh domjobabort)' : `virsh domjobabort failed: ${lastError(abort.stderr)}`;
      throw new GenericError(
        `the migration to ${request.target} did not converge within ${seconds} s; ${how}; the guest ${here === 'running' ? 'keeps running on this node' : `is ${here} on this node`}`,
      );
    },
    async guestPing(ref): Promise<GuestPing> {
      const result = await virsh(['qemu-agent-command', keyOf(ref), '{"execute":"guest-ping"}'], 10000);
      if (result.exitCode === 0) return { kind: 'ok' };
      const detail = lastError(result.stderr);
      if (/not configured/i.test(result.stderr)) return { kind: 'not-configured', detail };
      return { kind: 'failed', detail };
    },
  };
}
