// Runs a command in a private mount namespace where /usr/lib/ocf/resource.d is a tmpfs holding
// only the given agents: Pacemaker's tools find agents only under their compiled OCF root, and a
// test must never add to or clobber the machine's real one.
import { spawnSync } from 'node:child_process';

export interface ProviderAgents {
  provider: string;
  /** agent name -> absolute path of the executable it should be */
  agents: Record<string, string>;
}

export function runWithPrivateOcfRoot(providers: ProviderAgents[], argv: string[], env: NodeJS.ProcessEnv = {}) {
  const setup = ['mount -t tmpfs ocfkit-test /usr/lib/ocf/resource.d'];
  const args: string[] = [];
  for (const { provider, agents } of providers) {
    setup.push(`mkdir -p "/usr/lib/ocf/resource.d/${provider}"`);
    for (const [name, target] of Object.entries(agents)) {
      args.push(target, `/usr/lib/ocf/resource.d/${provider}/${name}`);
      setup.push(`ln -s "$${args.length - 1}" "$${args.length}"`);
    }
  }
  // positional parameters carry the paths; only fixed text is in the script
  const script = `${setup.join(' && ')} && shift ${args.length} && exec "$@"`;
  const result = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', ...args, ...argv], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 300_000,
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}
