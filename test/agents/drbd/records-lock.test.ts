import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordsLockTimeout, withRecordsLock } from '../../../agents/drbd/records-lock';
import { StateDir } from '../../../agents/drbd/state-dir';

interface Ctx {
  dir: string;
}
const s = suite<Ctx>('records lock', { dir: '' });
s.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-drbd-lock-${process.pid}-`));
});
s.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

/** Lets other work run: a read-modify-write that takes a few turns of the event loop, as one does
 *  when it runs drbdadm between reading and writing the records. */
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

s('two concurrent read-modify-writes of the records both land', async (ctx) => {
  const state = new StateDir(ctx.dir);
  state.writeRecords({ baseline: {}, backoff: {} });
  const attempt = (key: string) =>
    withRecordsLock(ctx.dir, 10_000, async () => {
      const records = state.readRecords();
      await turns(20);
      state.writeRecords({ ...records, backoff: { ...records.backoff, [key]: { attempts: 1, lastAttempt: 1 } } });
    });
  await Promise.all([attempt('r0:bob'), attempt('r1:bob')]);
  assert.equal(Object.keys(state.readRecords().backoff).sort(), ['r0:bob', 'r1:bob']);
  assert.not.ok(existsSync(path.join(ctx.dir, 'records.lock')), 'released');
});

s('a lock whose owner is dead is taken over; a live owner makes the waiter time out', async (ctx) => {
  const dead = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => dead.on('exit', resolve));
  writeFileSync(path.join(ctx.dir, 'records.lock'), `${dead.pid}\n`);
  assert.is(await withRecordsLock(ctx.dir, 5_000, async () => readFileSync(path.join(ctx.dir, 'records.lock'), 'utf8')), `${process.pid}\n`);

  writeFileSync(path.join(ctx.dir, 'records.lock'), `${process.pid}\n`);
  try {
    await withRecordsLock(ctx.dir, 100, async () => undefined);
    assert.unreachable('a live owner holds it');
  } catch (error) {
    assert.instance(error, RecordsLockTimeout);
    assert.match((error as Error).message, new RegExp(`held by process ${process.pid}`));
  }
});

s.run();
