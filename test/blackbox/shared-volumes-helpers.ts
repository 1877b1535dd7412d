// Helpers of the SharedVolumes black-box tests: the built dist/ocfkit through a symlink named
// after the agent, OCF environment variables, the fake volume tools first on PATH.
import { readFileSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ocfkitBinary, runProgram, type Ran } from '../support/binaries';
export type { Ran };
import { createVolumeFakes, type FakeState, type VolumeFakes } from '../fakes/lvm/fakes';

export interface Ctx {
  fakes: VolumeFakes;
  agent: string;
}

export function setup(initial: Partial<Omit<FakeState, 'devRoot'>>): Ctx {
  const fakes = createVolumeFakes(initial);
  const agent = path.join(fakes.dir, 'agents', 'SharedVolumes');
  mkdirSync(path.dirname(agent));
  symlinkSync(ocfkitBinary, agent);
  return { fakes, agent };
}

export function run(ctx: Ctx, action: string, params: Record<string, string>, extra: NodeJS.ProcessEnv = {}): Ran {
  const env: NodeJS.ProcessEnv = {
    PATH: ctx.fakes.path,
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: 'volumes:0',
    OCF_RESKEY_CRM_meta_on_node: 'node1',
    OCF_RESKEY_CRM_meta_timeout: '20000',
    OCF_RESKEY_state_dir: path.join(ctx.fakes.dir, 'run'),
    OCF_RESKEY_dev_root: ctx.fakes.devRoot,
    OCF_RESKEY_sysfs_root: ctx.fakes.sysfsRoot,
    OCF_RESKEY_retry_delay_ms: '20',
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`OCF_RESKEY_${k}`, v])),
    ...extra,
  };
  return runProgram(ctx.agent, [action], env);
}

export const reason = (r: Ran) => /ocf-exit-reason:(.*)/.exec(r.stderr)?.[1] ?? '';
export const monitorEnv = { OCF_RESKEY_CRM_meta_interval: '20000' };

export function vanish(fakes: VolumeFakes, name: string): void {
  const [vg, lv] = name.split('/');
  fakes.update((s) => {
    for (const entry of s.lvs) if (entry.vg === vg && entry.lv === lv) entry.active = false;
  });
  rmSync(path.join(fakes.devRoot, vg!, lv!), { force: true });
}

// Pacemaker's notify variables for a clone with notify=true (lists are space separated with a trailing space)
export function notifyVars(
  type: 'pre' | 'post',
  operation: 'start' | 'stop',
  startUnames: string[],
  stopUnames: string[],
  active: string[],
): NodeJS.ProcessEnv {
  const list = (names: string[], suffix: (i: number) => string) => names.map((_, i) => suffix(i)).join(' ') + ' ';
  return {
    OCF_RESKEY_CRM_meta_notify: 'true',
    OCF_RESKEY_CRM_meta_notify_type: type,
    OCF_RESKEY_CRM_meta_notify_operation: operation,
    OCF_RESKEY_CRM_meta_notify_start_uname: startUnames.join(' ') + ' ',
    OCF_RESKEY_CRM_meta_notify_start_resource: list(startUnames, (i) => `volumes:${i + 1}`),
    OCF_RESKEY_CRM_meta_notify_stop_uname: stopUnames.join(' ') + ' ',
    OCF_RESKEY_CRM_meta_notify_stop_resource: list(stopUnames, (i) => `volumes:${i + 1}`),
    OCF_RESKEY_CRM_meta_notify_active_uname: active.join(' ') + ' ',
    OCF_RESKEY_CRM_meta_notify_all_uname: 'node1 node2 ',
  };
}

export const shared = () =>
  setup({
    vgs: { vg_san: { lockType: 'dlm' } },
    lvs: [
      { vg: 'vg_san', lv: 'vm1' },
      { vg: 'vg_san', lv: 'vm2' },
    ],
  });

// Pacemaker's own notify environment, recorded verbatim from the harness's cluster (node1)
export function recordedNotify(name: string): NodeJS.ProcessEnv {
  const text = readFileSync(path.join(__dirname, '../fixtures/pacemaker', name), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}
