import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLogger } from '../../../agents/ocf/log';
import { HandlerInputError, markerFromEnv, runSplitBrainHandler } from '../../../agents/drbd/split-brain-handler';
import { StateDir } from '../../../agents/drbd/state-dir';
import { fakeExecutor } from '../../support/fake-executor';

test('marker from DRBD 9 helper environment: peer name from DRBD_NODE_ID_<id>', () => {
  const m = markerFromEnv({ DRBD_RESOURCE: 'r0', DRBD_PEER_NODE_ID: '2', DRBD_NODE_ID_2: 'carol', DRBD_MINOR: '1', DRBD_PEER_ADDRESS: '10.1.1.33' }, { chain: [], now: 42 });
  assert.equal(m, { resource: 'r0', at: 42, peer: 'carol', peerNodeId: 2, DRBD_MINOR: '1', DRBD_PEER_ADDRESS: '10.1.1.33' });
});

test('marker from 8.4 environment: no peer (covers the one peer); options override', () => {
  assert.equal(markerFromEnv({ DRBD_RESOURCE: 'r0', DRBD_MINOR: '0' }, { chain: [], now: 1 }), { resource: 'r0', at: 1, DRBD_MINOR: '0' });
  assert.equal(markerFromEnv({}, { resource: 'r5', peer: 'bob', chain: [], now: 1 }), { resource: 'r5', at: 1, peer: 'bob' });
  assert.throws(() => markerFromEnv({}, { chain: [] }), (e: Error) => e instanceof HandlerInputError && /DRBD_RESOURCE/.test(e.message));
});

test('records the marker, then runs every chained handler through /bin/sh; the first failure is the exit code', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-sbh-${process.pid}-`));
  try {
    const exec = fakeExecutor([
      { match: ['/bin/sh', '-c', 'notify-split-brain.sh root'], answer: { exitCode: 3 } },
      { match: ['/bin/sh', '-c'], answer: {} },
    ]);
    const result = await runSplitBrainHandler(exec, dir, { DRBD_RESOURCE: 'r0', DRBD_PEER_NODE_ID: '1', DRBD_NODE_ID_1: 'bob' }, memoryLogger(), { chain: ['notify-split-brain.sh root', 'logger split'], now: 7 });
    assert.is(result.exitCode, 3);
    assert.equal(exec.commands(), ['/bin/sh -c notify-split-brain.sh root', '/bin/sh -c logger split']);
    assert.equal(readdirSync(path.join(dir, 'split-brain')), ['r0@bob.json']);
    assert.is(JSON.parse(readFileSync(result.file, 'utf8')).peer, 'bob');
    assert.equal(new StateDir(dir).readMarkers().map((m) => [m.resource, m.peer, m.at]), [['r0', 'bob', 7]]);
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
