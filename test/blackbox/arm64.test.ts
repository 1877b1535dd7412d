// The arm64 executable (npm run build -- --arch arm64) starts as users and Pacemaker start it,
// run under qemu-user on this x86_64 machine: its version, its trained code cache (Node warns on
// stderr when V8 rejects it), the agents by symlink name, a monitor that calls a host program, and
// completion. Builds dist/ocfkit-arm64 first when it is missing or older than the sources.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, openSync, readSync, closeSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ARCHES, emulationMissing, spawnFor } from '../../build/arch.mjs';
import { distIsStale } from '../../build/newest-source.mjs';
import { agentNames } from '../../agents/registry';
import { version } from '../../package.json';
import { repoRoot } from '../support/binaries';
import { integrationSuite } from '../support/integration';

const executable = path.join(repoRoot, ARCHES.arm64.executable);

const arm64 = integrationSuite<{ dir: string }>(
  'arm64 executable under qemu-user: version, code cache, agents, monitor, completion',
  [{ what: 'qemu-user and the arm64 libraries', check: () => emulationMissing('arm64') }],
  { dir: '' },
);

function run(args: string[], env: NodeJS.ProcessEnv = {}, file = executable) {
  const result = spawnFor('arm64', file, args, { encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, timeout: 300_000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

arm64.before((ctx) => {
  if (distIsStale(repoRoot, executable)) {
    const built = spawnSync(process.execPath, [path.join(repoRoot, 'build/build.mjs'), '--arch', 'arm64'], {
      encoding: 'utf8',
      cwd: repoRoot,
      timeout: 900_000,
    });
    if (built.status !== 0) throw new Error(`npm run build -- --arch arm64 failed: ${built.stdout}${built.stderr}`);
  }
  ctx.dir = mkdtempSync(path.join(repoRoot, 'dist', '.arm64-test-'));
});

arm64.after((ctx) => {
  if (ctx.dir) rmSync(ctx.dir, { recursive: true, force: true });
});

arm64('it is an arm64 ELF executable', () => {
  const header = Buffer.alloc(20);
  const fd = openSync(executable, 'r');
  readSync(fd, header, 0, 20, 0);
  closeSync(fd);
  assert.is(header.subarray(0, 4).toString('latin1'), '\x7fELF');
  // e_machine 183: EM_AARCH64
  assert.is(header.readUInt16LE(18), 183);
});

arm64('--version prints the package version with nothing on stderr (the code cache was accepted)', () => {
  const r = run(['--version']);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), version);
  assert.is(r.stderr, '');
});

arm64('every agent answers meta-data when called through its symlink, as Pacemaker calls it', (ctx) => {
  for (const name of agentNames()) {
    const link = path.join(ctx.dir, name);
    symlinkSync(executable, link);
    const r = run(['meta-data'], {}, link);
    assert.is(r.status, 0, `${name}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`<resource-agent name="${name}"`));
    assert.is(r.stderr, '', name);
  }
});

arm64('a VirtualMachine monitor runs a host program (virsh) and reports the guest running', (ctx) => {
  const bin = path.join(ctx.dir, 'bin');
  mkdirSync(bin);
  // the answer of virsh domstate for a running guest; anything else is an error
  writeFileSync(
    path.join(bin, 'virsh'),
    '#!/bin/sh\nfor a; do [ "$a" = domstate ] && { printf "running (booted)\\n\\n"; exit 0; }; done\necho "error: unexpected call" >&2\nexit 1\n',
  );
  chmodSync(path.join(bin, 'virsh'), 0o755);
  const config = path.join(ctx.dir, 'guest.xml');
  writeFileSync(config, "<domain type='kvm'>\n  <name>arm64-test</name>\n  <uuid>00000000-0000-4000-8000-000000000064</uuid>\n</domain>\n");
  mkdirSync(path.join(ctx.dir, 'monitor'));
  const link = path.join(ctx.dir, 'monitor', 'VirtualMachine');
  symlinkSync(executable, link);
  const r = run(
    ['monitor'],
    {
      PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`,
      OCF_ROOT: path.join(ctx.dir, 'ocf'),
      OCF_RESOURCE_INSTANCE: 'arm64-test',
      OCF_RESKEY_config: config,
      OCF_RESKEY_peers: 'none',
      OCF_RESKEY_state_dir: path.join(ctx.dir, 'state'),
      OCF_RESKEY_CRM_meta_interval: '10000',
      OCF_RESKEY_CRM_meta_timeout: '20000',
    },
    link,
  );
  // OCF_SUCCESS: running
  assert.is(r.status, 0, r.stderr);
});

arm64('completion prints the bash completion script', () => {
  const r = run(['completion']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /complete -o bashdefault -o default -F _ocfkit_yargs_completions ocfkit/);
});

arm64.run();
