#!/usr/bin/env node
// VirtualMachine monitor of a running domain, side by side with ClusterLabs' VirtualDomain on the
// same domain (runs interleaved), and the floor (one `virsh domstate`). Then: a start that asks 3 peers, each with
// 200 ms of added latency, against a start that asks none: parallel asking costs one round trip.
// Needs root, a running libvirtd and a built dist/ocfkit.
//   npm run build && node build/bench/virtual-machine-monitor.mjs [runs]
//   ... [runs] --baseline OTHER/dist/ocfkit [--monitor-only]
// --baseline measures another build's monitor in the same rounds (an earlier commit, built in its
// own worktree), so a change is judged side by side, as a ratio, on one machine at one time;
// --monitor-only skips the start-guard part.
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { dropPageCache, measureInterleaved, median, row } from './measure.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const binary = path.join(root, 'dist/ocfkit');
const args = process.argv.slice(2);
const baselineAt = args.indexOf('--baseline');
const baseline = baselineAt >= 0 ? path.resolve(args[baselineAt + 1]) : undefined;
const monitorOnly = args.includes('--monitor-only');
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && i !== baselineAt + 1) ?? 20);
if (baseline && !existsSync(baseline)) throw new Error(`--baseline ${baseline}: no such file`);
const virtualDomain = '/usr/lib/ocf/resource.d/heartbeat/VirtualDomain';
if (!existsSync(binary)) throw new Error('build first: npm run build');
const virshPath = spawnSync('sh', ['-c', 'command -v virsh'], { encoding: 'utf8' }).stdout.trim();

const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-bench-'));
const name = `ocfkit-bench-${process.pid}`;
const uuid = randomUUID();
const config = path.join(dir, `${name}.xml`);
// `<>` creates a missing file: test for the character device first, or /dev/kvm becomes a plain file
const kvm = spawnSync('sh', ['-c', '[ -c /dev/kvm ] && exec 3<>/dev/kvm'], {}).status === 0;
// one element per line: VirtualDomain reads the name with a line-based pattern
writeFileSync(
  config,
  [
    `<domain type='${kvm ? 'kvm' : 'qemu'}'>`,
    `  <name>${name}</name>`,
    `  <uuid>${uuid}</uuid>`,
    `  <memory unit='MiB'>64</memory>`,
    '  <vcpu>1</vcpu>',
    "  <os><type arch='x86_64'>hvm</type><boot dev='network'/></os>",
    '  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>',
    '</domain>',
    '',
  ].join('\n'),
);
const virsh = (...args) => spawnSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8' });
const agent = path.join(dir, 'VirtualMachine');
symlinkSync(binary, agent);
// the baseline build under the same program name (the single executable dispatches on it)
const baselineAgent = baseline ? path.join(dir, 'baseline', 'VirtualMachine') : undefined;
if (baselineAgent) {
  spawnSync('mkdir', [path.dirname(baselineAgent)]);
  symlinkSync(baseline, baselineAgent);
}

const base = {
  ...process.env,
  OCF_ROOT: '/usr/lib/ocf',
  OCF_RESOURCE_INSTANCE: name,
  OCF_RESKEY_config: config,
  OCF_RESKEY_CRM_meta_interval: '10000',
  OCF_RESKEY_CRM_meta_timeout: '30000',
};
const ours = { ...base, OCF_RESKEY_peers: 'none', OCF_RESKEY_state_dir: path.join(dir, 'state') };
try {
  if (virsh('create', config).status !== 0) throw new Error(`cannot start the benchmark domain: ${virsh('create', config).stderr}`);
  console.log(
    `VirtualMachine monitor of a running ${kvm ? 'KVM' : 'TCG'} domain, median of ${runs} runs, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`,
  );
  const haveAnchor = existsSync(virtualDomain);
  if (haveAnchor) {
    const check = spawnSync(virtualDomain, ['monitor'], { env: { ...base, OCF_RESKEY_hypervisor: 'qemu:///system' }, encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`VirtualDomain monitor exited ${check.status}: ${check.stderr}`);
  }
  dropPageCache(binary);
  if (baseline) dropPageCache(baseline);
  const leaseEnv = { ...ours, OCF_RESKEY_lease_dir: path.join(dir, 'leases') };
  spawnSync('mkdir', ['-p', leaseEnv.OCF_RESKEY_lease_dir]);
  writeFileSync(path.join(leaseEnv.OCF_RESKEY_lease_dir, '.ocfkit-lease-dir'), '');
  const [floor, mine, leased, theirs, before, beforeLeased] = measureInterleaved(
    [
      { argv: ['virsh', '-c', 'qemu:///system', 'domstate', name] },
      { argv: [agent, 'monitor'], env: ours },
      { argv: [agent, 'monitor'], env: leaseEnv },
      ...(haveAnchor ? [{ argv: [virtualDomain, 'monitor'], env: { ...base, OCF_RESKEY_hypervisor: 'qemu:///system' } }] : [{ argv: ['true'] }]),
      ...(baselineAgent
        ? [
            { argv: [baselineAgent, 'monitor'], env: ours },
            { argv: [baselineAgent, 'monitor'], env: leaseEnv },
          ]
        : []),
    ],
    { runs },
  );
  console.log(row('floor: virsh domstate', floor));
  console.log(row('ocfkit VirtualMachine monitor', mine));
  console.log(row('ocfkit VirtualMachine monitor + lease renewal', leased));
  if (before) {
    console.log(row('baseline build: VirtualMachine monitor', before));
    console.log(row('baseline build: monitor + lease renewal', beforeLeased));
    console.log(
      `ratio this build/baseline build: monitor wall ${(mine.wallMs / before.wallMs).toFixed(2)}, CPU ${(mine.cpuMs / before.cpuMs).toFixed(2)}; with lease wall ${(leased.wallMs / beforeLeased.wallMs).toFixed(2)}, CPU ${(leased.cpuMs / beforeLeased.cpuMs).toFixed(2)}`,
    );
  }
  if (haveAnchor) {
    console.log(row('anchor: heartbeat VirtualDomain monitor', theirs));
    console.log(
      `ratio ocfkit/VirtualDomain: wall ${(mine.wallMs / theirs.wallMs).toFixed(2)}, CPU ${(mine.cpuMs / theirs.cpuMs).toFixed(2)} (target <= 0.5); peak ${mine.peakMiB.toFixed(1)} MiB (target <= 70)`,
    );
    if (before)
      console.log(
        `ratio baseline build/VirtualDomain: wall ${(before.wallMs / theirs.wallMs).toFixed(2)}, CPU ${(before.cpuMs / theirs.cpuMs).toFixed(2)}; peak ${before.peakMiB.toFixed(1)} MiB`,
      );
  } else {
    console.log(`${virtualDomain} is not installed: no side-by-side figures`);
  }
  virsh('destroy', name);
  if (!monitorOnly) startGuards();
} finally {
  virsh('destroy', name);
  rmSync(dir, { recursive: true, force: true });
}

function startGuards() {
  // Peers: a virsh wrapper adds 200 ms to every test-driver connection (a remote round trip).
  const bin = path.join(dir, 'bin');
  spawnSync('mkdir', [bin]);
  writeFileSync(path.join(bin, 'virsh'), `#!/bin/sh\ncase "$2" in test:*) sleep 0.2;; esac\nexec ${virshPath} "$@"\n`);
  chmodSync(path.join(bin, 'virsh'), 0o755);
  for (const node of ['node2', 'node3'])
    writeFileSync(
      path.join(dir, `${node}.xml`),
      `<node><domain type='test'><name>other-${node}</name><memory>65536</memory><os><type>hvm</type></os></domain></node>\n`,
    );
  // Every start below is refused by design, so no guest boots and only the guard phase differs:
  // the baseline is refused by a lease (no peer asked); the others by node4, which runs the guest.
  writeFileSync(
    path.join(dir, 'node4.xml'),
    `<node><domain type='test'><name>${name}</name><uuid>${uuid}</uuid><memory>65536</memory><os><type>hvm</type></os></domain></node>\n`,
  );
  spawnSync('mkdir', [path.join(dir, 'leases')]);
  writeFileSync(
    path.join(dir, 'leases', `${name}.lease`),
    JSON.stringify({ guest: name, holder: 'elsewhere', expires: new Date(Date.now() + 3600_000).toISOString(), renewed: new Date().toISOString() }),
  );
  const refusedStart = (extra) => {
    const env = { ...ours, PATH: `${bin}:${process.env.PATH}`, OCF_RESKEY_peer_uri: `test://${dir}/%n.xml`, ...extra };
    delete env.OCF_RESKEY_CRM_meta_interval;
    const t = process.hrtime.bigint();
    const r = spawnSync(agent, ['start'], { env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 1) throw new Error(`expected a refused start, got ${r.status}: ${r.stderr}`);
    if (process.env.BENCH_DEBUG)
      console.log(
        ms.toFixed(0),
        JSON.stringify(extra),
        r.stderr
          .split('\n')
          .filter((l) => /exit=|reason/.test(l))
          .join('\n'),
      );
    return ms;
  };
  const series = { base: [], one: [], three: [] };
  for (let i = 0; i < runs; i++) {
    series.base.push(refusedStart({ OCF_RESKEY_check_peers: 'false', OCF_RESKEY_lease_dir: path.join(dir, 'leases') }));
    series.one.push(refusedStart({ OCF_RESKEY_peers: 'node4' }));
    series.three.push(refusedStart({ OCF_RESKEY_peers: 'node2 node3 node4' }));
  }
  const baseMs = median(series.base);
  const cost = (xs) => median(xs) - baseMs;
  console.log(`start guards, median of ${runs}, each peer answering after 200 ms:`);
  console.log(`  no peer asked (refused by the lease):  ${baseMs.toFixed(0)} ms`);
  console.log(`  1 peer asked:                          ${median(series.one).toFixed(0)} ms (+${cost(series.one).toFixed(0)} ms)`);
  console.log(
    `  3 peers asked:                         ${median(series.three).toFixed(0)} ms (+${cost(series.three).toFixed(0)} ms = ${(cost(series.three) / cost(series.one)).toFixed(2)} x one peer; one after another would be 3 x)`,
  );
}
