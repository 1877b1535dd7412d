// ocf:ocfkit:DrbdReconnect: a clone (one instance per node) that keeps DRBD connections from
// staying StandAlone after a network restart. start records which connections are up (the
// baseline); monitor scans the chosen resources, reconnects per the policy (agents/drbd/policy.ts),
// publishes each resource's connection state as a node attribute and returns OCF_DEGRADED while a
// connection it should reconnect stays disconnected; stop ends watching. It coexists with
// ocf:linbit:drbd: it never promotes, demotes, adjusts or attaches anything.
import { OcfExit } from '../core/exit-codes';
import { NotInstalledError } from '../core/errors';
import { isProbe } from '../ocf/environment';
import { defineAgent } from '../ocf/spec';
import { findOnPath } from '../core/path';
import { reconnect, type ConnectionReport } from '../drbd/reconnect';
import { describeVerdict, UNCERTAIN } from '../drbd/policy';
import { configure, type ReconnectContext } from './config';
import { reconnectParameters } from './parameters';
import { attributeValues, publish, withdraw } from './attributes';
import { readWatch, removeWatch, watchFile, writeWatch } from './watch-state';

type Ctx = ReconnectContext;

async function scanAndAct(ctx: Ctx, act: boolean) {
  const { settings, resources, policy } = ctx.config;
  return reconnect(ctx.exec, settings, ctx.log, { resources, act, policy, settleMs: act ? 300 : 0, waitConnectedMs: 5000 });
}

/** Publishes the values that changed (all of them when `all`); returns what is now published. */
async function publishChanged(ctx: Ctx, values: Record<string, string>, previous: Record<string, string>, all: boolean): Promise<Record<string, string>> {
  for (const [name, value] of Object.entries(values)) {
    if (all || previous[name] !== value) await publish(ctx.exec, name, value);
  }
  return { ...previous, ...values };
}

/** Connections a human should look at: ones the policy wants reconnected but are not, and ones
 *  that were up and are StandAlone for a reason ocfkit cannot establish (it leaves those alone). */
function stillDisconnected(reports: readonly ConnectionReport[]): ConnectionReport[] {
  return reports.filter(
    (r) =>
      r.outcome === 'waiting' ||
      r.outcome === 'failed' ||
      r.outcome === 'would-reconnect' ||
      (r.outcome === 'reconnected' && r.stateAfter === 'StandAlone') ||
      (r.outcome === 'left' && r.wasUp && r.verdict.action === 'leave' && UNCERTAIN.has(r.verdict.reason)),
  );
}

export const drbdReconnectAgent = defineAgent({
  name: 'DrbdReconnect',
  version: '1.0',
  shortdesc: 'Reconnects DRBD connections left StandAlone by a network restart',
  longdesc: [
    'A clone (one instance per node). DRBD 8.x and 9.0 before 9.0.16 give up and stay StandAlone when the local replication address disappears, for example during a network restart.',
    "Its monitor reconnects a StandAlone connection only on positive evidence that a network failure ended it: the kernel log (journal and dmesg) shows, for the current episode, a failure after which DRBD gave up, and reaches back to the episode's start or to the last time the connection was seen up. A split brain (configure `ocfkit drbd split-brain-handler` as DRBD's split-brain handler), unrelated data, incompatible settings, a refused handshake or an admin's disconnect always wins, and without evidence (log cleared, wrapped or unreadable) it leaves the connection alone. Backoff keeps a flapping link from looping.",
    "It publishes each resource's connection state as the node attribute <attribute_prefix>-<resource>-connection and reports degraded (190), naming the evidence, while a connection it should reconnect stays disconnected or a connection that was up is StandAlone for a reason it cannot establish.",
    'It never promotes, demotes, attaches or adjusts anything and never uses --discard-my-data: run it beside ocf:linbit:drbd.',
  ].join('\n'),
  parameters: reconnectParameters,
  actions: {
    start: {
      timeout: 30,
      handler: async (ctx) => {
        const file = watchFile(ctx.env.raw, ctx.env.instance);
        const report = await scanAndAct(ctx, false);
        const published = await publishChanged(ctx, attributeValues(ctx.params.attribute_prefix, report.connections), {}, true);
        writeWatch(file, { startedAt: Date.now(), published });
        const up = report.connections.filter((c) => c.outcome === 'connected' || c.outcome === 'retrying').length;
        ctx.log.info(`watching ${report.connections.length} DRBD connection(s), ${up} up; baseline recorded in ${ctx.params.state_dir}`);
      },
    },
    stop: {
      timeout: 30,
      handler: async (ctx) => {
        const file = watchFile(ctx.env.raw, ctx.env.instance);
        const watch = readWatch(file);
        for (const name of Object.keys(watch?.published ?? {})) await withdraw(ctx.exec, name);
        removeWatch(file);
      },
    },
    monitor: {
      timeout: 60,
      interval: 20,
      handler: async (ctx) => {
        const file = watchFile(ctx.env.raw, ctx.env.instance);
        const watch = readWatch(file);
        // a probe only reports whether this node is watching: no DRBD calls, no attributes
        if (!watch) return OcfExit.NOT_RUNNING;
        if (isProbe(ctx.action, ctx.env)) return OcfExit.SUCCESS;
        const report = await scanAndAct(ctx, ctx.params.reconnect);
        const published = await publishChanged(ctx, attributeValues(ctx.params.attribute_prefix, report.connections), watch.published, false);
        writeWatch(file, { ...watch, published });
        for (const w of report.warnings) ctx.log.warn(w);
        for (const c of report.connections)
          if (c.outcome === 'left' && c.stateBefore === 'StandAlone') ctx.log.debug(`${c.resource}:${c.peer} left StandAlone: ${c.verdict.why}`);
        const down = stillDisconnected(report.connections);
        if (down.length) {
          // the exit reason names each connection's verdict and its evidence in one line
          return {
            code: OcfExit.DEGRADED,
            reason: down.map((c) => `${c.resource}:${c.peer} ${c.stateAfter} (${c.error ?? `${describeVerdict(c.verdict)}: ${c.verdict.why}`})`).join('; '),
          };
        }
        return OcfExit.SUCCESS;
      },
    },
  },
  configure,
  validate: async (ctx) => {
    if (ctx.action === 'stop' || isProbe(ctx.action, ctx.env)) return;
    const { settings } = ctx.config;
    if (!findOnPath(settings.drbdadm, ctx.env.raw.PATH)) throw new NotInstalledError(`${settings.drbdadm} not found: install drbd-utils`, 'drbdadm');
    if (!findOnPath('attrd_updater', ctx.env.raw.PATH)) throw new NotInstalledError('attrd_updater not found: install pacemaker-cli-utils', 'attrd_updater');
  },
  stateWhenBroken: async ({ env }) => (readWatch(watchFile(env.raw, env.instance)) ? 'running' : 'stopped'),
  examples: [
    {
      title: 'pcs: one instance per node',
      lines: ['pcs resource create drbd-reconnect ocf:ocfkit:DrbdReconnect op monitor interval=20s clone'],
    },
    {
      title: 'crmsh',
      lines: [
        'crm configure primitive drbd-reconnect ocf:ocfkit:DrbdReconnect op monitor interval=20s timeout=60s',
        'crm configure clone cl-drbd-reconnect drbd-reconnect',
      ],
    },
  ],
});
