// The built executable as users and Pacemaker call it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentNames } from '../../agents/registry';
import { version } from '../../package.json';
import { ocfkit, ocfkitBinary, runProgram } from '../support/binaries';

const cli = suite('dist/ocfkit as a CLI');

cli('--help lists the commands', () => {
  const r = ocfkit(['--help']);
  assert.is(r.status, 0);
  for (const command of ['agents', 'meta-data <agent>', 'run <agent> <action>', 'install', 'uninstall', 'completion']) {
    assert.ok(r.stdout.includes(`ocfkit ${command}`), `--help mentions ${command}`);
  }
});

cli('--version prints the package version', () => {
  const r = ocfkit(['--version']);
  assert.is(r.status, 0);
  assert.is(r.stdout.trim(), version);
  // nothing on stderr: Node would warn here if the executable's code caches were rejected
  assert.is(r.stderr, '');
});

cli('agents lists the registry, one per line and as JSON', () => {
  assert.is(ocfkit(['agents']).stdout, agentNames().map((n) => `${n}\n`).join(''));
  const json = JSON.parse(ocfkit(['agents', '--json']).stdout) as Array<{ name: string; type: string }>;
  assert.equal(json.map((a) => a.name), agentNames());
  for (const entry of json) assert.is(entry.type, `ocf:ocfkit:${entry.name}`);
});

cli('meta-data of every agent, by name and by ocf:ocfkit: name', () => {
  for (const name of agentNames()) {
    const r = ocfkit(['meta-data', `ocf:ocfkit:${name}`]);
    assert.is(r.status, 0, name);
    assert.match(r.stdout, new RegExp(`<resource-agent name="${name}"`));
  }
});

cli('errors are one line and non-zero', () => {
  const unknownAgent = ocfkit(['meta-data', 'NoSuchAgent']);
  assert.is(unknownAgent.status, 1);
  assert.match(unknownAgent.stderr, /^ocfkit: unknown agent "NoSuchAgent"; known agents: .*\n$/);
  const unknownCommand = ocfkit(['frobnicate']);
  assert.is(unknownCommand.status, 2);
  assert.is(unknownCommand.stderr.trim().split('\n').length, 1);
  assert.match(unknownCommand.stderr, /^ocfkit: Unknown argument: frobnicate/);
});

cli('completion prints a bash completion script', () => {
  const r = ocfkit(['completion']);
  assert.is(r.status, 0);
  assert.match(r.stdout, /complete -o bashdefault -o default -F _ocfkit_yargs_completions ocfkit/);
});

cli.run();

const install = suite('dist/ocfkit install / uninstall', { dir: '' });
install.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-install-'));
});
install.after.each((ctx) => {
  rmSync(ctx.dir, { recursive: true, force: true });
});

install('install --destdir stages the executable and one symlink per agent, idempotently', (ctx) => {
  const first = ocfkit(['install', '--destdir', ctx.dir]);
  assert.is(first.status, 0, first.stderr);
  const binary = path.join(ctx.dir, 'usr/sbin/ocfkit');
  assert.ok(readFileSync(binary).equals(readFileSync(ocfkitBinary)), 'the executable is a copy of dist/ocfkit');
  assert.is(lstatSync(binary).mode & 0o777, 0o755);
  for (const name of agentNames()) {
    assert.is(readlinkSync(path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit', name)), '/usr/sbin/ocfkit');
  }
  const second = ocfkit(['install', '--destdir', ctx.dir]);
  assert.is(second.status, 0);
  assert.not.match(second.stdout, /^installed/m);
  assert.match(second.stdout, /^unchanged \/usr\/sbin\/ocfkit$/m);
});

install('install honours --prefix and --ocf-root', (ctx) => {
  const r = ocfkit(['install', '--destdir', ctx.dir, '--prefix', '/opt/ocfkit', '--ocf-root', '/usr/local/lib/ocf']);
  assert.is(r.status, 0, r.stderr);
  assert.ok(existsSync(path.join(ctx.dir, 'opt/ocfkit/sbin/ocfkit')));
  for (const name of agentNames()) {
    assert.is(readlinkSync(path.join(ctx.dir, 'usr/local/lib/ocf/resource.d/ocfkit', name)), '/opt/ocfkit/sbin/ocfkit');
  }
});

install('install refuses relative locations', (ctx) => {
  const r = ocfkit(['install', '--destdir', ctx.dir, '--prefix', 'usr']);
  assert.is(r.status, 1);
  assert.match(r.stderr, /^ocfkit: --prefix must be an absolute path, got "usr"\n$/);
});

install('install never overwrites a file it did not put there', (ctx) => {
  const name = agentNames()[0];
  if (!name) return; // no agent registered yet: nothing can collide
  const agentPath = path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit', name);
  mkdirSync(path.dirname(agentPath), { recursive: true });
  writeFileSync(agentPath, '#!/bin/sh\n# hand-written agent\n');
  const r = ocfkit(['install', '--destdir', ctx.dir]);
  assert.is(r.status, 1);
  assert.match(r.stderr, /exists and is not a symlink to \/usr\/sbin\/ocfkit; not overwriting it/);
  assert.is(readFileSync(agentPath, 'utf8'), '#!/bin/sh\n# hand-written agent\n');
});

install('uninstall removes what install wrote and nothing else', (ctx) => {
  assert.is(ocfkit(['install', '--destdir', ctx.dir]).status, 0);
  const foreign = path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit/HandWritten');
  mkdirSync(path.dirname(foreign), { recursive: true });
  writeFileSync(foreign, '#!/bin/sh\n');
  const r = ocfkit(['uninstall', '--destdir', ctx.dir]);
  assert.is(r.status, 0, r.stderr);
  assert.not.ok(existsSync(path.join(ctx.dir, 'usr/sbin/ocfkit')));
  for (const name of agentNames()) assert.not.ok(existsSync(path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit', name)));
  assert.ok(existsSync(foreign), 'a file install did not write survives');
  assert.is(ocfkit(['uninstall', '--destdir', ctx.dir]).status, 1, 'a second uninstall has nothing to remove');
});

install('the .cjs bundle installs with its CLI libraries beside it, and uninstalls them too', (ctx) => {
  const bundle = path.join(path.dirname(ocfkitBinary), 'ocfkit.cjs');
  const r = runProgram(process.execPath, [bundle, 'install', '--destdir', ctx.dir]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^installed \/usr\/sbin\/ocfkit-cli-libraries\.cjs$/m);
  const installed = path.join(ctx.dir, 'usr/sbin/ocfkit');
  const help = runProgram(process.execPath, [installed, '--help']);
  assert.is(help.status, 0, help.stderr);
  assert.match(help.stdout, /ocfkit install/);
  assert.is(runProgram(process.execPath, [bundle, 'uninstall', '--destdir', ctx.dir]).status, 0);
  assert.not.ok(existsSync(path.join(ctx.dir, 'usr/sbin/ocfkit-cli-libraries.cjs')));
});

install.run();

const multicall = suite('dist/ocfkit invoked under an agent name');

multicall('a symlink named after an agent is that agent', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-link-'));
  try {
    for (const name of agentNames()) {
      const link = path.join(dir, name);
      symlinkSync(ocfkitBinary, link);
      const meta = runProgram(link, ['meta-data']);
      assert.is(meta.status, 0, `${name} meta-data`);
      assert.match(meta.stdout, new RegExp(`^<\\?xml version="1.0"\\?>\\n<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">\\n<resource-agent name="${name}"`));
      const bogus = runProgram(link, ['bogus-action']);
      assert.is(bogus.status, 3, `${name} unknown action`);
      assert.match(bogus.stderr, /^ocf-exit-reason:action bogus-action is not implemented/m);
      const same = ocfkit(['run', name, 'bogus-action']);
      assert.is(same.status, 3, 'ocfkit run is the same as the symlink');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

multicall.run();
