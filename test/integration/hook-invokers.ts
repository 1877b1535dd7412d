// Calls a hook the way its network stack does: arguments, environment (built from scratch, as
// ifupdown and the dispatchers do), working directory. Facts: reference udev-and-hooks.md.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StackName } from '../../rules/hooks/types';
import { assertNever } from '../../rules/hooks/types';
import { repoRoot } from '../support/binaries';

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface Invocation {
  /** the hook file, absolute on this machine (below the test root) */
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** run the directory with run-parts instead of the file (ifupdown) */
  runParts?: string;
}

export interface Event {
  iface: string;
  /** stack-specific phase or action; the default is the "interface is up" one */
  action?: string;
  /** ifupdown: PHASE (default post-up) */
  phase?: string;
  /** NetworkManager: DEVICE_IP_IFACE when it differs from the device (ppp, vlan on top) */
  ipIface?: string;
}

/** How `stack` calls `hookFile` (placed below a test root) when `event` happens. */
export function invocation(stack: StackName, hookFile: string, event: Event): Invocation {
  const { iface } = event;
  switch (stack) {
    case 'ifupdown':
      return {
        file: hookFile,
        args: [],
        runParts: path.dirname(hookFile),
        env: { PATH, IFACE: iface, LOGICAL: iface, ADDRFAM: 'inet', METHOD: iface === 'lo' ? 'loopback' : 'static', MODE: event.action ?? 'start', PHASE: event.phase ?? 'post-up', VERBOSITY: '0' },
      };
    case 'suse-sysconfig':
      return { file: hookFile, args: [iface, iface, '-o', event.action ?? 'rc'], env: { PATH }, cwd: path.resolve(hookFile, '../..') };
    case 'wicked':
      return { file: hookFile, args: [iface, iface, '-o', event.action ?? 'post-up'], env: { PATH, INTERFACE: iface, CONFIG: iface } };
    case 'rhel-initscripts':
      return { file: hookFile, args: [iface], env: { PATH, DEVICE: iface } };
    case 'networkmanager': {
      const action = event.action ?? 'up';
      return {
        file: hookFile,
        args: [iface, action],
        env: { PATH, DEVICE_IFACE: iface, DEVICE_IP_IFACE: event.ipIface ?? iface, CONNECTION_ID: `repl-${iface}`, CONNECTION_UUID: '5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03', NM_DISPATCHER_ACTION: action },
      };
    }
    case 'networkd-dispatcher':
      return { file: hookFile, args: [], env: { PATH, IFACE: iface, STATE: event.action ?? 'routable', ADDR: '10.1.1.31', IP_ADDRS: '10.1.1.31', IP6_ADDRS: '', json: `{"Type":"ether","OperationalState":"routable","Name":"${iface}"}` } };
    default:
      return assertNever(stack);
  }
}

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function invoke(inv: Invocation): Ran {
  const [file, args] = inv.runParts ? ['run-parts', ['--exit-on-error', inv.runParts]] : [inv.file, inv.args];
  const result = spawnSync(file, args, { env: inv.env, cwd: inv.cwd ?? '/', encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** A recording stand-in for ocfkit at `dir`/ocfkit; returns its path. */
export function recordingOcfkit(dir: string, delaySeconds?: number): string {
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, 'ocfkit');
  copyFileSync(path.join(repoRoot, 'test/fakes/hooks/recording-ocfkit'), target);
  chmodSync(target, 0o755);
  if (delaySeconds !== undefined) writeFileSync(path.join(dir, 'delay'), `${delaySeconds}\n`);
  return target;
}

/** argv of every finished call of the stand-in at `dir`, and how many are still running. */
export function recordedCalls(dir: string): { finished: string[][]; running: number } {
  const calls = path.join(dir, 'calls');
  if (!existsSync(calls)) return { finished: [], running: 0 };
  const names = readdirSync(calls);
  return {
    finished: names.filter((n) => /^\d+$/.test(n)).map((n) => readFileSync(path.join(calls, n), 'utf8').split('\n').slice(0, -1)),
    running: names.filter((n) => n.endsWith('.started')).length,
  };
}

/** Waits (polling) until `count` calls are recorded, or the time is up; returns them. */
export async function waitForCalls(dir: string, count: number, timeoutMs = 10_000): Promise<string[][]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { finished } = recordedCalls(dir);
    if (finished.length >= count || Date.now() > until) return finished;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
