// Shared measuring for the benchmark scripts: runs a command N times and reports the median wall
// time, median CPU time (user+sys) and the peak RSS, as GNU time(1) measures them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TIME = '/usr/bin/time';

export function measure(argv, { runs = 20, env = process.env, input } = {}) {
  if (!existsSync(TIME)) throw new Error(`${TIME} is needed (Debian package "time")`);
  const walls = [];
  const cpus = [];
  let peakKiB = 0;
  // wall time from direct runs (time(1) in between would add its own fork and exec), after one
  // warm-up run that fills the page cache; CPU and peak RSS from runs under time(1)
  spawnSync(argv[0], argv.slice(1), { env, input, stdio: ['pipe', 'ignore', 'ignore'] });
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    spawnSync(argv[0], argv.slice(1), { env, input, stdio: ['pipe', 'ignore', 'ignore'] });
    walls.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(TIME, ['-f', 'OCFKIT-TIME %U %S %M', ...argv], { encoding: 'utf8', env, input });
    const line = (r.stderr ?? '').split('\n').find((l) => l.startsWith('OCFKIT-TIME '));
    if (!line) throw new Error(`no timing for ${argv.join(' ')}: ${r.stderr}`);
    const [user, sys, maxKiB] = line.split(' ').slice(1).map(Number);
    cpus.push((user + sys) * 1000);
    peakKiB = Math.max(peakKiB, maxKiB);
  }
  return { wallMs: median(walls), cpuMs: median(cpus), peakMiB: peakKiB / 1024, runs, lastStatus: undefined };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function row(label, m, target) {
  const verdict = target ? `  ${m.wallMs <= target.wallMs && m.peakMiB <= target.peakMiB ? 'meets' : 'MISSES'} target (<= ${target.wallMs} ms, <= ${target.peakMiB} MiB)` : '';
  return `${label.padEnd(52)} ${m.wallMs.toFixed(1).padStart(7)} ms wall ${m.cpuMs.toFixed(0).padStart(5)} ms CPU ${m.peakMiB.toFixed(1).padStart(6)} MiB peak${verdict}`;
}
