// A guest paused on an I/O error (libvirt: `paused (I/O error)`, after DRBD suspended I/O or a SAN
// path went away) is DEGRADED forever unless someone acts: on_io_error=resume resumes it once every
// disk answers a read again, on_io_error=recover fails the monitor after io_error_grace seconds
// so Pacemaker recovers it (stop, then a start that runs the guards). The decision is pure; the
// first time the pause was seen is kept in a file under state_dir, the only memory between monitors.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Executor } from '../core/executor';
import { ConfigurationError } from '../core/errors';
import { OcfExit } from '../core/exit-codes';
import { assertNever } from '../core/assert';
import { describeRef, type DomainRef, type StateReading } from './backend';
import { definedDisks, resolveDisks, systemBlocks } from './disks';
import { diskRoles } from './drbd-role';

export type IoErrorPolicy = 'report' | 'resume' | 'recover';

/** libvirt's reason for VIR_DOMAIN_PAUSED_IOERROR as `virsh domstate --reason` prints it. */
export function pausedOnIoError(reading: Pick<StateReading, 'state' | 'reason'>): boolean {
  return reading.state === 'paused' && reading.reason === 'I/O error';
}

export type DiskReadiness = { disk: string; ready: true } | { disk: string; ready: false; why: string };

export interface IoErrorInput {
  policy: IoErrorPolicy;
  /** when this pause was first seen (ms) */
  since: number;
  now: number;
  graceMs: number;
  /** resume only: each disk's answer */
  disks?: DiskReadiness[];
}

export type IoErrorAction = { kind: 'report'; reason: string } | { kind: 'resume'; note: string } | { kind: 'fail'; reason: string };

export function decideIoError(input: IoErrorInput): IoErrorAction {
  const paused = `the guest is paused on an I/O error since ${Math.round((input.now - input.since) / 1000)} s`;
  switch (input.policy) {
    case 'report':
      return { kind: 'report', reason: paused };
    case 'recover':
      // strictly after the grace: with io_error_grace=0 the monitor after the one that saw the pause fails
      if (input.now - input.since > input.graceMs)
        return { kind: 'fail', reason: `${paused} (io_error_grace=${input.graceMs / 1000} s, on_io_error=recover): failing it so the cluster recovers it` };
      return { kind: 'report', reason: `${paused}; recovered after io_error_grace=${input.graceMs / 1000} s` };
    case 'resume': {
      // no disks known is not proof that they are readable
      if (!input.disks?.length) return { kind: 'report', reason: `${paused}; not resuming: the guest's disks are not known` };
      const blocked = input.disks.filter((d): d is Extract<DiskReadiness, { ready: false }> => !d.ready);
      if (blocked.length) return { kind: 'report', reason: `${paused}; not resuming: ${blocked.map((d) => `${d.disk}: ${d.why}`).join('; ')}` };
      return { kind: 'resume', note: `every disk answers a read again (${input.disks.map((d) => d.disk).join(', ')}): resuming the guest` };
    }
    default:
      return assertNever(input.policy);
  }
}

const markFile = (stateDir: string, instance: string) => path.join(stateDir, `${instance}.io-error`);

/** When the current pause was first seen; written the first time. */
function pausedSince(stateDir: string, instance: string, now: number): number {
  const file = markFile(stateDir, instance);
  try {
    const seen = Number(readFileSync(file, 'utf8').trim());
    if (Number.isFinite(seen) && seen > 0 && seen <= now) return seen;
  } catch {
    // first sight of this pause
  }
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, `${now}\n`);
  return now;
}

/** The guest runs again (resumed, restarted): the next pause starts its own grace. */
export function forgetIoError(stateDir: string, instance: string): void {
  rmSync(markFile(stateDir, instance), { force: true });
}

/**
 * Whether each disk of the running definition answers: a DRBD disk must be Primary here, and every
 * disk must return its first block to a direct read (dd, bounded: a read from a device with
 * suspended I/O hangs until the timeout).
 */
async function diskReadiness(exec: Executor, hypervisor: string, ref: DomainRef, readTimeoutMs = 5000): Promise<DiskReadiness[]> {
  const disks = await definedDisks(exec, 'libvirt', hypervisor, ref);
  const roles = await diskRoles(await resolveDisks(disks, exec, hypervisor, systemBlocks()), exec);
  const answers: DiskReadiness[] = [];
  for (const disk of disks) {
    const role = roles.find((r) => r.disk === disk);
    if (role && (role.error || role.local !== 'Primary')) {
      answers.push({ disk, ready: false, why: role.error ?? `DRBD ${role.device} is ${role.local} here` });
      continue;
    }
    if (!path.isAbsolute(disk)) {
      answers.push({ disk, ready: false, why: 'not a local path the agent can read' });
      continue;
    }
    const result = await exec
      .run('dd', [`if=${disk}`, 'of=/dev/null', 'bs=4096', 'count=1', 'iflag=direct'], { timeoutMs: readTimeoutMs })
      .catch((error: Error) => ({ exitCode: -1, stdout: '', stderr: error.message }));
    if (result.exitCode === 0) answers.push({ disk, ready: true });
    else answers.push({ disk, ready: false, why: `a read fails: ${result.stderr.trim().split('\n')[0] || `dd exit ${result.exitCode}`}` });
  }
  return answers;
}

/** monitor's answer for a guest paused on an I/O error, with on_io_error resume or recover. */
export async function handleIoError(
  ctx: { exec: Executor; log: { info(m: string): void; warn(m: string): void }; now?: () => number },
  params: { on_io_error: IoErrorPolicy; io_error_grace: number; state_dir: string; hypervisor: string },
  instance: string,
  ref: DomainRef,
): Promise<{ code: OcfExit; reason?: string }> {
  const now = (ctx.now ?? Date.now)();
  const since = pausedSince(params.state_dir, instance, now);
  const disks =
    params.on_io_error === 'resume'
      ? await diskReadiness(ctx.exec, params.hypervisor, ref).catch((error: Error) => [
          { disk: "(the guest's disks)", ready: false as const, why: error.message },
        ])
      : undefined;
  const action = decideIoError({ policy: params.on_io_error, since, now, graceMs: params.io_error_grace * 1000, ...(disks ? { disks } : {}) });
  if (action.kind === 'report') return { code: OcfExit.DEGRADED, reason: action.reason };
  if (action.kind === 'fail') return { code: OcfExit.ERR_GENERIC, reason: action.reason };
  ctx.log.info(`${describeRef(ref)}: ${action.note}`);
  const key = ref.uuid ?? ref.name ?? '';
  const result = await ctx.exec.run('virsh', ['-c', params.hypervisor, 'resume', key], { timeoutMs: 10000 });
  if (result.exitCode !== 0)
    return { code: OcfExit.DEGRADED, reason: `the guest is paused on an I/O error; virsh resume failed: ${result.stderr.trim().split('\n')[0] ?? ''}` };
  forgetIoError(params.state_dir, instance);
  ctx.log.warn(`${describeRef(ref)} resumed after an I/O error pause`);
  return { code: OcfExit.SUCCESS };
}

export function checkIoErrorParameters(params: { backend: 'libvirt' | 'xl'; on_io_error: IoErrorPolicy }): void {
  if (params.backend === 'xl' && params.on_io_error !== 'report') {
    throw new ConfigurationError(`parameter on_io_error="${params.on_io_error}" needs backend=libvirt: xl does not say why a guest is paused`, 'on_io_error');
  }
}
