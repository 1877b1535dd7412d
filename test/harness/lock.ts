// Machine-wide locks shared by test runs from different checkouts. Node has no flock(2), so a
// small `flock` child process holds the lock: it takes the lock, prints "locked" and waits for its
// stdin to close. If this test process dies, the pipe closes (or, while still waiting, flock gets
// a parent-death signal) and the lock is released by itself.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export interface HeldLock {
  file: string;
  release(): Promise<void>;
}

export interface LockOptions {
  mode: 'exclusive' | 'shared';
  /** how long to wait for it; 0 = try once */
  timeoutMs: number;
  /** what the lock guards, for messages */
  what: string;
}

export function acquireLock(file: string, options: LockOptions): Promise<HeldLock | undefined> {
  mkdirSync(path.dirname(file), { recursive: true });
  const wait = options.timeoutMs > 0 ? ['-w', String(Math.ceil(options.timeoutMs / 1000))] : ['-n'];
  // setpriv --pdeathsig: a flock still waiting for the lock ends with this process too
  const child = spawn(
    'setpriv',
    ['--pdeathsig', 'KILL', 'flock', options.mode === 'exclusive' ? '-x' : '-s', ...wait, '-E', '75', file, 'sh', '-c', 'echo locked; exec cat >/dev/null'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  ) as ChildProcessWithoutNullStreams;
  let announced = false;
  const waitingNotice =
    options.timeoutMs > 0 ? setTimeout(() => console.log(`harness: waiting for ${options.what} (${file}): another test run holds it`), 1500) : undefined;
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (announced || !chunk.toString().includes('locked')) return;
      announced = true;
      clearTimeout(waitingNotice);
      resolve({
        file,
        release: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('close', () => done());
            child.stdin.end();
          }),
      });
    });
    child.on('error', (error) => {
      clearTimeout(waitingNotice);
      reject(new Error(`cannot take ${options.what} (${file}): ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(waitingNotice);
      if (announced) return;
      if (code === 75 && options.timeoutMs === 0) return resolve(undefined);
      if (code === 75)
        return reject(new Error(`gave up after ${options.timeoutMs / 1000} s waiting for ${options.what} (${file}): another test run still holds it`));
      reject(new Error(`flock for ${options.what} (${file}) exited ${code}: ${stderr.trim()}`));
    });
  });
}
