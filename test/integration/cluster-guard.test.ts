// The cluster harness must never touch a cluster it did not start. In a private PID namespace
// (so no other test run on this machine sees it) a process named "corosync" is started; the
// noForeignCluster need must then report it, and must not report daemons a harness recorded.
import path from 'node:path';
import * as assert from 'uvu/assert';
import { integrationSuite } from '../support/integration';
import { repoRoot } from '../support/binaries';
import * as needs from '../harness/needs';
import { run } from '../harness/proc';

const s = integrationSuite('cluster guard: refuses a corosync it did not start', [needs.root, needs.mountNamespaces, needs.binary('unshare', 'util-linux')]);

// Runs inside the PID namespace: a fake "corosync" (a copy of sleep), then the need's verdict.
const probe = (recordIt: boolean) => `
set -e
dir=$(mktemp -d)
cp /bin/sleep "$dir/corosync"
"$dir/corosync" 30 &
fake=$!
sleep 0.2
${
  recordIt
    ? `start=$(cut -d' ' -f22 /proc/$fake/stat)
mount -t tmpfs tmpfs /run/lock
echo "{\\"owner\\":{\\"pid\\":1,\\"start\\":1},\\"daemons\\":[{\\"pid\\":$fake,\\"start\\":$start,\\"what\\":\\"corosync\\"}]}" > /run/lock/ocfkit-test-cluster.owner.json`
    : 'mount -t tmpfs tmpfs /run/lock'
}
${process.execPath} --import tsx -e "const n = require('${path.join(repoRoot, 'test/harness/needs.ts')}'); console.log('VERDICT:' + (n.noForeignCluster.check() ?? 'none'))"
kill $fake
rm -rf "$dir"
`;

s('an unrecorded corosync process makes the need unmet; a recorded one does not', async () => {
  for (const recordIt of [false, true]) {
    const result = await run(['unshare', '--pid', '--fork', '--mount-proc', '--mount', '--propagation', 'private', 'bash', '-c', probe(recordIt)], {
      cwd: repoRoot,
      timeoutMs: 60_000,
    });
    const verdict = /VERDICT:(.*)/.exec(result.stdout)?.[1];
    assert.ok(verdict, `no verdict: ${result.stdout} ${result.stderr}`);
    if (recordIt) assert.is(verdict, 'none');
    else assert.match(verdict!, /a cluster not started by the test harness is running here \(corosync pid \d+\); refusing to touch it/);
  }
});

s.run();
