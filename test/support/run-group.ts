// Runs one group of uvu test files in this process and prints a machine-readable tally line
// that build/test.mjs sums up. uvu's own totals hide a failing `before` hook (its runner
// returns from `finally`), so the tally counts every registered test that did not pass.
import './uvu-defer';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

declare global {
  // uvu's deferred-run protocol (uvu/run does the same)
  var UVU_DEFER: number;
  var UVU_QUEUE: unknown[][];
  var UVU_INDEX: number;
}

async function main(files: string[]): Promise<void> {
  const uvu = require('uvu') as { exec(bail?: boolean): Promise<void> };
  const { integrationTally, runSuiteTeardowns } = await import('./integration');
  for (const [index, file] of files.entries()) {
    globalThis.UVU_QUEUE.push([path.relative(process.cwd(), file)]);
    globalThis.UVU_INDEX = index;
    await import(pathToFileURL(path.resolve(file)).href);
  }
  const captured: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    captured.push(String(chunk));
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    await uvu.exec(false);
  } finally {
    process.stdout.write = write;
    await runSuiteTeardowns();
  }
  const text = captured.join('').replace(/\x1b\[[0-9;]*m/g, '');
  const number = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
  const total = number('Total');
  const passed = number('Passed');
  const skipped = number('Skipped');
  const tally = {
    passed,
    failed: total - passed,
    skipped,
    integration: integrationTally(),
  };
  process.stdout.write(`\nOCFKIT-TALLY ${JSON.stringify(tally)}\n`);
  // exit now: a test's leftover timer or child must not hold the whole run open
  process.exit(tally.failed > 0 ? 1 : 0);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.stdout.write(`\nOCFKIT-TALLY ${JSON.stringify({ passed: 0, failed: 1, skipped: 0, integration: [] })}\n`);
  process.exitCode = 1;
});

// A crash (an error event nobody handles) or Ctrl-C must still stop the peers this run started:
// network namespaces and loop devices would otherwise outlive the process.
let dying = false;
async function dieCleanly(why: string, error?: unknown): Promise<void> {
  if (dying) return;
  dying = true;
  console.error(`test run ends early: ${why}`, error instanceof Error ? error.stack : (error ?? ''));
  const { runSuiteTeardowns } = await import('./integration');
  await runSuiteTeardowns();
  process.stdout.write(`\nOCFKIT-TALLY ${JSON.stringify({ passed: 0, failed: 1, skipped: 0, integration: [] })}\n`);
  process.exit(1);
}
process.on('uncaughtException', (error) => void dieCleanly('uncaught exception', error));
process.on('SIGINT', () => void dieCleanly('SIGINT'));
process.on('SIGTERM', () => void dieCleanly('SIGTERM'));
