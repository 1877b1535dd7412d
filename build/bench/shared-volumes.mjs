#!/usr/bin/env node
// Cost of SharedVolumes' recurring monitor (Pacemaker runs it every interval on every node), side
// by side with its floor: the one `lvs` call it makes. The lvm tools are the test fakes (a Node
// script each, so the floor is higher than a real lvs), which keeps the comparison fair.
// Run: npm run build && node build/bench/shared-volumes.mjs [runs]
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { measure, measureInterleaved, row } from './measure.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const binary = path.join(root, 'dist/ocfkit');
const script = path.join(root, 'test/fakes/lvm/fake-volume-tools.cjs');
const runs = Number(process.argv[2] ?? 20);
if (!existsSync(binary)) throw new Error('build first: npm run build');

const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-bench-volumes-'));
try {
  const bin = path.join(dir, 'bin');
  const state = path.join(dir, 'state');
  const dev = path.join(dir, 'dev');
  for (const d of [bin, state, dev]) mkdirSync(d);
  for (const tool of ['lvs', 'vgs', 'vgchange', 'lvchange', 'pvscan', 'lvmlockctl']) {
    writeFileSync(path.join(bin, tool), `#!/bin/sh\nFAKE_LVM_STATE="${state}" exec "${process.execPath}" "${script}" ${tool} "$@"\n`, { mode: 0o755 });
  }
  const lvs = Array.from({ length: 20 }, (_, i) => ({ vg: 'vg_san', lv: `vm${i}`, active: false, open: false }));
  writeFileSync(
    path.join(state, 'state.json'),
    JSON.stringify({ devRoot: dev, lvmlockd: true, vgs: { vg_san: { lockType: 'dlm' } }, lvs, pendingVgs: {}, pendingLvs: [], failures: {} }),
  );
  const agent = path.join(dir, 'SharedVolumes');
  symlinkSync(binary, agent);
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: 'volumes:0',
    OCF_RESKEY_volumes: 'vg_san',
    OCF_RESKEY_state_dir: path.join(dir, 'run'),
    OCF_RESKEY_dev_root: dev,
    OCF_RESKEY_CRM_meta_interval: '20000',
  };
  const probe = spawnSync(agent, ['monitor'], { env: { ...env, OCF_RESKEY_CRM_meta_interval: undefined } });
  if (probe.status !== 7) throw new Error(`probe before start returned ${probe.status}`);
  const probeCost = measure([agent, 'monitor'], { runs, env: { ...env, OCF_RESKEY_CRM_meta_interval: '0' } });
  const start = spawnSync(agent, ['start'], { env, encoding: 'utf8' });
  if (start.status !== 0) throw new Error(`start failed: ${start.stderr}`);
  console.log(`SharedVolumes monitor, one VG of 20 LVs, median of ${runs} runs, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`);
  // interleaved, in the agent's environment: the floor is the very lvs call the monitor makes
  const [floor, monitor] = measureInterleaved(
    [
      { argv: [path.join(bin, 'lvs'), '--reportformat', 'json', '-o', 'vg_name,lv_name,lv_attr,vg_lock_type', 'vg_san'], env },
      { argv: [agent, 'monitor'], env },
    ],
    { runs },
  );
  console.log(row('floor: fake lvs --reportformat json vg_san', floor));
  console.log(row('SharedVolumes monitor (started, 20 LVs checked)', monitor));
  console.log(row('SharedVolumes probe of a stopped instance', probeCost));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
