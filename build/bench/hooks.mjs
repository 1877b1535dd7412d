#!/usr/bin/env node
// Hook benchmark (median of N runs): from invoking the generated ifupdown hook for an interface to
// `drbdadm connect` issued for the 16th StandAlone resource on it (issue target <= 1 s median), and
// how long the hook itself takes to return to the network stack. Runs as root: the interface is a
// veth in a private network namespace. DRBD is the fake userland in test/fakes/drbd, except that
// `drbdadm connect` is a shell script that only timestamps the call (as quick as the real C
// drbdadm), so the figure is the hook's and ocfkit's latency, not the Node fake's.
// Run: npm run build && node build/bench/hooks.mjs [runs]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from './measure.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const binary = path.join(root, 'dist/ocfkit');
const runs = Number(process.argv[2] ?? 10);
if (!existsSync(binary)) throw new Error('build first: npm run build');
if (process.getuid() !== 0) throw new Error('run as root (network namespace)');
const fakeBin = path.join(root, 'test/fakes/drbd');
const dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-bench-hooks-${process.pid}-`));
const ns = `ocfkit-bh-${process.pid}`;
const must = (argv, env = process.env) => {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const fast = path.join(dir, 'fast');
const env = {
  PATH: `${fast}:${fakeBin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
  OCFKIT_FAKE_DRBD_DIR: path.join(dir, 'fake'),
  OCFKIT_PROC_DRBD: path.join(dir, 'fake', 'proc_drbd'),
  OCFKIT_DRBD_HOSTNAME: 'alice',
  OCFKIT_DRBD_STATE_DIR: path.join(dir, 'ocfkit'),
  OCFKIT_UDEV_RULES: path.join(dir, 'none.rules'),
};
const ctl = (...args) => must([path.join(fakeBin, 'fake-drbd'), ...args], { ...process.env, ...env });

try {
  must(['ip', 'netns', 'add', ns]);
  must(['ip', '-n', ns, 'link', 'add', 'veth1', 'type', 'veth', 'peer', 'name', 'veth0']);
  must(['ip', '-n', ns, 'addr', 'add', '10.99.0.1/24', 'dev', 'veth1']);
  must(['ip', '-n', ns, 'link', 'set', 'veth1', 'up']);
  mkdirSync(fast);
  writeFileSync(
    path.join(fast, 'drbdadm'),
    `#!/bin/sh\nif [ "$1" = connect ]; then echo "$(date +%s%3N) drbdadm connect $2" >> "$OCFKIT_FAKE_DRBD_DIR/connects.log"; exit 0; fi\nexec ${fakeBin}/drbdadm "$@"\n`,
    { mode: 0o755 },
  );
  // the hook calls a two-line wrapper (one sh start, ~2 ms) that marks when ocfkit finished, so a
  // run never overlaps the previous run's background reconnect
  const done = path.join(dir, 'done');
  const wrapper = path.join(dir, 'ocfkit-wrapper');
  writeFileSync(wrapper, `#!/bin/sh\n${binary} "$@"\necho $? > ${done}\n`, { mode: 0o755 });
  must([binary, 'hooks', 'generate', '--stack', 'ifupdown', '--out', path.join(dir, 'root'), '--ocfkit', wrapper]);
  const hook = path.join(dir, 'root/etc/network/if-up.d/ocfkit-drbd-reconnect');
  // what ifupdown gives a hook, plus the fake's variables (a real node needs none of them)
  const hookEnv = { ...env, IFACE: 'veth1', LOGICAL: 'veth1', ADDRFAM: 'inet', METHOD: 'static', MODE: 'start', PHASE: 'post-up', VERBOSITY: '0' };

  console.log(`hook benchmark, median of ${runs} runs, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`);
  // side by side: through the hook, and ocfkit called directly (the hook's own share is the difference)
  const direct = [wrapper, 'drbd', 'reconnect', '--iface', 'veth1'];
  for (const [label, argv] of [
    ['hook invoked', [hook]],
    ['ocfkit drbd reconnect --iface called directly', direct],
  ]) {
    const toConnect = [];
    const returned = [];
    for (let i = 0; i < runs; i++) {
      ctl('init', '--version', '8.4.11', '--hostname', 'alice');
      for (let r = 0; r < 16; r++)
        ctl('add', `r${r}`, '--minor', String(r), '--local', `10.99.0.1:${7800 + r}`, '--peer', 'bob', '--remote', `10.99.0.2:${7800 + r}`);
      ctl('set', 'net-down', 'yes');
      ctl('tick');
      ctl('set', 'net-down', 'no');
      rmSync(env.OCFKIT_DRBD_STATE_DIR, { recursive: true, force: true });
      const log = path.join(env.OCFKIT_FAKE_DRBD_DIR, 'connects.log');
      rmSync(log, { force: true });
      rmSync(done, { force: true });
      const started = Date.now();
      await new Promise((resolve) =>
        spawn('ip', ['netns', 'exec', ns, 'env', '-i', ...Object.entries(hookEnv).map(([k, v]) => `${k}=${v}`), ...argv], { stdio: 'ignore' }).on(
          'exit',
          resolve,
        ),
      );
      returned.push(Date.now() - started);
      const until = Date.now() + 30_000;
      let stamps = [];
      while (Date.now() < until) {
        stamps = existsSync(log)
          ? readFileSync(log, 'utf8')
              .split('\n')
              .filter(Boolean)
              .map((l) => Number(l.split(' ')[0]))
          : [];
        if (stamps.length >= 16) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      if (stamps.length < 16) throw new Error(`${label}, run ${i}: only ${stamps.length} connects issued`);
      toConnect.push(Math.max(...stamps) - started);
      while (!existsSync(done) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const m = median(toConnect);
    console.log(
      `${`${label} -> 16th drbdadm connect`.padEnd(64)} ${m.toFixed(0).padStart(6)} ms median (min ${Math.min(...toConnect)}, max ${Math.max(...toConnect)})  ${m <= 1000 ? 'meets' : 'MISSES'} target (<= 1000 ms)`,
    );
    console.log(`${`${label}: returns after`.padEnd(64)} ${median(returned).toFixed(0).padStart(6)} ms median`);
  }
} finally {
  spawnSync('ip', ['netns', 'del', ns]);
  rmSync(dir, { recursive: true, force: true });
}
