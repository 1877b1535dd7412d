// The built executable as users and Pacemaker call it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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
  assert.is(
    ocfkit(['agents']).stdout,
    agentNames()
      .map((n) => `${n}\n`)
      .join(''),
  );
  const json = JSON.parse(ocfkit(['agents', '--json']).stdout) as Array<{ name: string; type: string }>;
  assert.equal(
    json.map((a) => a.name),
    agentNames(),
  );
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
