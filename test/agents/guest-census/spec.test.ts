// GuestCensus's actions through the real runner with the fake executor: what it runs, what it
// publishes, the degraded verdict and its reason, and pause. The CIB is the crm_simulate capture
// (vm1 started on node1, vm2 on node2) with name/uuid parameters added to vm1, as an admin sets them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAgent } from '../../../agents/ocf/runner';
import { guestCensusAgent } from '../../../agents/guest-census/spec';
import { decodeCensus } from '../../../agents/pacemaker/census-attribute';
import { fakeExecutor, type FakeRule } from '../../support/fake-executor';

const U1 = '8f1c2a3b-0000-4000-8000-000000000001';
const cib = readFileSync(path.join(__dirname, '../../fixtures/doctor/cib-status-started.xml'), 'utf8').replace(
  '<nvpair id="vm1-instance_attributes-config"',
  `<nvpair id="vm1-name" name="name" value="vm1"/><nvpair id="vm1-uuid" name="uuid" value="${U1}"/><nvpair id="vm1-instance_attributes-config"`,
);

interface Ctx {
  dir: string;
}
const s = suite<Ctx>('GuestCensus actions with the fake executor', { dir: '' });
s.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-census-unit-'));
  mkdirSync(path.join(ctx.dir, 'bin'));
  // validate looks the tools up on PATH: empty executables are enough, the fake executor answers
  for (const tool of ['virsh', 'attrd_updater']) writeFileSync(path.join(ctx.dir, 'bin', tool), '', { mode: 0o755 });
  mkdirSync(path.join(ctx.dir, 'run', 'guest-census'), { recursive: true });
  writeFileSync(path.join(ctx.dir, 'run', 'guest-census', 'census.active'), '{}\n');
});
s.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

async function monitor(ctx: Ctx, node: string, rules: FakeRule[], params: Record<string, string> = {}) {
  const exec = fakeExecutor(rules);
  const savedPath = process.env.PATH;
  process.env.PATH = path.join(ctx.dir, 'bin');
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: path.join(ctx.dir, 'bin'),
      OCF_RESOURCE_INSTANCE: 'census:0',
      OCF_RESKEY_CRM_meta_on_node: node,
      OCF_RESKEY_CRM_meta_interval: '30000',
      OCF_RESKEY_CRM_meta_timeout: '20000',
      OCFKIT_RUN_DIR: path.join(ctx.dir, 'run'),
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`OCF_RESKEY_${k}`, v])),
    };
    const result = await runAgent(guestCensusAgent, ['monitor'], { env, stdout: () => undefined, stderr: () => undefined, executor: () => exec });
    return { ...result, exec };
  } finally {
    process.env.PATH = savedPath;
  }
}

const listing: FakeRule = { match: ['virsh', '-c', 'qemu:///system', 'list', '--uuid', '--name'], answer: { stdout: `${U1} vm1\n` } };
const cibRule: FakeRule = { match: ['cibadmin', '-Q'], answer: { stdout: cib } };
const publish: FakeRule = { match: ['attrd_updater', '-n', 'guest-census', '-U'], answer: {} };

s('the guest the cluster placed here: success, the census published', async (ctx) => {
  const r = await monitor(ctx, 'node1', [listing, cibRule, publish]);
  assert.is(r.code, 0);
  const update = r.exec.calls.find((c) => c.argv[0] === 'attrd_updater')!;
  assert.equal(decodeCensus(update.argv[4]!)?.guests, [{ uuid: U1, name: 'vm1' }]);
});

s('the same guest on node2, where the cluster did not put it: degraded naming where the cluster has it, nothing paused', async (ctx) => {
  const r = await monitor(ctx, 'node2', [listing, cibRule, publish]);
  assert.is(r.code, 190);
  assert.is(r.reason, `vm1 runs here outside the cluster: the cluster has vm1 on node1 (uuid ${U1})`);
  assert.not.ok(r.exec.commands().some((c) => c.includes('suspend')));
});

s('on_rogue=pause suspends it by UUID, never destroys', async (ctx) => {
  const r = await monitor(
    ctx,
    'node2',
    [listing, cibRule, publish, { match: ['virsh', '-c', 'qemu:///system', 'suspend', U1], answer: { stdout: `Domain '${U1}' suspended\n` } }],
    { on_rogue: 'pause' },
  );
  assert.is(r.code, 190);
  assert.match(r.reason ?? '', /\(paused\)$/);
  assert.not.ok(r.exec.commands().some((c) => c.includes('destroy')));
});

s('libvirtd down: the census fails rather than publish an empty list it cannot vouch for (non-local URI)', async (ctx) => {
  const r = await monitor(
    ctx,
    'node1',
    [{ match: ['virsh'], answer: { exitCode: 1, stderr: 'error: failed to connect to the hypervisor\n' } }, cibRule, publish],
    { hypervisor: 'qemu+tcp://elsewhere/system' },
  );
  assert.is(r.code, 1);
  assert.match(r.reason ?? '', /cannot list the guests/);
  assert.not.ok(r.exec.commands().some((c) => c.startsWith('attrd_updater')));
});

s.run();
