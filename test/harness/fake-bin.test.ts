import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeBin } from './fake-bin';
import { run } from './proc';
import { freshDir } from './tmp';

test('fake tools come first on PATH, log their calls and keep state in the state dir', async () => {
  const fakes = fakeBin(
    {
      drbdadm: '#!/bin/sh\necho "$*" >> "$OCFKIT_FAKE_STATE/drbd.log"\n[ "$1" = fail ] && { echo "injected" >&2; exit 10; }\necho ok\n',
      true: { exec: '/bin/true' },
    },
    { initialState: { 'resources/r0': 'Secondary\n' } },
  );
  assert.is(fakes.readState('resources/r0'), 'Secondary\n');
  const ok = await run(['sh', '-c', 'drbdadm up "r0 x"; command -v drbdadm'], { env: fakes.env });
  assert.is(ok.stdout, `ok\n${path.join(fakes.dir, 'drbdadm')}\n`);
  const failed = await run(['drbdadm', 'fail'], { env: fakes.env });
  assert.equal([failed.code, failed.stderr], [10, 'injected\n']);
  assert.is((await run(['true', 'a'], { env: fakes.env })).code, 0);
  assert.equal(fakes.calls(), [
    { tool: 'drbdadm', args: ['up', 'r0 x'] },
    { tool: 'drbdadm', args: ['fail'] },
    { tool: 'true', args: ['a'] },
  ]);
  assert.is(fakes.readState('drbd.log'), 'up r0 x\nfail\n');
});

test('a wrapper finds its state dir even with a cleared environment; modules are bundled', async () => {
  const src = path.join(freshDir('fake-src'), 'xl.ts');
  writeFileSync(
    src,
    "import path from 'node:path';\nconst n: string = path.basename(process.argv[1] ?? '');\nconsole.log(`${n} ${process.argv.slice(2).join(' ')} state=${process.env.OCFKIT_FAKE_STATE}`);\n",
  );
  const fakes = fakeBin({ xl: { module: src } });
  const result = await run(['env', '-i', path.join(fakes.dir, 'xl'), 'list'], {});
  assert.is(result.stdout, `xl list state=${fakes.stateDir}\n`, result.stderr);
});

test.run();
