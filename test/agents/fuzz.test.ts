// Seeded fuzzing of every agent through the real runner and the real executor: hostile parameter
// values, random action names and tools that print garbage, print nothing, fail or hang. Every
// invocation must end with an OCF exit code, print no stack trace, and leave no process running.
// Reproduce one with OCFKIT_FUZZ_SEED=<seed> (printed with every failure); the counts are printed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createExecaExecutor } from '../../agents/core/execa-executor';
import { killAllGroups } from '../../agents/core/process-groups';
import { OcfExit } from '../../agents/core/exit-codes';
import { runAgent } from '../../agents/ocf/runner';
import type { AnyAgentSpec, ParameterSpec } from '../../agents/ocf/spec';
import { agentNames, loadAgent } from '../../agents/registry';
import { processStart } from '../harness/proc';
import { repoRoot } from '../support/binaries';

const PER_AGENT = Number(process.env.OCFKIT_FUZZ_RUNS ?? 200);
const BASE_SEED = Number(process.env.OCFKIT_FUZZ_SEED ?? 13);
const OCF_CODES = new Set(Object.values(OcfExit).filter((v): v is number => typeof v === 'number'));
// Every program an agent may run; PATH holds nothing else, so no real tool is ever reached.
const TOOLS = [
  'virsh',
  'xl',
  'crm_node',
  'crm_mon',
  'crm_resource',
  'attrd_updater',
  'drbdadm',
  'drbdsetup',
  'dmesg',
  'ip',
  'lvs',
  'vgs',
  'pvs',
  'vgchange',
  'lvchange',
  'pvscan',
  'lvmlockctl',
  'multipath',
  'multipathd',
  'iscsiadm',
  'udevadm',
  'blockdev',
  'sanlock',
  'systemctl',
  'logger',
];
// a frame of a V8 stack trace: "    at fn (file:1:2)" or "    at file:1:2"
const STACK_FRAME = /^\s+at (?:.+ \()?[^\s()]+:\d+:\d+\)?$/m;

/** mulberry32: small, seedable, good enough to pick cases. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-fuzz-'));
const bin = path.join(dir, 'bin');
mkdirSync(bin);
for (const tool of TOOLS) symlinkSync(path.join(repoRoot, 'test', 'fakes', 'hung', 'misbehaving-tool'), path.join(bin, tool));
writeFileSync(path.join(dir, 'a-file'), 'not a directory\n');
// the plausible values of the path parameters (path.join(dir, name)): enough for the agents to go on to their tools
writeFileSync(path.join(dir, 'proc_drbd'), 'version: 8.4.11 (api:1/proto:86-101)\n');
mkdirSync(path.join(dir, 'sysfs_root', 'class', 'scsi_host', 'host0'), { recursive: true });
mkdirSync(path.join(dir, 'dev_root'));

// Values a hostile or careless configuration could hold. Paths stay below the scratch directory
// (the tests may run as root): no "..", and absolute paths only there or below /dev/null.
const HOSTILE = [
  '',
  ' ',
  '\t',
  'a\nb',
  '$(touch PWNED)',
  '`id`',
  '; reboot',
  '"',
  "'",
  '\\',
  '%s%n%k',
  '*',
  '?*',
  '|',
  '-',
  '--help',
  'toString',
  '__proto__',
  'constructor',
  'x'.repeat(5000),
  'é',
  '-1',
  '0',
  '1',
  '99999999999999999999',
  '9'.repeat(400),
  '1e9',
  '0x10',
  'yes',
  'no',
  'true',
  'off',
  'r0',
  'vm1',
  'node1,node2',
  'node1 node2',
  ',',
];
const PATHS = [
  path.join(dir, 'state'),
  path.join(dir, 'a-file', 'below'),
  path.join(dir, 'n'.repeat(300)),
  path.join(dir, 'a-file'),
  '/dev/null/x',
  '/dev/null',
  'relative-dir',
  '',
];
const PROGRAMS = [path.join(bin, 'drbdadm'), path.join(bin, 'drbdsetup'), 'no-such-program', '/dev/null/x', path.join(dir, 'a-file'), ''];
/** What a real configuration would hold, for string parameters without a list of allowed values. */
const PLAUSIBLE: Record<string, string> = {
  name: 'vm1',
  peers: 'node2',
  peer_uri: 'qemu+ssh://%n/system',
  hypervisor: 'qemu:///system',
  migration_uri: 'qemu+ssh://%n/system',
  migrateuri: 'tcp://%n',
  migration_network_suffix: '-mig',
  volumes: 'vg_san',
  resources: 'r0',
  attribute_prefix: 'drbd',
};
const PATH_PARAMETERS = new Set(['state_dir', 'lease_dir', 'config', 'dev_root', 'sysfs_root', 'proc_drbd']);
const PROGRAM_PARAMETERS = new Set(['drbdadm', 'drbdsetup']);
const ODD_ACTIONS = [
  'promote',
  'demote',
  'reload',
  'meta-data',
  'usage',
  'toString',
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'status',
  '',
  'START',
  'x'.repeat(300),
];
const MODES = ['garbage', 'empty', 'nonzero', 'hang', 'mixed', 'mixed', 'mixed'];

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;

/** A value for one parameter: hostile with probability `hostility`, else plausible or unset. */
function parameterValue(rnd: () => number, name: string, spec: ParameterSpec, hostility: number): string | undefined {
  const hostile = rnd() < hostility;
  // paths that would reach the real system when unset always get a scratch value
  if (PATH_PARAMETERS.has(name)) return hostile ? pick(rnd, PATHS) || path.join(dir, 'state') : name === 'config' ? undefined : path.join(dir, name);
  if (PROGRAM_PARAMETERS.has(name)) return hostile ? pick(rnd, PROGRAMS) : path.join(bin, name);
  if (hostile) return pick(rnd, HOSTILE);
  const roll = rnd();
  if (roll < 0.3 && !spec.required) return undefined;
  {
    if (spec.type === 'string') return spec.allowed ? pick(rnd, spec.allowed) : (PLAUSIBLE[name] ?? spec.default);
    if (spec.type === 'integer') return String(spec.default ?? spec.min ?? 1);
    return pick(rnd, ['true', 'false']);
  }
}

interface Counts {
  runs: number;
  byCode: Record<string, number>;
  byMode: Record<string, number>;
  toolCalls: number;
}

function liveRecorded(): number[] {
  let text: string;
  try {
    text = readFileSync(path.join(dir, 'pids'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      if (processStart(pid) === undefined) return false;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat[stat.lastIndexOf(')') + 2] !== 'Z';
    });
}

async function waitNoneLive(seed: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (liveRecorded().length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.unreachable(`seed ${seed}: processes left running: ${liveRecorded().join(' ')}`);
}

async function fuzzOne(spec: AnyAgentSpec, seed: number, counts: Counts): Promise<void> {
  const rnd = random(seed);
  const mode = pick(rnd, MODES);
  writeFileSync(path.join(dir, 'mode'), `${mode} ${seed}\n`);
  writeFileSync(path.join(dir, 'pids'), '');
  const env: NodeJS.ProcessEnv = { PATH: bin, OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: pick(rnd, ['vm1', 'volumes:0', '', 'x y', '../x']) };
  const hostility = pick(rnd, [0, 0, 0.05, 0.15, 0.4]);
  for (const [name, parameter] of Object.entries(spec.parameters as Record<string, ParameterSpec>)) {
    const value = parameterValue(rnd, name, parameter, hostility);
    if (value !== undefined) env[`OCF_RESKEY_${name}`] = value;
  }
  // a probe or a recurring monitor; short timeouts keep hung tools and the agents' waits short
  // (the runner's own tests cover timeouts a timer cannot hold)
  const interval = pick(rnd, [undefined, '0', '10000', 'x']);
  if (interval !== undefined) env.OCF_RESKEY_CRM_meta_interval = interval;
  env.OCF_RESKEY_CRM_meta_timeout = pick(rnd, ['250', '300', '400', '700']);
  if (rnd() < 0.5) env.OCF_RESKEY_CRM_meta_migrate_target = env.OCF_RESKEY_CRM_meta_migrate_source = pick(rnd, ['node2', '', 'node1 node2']);
  if (rnd() < 0.2) env.OCF_RESKEY_CRM_meta_notify_type = pick(rnd, ['pre', 'post', 'x']);
  const action = rnd() < 0.85 ? pick(rnd, [...Object.keys(spec.actions), 'validate-all', 'monitor']) : pick(rnd, ODD_ACTIONS);
  let output = '';
  const result = await runAgent(spec, [action], {
    env,
    stdout: (text) => (output += text),
    stderr: (text) => (output += text),
    executor: (log, deadline) => createExecaExecutor(log, deadline),
  });
  // what the agent process does when it exits (exec/process-groups.ts): kill groups still alive
  killAllGroups('SIGKILL');
  const where = `seed ${seed} (${spec.name} ${JSON.stringify(action.slice(0, 40))}, tools ${mode})`;
  assert.ok(OCF_CODES.has(result.code), `${where}: exit ${result.code} is not an OCF code`);
  if (!Object.hasOwn(spec.actions, action) && !['validate-all', 'meta-data', 'usage'].includes(action)) {
    assert.is(result.code, OcfExit.ERR_UNIMPLEMENTED, `${where}: an unknown action`);
  }
  assert.not.match(output, STACK_FRAME, `${where}: a stack trace in the output:\n${output.slice(0, 2000)}`);
  await waitNoneLive(seed);
  if (process.env.OCFKIT_FUZZ_SHOW) console.log(`${where}: ${result.code} ${result.reason ?? ''}`);
  counts.runs += 1;
  counts.byCode[result.code] = (counts.byCode[result.code] ?? 0) + 1;
  counts.byMode[mode] = (counts.byMode[mode] ?? 0) + 1;
  counts.toolCalls += readFileSync(path.join(dir, 'pids'), 'utf8').split('\n').filter(Boolean).length;
}

const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);

for (const name of agentNames()) {
  test(`${name}: ${PER_AGENT} seeded hostile invocations end with an OCF code, no stack trace, nothing left running`, async () => {
    const spec = await loadAgent(name);
    const counts: Counts = { runs: 0, byCode: {}, byMode: {}, toolCalls: 0 };
    const savedPath = process.env.PATH;
    const savedCwd = process.cwd();
    process.env.PATH = bin;
    process.env.FUZZ_DIR = dir;
    process.chdir(dir);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < PER_AGENT; i++) await fuzzOne(spec, BASE_SEED * 100_000 + name.length * 10_000 + i, counts);
    } finally {
      process.env.PATH = savedPath;
      process.chdir(savedCwd);
      process.off('warning', onWarning);
    }
    assert.equal(warnings, [], 'no Node warning (a timer overflow prints one)');
    assert.is(counts.runs, PER_AGENT);
    console.log(
      `fuzz ${name}: ${counts.runs} invocations, ${counts.toolCalls} tool calls; exit codes ${JSON.stringify(counts.byCode)}; tools ${JSON.stringify(counts.byMode)}`,
    );
  });
}

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
