// ocf:ocfkit:GuestCensus: a clone (one instance per node) whose monitor lists the guests running
// on its node, publishes them as a transient node attribute with a timestamp, and reports degraded
// (with a crit log line) while a guest the cluster manages runs here without the cluster having
// put it here: a `virsh start` by hand, libvirt autostart after a reboot, libvirt-guests restoring it.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseCib } from '../pacemaker/cib';
import { runOk, type Executor } from '../core/executor';
import { isProbe } from '../ocf/environment';
import { ConfigurationError, GenericError, NotInstalledError } from '../core/errors';
import { OcfExit } from '../core/exit-codes';
import { defineAgent, type ActionContext } from '../ocf/spec';
import { readIfExists, writeFileAtomicIfChanged } from '../core/files';
import { findOnPath } from '../core/path';
import { listProcesses } from '../core/qemu-processes';
import { encodeCensus } from '../pacemaker/census-attribute';
import { describeRogue, findRogues, managedGuests, placementFromStatus } from './census';
import { guestsFromProcesses, identityFromConfig, isConnectFailure, nodeName, parseVirshList, parseXlListVerbose, type RunningGuest } from './listing';

const DEFAULT_ATTRIBUTE = 'guest-census';

const parameters = {
  hypervisor: {
    type: 'string',
    default: 'qemu:///system',
    shortdesc: 'libvirt URI',
    longdesc:
      'The local libvirt connection whose running guests are counted (virsh -c URI list). With qemu:///system or qemu:///session, the qemu process table answers when libvirtd does not. "none": do not ask libvirt (xl only).',
  },
  xl: {
    type: 'boolean',
    default: false,
    shortdesc: 'Count xl domains too',
    longdesc: "Also count the domains Xen's xl lists (xl list -v, by UUID; Domain-0 excluded).",
  },
  on_rogue: {
    type: 'string',
    default: 'report',
    allowed: ['report', 'pause'] as const,
    shortdesc: 'What to do about a rogue guest',
    longdesc:
      'report: degraded (190) naming the guest and where the cluster has it, and a log line at crit. pause: the same, and the guest is suspended (virsh suspend; xl pause) so it stops writing to shared disks; it is never destroyed: resume it (virsh resume) or destroy it yourself once you know which copy is the right one.',
  },
  attribute: {
    type: 'string',
    default: DEFAULT_ATTRIBUTE,
    shortdesc: 'Node attribute name',
    longdesc:
      'The transient node attribute (attrd_updater) that holds this node\'s census: {"at":<unix seconds>,"guests":[[uuid,name],...]}. VirtualMachine reads it under this name (census_attribute).',
  },
} as const;

type Ctx = ActionContext<typeof parameters>;

function activeFile(env: NodeJS.ProcessEnv, instance: string): string {
  const base = instance.replace(/:\d+$/, '').replace(/[^A-Za-z0-9_.-]/g, '_');
  return path.join(env.OCFKIT_RUN_DIR || '/run/ocfkit', 'guest-census', `${base}.active`);
}

/** The guests running on this node, and how they were listed. */
async function listRunning(
  exec: Executor,
  hypervisor: string,
  xl: boolean,
  timeoutMs: number,
  processes = listProcesses,
): Promise<{ guests: RunningGuest[]; notes: string[] }> {
  const guests: RunningGuest[] = [];
  const notes: string[] = [];
  if (hypervisor !== 'none') {
    const result = await exec.run('virsh', ['-c', hypervisor, 'list', '--uuid', '--name'], { timeoutMs });
    if (result.exitCode === 0) guests.push(...parseVirshList(result.stdout));
    else if (isConnectFailure(result.stderr) && /^qemu:\/\/\/(system|session)$/.test(hypervisor)) {
      // libvirtd down: its guests' qemu processes still run, and still write to their disks
      guests.push(...guestsFromProcesses(processes()));
      notes.push(`libvirt at ${hypervisor} does not answer; the qemu process table was counted`);
    } else {
      throw new GenericError(
        `cannot list the guests: virsh -c ${hypervisor} list failed: ${(result.stderr.trim().split('\n').pop() ?? '').replace(/^error: /, '') || `exit ${result.exitCode}`}`,
      );
    }
  }
  if (xl) {
    const result = await exec.run('xl', ['list', '-v'], { timeoutMs });
    if (result.exitCode !== 0)
      throw new GenericError(`cannot list the guests: xl list -v failed: ${result.stderr.trim().split('\n').pop() ?? `exit ${result.exitCode}`}`);
    guests.push(...parseXlListVerbose(result.stdout));
  }
  return { guests, notes };
}

function identityOf(params: Record<string, string>): { name?: string; uuid?: string } {
  if (!params.config) return {};
  try {
    return identityFromConfig(readFileSync(params.config, 'utf8'), params.backend === 'xl' ? 'xl' : 'libvirt');
  } catch {
    // the config is on storage not mounted here: only name/uuid parameters identify it
    return {};
  }
}

async function census(ctx: Ctx) {
  const timeoutMs = Math.min(20_000, ctx.deadline.remainingMs());
  const self = nodeName(ctx.env.onNode);
  // the listing is published as soon as it is known, while cibadmin still reads the CIB: the
  // monitor then costs one round trip more than `virsh list`, not three
  const listing = listRunning(ctx.exec, ctx.params.hypervisor, ctx.params.xl, timeoutMs);
  const published = listing.then((r) =>
    runOk(ctx.exec, 'attrd_updater', ['-n', ctx.params.attribute, '-U', encodeCensus({ at: Date.now(), guests: r.guests })], { timeoutMs: 10_000 }),
  );
  const [running, cib] = await Promise.all([listing, ctx.exec.run('cibadmin', ['-Q'], { timeoutMs }), published]);
  for (const note of running.notes) ctx.log.warn(note);
  if (cib.exitCode !== 0)
    throw new GenericError(`cannot read the CIB to compare: cibadmin -Q: ${cib.stderr.trim().split('\n').pop() ?? `exit ${cib.exitCode}`}`);
  const managed = running.guests.length ? managedGuests(parseCib(cib.stdout), placementFromStatus(cib.stdout), identityOf) : [];
  return { self, running: running.guests, rogues: findRogues(running.guests, managed, self) };
}

/** crit where the logger has it (syslog priority crit), else err */
function crit(ctx: Ctx, line: string): void {
  if (ctx.log.crit) ctx.log.crit(line);
  else ctx.log.err(line);
}

async function pause(ctx: Ctx, guest: RunningGuest): Promise<string> {
  const key = guest.uuid ?? guest.name;
  const result =
    guest.source === 'xl'
      ? await ctx.exec.run('xl', ['pause', guest.name], { timeoutMs: 10_000 })
      : await ctx.exec.run('virsh', ['-c', ctx.params.hypervisor, 'suspend', key], { timeoutMs: 10_000 });
  if (result.exitCode === 0) return 'paused';
  const why = (result.stderr.trim().split('\n').pop() ?? '').replace(/^error: /, '');
  // already paused: the goal is reached
  if (/not running|already (paused|suspended)/i.test(why)) return 'paused';
  return `pausing it failed: ${why || `exit ${result.exitCode}`}`;
}

async function monitorCensus(ctx: Ctx) {
  const { running, rogues } = await census(ctx);
  if (!rogues.length) {
    ctx.log.debug(`${running.length} guest(s) here, none outside the cluster`);
    return OcfExit.SUCCESS;
  }
  const reasons: string[] = [];
  for (const rogue of rogues) {
    let line = describeRogue(rogue);
    if (ctx.params.on_rogue === 'pause') line += ` (${await pause(ctx, rogue.guest)})`;
    crit(ctx, line);
    reasons.push(line);
  }
  // Pacemaker keeps 128 characters of the reason: the first guest's name and where the cluster has it come first
  return { code: OcfExit.DEGRADED, reason: reasons.join('; ') };
}

export const guestCensusAgent = defineAgent({
  name: 'GuestCensus',
  version: '1.0',
  shortdesc: 'Reports guests running where the cluster did not put them',
  longdesc: [
    "A clone (one instance per node). Its monitor lists the guests running on this node (libvirt by UUID and name; xl with xl=true; the qemu process table when libvirtd does not answer), publishes them with a timestamp as the transient node attribute named by attribute, and compares them with where the cluster has its VirtualMachine and VirtualDomain resources (the CIB's record of their last operation on each node).",
    'A guest the cluster manages that runs here although the cluster did not place it here (started by hand, by libvirt autostart, by libvirt-guests) makes the monitor return degraded (190) with an exit reason naming the guest and where the cluster has it, and logs a line at crit; on_rogue=pause also suspends it. A live migration to this node (a pending migrate_to naming it, or a pending migrate_from or start here) is not rogue. Guests no resource manages, and managed guests that run nowhere, are not its business.',
    'VirtualMachine reads the published census before a start or a migration: a fresh entry showing the guest on another node refuses at once.',
  ].join('\n'),
  parameters,
  actions: {
    start: {
      timeout: 30,
      handler: async (ctx) => {
        writeFileAtomicIfChanged(activeFile(ctx.env.raw, ctx.env.instance), `${JSON.stringify({ startedAt: Date.now() })}\n`);
        // the first census at once, so the attribute exists before the first monitor
        const { running, rogues } = await census(ctx);
        for (const rogue of rogues) crit(ctx, describeRogue(rogue));
        ctx.log.info(`census started: ${running.length} guest(s) here`);
      },
    },
    stop: {
      timeout: 30,
      handler: async (ctx) => {
        await ctx.exec.run('attrd_updater', ['-n', ctx.params.attribute, '-D'], { timeoutMs: 10_000 }).catch(() => undefined);
        rmSync(activeFile(ctx.env.raw, ctx.env.instance), { force: true });
      },
    },
    monitor: {
      timeout: 30,
      interval: 30,
      handler: async (ctx) => {
        if (readIfExists(activeFile(ctx.env.raw, ctx.env.instance)) === undefined) return OcfExit.NOT_RUNNING;
        if (isProbe(ctx.action, ctx.env)) return OcfExit.SUCCESS;
        return monitorCensus(ctx);
      },
    },
  },
  checkParameters: (params) => {
    if (!/^[A-Za-z0-9_.-]+$/.test(params.attribute))
      throw new ConfigurationError(`attribute "${params.attribute}" may only contain letters, digits, "_", "." and "-"`, 'attribute');
    if (params.hypervisor === 'none' && !params.xl) throw new ConfigurationError('hypervisor=none and xl=false count nothing: set one of them', 'hypervisor');
  },
  validate: async (ctx) => {
    if (ctx.action === 'stop' || isProbe(ctx.action, ctx.env)) return;
    if (ctx.params.hypervisor !== 'none' && !findOnPath('virsh', ctx.env.raw.PATH))
      throw new NotInstalledError('virsh not found: install libvirt-clients', 'virsh');
    if (ctx.params.xl && !findOnPath('xl', ctx.env.raw.PATH)) throw new NotInstalledError('xl not found: install xen-utils', 'xl');
    if (!findOnPath('attrd_updater', ctx.env.raw.PATH)) throw new NotInstalledError('attrd_updater not found: install pacemaker-cli-utils', 'attrd_updater');
  },
  stateWhenBroken: async ({ env }) => (readIfExists(activeFile(env.raw, env.instance)) !== undefined ? 'running' : 'stopped'),
  examples: [
    {
      title: 'pcs: one census per node, every 30 s, reporting only',
      lines: ['pcs resource create guest-census ocf:ocfkit:GuestCensus op monitor interval=30s timeout=30s clone'],
    },
    {
      title: 'crmsh: pausing rogue guests',
      lines: [
        'crm configure primitive guest-census ocf:ocfkit:GuestCensus params on_rogue=pause op monitor interval=30s timeout=30s',
        'crm configure clone cl-guest-census guest-census',
      ],
    },
  ],
});
