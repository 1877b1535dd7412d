// A throwaway "node" for running the real ifupdown: a network namespace with a veth pair, and a
// private /etc/network (bind-mounted in a mount namespace per command, so the host's stays
// untouched) plus a private ifupdown state directory. Names carry the pid; cleanup deletes the
// namespace (and with it the veth pair) and the directory.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface IfupdownNode {
  ns: string;
  dir: string;
  /** the private /etc/network (write hooks to if-up.d/ here) */
  etcNetwork: string;
  /** runs argv inside the network namespace with the private /etc/network mounted */
  run(argv: string[], env?: NodeJS.ProcessEnv): Ran;
  ifup(iface: string): Ran;
  ifdown(iface: string): Ran;
  cleanup(): void;
}

let counter = 0;

export function ifupdownNode(interfaces: string, vethPair: [string, string] = ['veth0', 'veth1']): IfupdownNode {
  const ns = `ocfkit-hk-${process.pid}-${counter++}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), `${ns}-`));
  const etcNetwork = path.join(dir, 'etc-network');
  const state = path.join(dir, 'state');
  for (const sub of ['if-up.d', 'if-down.d', 'if-pre-up.d', 'if-post-down.d', 'interfaces.d']) mkdirSync(path.join(etcNetwork, sub), { recursive: true });
  mkdirSync(state);
  writeFileSync(path.join(etcNetwork, 'interfaces'), interfaces);
  const must = (argv: string[]) => {
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  };
  must(['ip', 'netns', 'add', ns]);
  try {
    must(['ip', '-n', ns, 'link', 'add', vethPair[0], 'type', 'veth', 'peer', 'name', vethPair[1]]);
    must(['ip', '-n', ns, 'link', 'set', vethPair[0], 'up']);
    must(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const run = (argv: string[], env: NodeJS.ProcessEnv = {}): Ran => {
    // $1: private /etc/network, $2: namespace, then the command; no shell string built from input
    const script = 'mount --bind "$1" /etc/network || exit 125; ns=$2; shift 2; exec ip netns exec "$ns" "$@"';
    const r = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', etcNetwork, ns, ...argv], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...env },
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  return {
    ns,
    dir,
    etcNetwork,
    run,
    ifup: (iface) => run(['ifup', '--state-dir', state, iface]),
    ifdown: (iface) => run(['ifdown', '--state-dir', state, iface]),
    cleanup: () => {
      spawnSync('ip', ['netns', 'del', ns]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Need: network and mount namespaces can be created here. */
export function canMakeNamespaces(): string | undefined {
  const ns = `ocfkit-hk-probe-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
  if (add.status !== 0) return `ip netns add failed: ${add.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', ns]);
  const unshare = spawnSync('unshare', ['--mount', '--propagation', 'private', 'true'], { encoding: 'utf8' });
  return unshare.status === 0 ? undefined : `unshare --mount failed: ${unshare.stderr.trim()}`;
}
