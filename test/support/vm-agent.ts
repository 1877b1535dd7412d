// VirtualMachine's actions run in-process through the real runner with a fake executor, the way
// the agent-level tests need them: stand-in hypervisor tools that are found on PATH but never run
// (the fake executor answers instead), and one way to run an action. Every run points host_root
// into the test's own directory, so no action writes the machine's /run (shutdown-ordering drop-ins).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runAgent } from '../../agents/ocf/runner';
import { virtualMachineAgent } from '../../agents/virtual-machine/spec';
import { fakeExecutor, type FakeExecutor, type FakeRule } from './fake-executor';

export interface VmSandbox {
  /** the test's temporary directory (state_dir and host_root live below it) */
  dir: string;
  /** the guest's config file */
  config: string;
  /** where the stand-in tools are */
  binDir: string;
}

/** Creates `dir/bin` with the named tools as scripts that exit 99 (onPath() finds them); returns it. */
export function standInTools(dir: string, names: string[]): string {
  const binDir = path.join(dir, 'bin');
  mkdirSync(binDir, { recursive: true });
  for (const name of names) {
    writeFileSync(path.join(binDir, name), '#!/bin/sh\nexit 99\n');
    chmodSync(path.join(binDir, name), 0o755);
  }
  return binDir;
}

export interface VmRun {
  code: number;
  /** the exit reason, '' when there is none */
  reason: string;
  exec: FakeExecutor;
  stderr: string;
}

/** Runs one action of VirtualMachine on node1 as resource vm1; `env` adds or overrides OCF variables. */
export async function runVmAction(sandbox: VmSandbox, action: string, rules: FakeRule[], env: Record<string, string> = {}): Promise<VmRun> {
  const exec = fakeExecutor(rules);
  const stderr: string[] = [];
  const savedPath = process.env.PATH;
  process.env.PATH = `${sandbox.binDir}:${savedPath}`;
  try {
    const result = await runAgent(virtualMachineAgent, [action], {
      env: {
        OCF_ROOT: '/usr/lib/ocf',
        OCF_RESOURCE_INSTANCE: 'vm1',
        OCF_RESKEY_config: sandbox.config,
        OCF_RESKEY_state_dir: path.join(sandbox.dir, 'state'),
        OCF_RESKEY_CRM_meta_on_node: 'node1',
        OCF_RESKEY_host_root: path.join(sandbox.dir, 'host'),
        ...env,
      },
      stdout: () => undefined,
      stderr: (t) => stderr.push(t),
      executor: () => exec,
    });
    return { code: result.code, reason: result.reason ?? '', exec, stderr: stderr.join('') };
  } finally {
    process.env.PATH = savedPath;
  }
}
