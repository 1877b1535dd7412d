// Makes the trained code cache for the single executable (see compile.cjs): runs the bundle under
// the executable's own Node base through the action that runs most often, a monitor (every few
// seconds for every resource). Meta-data and the CLI gain nothing measurable from training.
// The run touches nothing outside a temporary directory beside the bundle (not in /tmp, which may
// be mounted noexec): the monitor asks a stand-in virsh there.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);

// launcher: how to start `node` here (build/arch.mjs; qemu-user for another architecture's Node)
export function trainCodeCache({ node, flags = [], bundle, output, launcher = { prefix: [], env: {} } }) {
  const dir = mkdtempSync(path.join(path.dirname(bundle), '.code-cache-training-'));
  try {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    // answers like virsh for a running guest; anything else is an error
    writeFileSync(
      path.join(bin, 'virsh'),
      '#!/bin/sh\nfor a; do [ "$a" = domstate ] && { printf "running (booted)\\n\\n"; exit 0; }; done\necho "error: unexpected call" >&2\nexit 1\n',
    );
    chmodSync(path.join(bin, 'virsh'), 0o755);
    const config = path.join(dir, 'guest.xml');
    writeFileSync(config, "<domain type='kvm'>\n  <name>training</name>\n  <uuid>00000000-0000-4000-8000-000000000001</uuid>\n</domain>\n");
    // train-run.cjs under the agent's name: the bundle picks the agent from its basename
    const agent = path.join(dir, 'VirtualMachine');
    symlinkSync(path.join(here, 'train-run.cjs'), agent);
    const env = {
      PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`,
      OCF_ROOT: path.join(dir, 'ocf'),
      OCF_RESOURCE_INSTANCE: 'training',
      OCF_RESKEY_config: config,
      OCF_RESKEY_peers: 'none',
      OCF_RESKEY_state_dir: path.join(dir, 'state'),
      OCF_RESKEY_CRM_meta_interval: '10000',
      OCF_RESKEY_CRM_meta_timeout: '20000',
      OCFKIT_TRAIN_BUNDLE: bundle,
      OCFKIT_TRAIN_CACHE_OUT: output,
      ...launcher.env,
    };
    const [command, ...args] = [...launcher.prefix, node, ...flags, agent, 'monitor'];
    const result = spawnSync(command, args, { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`code cache training: VirtualMachine monitor exited ${result.status ?? result.signal}: ${result.stderr.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
