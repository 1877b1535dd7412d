import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLogger } from '../../support/memory-logger';
import { reconnect } from '../../../agents/drbd/reconnect';
import { readDrbd } from '../../../agents/drbd/reader';
import { drbdSettings } from '../../../agents/drbd/settings';
import { StateDir } from '../../../agents/drbd/state-dir';
import { fakeExecutor, type FakeRule } from '../../support/fake-executor';
import { fixture, fixtureDir } from './fixtures';

const ipAddr = (pairs: Array<[string, string]>) =>
  JSON.stringify(pairs.map(([ifname, local]) => ({ ifname, addr_info: [{ family: local.includes(':') ? 'inet6' : 'inet', local, prefixlen: 24 }] })));

interface Ctx {
  dir: string;
}
const s = suite<Ctx>('reconnect', { dir: '' });
s.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-drbd-${process.pid}-`));
});
s.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

function settings84(ctx: Ctx, extra: Record<string, string> = {}) {
  const proc = path.join(ctx.dir, 'proc');
  writeFileSync(proc, fixture('proc-8.4.txt'));
  const rules = path.join(ctx.dir, '83-ocfkit-block.rules');
  writeFileSync(rules, '# rules\n');
  return drbdSettings({
    OCFKIT_PROC_DRBD: proc,
    OCFKIT_DRBD_STATE_DIR: path.join(ctx.dir, 'state'),
    OCFKIT_UDEV_RULES: rules,
    OCFKIT_DRBD_HOSTNAME: 'alice',
    ...extra,
  });
}

// fl (minor 8) lost its link and DRBD gave up when the bind failed (8.4.0-8.4.3 prefixes)
const FL_LOST =
  [
    '[  811.204511] block drbd8: peer( Secondary -> Unknown ) conn( Connected -> NetworkFailure ) pdsk( UpToDate -> DUnknown ) ',
    '[  811.210932] d-con fl: conn( NetworkFailure -> Unconnected ) ',
    '[  811.210990] d-con fl: conn( Unconnected -> WFConnection ) ',
    '[  811.212113] d-con fl: bind before connect failed, err = -99',
    '[  811.212120] d-con fl: Discarding network configuration.',
    '[  811.212244] d-con fl: conn( WFConnection -> Disconnecting ) ',
    '[  811.212690] d-con fl: conn( Disconnecting -> StandAlone ) ',
  ].join('\n') + '\n';

function rules84(kmsg: string, connectExit = 0, proc?: string): FakeRule[] {
  return [
    { match: ['drbdadm', 'dump-xml'], answer: { stdout: fixture('dump-xml-8.4.xml') } },
    {
      match: ['ip', '-j', 'addr'],
      answer: {
        stdout: ipAddr([
          ['eth1', '10.1.1.31'],
          ['eth2', '192.168.7.1'],
        ]),
      },
    },
    { match: ['dmesg'], answer: { stdout: kmsg } },
    {
      match: ['drbdadm', 'connect'],
      answer: () => {
        // like the kernel: the resource leaves StandAlone as soon as connect succeeds
        if (proc && !connectExit)
          writeFileSync(
            proc,
            readFileSync(proc, 'utf8').replace(
              ' 8: cs:StandAlone ro:Secondary/Unknown ds:UpToDate/DUnknown   r-----',
              ' 8: cs:WFConnection ro:Secondary/Unknown ds:UpToDate/DUnknown C r-----',
            ),
          );
        return { exitCode: connectExit, stderr: connectExit ? 'Failure: (102) Local address(port) already in use.\n' : '' };
      },
    },
    { match: ['drbdsetup', 'events2', '--now'], answer: { exitCode: 20, stderr: 'drbdsetup: unknown command events2\n' } },
    { match: ['udevadm', 'trigger'], answer: {} },
  ];
}

s('8.4: a StandAlone resource with a network cause is connected, tuning re-applied, records written', async (ctx) => {
  const settings = settings84(ctx);
  const exec = fakeExecutor(rules84(FL_LOST, 0, settings.procDrbd));
  const report = await reconnect(exec, settings, memoryLogger(), { now: () => 1_000_000 });
  const fl = report.connections.find((c) => c.resource === 'fl')!;
  assert.equal([fl.peer, fl.stateBefore, fl.outcome, fl.stateAfter], ['192.168.7.2:7791', 'StandAlone', 'reconnected', 'WFConnection']);
  assert.ok(exec.commands().includes('drbdadm connect fl'));
  assert.ok(exec.commands().includes('udevadm trigger --action=change --subsystem-match=block --sysname-match=drbd8'));
  assert.not.ok(
    exec.commands().some((c) => /adjust|discard-my-data|primary|secondary/.test(c)),
    exec.commands().join('\n'),
  );
  assert.is(report.connections.find((c) => c.resource === 'r0')!.outcome, 'connected');
  assert.is(report.connections.find((c) => c.resource === 'r6')!.verdict.action, 'leave', 'r6 is not up');
  const records = new StateDir(path.join(ctx.dir, 'state')).readRecords();
  assert.equal(records.baseline['r0:bob'], { state: 'up', at: 1_000_000 });
  assert.equal(records.backoff['fl:192.168.7.2:7791'], { attempts: 1, lastAttempt: 1_000_000 });
  assert.not.ok(report.allUp, 'r6 is down');
});

s('8.4: the state after the connect comes from events2 when the utils have it', async (ctx) => {
  const settings = settings84(ctx);
  const exec = fakeExecutor([
    {
      match: ['drbdsetup', 'events2', '--now'],
      answer: {
        stdout:
          'exists resource name:fl role:Secondary suspended:no\nexists connection name:fl peer-node-id:0 conn-name:peer connection:WFConnection role:Unknown\nexists -\n',
      },
    },
    ...rules84(FL_LOST, 0),
  ]);
  const report = await reconnect(exec, settings, memoryLogger(), { resources: ['fl'] });
  assert.equal([report.connections[0]!.outcome, report.connections[0]!.stateAfter], ['reconnected', 'WFConnection']);
});

s('8.4: a connection that came up since the last scan gets its tuning re-applied (DRBD resets readahead on connect)', async (ctx) => {
  const settings = settings84(ctx);
  const dir = new StateDir(settings.stateDir);
  dir.ensure();
  dir.writeRecords({ baseline: {}, backoff: {}, seen: { 'r0:bob': 'retrying', 'fl:192.168.7.2': 'standalone' } });
  const exec = fakeExecutor(rules84('d-con fl: Split-Brain detected but unresolved, dropping connection!\n'));
  const report = await reconnect(exec, settings, memoryLogger(), {});
  assert.equal(report.retune?.devices, ['drbd0', 'drbd1'], 'r0 (minors 0 and 1) is Connected now');
  assert.ok(exec.commands().includes('udevadm trigger --action=change --subsystem-match=block --sysname-match=drbd0 --sysname-match=drbd1'));
  assert.is(dir.readRecords().seen?.['r0:bob'], 'connected');
  const again = fakeExecutor(rules84(''));
  await reconnect(again, settings, memoryLogger(), {});
  assert.not.ok(
    again.commands().some((c) => c.startsWith('udevadm')),
    'only once',
  );
});

s('8.4: --resource and --dry-run: nothing run, nothing written', async (ctx) => {
  const exec = fakeExecutor(rules84(FL_LOST));
  const report = await reconnect(exec, settings84(ctx), memoryLogger(), { resources: ['fl'], dryRun: true });
  assert.equal(
    report.connections.map((c) => [c.resource, c.outcome]),
    [['fl', 'would-reconnect']],
  );
  assert.not.ok(exec.commands().some((c) => c.startsWith('drbdadm connect') || c.startsWith('udevadm')));
  assert.not.ok(existsSync(path.join(ctx.dir, 'state')));
  assert.ok(report.allUp);
});

s('8.4: split brain in the kernel log: left alone; a marker from the handler too', async (ctx) => {
  const exec = fakeExecutor(rules84('block drbd8: Split-Brain detected but unresolved, dropping connection!\n'));
  const report = await reconnect(exec, settings84(ctx), memoryLogger(), { resources: ['fl'] });
  assert.equal(report.connections[0]!.verdict.action === 'leave' && report.connections[0]!.verdict.reason, 'split-brain');
  assert.not.ok(exec.commands().some((c) => c.startsWith('drbdadm connect')));
  assert.not.ok(report.allUp);

  const settings = settings84(ctx);
  new StateDir(settings.stateDir).writeMarker({ resource: 'fl', at: 999 });
  const exec2 = fakeExecutor(rules84(FL_LOST));
  const second = await reconnect(exec2, settings, memoryLogger(), { resources: ['fl'] });
  assert.match(second.connections[0]!.verdict.why, /split-brain handler/);
  assert.not.ok(exec2.commands().some((c) => c.startsWith('drbdadm connect')));
});

s('8.4: a failing connect is reported and backs off on the next run', async (ctx) => {
  const settings = settings84(ctx);
  const exec = fakeExecutor(rules84(FL_LOST, 10));
  const first = await reconnect(exec, settings, memoryLogger(), { resources: ['fl'], now: () => 5_000_000 });
  assert.is(first.connections[0]!.outcome, 'failed');
  assert.match(first.connections[0]!.error!, /Local address\(port\) already in use/);
  const exec2 = fakeExecutor(rules84(FL_LOST));
  const second = await reconnect(exec2, settings, memoryLogger(), { resources: ['fl'], now: () => 5_003_000 });
  assert.is(second.connections[0]!.outcome, 'waiting');
  assert.not.ok(exec2.commands().some((c) => c.startsWith('drbdadm connect')));
});

s('8.4: no udev rules file: re-applying tuning is a no-op', async (ctx) => {
  const exec = fakeExecutor(rules84(FL_LOST));
  const report = await reconnect(exec, settings84(ctx, { OCFKIT_UDEV_RULES: path.join(ctx.dir, 'none.rules') }), memoryLogger(), { resources: ['fl'] });
  assert.match(report.retune!.skipped!, /does not exist/);
  assert.not.ok(exec.commands().some((c) => c.startsWith('udevadm')));
});

function rules9(extra: FakeRule[] = []): FakeRule[] {
  return [
    { match: ['drbdadm', 'dump-xml'], answer: { stdout: fixture('dump-xml-9.xml') } },
    {
      match: ['ip', '-j', 'addr'],
      answer: {
        stdout: ipAddr([
          ['eth1', '10.1.1.31'],
          ['veth0', 'fe80::1'],
        ]),
      },
    },
    { match: ['drbdsetup', 'status', '--json'], answer: { stdout: fixture('status-9.json') }, times: 1 },
    { match: ['dmesg'], answer: { stdout: fixture('kmsg-9.txt') } },
    ...extra,
    { match: ['drbdadm', 'connect', 'r0:bob'], answer: {}, times: 1 },
    { match: ['drbdsetup', 'status', '--json'], answer: { stdout: fixture('status-9.json').replace('"StandAlone"', '"Connecting"') } },
    { match: ['udevadm', 'trigger'], answer: {} },
  ];
}

function settings9(ctx: Ctx) {
  const proc = path.join(ctx.dir, 'proc');
  writeFileSync(proc, fixture('proc-9.txt'));
  return drbdSettings({
    OCFKIT_PROC_DRBD: proc,
    OCFKIT_DRBD_STATE_DIR: path.join(ctx.dir, 'state'),
    OCFKIT_UDEV_RULES: path.join(fixtureDir, 'proc-9.txt'),
    OCFKIT_DRBD_HOSTNAME: 'alice',
  });
}

s('9: connect res:peer for the StandAlone peer only; --iface selects by local address', async (ctx) => {
  const exec = fakeExecutor(rules9());
  const report = await reconnect(exec, settings9(ctx), memoryLogger(), { iface: 'eth1' });
  assert.equal(
    report.connections.map((c) => [c.resource, c.peer, c.outcome, c.stateAfter]),
    [['r0', 'bob', 'reconnected', 'Connecting']],
  );
  assert.ok(exec.commands().includes('drbdadm connect r0:bob'));
  assert.ok(exec.commands().includes('udevadm trigger --action=change --subsystem-match=block --sysname-match=drbd1'));
  assert.ok(report.allUp);

  const other = await reconnect(fakeExecutor(rules9()), settings9(ctx), memoryLogger(), { iface: 'veth0', dryRun: true });
  assert.equal(
    other.connections.map((c) => [c.peer, c.outcome]),
    [['carol', 'connected']],
    'the ipv6 link-local path with scope veth0',
  );
  const none = await reconnect(fakeExecutor(rules9()), settings9(ctx), memoryLogger(), { iface: 'eth9', dryRun: true });
  assert.equal(none.connections, []);
});

s('9: events2 fallback when status --json is not supported', async (ctx) => {
  const exec = fakeExecutor(
    rules9([
      { match: ['drbdsetup', 'status', '--json'], answer: { exitCode: 20, stderr: "drbdsetup status: unrecognized option '--json'\n" } },
      { match: ['drbdsetup', 'events2', '--now'], answer: { stdout: fixture('events2-9.txt') } },
    ]).filter((_, i) => i !== 2),
  );
  const report = await reconnect(exec, settings9(ctx), memoryLogger(), { resources: ['r0'], dryRun: true });
  const bob = report.connections.find((c) => c.peer === 'bob')!;
  assert.equal(
    [bob.stateBefore, bob.verdict.action],
    ['StandAlone', 'reconnect'],
    'the state comes from events2; its helper line is no evidence, the kernel log is',
  );
});

s('the kernel log is parsed only when some connection is StandAlone', async (ctx) => {
  const settings = settings84(ctx);
  const kmsg = FL_LOST;
  const standAlone = await readDrbd(fakeExecutor(rules84(kmsg)), settings, { kernelLog: true });
  assert.ok(standAlone.kernelLogs?.[0]?.events.length, 'fl is StandAlone: the events are there');
  writeFileSync(
    settings.procDrbd,
    readFileSync(settings.procDrbd, 'utf8').replace(
      ' 8: cs:StandAlone ro:Secondary/Unknown ds:UpToDate/DUnknown   r-----',
      ' 8: cs:WFConnection ro:Secondary/Unknown ds:UpToDate/DUnknown C r-----',
    ),
  );
  const none = await readDrbd(fakeExecutor(rules84(kmsg)), settings, { kernelLog: true });
  assert.not.ok(none.model.resources.some((r) => r.connections.some((c) => c.state === 'StandAlone')));
  assert.equal(
    none.kernelLogs?.map((l) => l.events),
    [[]],
    'readable but not parsed',
  );
});

s.run();
