// Shared measuring for the benchmark scripts: runs a command N times and reports the median wall
// time, the median CPU time (user+sys, as bash's `times` reports a child's, to the millisecond)
// and the peak RSS (as GNU time(1) measures it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
export { dropPageCache } from '../page-cache.mjs';

const TIME = '/usr/bin/time';

export function measure(argv, options = {}) {
  return measureInterleaved([{ argv, env: options.env, input: options.input }], options)[0];
}

/**
 * Measures several commands side by side: every round runs each command once, in turn, so that
 * a host that gets busier or quieter during the benchmark affects all of them alike.
 */
export function measureInterleaved(commands, { runs = 20 } = {}) {
  if (!existsSync(TIME)) throw new Error(`${TIME} is needed (Debian package "time")`);
  const results = commands.map(() => ({ walls: [], cpus: [], peakKiB: 0 }));
  const run = ({ argv, env = process.env, input }) => spawnSync(argv[0], argv.slice(1), { env, input, stdio: ['pipe', 'ignore', 'ignore'] });
  // wall time from direct runs (time(1) in between would add its own fork and exec), after one
  // warm-up run that fills the page cache; peak RSS from runs under time(1); CPU from runs under
  // bash, whose `times` counts only the finished child, in ms (time(1) prints 10 ms steps)
  commands.forEach(run);
  for (let i = 0; i < runs; i++) {
    commands.forEach((command, c) => {
      const started = process.hrtime.bigint();
      run(command);
      results[c].walls.push(Number(process.hrtime.bigint() - started) / 1e6);
    });
  }
  for (let i = 0; i < runs; i++) {
    commands.forEach(({ argv, env = process.env, input }, c) => {
      const r = spawnSync(TIME, ['-f', 'OCFKIT-TIME %M', ...argv], { encoding: 'utf8', env, input });
      const line = (r.stderr ?? '').split('\n').find((l) => l.startsWith('OCFKIT-TIME '));
      if (!line) throw new Error(`no peak RSS for ${argv.join(' ')}: ${r.stderr}`);
      results[c].peakKiB = Math.max(results[c].peakKiB, Number(line.split(' ')[1]));
    });
  }
  for (let i = 0; i < runs; i++) {
    commands.forEach(({ argv, env = process.env, input }, c) => {
      results[c].cpus.push(childCpuMs(argv, env, input));
    });
  }
  return results.map(({ walls, cpus, peakKiB }) => ({ wallMs: median(walls), cpuMs: median(cpus), peakMiB: peakKiB / 1024, runs }));
}

/** CPU time (user + sys) of one run of argv, from the second line of bash's `times`. */
function childCpuMs(argv, env, input) {
  // --norc: bash reads ~/.bashrc when its stdin is a socket (it assumes sshd started it), and
  // Node's pipes are sockets; whatever that file runs would count as the child's time
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', '"$@" >/dev/null 2>&1; times', 'bash', ...argv], { encoding: 'utf8', env, input });
  const children = (r.stdout ?? '').trim().split('\n')[1] ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (seconds.length !== 2) throw new Error(`no CPU time for ${argv.join(' ')}: ${r.stdout}${r.stderr}`);
  return (seconds[0] + seconds[1]) * 1000;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function row(label, m, target) {
  const verdict = target
    ? `  ${m.wallMs <= target.wallMs && m.peakMiB <= target.peakMiB ? 'meets' : 'MISSES'} target (<= ${target.wallMs} ms, <= ${target.peakMiB} MiB)`
    : '';
  return `${label.padEnd(52)} ${m.wallMs.toFixed(1).padStart(7)} ms wall ${m.cpuMs.toFixed(0).padStart(5)} ms CPU ${m.peakMiB.toFixed(1).padStart(6)} MiB peak${verdict}`;
}
