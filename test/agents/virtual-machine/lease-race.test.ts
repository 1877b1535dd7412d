// Two nodes start the same guest at the same moment on one lease directory, many times: exactly
// one of them may win each round. Each node is a worker thread (two really parallel starts on
// the real file system, through the whole agent), meeting at a barrier before every round.
// Modes: no lease yet, an expired lease of a third node, and a slow peer check between the
// guards and the start. The double-win counts are printed.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RaceWorkerData } from './lease-race.worker';

const ROUNDS = 500;
const UUID = '8f1c0e52-4b6a-4d2e-9a51-0c7f2d7b1a12';
const XML = `<domain type='kvm'><name>vm1</name><uuid>${UUID}</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`;

type Mode = 'no lease' | 'expired lease' | 'delayed peer check';

async function race(mode: Mode): Promise<{ double: number; none: number }> {
  // tmpfs when there is one: link and rename are as atomic there, and 6000 fsyncs on a disk would
  // make the test slow without making the race any different
  const base = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'ocfkit-lease-race-'));
  try {
    const config = path.join(base, 'vm1.xml');
    writeFileSync(config, XML);
    for (let round = 0; round < ROUNDS; round++) {
      const dir = path.join(base, String(round));
      mkdirSync(dir);
      writeFileSync(path.join(dir, '.ocfkit-lease-dir'), '');
      if (mode === 'expired lease') {
        const expired = Date.now() - 600_000;
        writeFileSync(
          path.join(dir, 'vm1.lease'),
          JSON.stringify({
            guest: 'vm1',
            holder: 'node3',
            expires: new Date(expired).toISOString(),
            renewed: new Date(expired - 120_000).toISOString(),
            renewals: 7,
          }),
        );
      }
    }
    const shared = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * ROUNDS * 3);
    const workers = ['node1', 'node2'].map((node, index) => {
      const data: RaceWorkerData = { node, index, base, config, rounds: ROUNDS, peerDelayMs: mode === 'delayed peer check' ? 3 : undefined, shared };
      // the worker is TypeScript: load it through tsx, as the test runner loads this file
      const script = `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'lease-race.worker.ts'))});`;
      return new Worker(script, { eval: true, workerData: data });
    });
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.on('error', reject);
            w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`race worker exited with ${code}`))));
          }),
      ),
    );
    const cells = new Int32Array(shared);
    let double = 0;
    let none = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const wins = [cells[ROUNDS + round], cells[2 * ROUNDS + round]].filter((c) => c === 1).length;
      assert.ok(cells[ROUNDS + round]! > 0 && cells[2 * ROUNDS + round]! > 0, `round ${round} did not finish on both nodes`);
      if (wins === 2) double++;
      if (wins === 0) none++;
      // losers leave nothing behind: no temporary file, no moved lease
      assert.equal(readdirSync(path.join(base, String(round))).sort(), ['.ocfkit-lease-dir', 'vm1.lease'], `round ${round}`);
    }
    console.log(`lease race, ${mode}: ${double} double wins, ${none} rounds without a winner, of ${ROUNDS}`);
    return { double, none };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

for (const mode of ['no lease', 'expired lease', 'delayed peer check'] as const) {
  test(`lease race (${mode}): exactly one of two simultaneous starts wins, ${ROUNDS} times`, async () => {
    const { double, none } = await race(mode);
    assert.is(double, 0, 'both nodes won the lease');
    assert.is(none, 0, 'neither node won: the lease refuses too much');
  });
}

test.run();
