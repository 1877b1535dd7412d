// A test-only agent (never shipped): proves the runtime under ocf-tester and a real cluster.
// Its "resource" is a state file; a second file injects monitor failures; notify calls are logged.
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineAgent } from '../../agents/ocf/spec';
import { OcfExit } from '../../agents/core/exit-codes';
import { GenericError, NotInstalledError } from '../../agents/core/errors';

// Every notify call also leaves the verbatim OCF_RESKEY_CRM_meta_notify_* environment Pacemaker
// passed, one file per call (notify-env/NNN-TYPE-OPERATION.txt), so tests can record what a real
// cluster sends.
function dumpNotifyEnv(stateDir: string, label: string): void {
  const dir = path.join(stateDir, 'notify-env');
  mkdirSync(dir, { recursive: true });
  const lines = Object.keys(process.env)
    .filter((key) => key.startsWith('OCF_RESKEY_CRM_meta_notify'))
    .sort()
    .map((key) => `${key}=${process.env[key]}`);
  const seq = String(readdirSync(dir).length + 1).padStart(3, '0');
  writeFileSync(path.join(dir, `${seq}-${label.replace(/[^A-Za-z0-9_-]/g, '_')}.txt`), `${lines.join('\n')}\n`);
}

const stateFile = (dir: string, instance: string) => path.join(dir, `${instance.replace(/[^A-Za-z0-9_.-]/g, '_')}.state`);

export const testResource = defineAgent({
  name: 'TestResource',
  version: '1.0',
  shortdesc: 'Test-only resource backed by a state file',
  longdesc: 'A resource whose running state is a file in state_dir. Used to prove the ocfkit OCF runtime; never shipped.',
  parameters: {
    state_dir: {
      type: 'string',
      default: '/run/ocfkit-test',
      shortdesc: 'State directory',
      longdesc: 'Directory holding the state, failure and notify files.',
    },
    mode: {
      type: 'string',
      default: 'normal',
      allowed: ['normal', 'slow'] as const,
      shortdesc: 'Behaviour',
      longdesc: 'normal, or slow: start waits until the deadline.',
    },
    required_binary: {
      type: 'string',
      shortdesc: 'A binary that must exist',
      longdesc: 'Absolute path of a program that validate checks, to exercise OCF_ERR_INSTALLED.',
    },
    degraded: { type: 'boolean', default: false, shortdesc: 'Report degraded', longdesc: 'Monitor returns OCF_DEGRADED while running.' },
  },
  actions: {
    start: {
      timeout: 20,
      handler: async ({ params, env, deadline }) => {
        if (params.mode === 'slow') {
          while (!deadline.expired()) await deadline.sleep(200);
          deadline.check('waiting for the slow start');
        }
        mkdirSync(params.state_dir, { recursive: true });
        writeFileSync(stateFile(params.state_dir, env.instance), `${Date.now()}\n`);
        if (env.notify) appendFileSync(path.join(params.state_dir, 'notify.log'), `start-with-notify-vars start_uname=${env.notify.start.unames.join(',')}\n`);
      },
    },
    stop: {
      timeout: 20,
      handler: async ({ params, env }) => {
        rmSync(stateFile(params.state_dir, env.instance), { force: true });
      },
    },
    monitor: {
      timeout: 20,
      interval: 10,
      handler: async ({ params, env }) => {
        const file = stateFile(params.state_dir, env.instance);
        if (!existsSync(file)) return OcfExit.NOT_RUNNING;
        if (existsSync(`${file}.fail`)) throw new GenericError(`injected monitor failure: ${readFileSync(`${file}.fail`, 'utf8').trim() || 'failed'}`);
        if (params.degraded) return { code: OcfExit.DEGRADED, reason: 'degraded on request' };
        return OcfExit.SUCCESS;
      },
    },
    notify: {
      timeout: 20,
      handler: async ({ params, env }) => {
        mkdirSync(params.state_dir, { recursive: true });
        const n = env.notify;
        appendFileSync(
          path.join(params.state_dir, 'notify.log'),
          `${n?.type}-${n?.operation} start=${n?.start.unames.join(',')} active=${n?.active.unames.join(',')}\n`,
        );
        dumpNotifyEnv(params.state_dir, `${n?.type}-${n?.operation}`);
      },
    },
    migrate_to: { timeout: 20, handler: async () => OcfExit.SUCCESS },
    migrate_from: { timeout: 20, handler: async () => OcfExit.SUCCESS },
  },
  validate: async ({ params }) => {
    if (params.required_binary && !existsSync(params.required_binary))
      throw new NotInstalledError(`${params.required_binary} is not installed`, params.required_binary);
  },
  stateWhenBroken: async ({ raw, env }) => (existsSync(stateFile(raw.state_dir || '/run/ocfkit-test', env.instance)) ? 'running' : 'stopped'),
});
