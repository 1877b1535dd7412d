import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLogger } from '../../support/memory-logger';
import { HandlerInputError, markerFromEnv, runSplitBrainHandler } from '../../../agents/drbd/split-brain-handler';
import { StateDir } from '../../../agents/drbd/state-dir';
import { fakeExecutor } from '../../support/fake-executor';
import { fixture } from './fixtures';
import { parseDumpXml } from '../../../agents/drbd/parse-dump-xml';
import { resolveResource } from '../../../agents/drbd/config-endpoints';

/** a handler environment as drbdadm set it (test/fixtures/drbd/handler-env-*.txt) */
function handlerEnv(name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fixture(name).split('\n')) {
    const eq = line.indexOf('=');
    if (!line.startsWith('#') && eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

// [fixture, resource, the marker's peer: the name the model gives the connection]
const ENVIRONMENTS: Array<[string, string, string, number | undefined]> = [
  ['handler-env-8.4-r0.txt', 'r0', 'bob', undefined],
  // DRBD_PEER is the first name; DRBD_PEERS lists all
  ['handler-env-8.4-r6.txt', 'r6', 'bob', undefined],
  ['handler-env-8.4-fl.txt', 'fl', '192.168.7.2:7791', undefined],
  ['handler-env-9-r0-bob.txt', 'r0', 'bob', 1],
  // DRBD_NODE_ID_1="bob bob.example.net"; the kernel's connection is "bob_bob.example.net"
  ['handler-env-9-r1-bob.txt', 'r1', 'bob_bob.example.net', 1],
  ['handler-env-9-fl.txt', 'fl', '192.168.7.2:7791', 1],
];

for (const [file, resource, peer, peerNodeId] of ENVIRONMENTS) {
  test(`marker from the real handler environment ${file}: ${resource}@${peer}`, () => {
    const m = markerFromEnv(handlerEnv(file), { chain: [], now: 42 });
    assert.equal([m.resource, m.peer, m.peerNodeId], [resource, peer, peerNodeId]);
    assert.ok(m.DRBD_MINOR !== undefined && m.DRBD_PEER_ADDRESS !== undefined, 'the device and address are kept for the admin');
  });
}

// The marker must name the peer as the model does, or a split brain would not be recognised:
// the same configurations, once through dump-xml, once through drbdadm's handler environment.
// [handler environment, dump-xml of the same resource, local addresses of alice]
const SAME_CONFIG: Array<[string, string, string[]]> = [
  ['handler-env-8.4-r0.txt', 'dump-xml-8.4.xml', []],
  ['handler-env-8.4-r6.txt', 'dump-xml-8.4.xml', []],
  ['handler-env-8.4-fl.txt', 'dump-xml-8.4.xml', ['192.168.7.1']],
  ['handler-env-9-r0-bob.txt', 'dump-xml-9.xml', []],
  ['handler-env-9-r1-bob.txt', 'dump-xml-9-names.xml', []],
  ['handler-env-9-fl.txt', 'dump-xml-9-names.xml', ['192.168.7.1']],
];
for (const [envFile, dumpFile, ips] of SAME_CONFIG) {
  test(`the marker of ${envFile} names a peer the configuration (${dumpFile}) knows`, () => {
    const env = handlerEnv(envFile);
    const marker = markerFromEnv(env, { chain: [] });
    const config = parseDumpXml(fixture(dumpFile)).find((r) => r.name === env.DRBD_RESOURCE)!;
    const peers = resolveResource(config, 'alice', ips).peers.map((p) => p.peer);
    assert.ok(peers.includes(marker.peer!), `${marker.peer} in ${peers.join(', ')}`);
  });
}

test('a floating 9 peer written with its family keeps its one name', () => {
  const m = markerFromEnv({ DRBD_RESOURCE: 'f6', DRBD_PEER_NODE_ID: '1', DRBD_NODE_ID_1: 'ipv6 [fd01::2]:7792' }, { chain: [], now: 1 });
  assert.is(m.peer, 'ipv6 [fd01::2]:7792');
});

test('options override the environment; no resource is an input error', () => {
  assert.equal(markerFromEnv({}, { resource: 'r5', peer: 'bob', chain: [], now: 1 }), { resource: 'r5', at: 1, peer: 'bob' });
  assert.throws(
    () => markerFromEnv({}, { chain: [] }),
    (e: Error) => e instanceof HandlerInputError && /DRBD_RESOURCE/.test(e.message),
  );
});

test('records the marker, then runs every chained handler through /bin/sh; the first failure is the exit code', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-sbh-${process.pid}-`));
  try {
    const exec = fakeExecutor([
      { match: ['/bin/sh', '-c', 'notify-split-brain.sh root'], answer: { exitCode: 3 } },
      { match: ['/bin/sh', '-c'], answer: {} },
    ]);
    const result = await runSplitBrainHandler(exec, dir, { DRBD_RESOURCE: 'r0', DRBD_PEER_NODE_ID: '1', DRBD_NODE_ID_1: 'bob' }, memoryLogger(), {
      chain: ['notify-split-brain.sh root', 'logger split'],
      now: 7,
    });
    assert.is(result.exitCode, 3);
    assert.equal(exec.commands(), ['/bin/sh -c notify-split-brain.sh root', '/bin/sh -c logger split']);
    assert.equal(readdirSync(path.join(dir, 'split-brain')), ['r0@bob.json']);
    assert.is(JSON.parse(readFileSync(result.file, 'utf8')).peer, 'bob');
    assert.equal(
      new StateDir(dir).readMarkers().map((m) => [m.resource, m.peer, m.at]),
      [['r0', 'bob', 7]],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unwritable state dir still runs the chained handler, then fails', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-sbh-${process.pid}-`));
  const notADir = path.join(dir, 'file');
  writeFileSync(notADir, '');
  const exec = fakeExecutor([{ match: ['/bin/sh'], answer: {} }]);
  try {
    await runSplitBrainHandler(exec, path.join(notADir, 'state'), { DRBD_RESOURCE: 'r0' }, memoryLogger(), { chain: ['notify'] });
    assert.unreachable('must fail');
  } catch (error) {
    assert.match((error as Error).message, /cannot record the split-brain marker/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(exec.commands(), ['/bin/sh -c notify']);
});

test.run();
