import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseShStatus } from '../../../agents/drbd/parse-sh-status';
import { fixture } from './fixtures';

test('8.4 sh-status: one block per volume, quoted values, unknown keys kept', () => {
  const volumes = parseShStatus(fixture('sh-status-8.4.txt'));
  assert.is(volumes.length, 2);
  assert.equal(
    volumes.map((v) => [v.minor, v.resource, v.volume, v.cstate, v.role, v.peerRole, v.disk, v.peerDisk]),
    [
      [0, 'r0', 0, 'StandAlone', 'Secondary', 'Unknown', 'UpToDate', 'DUnknown'],
      [1, 'r0', 1, 'StandAlone', 'Secondary', 'Unknown', 'Inconsistent', 'DUnknown'],
    ],
  );
  assert.is(volumes[0]!.extra._flags_susp, '');
  assert.is(volumes[0]!.known, 'Configured');
});

test('sh-status of an unconfigured minor', () => {
  const volumes = parseShStatus('_minor=4\n_res_name=r4\n_known=Unconfigured\n_sh_status_process\n');
  assert.equal([volumes[0]!.known, volumes[0]!.cstate], ['Unconfigured', 'Unconfigured']);
});

test.run();
