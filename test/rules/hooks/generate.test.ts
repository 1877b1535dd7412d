// The expected hooks live in test/fixtures/hooks/<stack>/<path>. After an intended change to a hook,
// regenerate them with OCFKIT_UPDATE_FIXTURES=1 node build/test.mjs test/rules/hooks/generate.test.ts
// and review the diff.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_MARKER } from '../../../agents/core/files';
import { allStacks, STACKS } from '../../../rules/hooks/registry';
import { STACK_NAMES } from '../../../rules/hooks/types';

const options = { ocfkit: '/usr/sbin/ocfkit', version: '0.0.0-test' };
const fixture = (stack: string, file: string) => readFileSync(path.join('test/fixtures/hooks', stack, file), 'utf8');

for (const stack of allStacks()) {
  test(`${stack.name}: generated hooks match the checked-in files`, () => {
    const files = stack.files(options);
    assert.ok(files.length > 0);
    for (const file of files) {
      if (process.env.OCFKIT_UPDATE_FIXTURES === '1') {
        const to = path.join('test/fixtures/hooks', stack.name, file.path);
        mkdirSync(path.dirname(to), { recursive: true });
        writeFileSync(to, file.content);
      }
      assert.fixture(file.content, fixture(stack.name, file.path));
    }
  });
}

test('the registry holds every stack name once, under its own name', () => {
  assert.equal(Object.keys(STACKS).sort(), [...STACK_NAMES].sort());
  for (const name of STACK_NAMES) assert.is(STACKS[name].name, name);
});

test('every hook: sh script, marker and version in the header, mode 0755, absolute path', () => {
  for (const stack of allStacks()) {
    for (const file of stack.files(options)) {
      const lines = file.content.split('\n');
      assert.is(lines[0], '#!/bin/sh', file.path);
      assert.ok(lines[1]!.includes(`${GENERATED_MARKER} 0.0.0-test`), file.path);
      assert.is(file.mode, 0o755, file.path);
      assert.ok(file.path.startsWith('/'), file.path);
      assert.ok(file.content.includes(`OCFKIT='/usr/sbin/ocfkit'`), file.path);
      assert.ok(file.content.includes('drbd reconnect --iface "$1"'), file.path);
    }
  }
});

test('hooks in run-parts directories have run-parts names (no dots)', () => {
  for (const stack of allStacks()) {
    for (const file of stack.files(options)) {
      if (/\/(if-up\.d|ifup\.d|dispatcher\.d|routable\.d)\//.test(file.path)) assert.match(path.basename(file.path), /^[A-Za-z0-9_-]+$/, file.path);
    }
  }
});

test('--ocfkit: the path lands in every hook; relative or unquotable paths are refused', () => {
  for (const stack of allStacks()) {
    for (const file of stack.files({ ...options, ocfkit: '/opt/ocfkit/bin/ocfkit' })) assert.ok(file.content.includes(`OCFKIT='/opt/ocfkit/bin/ocfkit'`));
  }
  for (const bad of ['ocfkit', './ocfkit', "/usr/sbin/ocf'kit", '/usr/sbin/ocf kit', '/usr/../tmp/ocfkit', '/usr/sbin/$(id)']) {
    assert.throws(() => STACKS.ifupdown.files({ ...options, ocfkit: bad }), /--ocfkit/, bad);
  }
});

test("SUSE sysconfig writes both the if-up.d hook and the seed's scripts/ifup.d one", () => {
  assert.equal(
    STACKS['suse-sysconfig'].files(options).map((f) => f.path),
    ['/etc/sysconfig/network/if-up.d/ocfkit-drbd-reconnect', '/etc/sysconfig/network/scripts/ifup.d/ocfkit-drbd-reconnect'],
  );
  assert.ok(STACKS['suse-sysconfig'].notes(options).some((n) => n.includes("GLOBAL_POST_UP_EXEC='yes'")));
  assert.ok(
    STACKS.wicked
      .notes({ ...options, iface: 'eth1' })
      .some((n) => n.includes("POST_UP_SCRIPT='compat:suse:/etc/sysconfig/network/scripts/ocfkit-drbd-reconnect' in /etc/sysconfig/network/ifcfg-eth1")),
  );
});

test.run();
