// How the other network stacks call an "interface up" hook (udev-and-hooks.md's table), as plain
// invokers: the same argv, environment and working directory, plus the file checks the dispatchers
// make before running a script. Pass `ns` to run inside a test network namespace.
import { existsSync, statSync } from 'node:fs';
import type { NetNamespace } from './netns';
import { run, type RunResult } from './proc';

interface Common {
  /** run inside this network namespace (with its private /etc/network) */
  ns?: NetNamespace;
  env?: NodeJS.ProcessEnv;
  /** return only when every process the hook started (a backgrounded reconnect) has exited */
  waitForDescendants?: boolean;
}

async function invoke(argv: string[], env: Record<string, string>, options: Common & { cwd?: string }): Promise<RunResult> {
  const fullEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...env, ...options.env } as NodeJS.ProcessEnv;
  const runOptions = { cwd: options.cwd, ...(options.waitForDescendants ? { waitForDescendants: true } : {}) };
  if (options.ns) return options.ns.exec(['env', '-i', ...Object.entries(fullEnv).map(([k, v]) => `${k}=${v}`), ...argv], runOptions);
  return run(argv, { env: fullEnv, ...runOptions });
}

function checkDispatcherFile(script: string, who: string, requireRootGroup: boolean): void {
  const stat = statSync(script);
  const problems = [
    stat.uid !== 0 && 'not owned by root',
    requireRootGroup && stat.gid !== 0 && 'group is not root',
    (stat.mode & 0o022) !== 0 && 'writable by group or others',
    (stat.mode & 0o4000) !== 0 && 'setuid',
    (stat.mode & 0o100) === 0 && 'not executable',
  ].filter(Boolean);
  if (problems.length) throw new Error(`${who} would not run ${script}: ${problems.join(', ')}`);
}

/** NetworkManager-dispatcher: `SCRIPT IFACE ACTION`, env DEVICE_IFACE, CONNECTION_ID, IP4_ADDRESS_N, ... */
export function networkManagerDispatcher(
  script: string,
  options: Common & { iface: string; action?: string; connectionId?: string; ip4Addresses?: string[] },
): Promise<RunResult> {
  checkDispatcherFile(script, 'NetworkManager-dispatcher', false);
  const action = options.action ?? 'up';
  const env: Record<string, string> = {
    DEVICE_IFACE: options.iface,
    DEVICE_IP_IFACE: options.iface,
    CONNECTION_ID: options.connectionId ?? options.iface,
    CONNECTION_UUID: '5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03',
    NM_DISPATCHER_ACTION: action,
    IP4_NUM_ADDRESSES: String(options.ip4Addresses?.length ?? 0),
  };
  (options.ip4Addresses ?? []).forEach((address, i) => (env[`IP4_ADDRESS_${i}`] = `${address} 0.0.0.0`));
  return invoke([script, options.iface, action], env, { ...options, cwd: '/' });
}

/** networkd-dispatcher (routable.d): no args, env IFACE, STATE, ADDR, IP_ADDRS, IP6_ADDRS, json. */
export function networkdDispatcher(
  script: string,
  options: Common & { iface: string; state?: string; ipAddrs?: string[]; ip6Addrs?: string[] },
): Promise<RunResult> {
  checkDispatcherFile(script, 'networkd-dispatcher', true);
  const state = options.state ?? 'routable';
  const ipAddrs = options.ipAddrs ?? [];
  const json = JSON.stringify({ Type: 'ether', OperationalState: state, AdministrativeState: 'configured' });
  return invoke(
    [script],
    { IFACE: options.iface, STATE: state, ADDR: ipAddrs[0] ?? '', IP_ADDRS: ipAddrs.join(' '), IP6_ADDRS: (options.ip6Addrs ?? []).join(' '), json },
    { ...options, cwd: '/' },
  );
}

/** SUSE sysconfig ifup: `SCRIPT CONFIG INTERFACE -o OPTIONS`, cwd /etc/sysconfig/network (if present). */
export function suseSysconfigIfUp(script: string, options: Common & { iface: string; config?: string; options?: string[] }): Promise<RunResult> {
  const cwd = existsSync('/etc/sysconfig/network') ? '/etc/sysconfig/network' : '/';
  return invoke([script, options.config ?? options.iface, options.iface, '-o', ...(options.options ?? ['rc'])], {}, { ...options, cwd });
}

/** wicked compat:suse post-up script: `SCRIPT IF IF -o post-up`, env INTERFACE, CONFIG. */
export function wickedPostUp(script: string, options: Common & { iface: string; config?: string }): Promise<RunResult> {
  return invoke(
    [script, options.iface, options.iface, '-o', 'post-up'],
    { INTERFACE: options.iface, CONFIG: options.config ?? options.iface },
    { ...options, cwd: '/' },
  );
}

/** RHEL initscripts: `/sbin/ifup-local DEVICE`. */
export function rhelIfupLocal(script: string, options: Common & { device: string }): Promise<RunResult> {
  return invoke([script, options.device], {}, { ...options, cwd: '/' });
}
