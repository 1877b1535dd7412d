// The fake xl (test/fakes/xl) against what the real xl printed in the Xen lab
// (test/fixtures/xl, captured by `npm run lab -- --xen --only xen-capture`): the same commands
// run on the fake must print the same layout, messages and exit codes, so the fast tests cannot
// drift from the real toolstack. Values that differ by nature (domain ids, memory, CPU time) are
// compared by position, not by value.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseXlList } from '../../../agents/virtual-machine/xl';

const FIXTURES = path.resolve('test/fixtures/xl');
const FAKE = path.resolve('test/fakes/xl');
/** the guest the capture created (test/lab/xen/domu.ts), as the fake needs it */
const CONFIG = '/etc/xen/web.cfg';

/** A fixture without its "# ..." header lines. */
function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8').replace(/^(#( .*)?\n)+/, '');
}

interface Ctx {
  dir: string;
  cfg: string;
}
const test = suite<Ctx>('the fake xl prints what the real xl 4.17 printed', { dir: '', cfg: '' });

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-xl-fidelity-'));
  ctx.cfg = path.join(ctx.dir, 'web.cfg');
  writeFileSync(ctx.cfg, 'name = "web"\nuuid = "3a0e1b7c-2f4d-4c1e-9b8a-7d6c5b4a3f21"\ntype = "pv"\nmemory = 128\nvcpus = 1\n');
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

function fake(ctx: Ctx, args: string[], env: Record<string, string> = {}): { stdout: string; stderr: string; rc: number } {
  const r = spawnSync(process.execPath, [FAKE, ...args.map((a) => (a === CONFIG ? ctx.cfg : a))], {
    env: { ...process.env, FAKE_XL_STATE: path.join(ctx.dir, 'state'), ...env },
    encoding: 'utf8',
  });
  const unpath = (text: string) => text.split(ctx.cfg).join(CONFIG);
  return { stdout: unpath(r.stdout), stderr: unpath(r.stderr), rc: r.status ?? -1 };
}

/**
 * A row's shape: name, VCPUs and state flags by value; every other column by the position its
 * value ends at (xl right-aligns ids, memory and times in fixed widths). A header line is kept.
 */
function shape(listing: string): string[] {
  return listing
    .trimEnd()
    .split('\n')
    .map((line) => {
      if (/^Name\s/.test(line)) return line;
      const words = [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], end: m.index + m[0].length }));
      return words.map((w, i) => (i === 0 || i === 3 || i === 4 || /^[0-9a-f]{8}-/.test(w.text) ? w.text : `@${w.end}`)).join(' ');
    });
}

/** "Domain 3" and "domain 3" in messages: the id differs from run to run. */
const anyDomid = (text: string) => text.replace(/([Dd]omain) \d+/g, '$1 N');

test('xl list: the header and the rows line up as the real ones (Domain-0 and a guest)', (ctx) => {
  fake(ctx, ['create', CONFIG]);
  const real = shape(fixture('list.txt'));
  const mine = shape(fake(ctx, ['list']).stdout);
  assert.is(mine[0], real[0], 'header');
  assert.is(mine.length, real.length);
  // Domain-0 differs in memory and vCPUs (the lab's dom0_mem); its columns line up the same
  assert.is(mine[1]!.replace(/ \d+ /, ' V '), real[1]!.replace(/ \d+ /, ' V '));
  assert.is(mine[2], real[2]);
});

test('xl list NAME and xl list -v: the same layout', (ctx) => {
  fake(ctx, ['create', CONFIG]);
  assert.equal(shape(fake(ctx, ['list', 'web']).stdout), shape(fixture('list-name-blocked.txt')));
  const real = shape(fixture('list-verbose.txt'));
  const mine = shape(fake(ctx, ['list', '-v']).stdout);
  assert.is(mine[0], real[0], 'verbose header');
  assert.is(mine[2], real[2], 'verbose guest row');
});

test('a domain xl does not know: the messages and exit codes of list, shutdown, destroy', (ctx) => {
  for (const [name, args] of [
    ['list-missing', ['list', 'nosuch']],
    ['shutdown-missing', ['shutdown', 'nosuch']],
    ['destroy-missing', ['destroy', 'nosuch']],
  ] as const) {
    const mine = fake(ctx, [...args]);
    assert.is(mine.stderr, fixture(`${name}.stderr`), `${name} stderr`);
    assert.is(String(mine.rc), fixture(`${name}.rc`).trim(), `${name} exit code`);
  }
});

test('xl create: what it prints, and when the name is taken', (ctx) => {
  const first = fake(ctx, ['create', CONFIG]);
  assert.is(first.stderr, fixture('create.stderr'));
  assert.is(String(first.rc), fixture('create.rc').trim());
  const again = fake(ctx, ['create', CONFIG]);
  assert.is(anyDomid(again.stderr), anyDomid(fixture('create-exists.stderr')));
  assert.is(String(again.rc), fixture('create-exists.rc').trim());
});

test('xl shutdown, xl destroy of a guest, xl list after', (ctx) => {
  fake(ctx, ['create', CONFIG]);
  const shutdown = fake(ctx, ['shutdown', 'web']);
  assert.is(anyDomid(shutdown.stderr), anyDomid(fixture('shutdown.stderr')));
  assert.is(String(shutdown.rc), fixture('shutdown.rc').trim());
  fake(ctx, ['create', CONFIG]);
  const destroy = fake(ctx, ['destroy', 'web']);
  assert.is(destroy.stderr, fixture('destroy.stderr'));
  assert.is(String(destroy.rc), fixture('destroy.rc').trim());
  const after = fake(ctx, ['list', 'web']);
  assert.is(after.stderr, fixture('list-after-destroy.stderr'));
  assert.is(String(after.rc), fixture('list-after-destroy.rc').trim());
});

test('xl trigger power on a PV guest: refused as the real xl refuses it', (ctx) => {
  fake(ctx, ['create', CONFIG]);
  const mine = fake(ctx, ['trigger', 'web', 'power']);
  assert.is(anyDomid(mine.stderr), anyDomid(fixture('trigger-power-pv.stderr')));
  assert.is(String(mine.rc), fixture('trigger-power-pv.rc').trim());
});

test('the captured rows parse to the states xl showed (running, blocked, paused, halted)', () => {
  const states = [
    ['blocked', 'blocked'],
    ['paused', 'paused'],
    ['shutdown', 'halted'],
  ] as const;
  for (const [file, state] of states) {
    const rows = parseXlList(fixture(`list-name-${file}.txt`));
    assert.equal(
      rows.map((r) => [r.name, r.state]),
      [['web', state]],
      file,
    );
  }
  // dom0 runs xl: its vCPU is on a CPU while xl looks
  assert.equal(
    parseXlList(fixture('list.txt')).map((r) => [r.name, r.state]),
    [
      ['Domain-0', 'running'],
      ['web', 'blocked'],
    ],
  );
  const verbose = parseXlList(fixture('list-verbose.txt'));
  assert.equal(
    verbose.map((r) => [r.name, r.uuid]),
    [
      ['Domain-0', '00000000-0000-0000-0000-000000000000'],
      ['web', '3a0e1b7c-2f4d-4c1e-9b8a-7d6c5b4a3f21'],
    ],
  );
});

test.run();
