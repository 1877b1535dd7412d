// One temporary directory per test run, removed when the run ends (after every peer that uses it
// is stopped: teardowns run in reverse registration order, and each harness module creates its
// directories, and so this teardown, before it registers its own).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onRunEnd } from '../support/integration';

let runDir: string | undefined;
let counter = 0;

export function runTempDir(): string {
  if (!runDir) {
    const dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-test-${process.pid}-`));
    runDir = dir;
    onRunEnd(() => {
      if (process.env.OCFKIT_KEEP_TEST_TMP) console.log(`harness: keeping ${dir} (OCFKIT_KEEP_TEST_TMP)`);
      else rmSync(dir, { recursive: true, force: true });
      runDir = undefined;
    });
  }
  return runDir;
}

/** A fresh directory under the run's temp dir; `label` makes it recognizable. */
export function freshDir(label: string): string {
  counter += 1;
  return mkdtempSync(path.join(runTempDir(), `${label.replace(/[^A-Za-z0-9_.-]/g, '_')}-${counter}-`));
}

/** A short unique name (pid + counter) for things that share a machine-wide namespace. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${process.pid}x${counter}`;
}
