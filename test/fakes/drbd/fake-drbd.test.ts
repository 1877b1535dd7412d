// The fake DRBD userland prints what drbd-utils prints (the fixtures in test/fixtures/drbd,
// printed by the real drbdadm by regenerate.sh), so the black-box tests exercise ocfkit on the
// real formats and the fake cannot drift from them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fakeDrbd } from '../../support/fake-drbd';
import { fixture } from '../../agents/drbd/fixtures';

/** the <config> line and one resource element, as lines */
function resourceXml(xml: string, name: string): string {
  const lines = xml.split('\n');
  const start = lines.findIndex((l) => l.includes(`<resource name="${name}"`));
  const end = lines.findIndex((l, i) => i > start && l === '    </resource>');
  assert.ok(start > 0 && end > start, `resource ${name} in\n${xml}`);
  return [lines.find((l) => l.startsWith('<config '))!, ...lines.slice(start, end + 1), '</config>'].join('\n');
}

/** a handler environment file as KEY=VALUE lines, without its header */
const envLines = (text: string) => text.split('\n').filter((l) => /^DRBD_/.test(l));

test('8.4 dump-xml: the fake prints r0 as drbdadm-84 does', () => {
  const f = fakeDrbd(['--version', '8.4.11']);
  try {
    f.ctl('add', 'r0', '--minor', '0', '--volumes', '2', '--local', '10.1.1.31:7789', '--peer', 'bob', '--remote', '10.1.1.32:7789');
    const out = f.drbdadm('dump-xml');
    assert.is(out.status, 0, out.stderr);
    assert.is(resourceXml(out.stdout, 'r0'), resourceXml(fixture('dump-xml-8.4.xml'), 'r0'));
  } finally {
    f.cleanup();
  }
});

test('9 dump-xml: the fake prints a two-peer resource as drbdadm 9.22 does (no node ids)', () => {
  const f = fakeDrbd(['--version', '9.2.8']);
  try {
    f.ctl('add', 'r2', '--minor', '2', '--local', '10.1.1.31:7002', '--peer', 'bob', '--remote', '10.1.1.32:7002', '--node-id', '1');
    f.ctl('add', 'r2', '--minor', '2', '--local', '10.1.1.31:7002', '--peer', 'carol', '--remote', '10.1.1.33:7002', '--node-id', '2');
    const out = f.drbdadm('dump-xml');
    assert.is(out.status, 0, out.stderr);
    const real = fixture('dump-xml-9-two-peers.xml').replace(/^<!--[\s\S]*?-->\n/, '');
    assert.is(out.stdout, real);
  } finally {
    f.cleanup();
  }
});

// [version, resource setup, the captured environment whose DRBD_* variables the fake must hand over]
const HANDLER: Array<[string, string[][], string, string[]]> = [
  [
    '8.4.11',
    [['add', 'r0', '--minor', '0', '--local', '10.1.1.31:7789', '--peer', 'bob', '--remote', '10.1.1.32:7789']],
    'handler-env-8.4-r0.txt',
    ['r0', 'bob'],
  ],
  [
    '9.2.8',
    [
      ['add', 'r0', '--minor', '1', '--local', '10.1.1.31:7000', '--peer', 'bob', '--remote', '10.1.1.32:7000', '--node-id', '1'],
      ['add', 'r0', '--minor', '1', '--local', '10.1.1.31:7000', '--peer', 'carol', '--remote', '10.1.1.33:7000', '--node-id', '2'],
    ],
    'handler-env-9-r0-bob.txt',
    ['r0', 'bob'],
  ],
];

for (const [version, setup, captured, [res, peer]] of HANDLER) {
  test(`split-brain handler environment on ${version} carries what drbdadm sets (${captured})`, () => {
    const f = fakeDrbd(['--version', version]);
    try {
      const envFile = path.join(f.dir, 'env.txt');
      f.ctl('init', '--version', version, '--hostname', 'alice', '--split-brain-handler', `env | grep ^DRBD_ | sort > ${envFile}`);
      for (const args of setup) f.ctl(...args);
      f.drbdadm('disconnect', `${res}${version.startsWith('9') ? `:${peer}` : ''}`);
      f.ctl('set', `${res}${version.startsWith('9') ? `:${peer}` : ''}`, 'split-brain', 'yes');
      f.drbdadm('connect', `${res}${version.startsWith('9') ? `:${peer}` : ''}`);
      f.ctl('tick');
      const fake = new Map(envLines(readFileSync(envFile, 'utf8')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      // the kernel's own variables (DRBD_MY_ADDRESS, DRBD_CSTATE, ...) are not drbdadm's to set
      const kernelOnly = new Set(['DRBD_MY_AF', 'DRBD_MY_ADDRESS', 'DRBD_CSTATE', 'DRBD_DONT_WARN_ON_VERSION_MISMATCH']);
      for (const line of envLines(fixture(captured))) {
        const key = line.slice(0, line.indexOf('='));
        if (kernelOnly.has(key)) continue;
        assert.is(`${key}=${fake.get(key)}`, line, `${key} as drbdadm sets it`);
      }
    } finally {
      f.cleanup();
    }
  });
}

/** the keys of each kind of events2 line ("exists connection", ...) in the order printed */
const keysOf = (line: string) =>
  line
    .split(' ')
    .slice(2)
    .map((w) => w.split(':')[0]);

// [version, fixture written from drbdsetup's source]
const EVENTS2: Array<[string, string]> = [
  ['8.4.11', 'events2-8.4.txt'],
  ['9.2.8', 'events2-9.txt'],
];
for (const [version, captured] of EVENTS2) {
  test(`events2 --now on ${version}: every line the fake prints has the keys drbdsetup prints (${captured})`, () => {
    const f = fakeDrbd(['--version', version]);
    try {
      f.ctl('add', 'r0', '--minor', '0', '--local', '10.1.1.31:7789', '--peer', 'bob', '--remote', '10.1.1.32:7789');
      const r = f.run('drbdsetup', ['events2', '--now']);
      assert.is(r.status, 0, r.stderr);
      const real = fixture(captured).split('\n');
      for (const line of r.stdout.trim().split('\n')) {
        const kind = line.split(' ').slice(0, 2).join(' ');
        const twins = real.filter((l) => l.startsWith(`${kind} `) || l === kind);
        assert.ok(twins.length, `${kind} is a line drbdsetup prints`);
        // the fake may leave out trailing keys a newer drbdsetup adds, never invent or reorder one
        assert.ok(
          twins.some((t) => keysOf(t).slice(0, keysOf(line).length).join(' ') === keysOf(line).join(' ')),
          `${line}\nvs\n${twins.join('\n')}`,
        );
      }
    } finally {
      f.cleanup();
    }
  });
}

/** every key path of a JSON value: connections[].paths[].this_host.address, ... */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => keyPaths(v, `${prefix}[]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [`${prefix}.${k}`, ...keyPaths(v, `${prefix}.${k}`)]);
  return [];
}

test('9 status --json: every key the fake prints is one drbdsetup prints (status-9.json)', () => {
  const f = fakeDrbd(['--version', '9.2.8']);
  try {
    f.ctl('add', 'r0', '--minor', '1', '--local', '10.1.1.31:7000', '--peer', 'bob', '--remote', '10.1.1.32:7000', '--node-id', '1');
    const r = f.run('drbdsetup', ['status', '--json']);
    assert.is(r.status, 0, r.stderr);
    const real = new Set(keyPaths(JSON.parse(fixture('status-9.json'))));
    for (const key of new Set(keyPaths(JSON.parse(r.stdout)))) assert.ok(real.has(key), key);
  } finally {
    f.cleanup();
  }
});

test.run();
