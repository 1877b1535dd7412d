// The OCF runtime, proven with a test-only agent under the tools that judge real agents:
// resource-agents' ocf-tester and Pacemaker's crm_resource --validate.
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runProgram } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import { binary, root } from '../harness/needs';
import { runWithPrivateOcfRoot } from '../support/private-ocf-root';
import { buildTestAgent } from '../support/test-agent-build';

const tools = integrationSuite(
  'OCF runtime under ocf-tester and crm_resource',
  [root, binary('ocf-tester'), binary('crm_resource'), binary('unshare'), binary('xmllint')],
  { dir: '' },
);

tools.before((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-tester-'));
  chmodSync(ctx.dir, 0o777); // ocf-tester runs meta-data as nobody
});
tools.after((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

tools('ocf-tester passes the test-only agent', (ctx) => {
  const r = runProgram('ocf-tester', ['-n', 'test1', '-o', `state_dir=${ctx.dir}`, buildTestAgent()], { OCF_ROOT: '/usr/lib/ocf' });
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /passed all tests/);
});

tools('ocf-tester fails an agent whose configuration is wrong (the check can fail)', (ctx) => {
  const r = runProgram('ocf-tester', ['-n', 'test1', '-o', `state_dir=${ctx.dir}`, '-o', 'mode=bogus', buildTestAgent()], { OCF_ROOT: '/usr/lib/ocf' });
  assert.is.not(r.status, 0);
  assert.match(r.stdout + r.stderr, 'parameter mode="bogus" is not one of: normal, slow', r.stdout + r.stderr);
});

tools('crm_resource --validate runs validate-all of the installed agent', (ctx) => {
  const providers = [{ provider: 'ocfkittest', agents: { TestResource: buildTestAgent() } }];
  const ok = runWithPrivateOcfRoot(providers, [
    'crm_resource',
    '--validate',
    '--class',
    'ocf',
    '--provider',
    'ocfkittest',
    '--agent',
    'TestResource',
    '--option',
    `state_dir=${ctx.dir}`,
  ]);
  assert.is(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /returned 0 \(ok\)/);
  const bad = runWithPrivateOcfRoot(providers, [
    'crm_resource',
    '--validate',
    '--class',
    'ocf',
    '--provider',
    'ocfkittest',
    '--agent',
    'TestResource',
    '--option',
    'mode=bogus',
  ]);
  assert.is(bad.status, 6);
  assert.match(bad.stdout + bad.stderr, /not configured: parameter mode="bogus" is not one of: normal, slow/);
  const missing = runWithPrivateOcfRoot(providers, [
    'crm_resource',
    '--validate',
    '--class',
    'ocf',
    '--provider',
    'ocfkittest',
    '--agent',
    'TestResource',
    '--option',
    'required_binary=/nonexistent/tool',
  ]);
  assert.is(missing.status, 5);
  assert.match(missing.stdout + missing.stderr, /\/nonexistent\/tool is not installed/);
});

tools.run();
