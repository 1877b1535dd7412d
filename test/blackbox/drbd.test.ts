// `ocfkit drbd status/reconnect/split-brain-handler` as built, against the fake DRBD userland.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ocfkit, ocfkitBinary } from '../support/binaries';
import { fakeDrbd, type FakeDrbd } from '../support/fake-drbd';

const connects = (f: FakeDrbd) =>
  f
    .read('calls.log')
    .split('\n')
    .filter((l) => l.startsWith('drbdadm connect'));

const v84 = suite<{ f: FakeDrbd }>('ocfkit drbd on 8.4', { f: undefined as unknown as FakeDrbd });
/** DRBD 8.4.11 on alice: r0-r3 connected to bob over 127.0.0.1 (lo), ocfkit's split-brain handler set. */
function fourResources(): FakeDrbd {
  const f = fakeDrbd(['--version', '8.4.11']);
  const chainLog = path.join(f.dir, 'chain.log');
  f.ctl(
    'init',
    '--version',
    '8.4.11',
    '--hostname',
    'alice',
    '--split-brain-handler',
    `${ocfkitBinary} drbd split-brain-handler --chain 'echo "chained $DRBD_RESOURCE" >> ${chainLog}'`,
  );
  for (const [i, res] of ['r0', 'r1', 'r2', 'r3'].entries()) {
    f.ctl('add', res, '--minor', String(i), '--local', `127.0.0.1:${7790 + i}`, '--peer', 'bob', '--remote', `127.0.0.2:${7790 + i}`);
  }
  return f;
}
v84.before.each((ctx) => {
  ctx.f = fourResources();
});
v84.after.each((ctx) => ctx.f.cleanup());

v84('network restart: network-dropped ones reconnected; split-brained and admin-disconnected ones are not', (ctx) => {
  const { f } = ctx;
  // the baseline: everything up (what the agent's start/monitor or any earlier run records)
  let r = ocfkit(['drbd', 'reconnect'], f.env);
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /r0:bob: Connected, nothing to do/);
  assert.is(f.drbdadm('disconnect', 'r3').status, 0);
  f.ctl('set', 'r2', 'split-brain', 'yes');
  f.ctl('set', 'net-down', 'yes');
  f.ctl('tick');
  assert.match(f.read('proc_drbd'), / 0: cs:StandAlone ro:Secondary\/Unknown ds:UpToDate\/DUnknown {3}r-----/);
  f.ctl('set', 'net-down', 'no');

  r = ocfkit(['drbd', 'reconnect', '--iface', 'lo'], f.env);
  assert.is(r.status, 1, 'r3 stays StandAlone');
  assert.match(r.stdout, /r0:bob: StandAlone, reconnected \(connect r0\), now Connected/);
  assert.match(r.stdout, /r2:bob: StandAlone, reconnected \(connect r2\), now (WFConnection|Connected|StandAlone)/);
  assert.match(r.stdout, /r3:bob: StandAlone, leave \(admin-disconnect\)/);
  assert.match(r.stdout, /re-applied block tuning|block tuning: .* does not exist/);
  assert.equal(connects(f).sort(), ['drbdadm connect r0', 'drbdadm connect r1', 'drbdadm connect r2']);

  // the next look at DRBD: r0/r1 complete their handshake, r2's finds the split brain
  const status = JSON.parse(ocfkit(['drbd', 'status', '--json'], f.env).stdout) as {
    version: string;
    resources: Array<{ name: string; connections: Array<{ state: string; verdict: { summary: string } }> }>;
  };
  assert.is(status.version, '8.4.11');
  assert.equal(
    status.resources.map((x) => [x.name, x.connections[0]!.state, x.connections[0]!.verdict.summary]),
    [
      ['r0', 'Connected', 'connected'],
      ['r1', 'Connected', 'connected'],
      ['r2', 'StandAlone', 'leave (split-brain)'],
      ['r3', 'StandAlone', 'leave (admin-disconnect)'],
    ],
  );
  assert.match(f.read('handler-calls.log'), /split-brain r2 bob\nexit 0/);
  assert.is(readFileSync(path.join(f.dir, 'chain.log'), 'utf8'), 'chained r2\n', 'the previous handler ran');
  assert.equal(readdirSync(path.join(f.env.OCFKIT_DRBD_STATE_DIR, 'split-brain')), ['r2@bob.json'], 'drbdadm-84 names the peer (DRBD_PEER)');

  r = ocfkit(['drbd', 'reconnect'], f.env);
  assert.is(r.status, 1);
  assert.is(connects(f).length, 3, 'no second attempt on the split-brained or admin-disconnected resource');
  assert.is(f.read('forbidden.log'), '', 'never adjust, --discard-my-data or a role change');
});

v84('--dry-run runs nothing and writes nothing; --resource narrows; an unknown interface selects nothing', (ctx) => {
  const { f } = ctx;
  f.ctl('set', 'net-down', 'yes');
  f.ctl('tick');
  f.ctl('set', 'net-down', 'no');
  let r = ocfkit(['drbd', 'reconnect', '--dry-run', '--resource', 'r1'], f.env);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^r1:bob: StandAlone, would run drbdadm connect r1 - network cause ".*bind before connect failed.*" \(dmesg, /m);
  assert.not.match(r.stdout, /r0:bob/);
  assert.equal(connects(f), []);
  assert.not.ok(existsSync(f.env.OCFKIT_DRBD_STATE_DIR));
  r = ocfkit(['drbd', 'reconnect', '--iface', 'nosuch0'], f.env);
  assert.is(r.status, 0);
  assert.match(r.stdout, /no matching DRBD connections/);
});

v84('status text shows roles, disks, addresses and the verdict', (ctx) => {
  const r = ocfkit(['drbd', 'status'], ctx.f.env);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^DRBD 8\.4\.11 on alice$/m);
  assert.match(r.stdout, /^r0 role:Secondary drbd0:UpToDate$/m);
  assert.match(r.stdout, /^ {2}bob Connected peer-role:Secondary peer-disk:UpToDate 127\.0\.0\.1:7790 -> 127\.0\.0\.2:7790 \(lo\)$/m);
  assert.match(r.stdout, /^ {4}verdict: connected: Connected$/m);
});

v84("the hooks' exact call (which skips yargs) answers as any other spelling does", (ctx) => {
  // the same network restart on two identical hosts; one asked as the hooks ask, one through yargs
  const hosts = [ctx.f, fourResources()];
  try {
    const answers = hosts.map((f, i) => {
      assert.is(ocfkit(['drbd', 'reconnect'], f.env).status, 0, 'the baseline: all connected');
      f.ctl('set', 'net-down', 'yes');
      f.ctl('tick');
      f.ctl('set', 'net-down', 'no');
      return ocfkit(i === 0 ? ['drbd', 'reconnect', '--iface', 'lo'] : ['drbd', 'reconnect', '--iface=lo'], f.env);
    });
    const [asTheHooksCall, throughYargs] = answers.map((r) => ({
      ...r,
      stdout: r.stdout.replace(/\[ *[\d.]+\]/g, '[time]').replace(/\d{4}-\d\d-\d\dT[\d:.,]+(Z|[+-]\d\d:\d\d)/g, '[iso]'),
    }));
    assert.equal(asTheHooksCall, throughYargs);
    assert.match(asTheHooksCall!.stdout, /r0:bob: StandAlone, reconnected \(connect r0\), now Connected/);
    assert.equal(
      hosts.map((f) => connects(f).length),
      [4, 4],
    );
    // and a failure the same way: no DRBD at all
    const bare = { ...ctx.f.env, PATH: '/nonexistent' };
    const failed = [
      ['drbd', 'reconnect', '--iface', 'lo'],
      ['drbd', 'reconnect', '--iface=lo'],
    ].map((args) => ocfkit(args, bare));
    assert.is(failed[0]!.status, 3);
    assert.equal(failed[0], failed[1]);
  } finally {
    hosts[1]!.cleanup();
  }
});

v84.run();

const v9 = suite<{ f: FakeDrbd }>('ocfkit drbd on 9', { f: undefined as unknown as FakeDrbd });
v9.after.each((ctx) => ctx.f.cleanup());

v9('9.0.15: each StandAlone peer connected as res:peer', (ctx) => {
  const f = (ctx.f = fakeDrbd(['--version', '9.0.15']));
  f.ctl('add', 'r0', '--minor', '1', '--local', '127.0.0.1:7000', '--peer', 'bob', '--remote', '127.0.0.2:7000', '--node-id', '1');
  f.ctl('add', 'r0', '--local', '127.0.0.1:7001', '--peer', 'carol', '--remote', '127.0.0.3:7001', '--node-id', '2');
  f.ctl('set', 'net-down', 'yes');
  f.ctl('tick');
  f.ctl('set', 'net-down', 'no');
  const r = ocfkit(['drbd', 'reconnect', '--iface', 'lo'], f.env);
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.equal(connects(f), ['drbdadm connect r0:bob', 'drbdadm connect r0:carol']);
  assert.match(r.stdout, /r0:carol: StandAlone, reconnected \(connect r0:carol\), now (Connecting|Connected)/);
  assert.equal(f.ctl('state', 'r0').trim().split('\n'), ['Connected', 'Connected']);
});

v9('9.2: a missing local address keeps Connecting; nothing to do', (ctx) => {
  const f = (ctx.f = fakeDrbd(['--version', '9.2.8']));
  f.ctl('add', 'r0', '--minor', '1', '--local', '127.0.0.1:7000', '--peer', 'bob', '--remote', '127.0.0.2:7000');
  f.ctl('set', 'net-down', 'yes');
  f.ctl('tick');
  const r = ocfkit(['drbd', 'reconnect'], f.env);
  assert.is(r.status, 0, r.stdout);
  assert.match(r.stdout, /r0:bob: Connecting, nothing to do/);
  assert.equal(connects(f), []);
});

v9('without drbdadm: exit 3 and a one-line reason', () => {
  const r = ocfkit(['drbd', 'status'], { PATH: '/nonexistent', OCFKIT_DRBD_STATE_DIR: '/nonexistent' });
  assert.is(r.status, 3);
  assert.match(r.stderr, /^ocfkit: drbdadm not found.*drbd-utils/);
});

v9('split-brain-handler outside DRBD: usage error naming DRBD_RESOURCE', () => {
  const r = ocfkit(['drbd', 'split-brain-handler'], { OCFKIT_DRBD_STATE_DIR: '/nonexistent' });
  assert.is(r.status, 2);
  assert.match(r.stderr, /DRBD_RESOURCE/);
});

v9.run();
