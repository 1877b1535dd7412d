// Makes the trained code cache for the single executable (see compile.cjs): runs the bundle under
// the executable's own Node base through the actions that run most often (a monitor every few
// seconds per resource, and meta-data), each run starting from the cache of the one before.
// The runs touch nothing outside a temporary directory beside the bundle (not in /tmp, which may be
// mounted noexec): the monitor asks a stand-in virsh there.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);

export function trainCodeCache({ node, flags = [], bundle, output }) {
  const dir = mkdtempSync(path.join(path.dirname(bundle), '.code-cache-training-'));
  try {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    // answers like virsh for a running guest; anything else is an error
    writeFileSync(path.join(bin, 'virsh'), '#!/bin/sh\nfor a; do [ "$a" = domstate ] && { printf "running (booted)\\n\\n"; exit 0; }; done\necho "error: unexpected call" >&2\nexit 1\n');
    chmodSync(path.join(bin, 'virsh'), 0o755);
    const config = path.join(dir, 'guest.xml');
    writeFileSync(config, "<domain type='kvm'>\n  <name>training</name>\n  <uuid>00000000-0000-4000-8000-000000000001</uuid>\n</domain>\n");
    const env = {
      PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`,
      OCF_ROOT: path.join(dir, 'ocf'),
      OCF_RESOURCE_INSTANCE: 'training',
      OCFKIT_TRAIN_BUNDLE: bundle,
    };
    const agentEnv = { OCF_RESKEY_config: config, OCF_RESKEY_peers: 'none', OCF_RESKEY_state_dir: path.join(dir, 'state'), OCF_RESKEY_CRM_meta_interval: '10000', OCF_RESKEY_CRM_meta_timeout: '20000' };
    const runs = [
      ['VirtualMachine', ['monitor'], agentEnv],
    ];
    let previous;
    runs.forEach(([name, args, extra], i) => {
      const link = path.join(dir, `run${i}`, name);
      mkdirSync(path.dirname(link));
      symlinkSync(path.join(here, 'train-run.cjs'), link);
      const cache = path.join(dir, `cache${i}`);
      const result = spawnSync(node, [...flags, link, ...args], { env: { ...env, ...extra, OCFKIT_TRAIN_CACHE_OUT: cache, ...(previous ? { OCFKIT_TRAIN_CACHE_IN: previous } : {}) }, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`code cache training: ${name} ${args.join(' ')} exited ${result.status ?? result.signal}: ${result.stderr.trim()}`);
      previous = cache;
    });
    copyFileSync(previous, output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
