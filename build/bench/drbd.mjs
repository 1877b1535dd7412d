#!/usr/bin/env node
// DRBD benchmarks (median of N runs), against the fake DRBD userland in test/fakes/drbd:
//  1. interface-up hook -> `drbdadm connect` issued for 16 StandAlone resources on the interface
//     (target <= 1 s median): from spawning `ocfkit drbd reconnect --iface lo` to the start of the
//     16th connect, taken from the fake's calls-timed.log;
//  2. `ocfkit drbd status` over 256 resources: the parse in-process (target <= 20 ms: /proc/drbd,
//     dump-xml, status --json, kernel log, merge and policy) and the whole command.
// The fake userland is Node scripts (~50 ms start-up each, more under load); its own cost is shown
// beside the figures so ocfkit's share can be read off. Run: npm run build && node build/bench/drbd.mjs [runs]
// [--binary PATH] (another build, e.g. main's, to compare side by side in one session)
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measure, median, row } from './measure.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const binaryAt = process.argv.indexOf('--binary');
const binary = binaryAt > 0 ? path.resolve(process.argv[binaryAt + 1]) : path.join(root, 'dist/ocfkit');
const runs = Number(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 10);
if (!existsSync(binary)) throw new Error('build first: npm run build');
const fakeBin = path.join(root, 'test/fakes/drbd');
const dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-bench-drbd-${process.pid}-`));
const env = {
  ...process.env,
  PATH: `${fakeBin}:${process.env.PATH}`,
  OCFKIT_FAKE_DRBD_DIR: path.join(dir, 'fake'),
  OCFKIT_PROC_DRBD: path.join(dir, 'fake', 'proc_drbd'),
  OCFKIT_DRBD_HOSTNAME: 'alice',
  OCFKIT_DRBD_STATE_DIR: path.join(dir, 'ocfkit'),
  OCFKIT_UDEV_RULES: path.join(dir, 'none.rules'),
};
const ctl = (...args) => {
  const r = spawnSync(path.join(fakeBin, 'fake-drbd'), args, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fake-drbd ${args.join(' ')}: ${r.stderr}`);
};

try {
  console.log(
    `DRBD benchmarks of ${path.relative(root, binary) || binary}, median of ${runs} runs, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`,
  );

  // 1. hook -> 16 connects: with the Node fake for every call, and with a fast drbdadm for
  //    `connect` (a shell script, as quick as the real C drbdadm) so ocfkit's own latency shows
  const fastDir = path.join(dir, 'fast');
  mkdirSync(fastDir);
  writeFileSync(
    path.join(fastDir, 'drbdadm'),
    `#!/bin/sh\nif [ "$1" = connect ]; then echo "$(date +%s%3N) drbdadm connect $2" >> "$OCFKIT_FAKE_DRBD_DIR/calls-timed.log"; exit 0; fi\nexec ${fakeBin}/drbdadm "$@"\n`,
    { mode: 0o755 },
  );
  for (const [label, pathVar] of [
    ['Node fake userland', env.PATH],
    ['fast drbdadm connect', `${fastDir}:${env.PATH}`],
  ]) {
    const toConnect = [];
    const total = [];
    for (let i = 0; i < runs; i++) {
      ctl('init', '--version', '8.4.11', '--hostname', 'alice');
      ctl('add-many', '16');
      ctl('set', 'net-down', 'yes');
      ctl('tick');
      ctl('set', 'net-down', 'no');
      rmSync(env.OCFKIT_DRBD_STATE_DIR, { recursive: true, force: true });
      const started = Date.now();
      await new Promise((resolve) =>
        spawn(binary, ['drbd', 'reconnect', '--iface', 'lo'], { env: { ...env, PATH: pathVar }, stdio: 'ignore' }).on('exit', resolve),
      );
      total.push(Date.now() - started);
      const connects = readFileSync(path.join(env.OCFKIT_FAKE_DRBD_DIR, 'calls-timed.log'), 'utf8')
        .split('\n')
        .filter((l) => / drbdadm connect /.test(l))
        .map((l) => Number(l.split(' ')[0]));
      if (connects.length !== 16) throw new Error(`run ${i}: ${connects.length} connects instead of 16`);
      toConnect.push(Math.max(...connects) - started);
    }
    console.log(
      `${`hook -> 16th connect issued (${label})`.padEnd(52)} ${median(toConnect).toFixed(1).padStart(7)} ms wall  ${median(toConnect) <= 1000 ? 'meets' : 'MISSES'} target (<= 1000 ms)`,
    );
    console.log(
      `${'  whole `ocfkit drbd reconnect --iface lo`'.padEnd(52)} ${median(total).toFixed(1).padStart(7)} ms wall (incl. 300 ms settle + state read)`,
    );
  }
  console.log(row('  for scale: one call of the Node fake drbdadm', measure([path.join(fakeBin, 'drbdadm'), 'dump-xml', 'r0'], { runs, env })));
  console.log(row('  for scale: dist/ocfkit --version', measure([binary, '--version'], { runs, env })));

  // 2. status over 256 resources
  ctl('init', '--version', '8.4.11', '--hostname', 'alice');
  ctl('add-many', '256');
  ctl('set', 'net-down', 'yes');
  ctl('tick');
  ctl('set', 'net-down', 'no');
  const parse = await inProcessParse(256);
  for (const [label, ms] of parse)
    console.log(
      `${label.padEnd(52)} ${ms.toFixed(2).padStart(7)} ms${label.startsWith('parse total') ? `  ${ms <= 20 ? 'meets' : 'MISSES'} target (<= 20 ms)` : ''}`,
    );
  console.log(row('whole `ocfkit drbd status` (256, fake userland)', measure([binary, 'drbd', 'status'], { runs, env })));
  console.log(row('whole `ocfkit drbd status --json` (256)', measure([binary, 'drbd', 'status', '--json'], { runs, env })));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The parse path of `ocfkit drbd status` in this process, on the fake's real outputs for n resources. */
async function inProcessParse(n) {
  const bundle = path.join(dir, 'parse.cjs');
  await build({
    stdin: {
      contents: `
        export { parseProcDrbd } from './agents/drbd/parse-proc';
        export { parseDumpXml } from './agents/drbd/parse-dump-xml';
        export { parseStatusJson } from './agents/drbd/parse-status-json';
        export { parseKernelLog } from './agents/drbd/parse-kernel-log';
        export { readDrbd } from './agents/drbd/reader';
        export { scan } from './agents/drbd/scan';
        export { drbdSettings } from './agents/drbd/settings';`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    logLevel: 'warning',
  });
  const m = (await import(bundle)).default;
  const run = (file, args) => spawnSync(path.join(fakeBin, file), args, { env, encoding: 'utf8' }).stdout;
  const dumpXml = run('drbdadm', ['dump-xml']);
  const proc = readFileSync(env.OCFKIT_PROC_DRBD, 'utf8');
  const kmsg = readFileSync(path.join(env.OCFKIT_FAKE_DRBD_DIR, 'kmsg'), 'utf8');
  const ip = spawnSync('ip', ['-j', 'addr', 'show'], { encoding: 'utf8' }).stdout;
  // a 9 status of the same size, from the fake's 9 rendering
  const nineDir = path.join(dir, 'nine');
  spawnSync(path.join(fakeBin, 'fake-drbd'), ['init', '--version', '9.2.8', '--hostname', 'alice'], { env: { ...env, OCFKIT_FAKE_DRBD_DIR: nineDir } });
  spawnSync(path.join(fakeBin, 'fake-drbd'), ['add-many', String(n)], { env: { ...env, OCFKIT_FAKE_DRBD_DIR: nineDir } });
  const statusJson = spawnSync(path.join(fakeBin, 'drbdsetup'), ['status', '--json'], {
    env: { ...env, OCFKIT_FAKE_DRBD_DIR: nineDir },
    encoding: 'utf8',
  }).stdout;
  const exec = {
    async run(file, args) {
      const key = [file, ...args].join(' ');
      const stdout = key === 'drbdadm dump-xml' ? dumpXml : key === 'ip -j addr show' ? ip : key.startsWith('dmesg') ? kmsg : '';
      return { argv: [file, ...args], exitCode: 0, stdout, stderr: '' };
    },
  };
  const settings = m.drbdSettings(env);
  const time = async (fn) => {
    const samples = [];
    for (let i = 0; i < 10; i++) await fn(); // warm-up: compiled code, not the first calls
    for (let i = 0; i < Math.max(50, runs); i++) {
      const t = process.hrtime.bigint();
      await fn();
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return median(samples);
  };
  const records = { baseline: {}, backoff: {} };
  return [
    [`parse /proc/drbd (${n} devices, 8.4)`, await time(() => m.parseProcDrbd(proc))],
    [`parse dump-xml (${n} resources)`, await time(() => m.parseDumpXml(dumpXml))],
    [`parse status --json (${n} resources, 9)`, await time(() => m.parseStatusJson(statusJson))],
    [`parse kernel log (${kmsg.split('\n').length} lines)`, await time(() => m.parseKernelLog(kmsg, 'dmesg'))],
    [
      `parse total: read + merge + policy (${n}, 8.4)`,
      await time(async () => m.scan(await m.readDrbd(exec, settings, { kernelLog: true }), records, [], Date.now())),
    ],
  ];
}
