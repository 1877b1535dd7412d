// Hook events for the hook tests: each stack's "interface up" call (and the calls a hook must
// ignore) through the harness invokers (test/harness/hook-invokers.ts), plus what they do not
// cover: ifupdown's if-up.d run by the real run-parts with ifupdown's from-scratch environment,
// and wicked phases other than post-up. Also a recording stand-in for ocfkit.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StackName } from '../../rules/hooks/types';
import { assertNever } from '../../agents/core/assert';
import { networkdDispatcher, networkManagerDispatcher, rhelIfupLocal, suseSysconfigIfUp, wickedPostUp } from '../harness/hook-invokers';
import type { NetNamespace } from '../harness/netns';
import { run, shellQuote, type RunResult } from '../harness/proc';
import { ocfkitBinary, repoRoot } from '../support/binaries';
import { fakeDrbdBin, type FakeDrbd } from '../support/fake-drbd';

const STACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface Event {
  iface: string;
  /** stack-specific: ifupdown MODE, wicked phase, NetworkManager action, networkd STATE, SUSE -o options */
  action?: string;
  /** ifupdown: PHASE (default post-up) */
  phase?: string;
  /** NetworkManager: DEVICE_IP_IFACE when it differs from the device (ppp, ...) */
  ipIface?: string;
  /** ifupdown: METHOD (default loopback for lo, else static) */
  method?: string;
}

export interface FireOptions {
  /** a directory put first on the stack's PATH (stand-ins for logger, ...) */
  pathFirst?: string;
  /** return only when every process the hook started has exited (see harness RunOptions) */
  waitForDescendants?: boolean;
}

/** Calls `hookFile` the way `stack` does when `event` happens. */
export function fire(stack: StackName, hookFile: string, event: Event, ns?: NetNamespace, options: FireOptions = {}): Promise<RunResult> {
  const { iface } = event;
  const PATH = options.pathFirst ? `${options.pathFirst}:${STACK_PATH}` : STACK_PATH;
  const where = { ...(ns ? { ns } : {}), ...(options.waitForDescendants ? { waitForDescendants: true } : {}), ...(options.pathFirst ? { env: { PATH } } : {}) };
  const runInOptions = options.waitForDescendants ? { waitForDescendants: true } : {};
  switch (stack) {
    case 'ifupdown':
      // run-parts over the hook's directory, with the environment ifupdown builds from scratch
      return runIn(ns, ['run-parts', '--exit-on-error', path.dirname(hookFile)], {
        cwd: '/',
        env: {
          PATH,
          IFACE: iface,
          LOGICAL: iface,
          ADDRFAM: 'inet',
          METHOD: event.method ?? (iface === 'lo' ? 'loopback' : 'static'),
          MODE: event.action ?? 'start',
          PHASE: event.phase ?? 'post-up',
          VERBOSITY: '0',
        },
        ...runInOptions,
      });
    case 'suse-sysconfig':
      return suseSysconfigIfUp(hookFile, { ...where, iface, ...(event.action ? { options: [event.action] } : {}) });
    case 'wicked':
      if (!event.action || event.action === 'post-up') return wickedPostUp(hookFile, { ...where, iface });
      return runIn(ns, [hookFile, iface, iface, '-o', event.action], { cwd: '/', env: { PATH, INTERFACE: iface, CONFIG: iface }, ...runInOptions });
    case 'rhel-initscripts':
      return rhelIfupLocal(hookFile, { ...where, device: iface });
    case 'networkmanager':
      return networkManagerDispatcher(hookFile, {
        ...where,
        iface,
        ...(event.action ? { action: event.action } : {}),
        ...(event.ipIface ? { env: { ...where.env, DEVICE_IP_IFACE: event.ipIface } } : {}),
      });
    case 'networkd-dispatcher':
      return networkdDispatcher(hookFile, { ...where, iface, ...(event.action ? { state: event.action } : {}), ipAddrs: ['10.1.1.31'] });
    default:
      return assertNever(stack);
  }
}

/** Runs argv with exactly `env` (as the stacks do), inside `ns` when given. */
function runIn(
  ns: NetNamespace | undefined,
  argv: string[],
  options: { cwd: string; env: Record<string, string>; waitForDescendants?: boolean },
): Promise<RunResult> {
  if (!ns) return run(argv, options);
  return ns.exec(['env', '-i', ...Object.entries(options.env).map(([k, v]) => `${k}=${v}`), ...argv], {
    cwd: options.cwd,
    ...(options.waitForDescendants ? { waitForDescendants: true } : {}),
  });
}

/** A recording stand-in for ocfkit at `dir`/ocfkit (test/fakes/hooks/recording-ocfkit); returns its path. */
export function recordingOcfkit(dir: string, delaySeconds?: number, options: { gate?: boolean } = {}): string {
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, 'ocfkit');
  copyFileSync(path.join(repoRoot, 'test/fakes/hooks/recording-ocfkit'), target);
  chmodSync(target, 0o755);
  if (delaySeconds !== undefined) writeFileSync(path.join(dir, 'delay'), `${delaySeconds}\n`);
  if (options.gate) writeFileSync(path.join(dir, 'gate'), '');
  return target;
}

/** Lets a gated stand-in (recordingOcfkit(dir, undefined, { gate: true })) finish. */
export function releaseGate(dir: string): void {
  writeFileSync(path.join(dir, 'release'), '');
}

/** argv of the process that started each finished or running call (the hook's timeout, or sh). */
export function callParents(dir: string): string[][] {
  const calls = path.join(dir, 'calls');
  if (!existsSync(calls)) return [];
  return readdirSync(calls)
    .filter((n) => n.endsWith('.parent'))
    .map((n) => readFileSync(path.join(calls, n), 'utf8').split('\0').filter(Boolean));
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

/** Waits (polling) until `count` calls have finished, or the time is up; returns them. */
export async function waitForCalls(dir: string, count: number, timeoutMs = 10_000): Promise<string[][]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { finished } = recordedCalls(dir);
    if (finished.length >= count || Date.now() > until) return finished;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The hook's "ocfkit": a wrapper that gives dist/ocfkit the fake DRBD environment (ifupdown runs
 * hooks with an environment built from scratch) and records each call's argv and exit status.
 */
export function ocfkitWithFakeDrbd(dir: string, fake: FakeDrbd): string {
  mkdirSync(path.join(dir, 'calls'), { recursive: true });
  const wrapper = path.join(dir, 'ocfkit');
  const env = Object.entries({ ...fake.env, PATH: `${fakeDrbdBin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin` });
  writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      ...env.map(([k, v]) => `${k}=${shellQuote(v)}; export ${k}`),
      `calls=${shellQuote(path.join(dir, 'calls'))}`,
      `${shellQuote(ocfkitBinary)} "$@" >"$calls/$$.out" 2>&1`,
      'rc=$?',
      'printf \'%s\\n\' "$@" >"$calls/$$.argv"',
      'echo "$rc" >"$calls/$$.rc"',
      'exit "$rc"',
      '',
    ].join('\n'),
  );
  chmodSync(wrapper, 0o755);
  return wrapper;
}

export interface Call {
  argv: string[];
  rc: number;
  out: string;
}

export async function reconnectCalls(dir: string, count: number): Promise<Call[]> {
  const calls = path.join(dir, 'calls');
  const read = () =>
    readdirSync(calls)
      .filter((n) => n.endsWith('.rc'))
      .map((n) => n.slice(0, -3))
      .sort((a, b) => Number(a) - Number(b))
      .map((pid) => ({
        argv: readFileSync(path.join(calls, `${pid}.argv`), 'utf8')
          .split('\n')
          .slice(0, -1),
        rc: Number(readFileSync(path.join(calls, `${pid}.rc`), 'utf8')),
        out: readFileSync(path.join(calls, `${pid}.out`), 'utf8'),
      }))
      .filter((c) => c.argv[0] === 'drbd' && c.argv[1] === 'reconnect');
  const until = Date.now() + 30_000;
  while (read().length < count && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
  return read();
}
