// What Pacemaker tells an agent through its environment, parsed once.
// The probe trap: a probe (one-time monitor) has NO OCF_RESKEY_CRM_meta_interval at all; unset means 0.

interface NotifyList {
  resources: string[];
  unames: string[];
}

export interface NotifyInfo {
  type: 'pre' | 'post' | undefined;
  operation: string | undefined;
  start: NotifyList;
  stop: NotifyList;
  active: NotifyList;
  inactive: NotifyList;
  promote: NotifyList;
  demote: NotifyList;
  allUnames: string[];
  availableUnames: string[];
}

export interface OcfEnvironment {
  /** OCF_RESOURCE_INSTANCE, e.g. "vm1" or "volumes:0"; "undef" outside a cluster */
  instance: string;
  /** CRM_meta_timeout in ms, when Pacemaker set one */
  timeoutMs: number | undefined;
  /** CRM_meta_interval in ms; 0 when unset (a probe) */
  intervalMs: number;
  checkLevel: number;
  /** the node this action runs on, as Pacemaker names it */
  onNode: string | undefined;
  /** present when the notify variables are set (notify actions, and start/stop of notify clones) */
  notify: NotifyInfo | undefined;
  migrateSource: string | undefined;
  migrateTarget: string | undefined;
  exitReasonPrefix: string;
  raw: NodeJS.ProcessEnv;
}

const META = 'OCF_RESKEY_CRM_meta_';

export function parseEnvironment(env: NodeJS.ProcessEnv): OcfEnvironment {
  const meta: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(META) && value !== undefined) meta[key.slice(META.length)] = value;
  }
  return {
    instance: env.OCF_RESOURCE_INSTANCE || 'undef',
    timeoutMs: positiveInteger(meta.timeout),
    intervalMs: positiveInteger(meta.interval) ?? 0,
    checkLevel: positiveInteger(env.OCF_CHECK_LEVEL) ?? 0,
    onNode: meta.on_node || undefined,
    notify: parseNotify(meta),
    migrateSource: meta.migrate_source || undefined,
    migrateTarget: meta.migrate_target || undefined,
    exitReasonPrefix: env.OCF_EXIT_REASON_PREFIX || 'ocf-exit-reason:',
    raw: env,
  };
}

function parseNotify(meta: Record<string, string>): NotifyInfo | undefined {
  const anyNotify = Object.keys(meta).some((key) => key.startsWith('notify_') && key !== 'notify');
  if (!anyNotify) return undefined;
  const list = (kind: string): NotifyList => ({
    resources: words(meta[`notify_${kind}_resource`]),
    unames: words(meta[`notify_${kind}_uname`]),
  });
  const type = meta.notify_type;
  return {
    type: type === 'pre' || type === 'post' ? type : undefined,
    operation: meta.notify_operation || undefined,
    start: list('start'),
    stop: list('stop'),
    active: list('active'),
    inactive: list('inactive'),
    promote: list('promote'),
    demote: list('demote'),
    allUnames: words(meta.notify_all_uname),
    availableUnames: words(meta.notify_available_uname),
  };
}

/** Pacemaker's lists are space separated and may carry stray spaces. */
function words(text: string | undefined): string[] {
  return (text ?? '').split(/\s+/).filter(Boolean);
}

function positiveInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return undefined;
  return Number(text);
}

export function isProbe(action: string, env: OcfEnvironment): boolean {
  return action === 'monitor' && env.intervalMs === 0;
}
