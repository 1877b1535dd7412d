// Paths of the built artefacts and a small synchronous runner for black-box tests.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');
export const ocfkitBinary = path.join(repoRoot, 'dist', 'ocfkit');

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Ran {
  const result = spawnSync(file, args, { encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export function ocfkit(args: string[], env: NodeJS.ProcessEnv = {}): Ran {
  return runProgram(ocfkitBinary, args, env);
}

/** The VirtualMachine agent program (a symlink to dist/ocfkit) on one guest, as the libvirt suites run it: node1, peers=none. */
export interface VmProgramGuest {
  agent: string;
  name: string;
  config: string;
  dir: string;
}

export function runVmProgram(guest: VmProgramGuest, action: string, env: Record<string, string> = {}): Ran & { reason: string | undefined } {
  const r = runProgram(guest.agent, [action], {
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: guest.name,
    OCF_RESKEY_config: guest.config,
    OCF_RESKEY_peers: 'none',
    OCF_RESKEY_state_dir: path.join(guest.dir, 'state'),
    OCF_RESKEY_CRM_meta_timeout: '30000',
    OCF_RESKEY_CRM_meta_on_node: 'node1',
    ...env,
  });
  return { ...r, reason: /ocf-exit-reason:(.*)/.exec(r.stderr)?.[1] };
}
