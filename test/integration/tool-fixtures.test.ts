// The captured fixtures still match the installed tools: drbd-utils' drbdadm (dump-xml and the
// split-brain handler environment, no kernel module needed) and lvm2's lvs/vgs on a loop device.
// A new drbd-utils or lvm2 that prints differently fails here; rerun the script without --check
// to recapture, then look at what changed.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import { binary, file, root } from '../harness/needs';

const fixtures = path.join(repoRoot, 'test', 'fixtures');
const check = (script: string) => spawnSync(path.join(fixtures, script), ['--check'], { encoding: 'utf8' });

const drbd = integrationSuite('DRBD fixtures printed by drbd-utils', [
  root,
  binary('drbdadm', 'drbd-utils'),
  binary('unshare'),
  file('/usr/lib/drbd/drbdadm-84', 'drbd-utils'),
]);
drbd('regenerate.sh --check: dump-xml and handler environments unchanged', () => {
  const r = check('drbd/regenerate.sh');
  assert.is(r.status, 0, r.stdout + r.stderr);
});
drbd.run();

const lvm = integrationSuite('LVM fixtures captured from lvm2', [root, binary('lvs', 'lvm2'), binary('losetup'), file('/dev/loop-control')]);
lvm('capture.sh --check: lvs/vgs reports unchanged', () => {
  const r = check('lvm/capture.sh');
  assert.is(r.status, 0, r.stdout + r.stderr);
});
lvm.run();
