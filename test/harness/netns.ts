// Network hooks as the real network stacks run them. For Debian: a network namespace with a veth
// pair (veth0 <-> veth1, both inside), a private /etc/network bind-mounted in a private mount
// namespace and a private ifupdown state dir, where real `ifup`/`ifdown` run the if-up.d hooks.
// For the other stacks (see hook-invokers.ts): plain invokers with their calling conventions.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { onRunEnd } from '../support/integration';
import { run, runOk, shellQuote, type RunOptions, type RunResult } from './proc';
import { freshDir, uniqueName } from './tmp';

type HookDir = 'if-pre-up.d' | 'if-up.d' | 'if-down.d' | 'if-post-down.d';

export interface NetNamespace {
  /** `ip netns` name (unique per test process) */
  name: string;
  /** the veth pair inside the namespace */
  veth: [string, string];
  /** host directory mounted over /etc/network inside */
  etcNetwork: string;
  /** ifupdown state directory (passed as --state-dir) */
  stateDir: string;
  writeInterfaces(text: string): void;
  /** writes /etc/network/<dir>/<name> (executable unless mode says otherwise) */
  addHook(dir: HookDir, name: string, content: string, mode?: number): string;
  /** runs argv in the network namespace with the private /etc/network */
  exec(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  ifup(iface: string, extra?: string[]): Promise<RunResult>;
  ifdown(iface: string, extra?: string[]): Promise<RunResult>;
  destroy(): Promise<void>;
}

const live = new Set<NetNamespace>();
let cleanupRegistered = false;

/** A fresh namespace with veth0/veth1 (down, no addresses) and an empty private /etc/network. */
export async function networkNamespace(options: { interfaces?: string } = {}): Promise<NetNamespace> {
  const name = uniqueName('ocfkit-t');
  const base = freshDir(`netns-${name}`);
  const etcNetwork = path.join(base, 'etc-network');
  const stateDir = path.join(base, 'run-network');
  for (const dir of ['if-pre-up.d', 'if-up.d', 'if-down.d', 'if-post-down.d', 'interfaces.d']) mkdirSync(path.join(etcNetwork, dir), { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(path.join(etcNetwork, 'interfaces'), options.interfaces ?? 'auto lo\niface lo inet loopback\n');
  await runOk(['ip', 'netns', 'add', name]);
  const ns: NetNamespace = {
    name,
    veth: ['veth0', 'veth1'],
    etcNetwork,
    stateDir,
    writeInterfaces: (text) => writeFileSync(path.join(etcNetwork, 'interfaces'), text),
    addHook(dir, hookName, content, mode = 0o755) {
      const file = path.join(etcNetwork, dir, hookName);
      writeFileSync(file, content);
      chmodSync(file, mode);
      return file;
    },
    exec(argv, runOptions) {
      const script = `mount --bind ${shellQuote(etcNetwork)} /etc/network && exec "$@"`;
      return run(['ip', 'netns', 'exec', name, 'unshare', '--mount', '--propagation', 'private', 'sh', '-ec', script, 'sh', ...argv], runOptions);
    },
    ifup: (iface, extra = []) => ns.exec(['ifup', `--state-dir=${stateDir}`, ...extra, iface], { timeoutMs: 60_000 }),
    ifdown: (iface, extra = []) => ns.exec(['ifdown', `--state-dir=${stateDir}`, ...extra, iface], { timeoutMs: 60_000 }),
    async destroy() {
      if (!live.delete(ns)) return;
      await runOk(['ip', 'netns', 'delete', name]);
    },
  };
  live.add(ns);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    onRunEnd(async () => {
      for (const left of [...live]) await left.destroy().catch((error) => console.error(`harness: deleting netns ${left.name}: ${error}`));
    });
  }
  try {
    await runOk(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
    await runOk(['ip', '-n', name, 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1']);
  } catch (error) {
    await ns.destroy();
    throw error;
  }
  return ns;
}

/** A hook that appends its arguments, working directory and environment to `outFile` (for tests). */
export function envRecorderHook(outFile: string): string {
  return `#!/bin/sh\n{ echo "--- args: $*"; echo "cwd=$(pwd)"; env | sort; } >> ${shellQuote(outFile)}\n`;
}

/** Parses the blocks envRecorderHook wrote: one { args, env } per invocation. */
export function readRecordedCalls(text: string): Array<{ args: string; cwd: string; env: Record<string, string> }> {
  return text
    .split(/^--- args: ?/m)
    .slice(1)
    .map((block) => {
      const [args = '', ...lines] = block.split('\n');
      const env: Record<string, string> = {};
      let cwd = '';
      for (const line of lines) {
        const eq = line.indexOf('=');
        if (eq <= 0) continue;
        if (line.startsWith('cwd=') && !cwd) cwd = line.slice(4);
        else env[line.slice(0, eq)] = line.slice(eq + 1);
      }
      return { args, cwd, env };
    });
}
